import * as z from 'zod/mini';
import { countdownText } from '../../core/countdown';
import { describeCause } from '../../core/draw';
import { printable } from '../../core/printable';
import {
  beaconStateSchema,
  durationMs,
  stateCommitment,
  type ProgressUpdate,
  type Step,
} from '../../core/progress';
import { STATES } from '../../core/names';
import type { Output, Spinner } from '../output';

const count = z.optional(z.number());
const text = z.optional(z.string());

/**
 * The parts of the states' outputs (and a Wait state's input) that the notes read; whatever is
 * missing leaves its part of a note out.
 */
const stepOutputSchema = z.looseObject({
  body: z.optional(
    z.looseObject({
      num_of_winners: count,
      attempt: count,
      seed: text,
      pool: z.optional(z.looseObject({ size: count, digest: text })),
      beacon: z.optional(beaconStateSchema),
    }),
  ),
  status: count,
  result: z.optional(z.looseObject({ winners: z.optional(z.array(z.unknown())) })),
  announcement: z.optional(z.looseObject({ error: z.optional(z.string()) })),
  reservation: z.optional(
    z.looseObject({
      prize: z.string(),
      winners: z.number(),
      count: z.number(),
      remaining: z.number(),
      replacing: z.optional(z.string()),
    }),
  ),
});

function stepData(value: unknown): z.output<typeof stepOutputSchema> {
  const parsed = stepOutputSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

const short = (hex: string | undefined) => `${(hex ?? '').slice(0, 12)}…`;
const clock = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

/** The chain's name as drand calls it, or the start of its hash. */
function chainName(chain: { beacon_id: string; hash: string }): string {
  return chain.beacon_id || short(chain.hash);
}

/** How long until a round is due, as a person reads a countdown. */
export function countdown(roundTime: string, now: Date): string {
  return countdownText(Date.parse(roundTime) - now.getTime());
}

/**
 * What a running state is doing, for its animated line: a beacon draw's wait counts down to its
 * round.
 */
export function runningLabel(step: Step, now: Date): string {
  const commitment = step.name === STATES.waitForRound ? stateCommitment(step.input) : undefined;
  return commitment
    ? `${step.name}: round ${commitment.round} of ${chainName(commitment.chain)} ${countdown(commitment.round_time, now)}`
    : step.name;
}

/** A short note on what a finished state did, read from its output. */
export function stepNote(step: Step): string {
  if (step.outcome === 'caught' && step.error)
    return `${step.error.error}: ${describeCause(step.error.cause)}`;
  const output = stepData(step.output);
  switch (step.name) {
    case STATES.reserve: {
      const reserved = output.reservation;
      if (!reserved) return '';
      const place = reserved.replacing
        ? `the place ${printable(reserved.replacing)} forfeited came back and is taken`
        : `took ${reserved.winners}`;
      return `${printable(reserved.prize)}: ${place}, ${reserved.remaining} of ${reserved.count} left`;
    }
    case STATES.beaconDraw:
      return '→ commit, then wait for a drand round';
    case STATES.commit: {
      const commitment = stateCommitment(output);
      if (!commitment) return '';
      return `committed to round ${commitment.round} of drand ${chainName(commitment.chain)} (due ${clock(commitment.round_time)}): ${output.body?.num_of_winners} of ${output.body?.pool?.size} eligible, pool ${short(output.body?.pool?.digest)}, commitment ${short(commitment.digest)}`;
    }
    case STATES.waitForRound: {
      const commitment = stateCommitment(output);
      return commitment ? `round ${commitment.round} is due` : '';
    }
    case STATES.fetchRound: {
      const round = output.body?.beacon?.round;
      const commitment = stateCommitment(output);
      if (!round || !commitment) return '';
      return `round ${round.round} verified against ${chainName(commitment.chain)}'s public key (from ${printable(round.source)}): seed ${short(output.body?.seed)}`;
    }
    case STATES.select: {
      const attempt = output.body?.attempt ?? 1;
      const again = attempt > 1 ? ` (attempt ${attempt})` : '';
      return `picked ${output.body?.num_of_winners} of ${output.body?.pool?.size} eligible${again}`;
    }
    case STATES.validate:
      return output.status === 1
        ? 'a pick was just taken by another draw'
        : `claimed ${output.body?.num_of_winners}`;
    case STATES.pastDraw:
      return output.status === 1 ? '→ draw again' : '→ record and announce';
    case STATES.record:
      return `recorded ${output.result?.winners?.length ?? 0}`;
    case STATES.notify:
      return 'announced';
    case STATES.announcementFailed:
      return `not announced: ${output.announcement?.error ?? 'error'}`;
    case STATES.release:
      return 'claims released';
    default:
      return '';
  }
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Shows the states of a running draw: on a terminal an animated line for the state that is running
 * and a line for each state as it finishes; without one, just the lines.
 */
export class DrawView {
  private spinner: Spinner | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly running: Step[] = [];

  constructor(private readonly output: Output) {}

  private line(step: Step, symbol: string, note: string, timed = true) {
    const style = this.output.err;
    const indent = '  '.repeat(step.depth + 1);
    const name = step.name.padEnd(Math.max(0, 34 - 2 * step.depth));
    const time = timed ? formatDuration(durationMs(step)).padStart(8) : '';
    this.output.info(
      `${indent}${symbol} ${name}${style.dim(time)}${note ? `  ${note}` : ''}`.trimEnd(),
    );
  }

  private stopAnimation() {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.spinner?.stop();
    this.spinner = undefined;
  }

  private async animate() {
    this.stopAnimation();
    const current = this.running.at(-1);
    if (!current || !this.output.animated) return;
    const spinner = await this.output.spinner(runningLabel(current, new Date()));
    this.spinner = spinner;
    if (current.name === STATES.waitForRound)
      this.ticker = setInterval(() => spinner.update(runningLabel(current, new Date())), 250);
  }

  async update(update: ProgressUpdate): Promise<void> {
    const style = this.output.err;
    this.stopAnimation();
    switch (update.kind) {
      case 'entered':
        if (update.step.type === 'Parallel') this.line(update.step, style.cyan('▸'), '', false);
        // Said once even without a terminal, so that a log shows what the draw waits for and until
        // when.
        if (update.step.name === STATES.waitForRound)
          this.line(
            update.step,
            style.cyan('⧗'),
            runningLabel(update.step, new Date()).slice(update.step.name.length + 2),
            false,
          );
        this.running.push(update.step);
        break;
      case 'retrying':
        this.line(
          update.step,
          style.yellow('↻'),
          style.yellow(
            `${update.error.error}: ${describeCause(update.error.cause)} — retrying (attempt ${update.step.attempts})`,
          ),
        );
        break;
      case 'exited': {
        this.running.splice(this.running.indexOf(update.step), 1);
        // Most draws are not beacon draws: the Choice that says so would only be noise on stage.
        if (
          update.step.name === STATES.beaconDraw &&
          stepData(update.step.output).body?.beacon === undefined
        )
          break;
        const note = stepNote(update.step);
        if (update.step.outcome === 'caught')
          this.line(update.step, style.red('✖'), style.red(note));
        else this.line(update.step, style.green('✔'), style.dim(note));
        break;
      }
      case 'failed': {
        this.running.splice(this.running.indexOf(update.step), 1);
        // A Fail state only ends the draw; the error it carries is printed once, below the steps.
        const error = update.step.type === 'Fail' ? undefined : update.step.error;
        this.line(
          update.step,
          style.red('✖'),
          error ? style.red(`${error.error}: ${describeCause(error.cause)}`) : '',
        );
        break;
      }
      case 'ended':
        this.running.length = 0;
        return;
    }
    await this.animate();
  }

  close(): void {
    this.stopAnimation();
  }
}
