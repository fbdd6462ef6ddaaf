import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import { planStatus } from '../../core/prizes';
import { ProgressTracker } from '../../core/progress';
import {
  beaconOf,
  failureText,
  nextSteps,
  ownPaceTimes,
  replacedDrawOf,
  revealPhase,
  showWinner,
  type OwnPace,
  type ShowDraw,
  type ShowState,
} from '../../core/show';
import { getRevealProgress } from '../../aws/draws-table';
import { describeExecution, followHistory, recentExecutions } from '../../aws/executions';
import { explainError } from '../errors';
import { drawResultOf } from '../past-draw';
import { currentPlan } from '../plan';
import { sampleNames } from '../pool';
import type { Session } from '../session';

// What `lottery show` does between the backend and the page: it finds each draw as it starts, from
// any terminal (ListExecutions), follows its history as `lottery draw` does (GetExecutionHistory,
// the steps of core/progress.ts), takes the winners from the execution's output
// (DescribeExecution), and reveals them in step with the host's terminal (the reveal item that
// `draw --stage` writes) or, with no host, at the page's own pace. Everything it publishes is read
// from the backend: it writes nothing.

export interface FollowerOptions {
  session: Session;
  /** What the screen follows, in a few words. */
  target: string;
  publish(state: Omit<ShowState, 'now'>): void;
  /** Says on the terminal what the room cannot fix (the backend cannot be reached). */
  warn(message: string): void;
  pace: OwnPace;
  signal: AbortSignal;
}

interface Timing {
  /** Between two looks for a new draw. */
  idleMs: number;
  /** A running draw's history: the SDK's first and longest pause. */
  historyMinMs: number;
  historyMaxMs: number;
  /** The host's reveals, while a draw is being revealed. */
  revealMs: number;
  /** The prize plan and the names to roll, while nothing happens. */
  refreshMs: number;
}

const LOCAL_TIMING: Timing = {
  idleMs: 500,
  historyMinMs: 20,
  historyMaxMs: 200,
  revealMs: 100,
  refreshMs: 5000,
};
const awsTiming = (pollMs: number): Timing => ({
  idleMs: Math.max(1000, pollMs),
  historyMinMs: 200,
  historyMaxMs: pollMs,
  revealMs: 500,
  refreshMs: 15_000,
});

/** Executions listed at each look: more than can start between two looks. */
const LISTED = 20;
/** After a failed look, wait longer each time, up to this. */
const MAX_BACKOFF_MS = 10_000;

const abortable = (ms: number, signal: AbortSignal) =>
  sleep(ms, undefined, { signal }).catch(() => undefined);

/** The prize a draw was started for, from its execution input. */
function requestedPrize(input: string | undefined): string | null {
  try {
    const prize = (JSON.parse(input ?? '{}') as { prize?: unknown }).prize;
    return typeof prize === 'string' ? prize : null;
  } catch {
    return null;
  }
}

const startOf = (execution: ExecutionListItem) => execution.startDate?.getTime() ?? 0;

export class ShowFollower {
  private readonly timing: Timing;
  private readonly seen = new Set<string>();
  private state: Omit<ShowState, 'now'>;
  private refreshedAt = 0;
  private lastProblem: string | undefined;

  constructor(private readonly options: FollowerOptions) {
    const { config } = options.session;
    this.timing = config.target === 'local' ? LOCAL_TIMING : awsTiming(config.pollIntervalMs);
    this.state = { target: options.target, names: [] };
  }

  private publish(change: Partial<Omit<ShowState, 'now'>>) {
    this.state = { ...this.state, ...change };
    this.options.publish(this.state);
  }

  private setDraw(draw: ShowDraw) {
    this.publish({ draw });
  }

  /** Runs until the signal aborts; a backend that cannot be reached is tried again. */
  async run(): Promise<void> {
    const { signal } = this.options;
    let backoff = this.timing.idleMs;
    let started = false;
    while (!signal.aborted) {
      try {
        if (!started) await this.start();
        started = true;
        const next = await this.nextDraw();
        if (next) {
          // Shown again from its start if following it fails half-way (the backend went away).
          await this.showDraw(next).catch((error: unknown) => {
            this.seen.delete(next.name ?? '');
            throw error;
          });
        } else await this.refreshIfDue();
        this.problemSolved();
        backoff = this.timing.idleMs;
        if (!next) await abortable(this.timing.idleMs, signal);
      } catch (error) {
        if (signal.aborted) break;
        this.problem(error);
        await abortable(backoff, signal);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  private problem(error: unknown) {
    const explained = explainError(error);
    const message = explained?.message ?? (error instanceof Error ? error.message : String(error));
    if (message !== this.lastProblem) {
      this.options.warn(`${message}; trying again${explained?.hint ? ` (${explained.hint})` : ''}`);
      this.lastProblem = message;
      this.publish({ notice: `The screen cannot reach the lottery's backend: ${message}` });
    }
  }

  private problemSolved() {
    if (this.lastProblem === undefined) return;
    this.lastProblem = undefined;
    this.publish({ notice: undefined });
  }

  /**
   * The draws that ran before the screen started are not shown again, but the last one that
   * succeeded stays on screen with its winners, until the next.
   */
  private async start() {
    const { session } = this.options;
    const executions = await this.list();
    for (const execution of executions)
      if (execution.status !== 'RUNNING') this.seen.add(execution.name ?? '');
    await this.refresh();
    const last = executions.find((execution) => execution.status === 'SUCCEEDED');
    // Decoration: a last draw that cannot be read leaves the screen waiting for the next one.
    const result =
      last?.executionArn && last.name
        ? await describeExecution(await session.clients.sfn(), last.executionArn)
            .then((described) => drawResultOf(last.name ?? '', described.output))
            .catch(() => undefined)
        : undefined;
    if (last?.name && result) {
      this.setDraw({
        id: last.name,
        prize: result.prize,
        phase: 'done',
        steps: [],
        total: result.winners.length,
        winners: result.winners.map(showWinner),
        host: 'page',
      });
    } else this.publish({});
  }

  private async list(): Promise<ExecutionListItem[]> {
    const { session } = this.options;
    return recentExecutions(await session.clients.sfn(), await session.stateMachineArn(), LISTED);
  }

  /** The draws not shown yet, oldest first. */
  private async freshDraws(): Promise<ExecutionListItem[]> {
    const fresh = (await this.list()).filter((execution) => !this.seen.has(execution.name ?? ''));
    return fresh.sort((a, b) => startOf(a) - startOf(b));
  }

  /** The oldest draw not shown yet. */
  private async nextDraw(): Promise<ExecutionListItem | undefined> {
    return (await this.freshDraws())[0];
  }

  /** Whether a draw other than a replacement of `drawId` (drawn on stage) has started since. */
  private async otherDrawStarted(drawId: string): Promise<boolean> {
    const sfn = await this.options.session.clients.sfn();
    for (const execution of await this.freshDraws()) {
      const { input } = await describeExecution(sfn, execution.executionArn ?? '');
      if (replacedDrawOf(input) !== drawId) return true;
    }
    return false;
  }

  /** The plan and the names to roll, read again now and then while nothing happens. */
  private async refreshIfDue() {
    if (Date.now() - this.refreshedAt >= this.timing.refreshMs) await this.refresh();
  }

  private async refresh() {
    const { session } = this.options;
    const [plan, names] = await Promise.all([
      currentPlan(session),
      sampleNames(session).catch(() => this.state.names),
    ]);
    this.refreshedAt = Date.now();
    this.publish({ plan: plan ? planStatus(plan) : undefined, names });
  }

  private async showDraw(execution: ExecutionListItem) {
    const { session, signal } = this.options;
    const name = execution.name ?? '';
    const arn = execution.executionArn ?? '';
    this.seen.add(name);
    const sfn = await session.clients.sfn();
    const shownAt = Date.now();
    const started = await describeExecution(sfn, arn);
    let draw: ShowDraw = {
      id: name,
      prize: requestedPrize(started.input),
      phase: 'drawing',
      steps: [],
      total: 0,
      winners: [],
      host: 'page',
    };
    this.setDraw(draw);
    const tracker = new ProgressTracker();
    for await (const events of followHistory(sfn, arn, {
      minDelayMs: this.timing.historyMinMs,
      maxDelayMs: this.timing.historyMaxMs,
      signal,
    })) {
      for (const update of tracker.push(events)) {
        draw = { ...draw, steps: nextSteps(draw.steps, update) };
        const beacon = beaconOf(update);
        if (beacon) draw.beacon = beacon;
      }
      this.setDraw(draw);
    }
    if (signal.aborted) return;
    // The plan as the draw leaves it, on screen with the draw's end.
    await this.refresh();
    const described = await describeExecution(sfn, arn);
    if (described.status !== 'SUCCEEDED') {
      const end = tracker.end;
      this.setDraw({
        ...draw,
        phase: 'failed',
        failure: failureText(
          end && end.status !== 'SUCCEEDED'
            ? end
            : {
                status: 'FAILED',
                error: described.error ?? 'Failed',
                cause: described.cause ?? '',
              },
        ),
      });
    } else {
      const result = drawResultOf(name, described.output);
      draw = { ...draw, prize: result.prize ?? draw.prize, total: result.winners.length };
      const winners = result.winners.map(showWinner);
      await this.reveal(draw, winners, { shownAt, endedAt: Date.now() });
    }
  }

  /**
   * Reveals the winners as the host's terminal does (the reveal item of `draw --stage`), or at the
   * page's own pace when no terminal shows the draw. A new draw ends the reveal: everyone left is
   * shown at once, and the new draw comes next; a replacement of this draw comes after its reveal.
   */
  private async reveal(
    draw: ShowDraw,
    winners: ShowDraw['winners'],
    times: { shownAt: number; endedAt: number },
  ) {
    const { session, signal, pace } = this.options;
    const { doc } = session.clients;
    const own = ownPaceTimes(times, winners.length, pace);
    let revealed = 0;
    let host: ShowDraw['host'] = 'page';
    let lookedForDraws = Date.now();
    const show = (count: number) => {
      revealed = Math.max(revealed, Math.min(count, winners.length));
      this.setDraw({
        ...draw,
        host,
        phase: revealPhase(revealed, winners.length),
        winners: winners.slice(0, revealed),
      });
    };
    show(0);
    while (revealed < winners.length && !signal.aborted) {
      const progress = await getRevealProgress(doc, session.config.drawsTable, draw.id).catch(
        () => undefined,
      );
      if (progress) host = 'terminal';
      const count = progress
        ? progress.done
          ? winners.length
          : progress.revealed
        : own.filter((at) => at <= Date.now()).length;
      if (count !== revealed) show(count);
      if (Date.now() - lookedForDraws >= this.timing.refreshMs / 2) {
        lookedForDraws = Date.now();
        if (await this.otherDrawStarted(draw.id).catch(() => false)) show(winners.length);
      }
      await abortable(this.timing.revealMs, signal);
    }
  }
}
