import * as z from 'zod/mini';
import { describeCause } from '../../core/draw';
import { durationMs, type ProgressUpdate, type Step } from '../../core/progress';
import { STATES } from '../../core/names';
import type { Output, Spinner } from '../output';
import { printable } from '../../core/printable';

const count = z.optional(z.number());

/** The parts of the states' outputs that the notes read; whatever is missing leaves its part of a note out. */
const stepOutputSchema = z.looseObject({
  body: z.optional(z.looseObject({ num_of_winners: count, attempt: count, pool: z.optional(z.looseObject({ size: count })) })),
  status: count,
  result: z.optional(z.looseObject({ winners: z.optional(z.array(z.unknown())) })),
  announcement: z.optional(z.looseObject({ error: z.optional(z.string()) })),
  reservation: z.optional(z.looseObject({ prize: z.string(), winners: z.number(), count: z.number(), remaining: z.number() })),
});

/** A short note on what a finished state did, read from its output. */
export function stepNote(step: Step): string {
  if (step.outcome === 'caught' && step.error) return `${step.error.error}: ${describeCause(step.error.cause)}`;
  const parsed = stepOutputSchema.safeParse(step.output ?? {});
  const output = parsed.success ? parsed.data : {};
  switch (step.name) {
    case STATES.reserve: {
      const reserved = output.reservation;
      return reserved ? `${printable(reserved.prize)}: took ${reserved.winners}, ${reserved.remaining} of ${reserved.count} left` : '';
    }
    case STATES.select: {
      const attempt = output.body?.attempt ?? 1;
      return `picked ${output.body?.num_of_winners} of ${output.body?.pool?.size} eligible${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
    }
    case STATES.validate:
      return output.status === 1 ? 'a pick was just taken by another draw' : `claimed ${output.body?.num_of_winners}`;
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
  private readonly running: Step[] = [];

  constructor(private readonly output: Output) {}

  private line(step: Step, symbol: string, note: string, timed = true) {
    const style = this.output.err;
    const indent = '  '.repeat(step.depth + 1);
    const name = step.name.padEnd(Math.max(0, 34 - 2 * step.depth));
    const time = timed ? formatDuration(durationMs(step)).padStart(8) : '';
    this.output.info(`${indent}${symbol} ${name}${style.dim(time)}${note ? `  ${note}` : ''}`.trimEnd());
  }

  private async animate() {
    this.spinner?.stop();
    this.spinner = undefined;
    const current = this.running.at(-1);
    if (current && this.output.animated) this.spinner = await this.output.spinner(current.name);
  }

  async update(update: ProgressUpdate): Promise<void> {
    const style = this.output.err;
    this.spinner?.stop();
    this.spinner = undefined;
    switch (update.kind) {
      case 'entered':
        if (update.step.type === 'Parallel') this.line(update.step, style.cyan('▸'), '', false);
        this.running.push(update.step);
        break;
      case 'retrying':
        this.line(update.step, style.yellow('↻'), style.yellow(`${update.error.error}: ${describeCause(update.error.cause)} — retrying (attempt ${update.step.attempts})`));
        break;
      case 'exited': {
        this.running.splice(this.running.indexOf(update.step), 1);
        const note = stepNote(update.step);
        if (update.step.outcome === 'caught') this.line(update.step, style.red('✖'), style.red(note));
        else this.line(update.step, style.green('✔'), style.dim(note));
        break;
      }
      case 'failed': {
        this.running.splice(this.running.indexOf(update.step), 1);
        // A Fail state only ends the draw; the error it carries is printed once, below the steps.
        const error = update.step.type === 'Fail' ? undefined : update.step.error;
        this.line(update.step, style.red('✖'), error ? style.red(`${error.error}: ${describeCause(error.cause)}`) : '');
        break;
      }
      case 'ended':
        this.running.length = 0;
        return;
    }
    await this.animate();
  }

  close(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }
}
