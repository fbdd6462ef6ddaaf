// Follows a draw's execution history, as GetExecutionHistory returns it from AWS or the embedded
// backend, and turns its events into the steps a person watches: a state started, was retried,
// finished or failed; the execution ended. It reads the SDK's own HistoryEvent, which the
// embedded backend's history is made to match.

import type { HistoryEvent } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';

export interface Step {
  name: string;
  type: string;
  /** 1 for the first time the state is entered, 2 for the second (a re-draw loop) … */
  visit: number;
  /** Nesting depth: states inside a Parallel branch are 1. */
  depth: number;
  enteredAt: Date;
  exitedAt?: Date;
  /** Task attempts so far; more than one means the Retry policy stepped in. */
  attempts: number;
  outcome: 'running' | 'succeeded' | 'caught' | 'failed';
  /** The last error of a Task attempt, retried or not. */
  error?: { error: string; cause: string };
  lastAttemptFailed: boolean;
  /** What the state was given: a Wait state's input says what it waits for. */
  input?: unknown;
  output?: unknown;
}

export type ExecutionEnd =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; error: string; cause: string };

export type ProgressUpdate =
  | { kind: 'entered'; step: Step }
  | { kind: 'retrying'; step: Step; error: { error: string; cause: string } }
  | { kind: 'exited'; step: Step }
  | { kind: 'failed'; step: Step }
  | { kind: 'ended'; end: ExecutionEnd; failedStep?: Step };

const TERMINAL: Record<string, ExecutionEnd['status']> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function failureOf(event: HistoryEvent): { error: string; cause: string } | undefined {
  const details =
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails;
  if (!details) return undefined;
  return { error: details.error ?? event.type ?? 'Error', cause: details.cause ?? '' };
}

export class ProgressTracker {
  private lastId = 0;
  private readonly visits = new Map<string, number>();
  private readonly open: Step[] = [];
  private depth = 0;
  /** The last state that failed: where a draw that ends in the Fail state really went wrong. */
  private lastFailed: Step | undefined;
  private ended: ExecutionEnd | undefined;

  get end(): ExecutionEnd | undefined {
    return this.ended;
  }

  /** Feeds events (in id order; ones already seen are skipped) and returns what changed. */
  push(events: readonly HistoryEvent[]): ProgressUpdate[] {
    const updates: ProgressUpdate[] = [];
    for (const event of events) {
      if (event.id === undefined || event.id <= this.lastId) continue;
      this.lastId = event.id;
      updates.push(...this.apply(event));
    }
    return updates;
  }

  private current(): Step | undefined {
    return this.open.at(-1);
  }

  /** One event's effect, by its type; events that change nothing a person sees return none. */
  private apply(event: HistoryEvent): ProgressUpdate[] {
    const type: string = event.type ?? '';
    // Every event of a history has its time; the SDK types all its fields as optional.
    const at = event.timestamp ?? new Date();
    if (type.endsWith('StateEntered')) return this.entered(event, type, at);
    if (type === 'ParallelStateStarted') {
      this.depth++;
      return [];
    }
    if (type === 'ParallelStateSucceeded' || type === 'ParallelStateFailed')
      return this.parallelEnded(type === 'ParallelStateFailed', at);
    if (type === 'LambdaFunctionScheduled' || type === 'TaskScheduled') return this.scheduled();
    if (type === 'LambdaFunctionSucceeded' || type === 'TaskSucceeded') {
      const step = this.current();
      if (step) step.lastAttemptFailed = false;
      return [];
    }
    const failure = failureOf(event);
    if (failure) {
      const step = this.current();
      if (!step) return [];
      step.error = failure;
      step.lastAttemptFailed = true;
      this.lastFailed = step;
      return [];
    }
    if (type.endsWith('StateExited')) return this.exited(event, at);
    const status = TERMINAL[type];
    if (status) return this.executionEnded(event, status, at);
    return [];
  }

  private entered(event: HistoryEvent, type: string, at: Date): ProgressUpdate[] {
    const name = event.stateEnteredEventDetails?.name ?? '?';
    const visit = (this.visits.get(name) ?? 0) + 1;
    this.visits.set(name, visit);
    const step: Step = {
      name,
      type: type.slice(0, -'StateEntered'.length),
      visit,
      depth: this.depth,
      enteredAt: at,
      attempts: 0,
      outcome: 'running',
      lastAttemptFailed: false,
      input: parse(event.stateEnteredEventDetails?.input),
    };
    this.open.push(step);
    return [{ kind: 'entered', step }];
  }

  private parallelEnded(failed: boolean, at: Date): ProgressUpdate[] {
    this.depth = Math.max(0, this.depth - 1);
    // A failed branch leaves its failed Task open, with no exit event: it failed here.
    const updates: ProgressUpdate[] = [];
    while (this.open.length > 1 && this.current()?.type !== 'Parallel') {
      const step = this.open.pop() as Step;
      step.exitedAt = at;
      step.outcome = 'failed';
      updates.push({ kind: 'failed', step });
    }
    const parallel = this.current();
    if (failed && parallel) {
      parallel.lastAttemptFailed = true;
      if (this.lastFailed?.error) parallel.error = this.lastFailed.error;
    }
    return updates;
  }

  /** A Task attempt begins: past the first, the Retry policy stepped in. */
  private scheduled(): ProgressUpdate[] {
    const step = this.current();
    if (!step) return [];
    step.attempts++;
    if (step.attempts > 1 && step.error) return [{ kind: 'retrying', step, error: step.error }];
    return [];
  }

  private exited(event: HistoryEvent, at: Date): ProgressUpdate[] {
    const step = this.open.pop();
    if (!step) return [];
    step.exitedAt = at;
    step.output = parse(event.stateExitedEventDetails?.output);
    // A Task whose last attempt failed and still exited had its error caught.
    step.outcome = step.lastAttemptFailed ? 'caught' : 'succeeded';
    return [{ kind: 'exited', step }];
  }

  /** The execution's end: any state still open failed with it. */
  private executionEnded(
    event: HistoryEvent,
    status: ExecutionEnd['status'],
    at: Date,
  ): ProgressUpdate[] {
    const details =
      event.executionFailedEventDetails ??
      event.executionAbortedEventDetails ??
      event.executionTimedOutEventDetails ??
      {};
    const end: ExecutionEnd =
      status === 'SUCCEEDED'
        ? { status, output: parse(event.executionSucceededEventDetails?.output) }
        : { status, error: details.error ?? status, cause: details.cause ?? '' };
    this.ended = end;
    const updates: ProgressUpdate[] = [];
    for (const step of this.open.reverse()) {
      step.exitedAt = at;
      step.outcome = 'failed';
      if (end.status !== 'SUCCEEDED') step.error ??= { error: end.error, cause: end.cause };
      updates.push({ kind: 'failed', step });
    }
    this.open.length = 0;
    updates.push({
      kind: 'ended',
      end,
      failedStep: status === 'SUCCEEDED' ? undefined : this.lastFailed,
    });
    return updates;
  }
}

export function durationMs(step: Step): number | undefined {
  return step.exitedAt ? step.exitedAt.getTime() - step.enteredAt.getTime() : undefined;
}

/** A beacon draw's commitment and round, as its states carry them (src/core/beacon.ts). */
export const beaconStateSchema = z.looseObject({
  commitment: z.optional(
    z.looseObject({
      chain: z.looseObject({ beacon_id: z.string(), hash: z.string() }),
      round: z.number(),
      round_time: z.string(),
      digest: z.string(),
    }),
  ),
  round: z.optional(z.looseObject({ round: z.number(), source: z.string() })),
});

const commitmentCarrier = z.looseObject({
  body: z.optional(z.looseObject({ beacon: z.optional(beaconStateSchema) })),
});

/** The commitment a beacon draw's state was given or produced (its input or output). */
export function stateCommitment(value: unknown) {
  const parsed = commitmentCarrier.safeParse(value ?? {});
  return parsed.success ? parsed.data.body?.beacon?.commitment : undefined;
}
