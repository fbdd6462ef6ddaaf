import { describeCause, drawRequestSchema, type WinnerDetail } from './draw';
import { checkJson } from './parse';
import { stateCommitment, type ExecutionEnd, type ProgressUpdate } from './progress';
import type { PrizeStatus } from './prizes';

// What the room's screen (`lottery show`) shows, decided from what the state machine did: the
// states of a draw's history as they pass, its output, and how far the host has revealed its
// winners. Pure: the CLI feeds in what it reads from the backend and sends the result to the page,
// which only draws it. Nothing here can make a winner: the winners shown are a prefix of the
// execution's output, in its order, and none is sent to the page before it is revealed.

export interface ShowWinner {
  id: string;
  name: string;
  department?: string;
}

/** A state of the draw, for the compact line of states under the title. */
export interface ShowStep {
  name: string;
  status: 'running' | 'done' | 'failed';
  /** More than 1 when the draw went round again (a pick was taken by another draw). */
  visits: number;
}

/** A beacon draw's commitment: the round it waits for, and when that round is due. */
export interface ShowBeacon {
  round: number;
  chain: string;
  due_at: string;
  commitment: string;
}

export type DrawPhase = 'drawing' | 'revealing' | 'done' | 'failed';

export interface ShowDraw {
  id: string;
  prize: string | null;
  phase: DrawPhase;
  steps: ShowStep[];
  beacon?: ShowBeacon;
  /** Why the draw did not succeed, in people's words. */
  failure?: string;
  /** How many winners the draw has; 0 until it has ended. */
  total: number;
  /** The winners revealed so far, in the draw's order. */
  winners: ShowWinner[];
  /** Who reveals: the host's terminal (`draw --stage`), or the page at its own pace. */
  host: 'terminal' | 'page';
}

export interface ShowState {
  /** The server's clock when the state was sent: the page counts down by it, not its own. */
  now: string;
  /** What the screen follows: "the embedded backend", "AWS eu-west-1". */
  target: string;
  /** Why the screen may be out of date (the backend cannot be reached), for the room to see. */
  notice?: string;
  /** The draw on screen: running, being revealed, or the last one. */
  draw?: ShowDraw;
  plan?: PrizeStatus[];
  /** People of the pool whose names roll while a draw runs. */
  names: string[];
}

/** The state machine's states worth a mark on screen: Choices and Parallels pass in no time. */
const SHOWN_TYPES = new Set(['Task', 'Wait', 'Pass']);

/** The steps after one update of the draw's history. */
export function nextSteps(steps: readonly ShowStep[], update: ProgressUpdate): ShowStep[] {
  if (update.kind === 'ended' || update.kind === 'retrying') return [...steps];
  const { step } = update;
  if (!SHOWN_TYPES.has(step.type)) return [...steps];
  const status: ShowStep['status'] =
    update.kind === 'entered' ? 'running' : update.kind === 'failed' ? 'failed' : 'done';
  const shown: ShowStep = { name: step.name, status, visits: step.visit };
  const index = steps.findIndex((known) => known.name === step.name);
  return index < 0 ? [...steps, shown] : steps.map((known, at) => (at === index ? shown : known));
}

/** The commitment a beacon draw announces as it waits for its round, if this update shows it. */
export function beaconOf(update: ProgressUpdate): ShowBeacon | undefined {
  if (update.kind === 'ended') return undefined;
  const commitment =
    stateCommitment(update.step.output) ?? stateCommitment(update.step.input) ?? undefined;
  if (!commitment) return undefined;
  return {
    round: commitment.round,
    chain: commitment.chain.beacon_id || commitment.chain.hash.slice(0, 12),
    due_at: commitment.round_time,
    commitment: commitment.digest,
  };
}

/** Why a draw that ended without success ended, for the room. */
export function failureText(end: Exclude<ExecutionEnd, { status: 'SUCCEEDED' }>): string {
  const verb =
    end.status === 'ABORTED' ? 'was stopped' : end.status === 'TIMED_OUT' ? 'timed out' : 'failed';
  const reason = describeCause(end.cause) || end.error;
  return `The draw ${verb}: ${reason}`;
}

/**
 * The draw a replacement replaces, from the replacement's execution input (undefined for any other
 * draw). A replacement drawn with `x` on stage starts while the host still reveals the draw it
 * replaces: it waits for that reveal to end, rather than ending it and showing everyone at once.
 */
export function replacedDrawOf(input: string | undefined): string | undefined {
  const request = checkJson(drawRequestSchema, input);
  return request.ok ? request.value.replaces?.draw_id : undefined;
}

export const showWinner = (winner: WinnerDetail): ShowWinner => ({
  id: winner.employee_id,
  name: winner.employee_name,
  ...(winner.department ? { department: winner.department } : {}),
});

/** How the page reveals a draw nobody reveals from a terminal. */
export interface OwnPace {
  /** Names roll at least this long, from when the screen started showing the draw. */
  suspenseMs: number;
  /** The pause between two winners… */
  stepMs: number;
  /** …shortened so that all of a large draw's winners are out within about this long. */
  allWithinMs: number;
}

export const OWN_PACE: OwnPace = { suspenseMs: 3000, stepMs: 1500, allWithinMs: 15_000 };
/** Even 50 winners come one at a time, each seen for a moment. */
const MIN_STEP_MS = 250;

/**
 * When the page reveals each winner by itself (epoch ms, in order), for a draw it started showing
 * at `shownAt` that ended at `endedAt` with `total` winners.
 */
export function ownPaceTimes(
  times: { shownAt: number; endedAt: number },
  total: number,
  pace: OwnPace = OWN_PACE,
): number[] {
  const first = Math.max(times.endedAt, times.shownAt + pace.suspenseMs);
  const step = Math.max(MIN_STEP_MS, Math.min(pace.stepMs, pace.allWithinMs / total));
  return Array.from({ length: total }, (_, index) => first + index * step);
}

/** The phase of a draw once `revealed` of its `total` winners are out. */
export const revealPhase = (revealed: number, total: number): DrawPhase =>
  revealed >= total ? 'done' : 'revealing';
