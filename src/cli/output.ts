import { Chalk, type ChalkInstance } from 'chalk';
import { printable, safeJson } from '../core/printable';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
}

export interface OutputOptions {
  /** --no-color */
  color?: boolean;
  quiet?: boolean;
}

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

/**
 * Colour and animation only on a terminal, never with NO_COLOR, TERM=dumb or --no-color (chalk
 * alone does not look at NO_COLOR). FORCE_COLOR turns colour on, as it does for other tools.
 */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Streams['env'],
  flag = true,
): boolean {
  if (!flag || (env.NO_COLOR ?? '') !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Results go to stdout, everything else (progress, messages, warnings) to stderr. */
export class Output {
  /**
   * Styles for what goes to stdout, and for what goes to stderr: each stream decides for itself.
   */
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;
  readonly quiet: boolean;
  /** Whether a person can answer a prompt. */
  readonly interactive: boolean;
  /** Whether stderr can show animation. */
  readonly animated: boolean;

  constructor(
    readonly streams: Streams,
    options: OutputOptions = {},
  ) {
    this.out = new Chalk({
      level: colorEnabled(streams.stdout, streams.env, options.color) ? 1 : 0,
    });
    this.err = new Chalk({
      level: colorEnabled(streams.stderr, streams.env, options.color) ? 1 : 0,
    });
    this.quiet = options.quiet ?? false;
    this.interactive = Boolean(streams.stdin.isTTY && streams.stderr.isTTY);
    // A pseudo-terminal can report 0 columns (`script` does): a spinner cannot be drawn in that.
    this.animated =
      Boolean(streams.stderr.isTTY) &&
      (streams.stderr.columns ?? 0) > 0 &&
      streams.env.TERM !== 'dumb' &&
      !this.quiet;
  }

  /**
   * Lines may carry our own colours; without colour, nothing may act on the terminal, so every
   * control character is spelled out. Messages get the same treatment always: they quote input.
   */
  private shown(text: string, style: ChalkInstance): string {
    return style.level === 0 ? printable(text, { keepNewlines: true }) : text;
  }

  /** The same output with messages left out: for work done under a full-screen show. */
  silent(): Output {
    const copy = Object.create(this) as Output;
    Object.defineProperty(copy, 'quiet', { value: true });
    return copy;
  }

  /** A result line on stdout. */
  result(text = ''): void {
    this.streams.stdout.write(`${this.shown(text, this.out)}\n`);
  }

  json(value: unknown): void {
    this.streams.stdout.write(`${safeJson(value, 2)}\n`);
  }

  /** A message on stderr, left out with --quiet. */
  info(text = ''): void {
    if (!this.quiet) this.streams.stderr.write(`${this.shown(text, this.err)}\n`);
  }

  warn(text: string): void {
    this.streams.stderr.write(
      `${this.err.yellow('warning:')} ${printable(text, { keepNewlines: true })}\n`,
    );
  }

  error(text: string): void {
    this.streams.stderr.write(
      `${this.err.red('error:')} ${printable(text, { keepNewlines: true })}\n`,
    );
  }

  /** An animated line on stderr while something runs; nothing at all without a terminal. */
  async spinner(text: string): Promise<Spinner> {
    if (!this.animated) return { update() {}, stop() {} };
    const { default: ora } = await import('ora');
    const spinner = ora({
      text,
      stream: this.streams.stderr as NodeJS.WriteStream,
      discardStdin: false,
      isEnabled: true,
      color: this.err.level > 0 ? 'cyan' : false,
    }).start();
    return {
      update: (next) => {
        spinner.text = next;
      },
      stop: () => {
        spinner.stop();
      },
    };
  }
}
