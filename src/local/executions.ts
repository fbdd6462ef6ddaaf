import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { StateMachine } from 'aws-local-stepfunctions';
import { isValidExecutionName } from '../core/draw';
import { HistoryRecorder, type WireHistoryEvent } from './history';
import { cannotWrite, PRIVATE_DIRECTORY, PRIVATE_FILE, readDataFile } from './paths';
import { BACKEND_API_ERRORS, BACKEND_ERRORS } from '../core/names';
import * as z from 'zod/mini';
import { checkJson } from '../core/parse';

/** A draw's history: thousands of events at most, each well under a kilobyte. */
const HISTORY_FILE = { what: "an execution's history", maxBytes: 256_000_000 };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What DescribeExecution answers, with dates in epoch milliseconds. */
export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

const summarySchema: z.ZodMiniType<ExecutionSummary> = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
  startDate: z.number(),
  stopDate: z.optional(z.number()),
  input: z.string(),
  output: z.optional(z.string()),
  error: z.optional(z.string()),
  cause: z.optional(z.string()),
});

export type LocalTaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalTask {
  resource: string;
  handler: LocalTaskHandler;
  /** Lambda errors carry a JSON cause on AWS; service integrations a plain one. */
  kind: 'lambda' | 'service';
}

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalStepFunctionsOptions {
  directory: string;
  machine: StateMachine;
  stateMachineArn: string;
  executionArnPrefix: string;
  roleArn: string;
  region: string;
  tasks: Record<string, LocalTask>;
  /** Milliseconds between retries, instead of the definition's seconds: nobody waits locally. */
  retryIntervalMs: number;
  retryStates: string[];
}

interface Running {
  summary: ExecutionSummary;
  recorder: HistoryRecorder;
  abort: () => void;
  done: Promise<void>;
  /** Why its history could not be written (a full disk): the execution was stopped then. */
  storageFailure?: unknown;
}

const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;
const STATE_MACHINE_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/;

/**
 * A file name for an execution: the name itself when it is plain, else a digest (names may hold
 * dots or be long in UTF-8).
 */
function fileKey(name: string): string {
  return PLAIN_NAME.test(name)
    ? name
    : `~${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

export function checkStateMachineArn(arn: string, known: string): void {
  if (!STATE_MACHINE_ARN.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (arn !== known)
    throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}
const BACKEND_STOPPED = BACKEND_ERRORS.stopped;
const STORAGE_FAILED = BACKEND_ERRORS.storageFailed;
const STOPPED_CAUSE =
  'the embedded backend stopped while this draw was running; what it had claimed was given back';

const FINAL_EVENT_STATUS: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/**
 * An execution's summary; undefined when there is none. A damaged one is reported, never taken for
 * absent: its name would be reused.
 */
function readSummaryFile(path: string): ExecutionSummary | undefined {
  let text: string;
  try {
    text = readDataFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const summary = checkJson(summarySchema, text);
  if (!summary.ok)
    throw new ApiError(
      BACKEND_API_ERRORS.damaged,
      `the embedded backend cannot read the execution record ${path} (${summary.error}): move it out of the way to leave that draw out`,
    );
  return summary.value;
}

/** The execution records of `directory`, each read or, when damaged, the error saying so. */
function readSummaries(directory: string): (ExecutionSummary | ApiError)[] {
  let files: string[];
  try {
    files = readdirSync(directory);
  } catch (error) {
    // No draw has started in this data directory yet.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files
    .filter((file) => file.endsWith('.json'))
    .flatMap((file): (ExecutionSummary | ApiError)[] => {
      try {
        const summary = readSummaryFile(join(directory, file));
        return summary ? [summary] : [];
      } catch (error) {
        if (error instanceof ApiError) return [error];
        throw error;
      }
    });
}

/**
 * Why each damaged execution record of `directory` cannot be read: ListExecutions leaves them out,
 * and `draws list` says so.
 */
export const damagedExecutionRecords = (directory: string): string[] =>
  readSummaries(directory).flatMap((read) => (read instanceof ApiError ? [read.message] : []));

/** Runs executions of one state machine in this process and keeps their history on disk. */
export class LocalStepFunctions {
  private readonly running = new Map<string, Running>();
  /** Executions that ended while their summary could not be written (a full disk). */
  private readonly unsaved = new Map<
    string,
    { summary: ExecutionSummary; events: WireHistoryEvent[] }
  >();

  constructor(private readonly options: LocalStepFunctionsOptions) {
    mkdirSync(options.directory, PRIVATE_DIRECTORY);
  }

  private summaryPath(name: string) {
    return join(this.options.directory, `${fileKey(name)}.json`);
  }

  /**
   * One event a line, appended as the execution goes: a process killed mid-draw leaves its history
   * so far.
   */
  private historyPath(name: string) {
    return join(this.options.directory, `${fileKey(name)}.history.jsonl`);
  }

  private write(path: string, value: unknown) {
    const draft = `${path}.tmp`;
    try {
      writeFileSync(draft, JSON.stringify(value), PRIVATE_FILE);
      renameSync(draft, path);
    } catch (error) {
      rmSync(draft, { force: true });
      throw new ApiError(BACKEND_API_ERRORS.cannotWrite, cannotWrite(path, error).message);
    }
  }

  /**
   * An execution that was running when its process was killed can never go on. `settle` decides
   * how it ends — finished with an output, or rolled back — and the ending is written to its
   * history and summary as Step Functions would, so that everyone who follows it sees it end.
   */
  async recoverInterrupted(
    settle: (summary: ExecutionSummary) => Promise<{ output: string } | undefined>,
  ): Promise<void> {
    // A damaged record cannot be settled; it is reported to whoever asks about it or lists the
    // draws.
    for (const summary of this.listSummaries()) {
      if (summary.status !== 'RUNNING' || this.running.has(summary.name)) continue;
      const finished = await settle(summary);
      const stopDate = Date.now();
      const history = this.storedHistory(summary.name);
      const id = history.length + 1;
      const ending = finished
        ? {
            type: 'ExecutionSucceeded',
            executionSucceededEventDetails: {
              output: finished.output,
              outputDetails: { truncated: false },
            },
          }
        : {
            type: 'ExecutionAborted',
            executionAbortedEventDetails: { error: BACKEND_STOPPED, cause: STOPPED_CAUSE },
          };
      appendFileSync(
        this.historyPath(summary.name),
        JSON.stringify({ id, previousEventId: id - 1, timestamp: stopDate / 1000, ...ending }) +
          '\n',
        PRIVATE_FILE,
      );
      this.write(
        this.summaryPath(summary.name),
        finished
          ? { ...summary, status: 'SUCCEEDED', stopDate, output: finished.output }
          : {
              ...summary,
              status: 'ABORTED',
              stopDate,
              error: BACKEND_STOPPED,
              cause: STOPPED_CAUSE,
            },
      );
    }
  }

  nameOf(executionArn: string): string {
    const prefix = this.options.executionArnPrefix;
    const name = executionArn.startsWith(prefix) ? executionArn.slice(prefix.length) : undefined;
    if (!name || !isValidExecutionName(name))
      throw new ApiError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    return name;
  }

  start(
    stateMachineArn: string,
    name: string | undefined,
    input: string | undefined,
  ): ExecutionSummary {
    checkStateMachineArn(stateMachineArn, this.options.stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!isValidExecutionName(executionName))
      throw new ApiError('InvalidName', `Invalid Name: '${executionName}'`);
    const inputText = input ?? '{}';
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(inputText);
    } catch {
      throw new ApiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: the input is not JSON',
      );
    }
    const existing = this.running.get(executionName)?.summary ?? this.readSummary(executionName);
    if (existing) {
      // As on AWS: the same name and input while running is the same request; anything else is
      // refused.
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new ApiError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    }
    const summary: ExecutionSummary = {
      executionArn: this.options.executionArnPrefix + executionName,
      stateMachineArn,
      name: executionName,
      status: 'RUNNING',
      startDate: Date.now(),
      input: inputText,
    };
    this.write(this.summaryPath(executionName), summary);
    this.run(summary, parsedInput);
    return summary;
  }

  private run(summary: ExecutionSummary, input: unknown) {
    const historyFile = this.historyPath(summary.name);
    // A draw that cannot keep its history (a full disk) is stopped at once: it would otherwise go
    // on claiming and recording people with nothing on disk to say so. Its history stays in memory.
    const keep = (event: WireHistoryEvent) => {
      const running = this.running.get(summary.name);
      if (running?.storageFailure !== undefined) return;
      try {
        appendFileSync(historyFile, `${JSON.stringify(event)}\n`, PRIVATE_FILE);
      } catch (error) {
        if (running) running.storageFailure = error;
        running?.abort();
      }
    };
    const recorder = new HistoryRecorder(this.options.region, this.options.roleArn, keep);
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.entries(this.options.tasks).map(([stateName, task]) => [
        stateName,
        this.wrapTask(recorder, stateName, task),
      ]),
    );
    const execution = this.options.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: taskResourceLocalHandlers as never,
        retryIntervalOverrides: Object.fromEntries(
          this.options.retryStates.map((state) => [state, this.options.retryIntervalMs]),
        ),
      },
      context: {
        Execution: { Id: summary.executionArn, Name: summary.name, RoleArn: this.options.roleArn },
        StateMachine: {
          Id: summary.stateMachineArn,
          Name: summary.stateMachineArn.split(':').at(-1),
        },
      },
      noThrowOnAbort: true,
    });
    // The outcome is read from the event log; the result promise only needs its rejection handled.
    execution.result.catch(() => {});
    const done = (async () => {
      for await (const event of execution.eventLogs) recorder.record(event);
      this.finish(summary, recorder.events);
    })();
    this.running.set(summary.name, { summary, recorder, abort: execution.abort, done });
  }

  private wrapTask(recorder: HistoryRecorder, stateName: string, task: LocalTask) {
    return async (input: unknown) => {
      const attempt = recorder.beginAttempt(stateName, task.resource, input);
      try {
        // A JSON round trip, as a real invocation makes: the handler gets no shared references.
        attempt.output = JSON.parse(
          JSON.stringify((await task.handler(structuredClone(input))) ?? null),
        );
        attempt.endedAt = Date.now();
        return attempt.output;
      } catch (error) {
        const name = error instanceof Error && error.name !== 'Error' ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        attempt.error = name;
        attempt.cause =
          task.kind === 'lambda'
            ? JSON.stringify({ errorType: name, errorMessage: message, trace: [] })
            : message;
        attempt.endedAt = Date.now();
        const failure = new Error(attempt.cause);
        failure.name = name;
        throw failure;
      }
    };
  }

  private finish(summary: ExecutionSummary, events: WireHistoryEvent[]) {
    const last = events.at(-1);
    const status = (last && FINAL_EVENT_STATUS[last.type]) ?? 'FAILED';
    const details = (last?.executionSucceededEventDetails ??
      last?.executionFailedEventDetails ??
      {}) as Record<string, string>;
    const final: ExecutionSummary = {
      ...summary,
      status,
      stopDate: last ? last.timestamp * 1000 : Date.now(),
    };
    if (details.output !== undefined) final.output = details.output;
    if (details.error !== undefined) final.error = details.error;
    if (details.cause !== undefined) final.cause = details.cause;
    const failure = this.running.get(summary.name)?.storageFailure;
    if (failure !== undefined) {
      final.error = STORAGE_FAILED;
      final.cause = `${cannotWrite(this.historyPath(summary.name), failure).message}; the next lottery command gives back what the draw claimed`;
    }
    try {
      this.write(this.summaryPath(summary.name), final);
    } catch {
      // The disk is full: the summary on disk still says RUNNING, so the next start settles the
      // execution; until then this process answers from memory.
      this.unsaved.set(summary.name, { summary: final, events });
    }
    this.running.delete(summary.name);
  }

  private readSummary(name: string): ExecutionSummary | undefined {
    return readSummaryFile(this.summaryPath(name));
  }

  describe(executionArn: string): ExecutionSummary {
    const name = this.nameOf(executionArn);
    const summary =
      this.running.get(name)?.summary ?? this.unsaved.get(name)?.summary ?? this.readSummary(name);
    if (!summary)
      throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return summary;
  }

  history(executionArn: string): WireHistoryEvent[] {
    const name = this.nameOf(executionArn);
    const inMemory = this.running.get(name)?.recorder.events ?? this.unsaved.get(name)?.events;
    if (inMemory) return inMemory;
    this.describe(executionArn);
    return this.storedHistory(name);
  }

  private storedHistory(name: string): WireHistoryEvent[] {
    const path = this.historyPath(name);
    if (!existsSync(path)) return [];
    const lines = readDataFile(path, HISTORY_FILE).split('\n');
    // A process killed in the middle of an append leaves the last line cut short: that event was
    // never written.
    const torn = lines.pop();
    if (torn !== '' && torn !== undefined) lines.push(torn);
    return lines.flatMap((line, index) => {
      try {
        return [JSON.parse(line) as WireHistoryEvent];
      } catch (error) {
        if (index === lines.length - 1) return [];
        throw new Error(
          `the history file ${path} is damaged at line ${index + 1}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    });
  }

  /**
   * Every execution on disk that can be read: a damaged record is left out (`draws list` warns
   * about it), and reported to whoever asks about that execution.
   */
  private listSummaries(): ExecutionSummary[] {
    return readSummaries(this.options.directory).filter(
      (read): read is ExecutionSummary => !(read instanceof ApiError),
    );
  }

  /** Newest first, as ListExecutions answers. */
  list(stateMachineArn: string, statusFilter?: string): ExecutionSummary[] {
    checkStateMachineArn(stateMachineArn, this.options.stateMachineArn);
    const byName = new Map(this.listSummaries().map((summary) => [summary.name, summary]));
    for (const { summary } of [...this.unsaved.values(), ...this.running.values()])
      byName.set(summary.name, summary);
    return [...byName.values()]
      .filter((summary) => !statusFilter || summary.status === statusFilter)
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
  }

  stop(executionArn: string): number {
    const name = this.nameOf(executionArn);
    const running = this.running.get(name);
    if (!running) return this.describe(executionArn).stopDate ?? Date.now();
    running.abort();
    return Date.now();
  }

  /** Resolves when every running execution has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0)
      await Promise.all([...this.running.values()].map((running) => running.done));
  }
}
