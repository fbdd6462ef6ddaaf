import { eventKind, inProgress, type StackEvent } from '../../ops/stack';
import type { Output, Spinner } from '../output';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Text from AWS on one line, with no control character reaching the terminal. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').trim();
}

function formatDuration(ms: number): string {
  return ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Shows a stack operation's events as they come: a line per resource that finishes, fails or is
 * kept, and on a terminal an animated line naming the resources in progress. Without a terminal
 * every event gets its line, the starts included, as a log would have it.
 */
export class StackView {
  private spinner: Spinner | undefined;
  private readonly events: StackEvent[] = [];
  private readonly started = new Map<string, Date>();

  constructor(
    private readonly output: Output,
    /** What the spinner says is happening: "Creating stack lottery". */
    private readonly doing: string,
  ) {}

  async start(): Promise<void> {
    if (this.output.animated) this.spinner = await this.output.spinner(`${this.doing}…`);
  }

  private line(event: StackEvent) {
    const style = this.output.err;
    const kind = eventKind(event);
    const begun = this.started.get(event.logicalId);
    const took =
      kind !== 'started' && begun
        ? formatDuration(Math.max(0, event.timestamp.getTime() - begun.getTime()))
        : '';
    const mark = {
      started: style.dim('…'),
      done: style.green('✔'),
      failed: style.red('✖'),
      kept: style.cyan('•'),
      rollback: style.yellow('↺'),
    }[kind];
    const status = {
      started: style.dim,
      done: style.green,
      failed: style.red,
      kept: style.cyan,
      rollback: style.yellow,
    }[kind](event.status.padEnd(22));
    const reason = event.reason ? oneLine(event.reason) : '';
    const note =
      kind === 'failed' || kind === 'rollback'
        ? style[kind === 'failed' ? 'red' : 'yellow'](reason)
        : style.dim(reason || event.resourceType);
    this.output.info(
      `  ${mark} ${oneLine(event.logicalId).padEnd(34)} ${status} ${style.dim(took.padStart(8))}  ${note}`.trimEnd(),
    );
  }

  async update(events: readonly StackEvent[]): Promise<void> {
    this.spinner?.stop();
    this.spinner = undefined;
    for (const event of events) {
      this.events.push(event);
      const kind = eventKind(event);
      if (
        kind === 'started' &&
        event.resourceType !== 'AWS::CloudFormation::Stack' &&
        !this.started.has(event.logicalId)
      )
        this.started.set(event.logicalId, event.timestamp);
      // On a terminal the starts are in the animated line; in a log each is a line.
      if (kind !== 'started' || !this.output.animated) this.line(event);
      if (kind !== 'started') this.started.delete(event.logicalId);
    }
    if (this.output.animated) {
      const running = inProgress(this.events);
      const names =
        running.length > 3
          ? `${running.slice(0, 3).join(', ')} and ${running.length - 3} more`
          : running.join(', ');
      this.spinner = await this.output.spinner(
        running.length > 0 ? `${this.doing}: ${names}` : `${this.doing}…`,
      );
    }
  }

  close(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }
}
