import { randomInt } from 'node:crypto';
import type { ChalkInstance } from 'chalk';
import type { DrawResult, WinnerDetail } from '../core/draw';
import type { ProgressUpdate } from '../core/progress';
import type { CommandContext } from './context';
import { renderStage, type StageFrame } from './render/stage';
import type { StageSettings } from './stage-settings';
import type { Session } from './session';
import { sampleNames } from './pool';
import { RevealRecorder } from './reveal-recorder';
import { putRevealProgress } from '../aws/draws-table';

// `lottery draw --stage`: the draw as a show for a room, on the alternate screen of the terminal
// (stderr, like every other progress display, so that stdout keeps the results). Names from the
// pool roll while the state machine runs; then the winners the state machine returned are
// revealed one at a time. The show decides nothing: it only presents the execution's output.

const ENTER_SCREEN = '\u001b[?1049h\u001b[?25l';
const LEAVE_SCREEN = '\u001b[?25h\u001b[?1049l';
const HOME = '\u001b[H';
const CLEAR_TO_END_OF_LINE = '\u001b[K';
const CLEAR_BELOW = '\u001b[J';

const ROLL_INTERVAL_MS = 80;
/** A short roll before each winner after the first. */
const NEXT_ROLL_MS = 1000;
/** How long the end of a show may wait for the room's screen to be told. */
const REVEAL_SETTLE_MS = 2000;
/** With --auto, how long each winner stays before the next (and the last before the show ends). */
const AUTO_PAUSE_MS = 2500;

type ScreenStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
type KeyStream = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
};

type Key = 'next' | 'leave' | 'forfeit' | 'yes' | 'no';

/**
 * The `x` key's work, given by the draw command: forfeit the winner being revealed ("not
 * present"), draw the replacement and follow it on this show; its result.
 */
export type ForfeitOnStage = (
  winner: WinnerDetail,
  draw: DrawResult,
  show: StageShow,
) => Promise<DrawResult>;

export interface ShowSettings extends StageSettings {
  prize: string | null;
  forfeit?: ForfeitOnStage;
}

export class StageShow {
  private readonly frame: StageFrame;
  private names: string[] = [];
  private rollTimer: NodeJS.Timeout | undefined;
  private left = false;
  private drawing = false;
  private redraw = false;
  private waiting: ((key: Key) => void) | undefined;
  private paused: (() => void) | undefined;
  private readonly startedAt = Date.now();
  private readonly ctrlC = new AbortController();
  private readonly auto: boolean;
  /** A forfeit is being confirmed: the next key answers it. */
  private confirming = false;

  constructor(
    private readonly screen: ScreenStream,
    private readonly keys: KeyStream,
    private readonly style: ChalkInstance,
    private readonly settings: ShowSettings,
    /** Tells the room's screen (`lottery show`) how far the show has gone. */
    private readonly recorder?: RevealRecorder,
  ) {
    this.frame = {
      columns: 0,
      rows: 0,
      prize: settings.prize,
      rolling: '',
      winners: [],
      shown: 0,
      forfeited: [],
      status: 'drawing… · q: leave the show',
    };
    // Without keys to press, nobody could ask for the next winner.
    this.auto = settings.auto || !keys.isTTY;
  }

  /** Aborted by Ctrl-C on the show (the terminal sends it as a key there, not as a signal). */
  get interrupted(): AbortSignal {
    return this.ctrlC.signal;
  }

  enter(names: Promise<string[]>, signal: AbortSignal): void {
    this.screen.write(ENTER_SCREEN);
    // Said first, so that the room's screen waits for the host instead of revealing by itself.
    this.recorder?.record(0, false);
    process.once('exit', this.restore);
    signal.addEventListener('abort', this.leave, { once: true });
    this.screen.on('resize', this.render);
    if (this.keys.isTTY) {
      this.keys.setRawMode?.(true);
      this.keys.on('data', this.onKey);
      this.keys.resume();
    }
    // The names are decoration: if they cannot be read, dots roll instead.
    names.then(
      (found) => (this.names = found),
      () => undefined,
    );
    this.roll();
  }

  private readonly restore = () => {
    this.screen.write(LEAVE_SCREEN);
  };

  private readonly onKey = (data: Buffer | string) => {
    const key = data.toString();
    if (key === '\u0003') {
      this.leave();
      this.ctrlC.abort();
    } else if (key === 'q' || key === 'Q' || key === '\u001b') {
      this.leave();
    } else if (this.confirming) {
      this.waiting?.(key === 'y' || key === 'Y' ? 'yes' : 'no');
    } else if (key === '\r' || key === '\n' || key === ' ') {
      this.waiting?.('next');
    } else if ((key === 'x' || key === 'X') && this.settings.forfeit) {
      this.waiting?.('forfeit');
    }
  };

  /** Back to the normal screen, as it was; safe to call more than once. */
  readonly leave = () => {
    if (this.left) return;
    this.left = true;
    clearInterval(this.rollTimer);
    this.screen.off('resize', this.render);
    if (this.keys.isTTY) {
      this.keys.off('data', this.onKey);
      this.keys.setRawMode?.(false);
      this.keys.pause();
    }
    process.off('exit', this.restore);
    this.restore();
    this.recorder?.record(this.frame.shown, true);
    this.waiting?.('leave');
    this.paused?.();
  };

  private roll() {
    clearInterval(this.rollTimer);
    const next = () => {
      const name = this.names.length > 0 ? this.names[randomInt(this.names.length)] : undefined;
      this.frame.rolling = name ?? '· · ·';
      this.render();
    };
    next();
    this.rollTimer = setInterval(next, ROLL_INTERVAL_MS);
  }

  private readonly render = () => {
    if (this.left) return;
    if (this.drawing) {
      this.redraw = true;
      return;
    }
    this.drawing = true;
    // One column spare: writing the last column makes some terminals wrap.
    const columns = Math.max(1, (this.screen.columns ?? 0) - 1);
    void renderStage({ ...this.frame, columns, rows: this.screen.rows ?? 0 }, this.style)
      .then((lines) => {
        if (!this.left)
          this.screen.write(
            HOME + lines.map((line) => line + CLEAR_TO_END_OF_LINE).join('\r\n') + CLEAR_BELOW,
          );
      })
      .finally(() => {
        this.drawing = false;
        if (this.redraw) {
          this.redraw = false;
          this.render();
        }
      });
  };

  /** The draw view's updates: the running state is shown while names roll. */
  async update(update: ProgressUpdate): Promise<void> {
    if (update.kind === 'entered') this.frame.status = `${update.step.name}… · q: leave the show`;
    else if (update.kind === 'ended') this.frame.status = 'drawing… · q: leave the show';
  }

  close(): void {}

  /**
   * Once the show has left the screen: waits a moment for the room's screen to be told the end,
   * and says if it could not be told.
   */
  async settle(): Promise<string | undefined> {
    return this.recorder?.settle(REVEAL_SETTLE_MS);
  }

  /** A key, or after `ms` with --auto; 'leave' as soon as the show is left. */
  private next(ms: number): Promise<Key> {
    if (this.left) return Promise.resolve('leave');
    return new Promise((resolve) => {
      const timer = this.auto ? setTimeout(() => done('next'), ms) : undefined;
      const done = (key: Key) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(key);
      };
      this.waiting = done;
    });
  }

  /** Waits for a key without a time limit: the answer to a question on the show. */
  private ask(): Promise<Key> {
    if (this.left) return Promise.resolve('leave');
    this.confirming = true;
    return new Promise((resolve) => {
      this.waiting = (key) => {
        this.confirming = false;
        this.waiting = undefined;
        resolve(key);
      };
    });
  }

  /** Waits `ms` (keys do not cut the suspense short) unless the show is left first. */
  private pause(ms: number): Promise<void> {
    if (this.left || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.paused = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.paused = done;
    });
  }

  private helpLine(last: boolean): string {
    const forfeit = this.settings.forfeit ? ' · x: not present' : '';
    if (this.auto)
      return last
        ? `the show ends in a moment${forfeit} · q: leave now`
        : `next winner in a moment${forfeit} · q: leave the show`;
    return last
      ? `Enter, Space or q: leave the show${forfeit}`
      : `Enter or Space: next winner${forfeit} · q: leave the show`;
  }

  /** Shows the winner in place `index`, no longer rolling. */
  private showWinner(index: number, last: boolean): void {
    clearInterval(this.rollTimer);
    this.frame.rolling = undefined;
    this.frame.shown = index + 1;
    this.recorder?.record(this.frame.shown, false);
    this.frame.status = this.helpLine(last);
    this.render();
  }

  /**
   * The winner in place `index` forfeits, after a confirmation: their replacement is drawn while
   * names roll, and takes their place. The replacement, or undefined when it was not confirmed or
   * could not be drawn (the status line says why).
   */
  private async forfeitAt(
    index: number,
    from: DrawResult,
    forfeit: ForfeitOnStage,
  ): Promise<DrawResult | undefined | 'leave'> {
    const winner = this.frame.winners[index] as WinnerDetail;
    this.frame.status = `${winner.employee_name} is not present? y: forfeit and draw a replacement · any other key: no`;
    this.render();
    const answer = await this.ask();
    if (answer === 'leave') return 'leave';
    if (answer !== 'yes') return undefined;
    this.frame.forfeited = [...this.frame.forfeited, winner.employee_name];
    this.frame.status = `drawing a replacement for ${winner.employee_name}… · q: leave the show`;
    this.roll();
    const started = Date.now();
    try {
      const replacement = await forfeit(winner, from, this);
      await this.pause(Math.min(NEXT_ROLL_MS, this.settings.suspenseMs) - (Date.now() - started));
      this.frame.winners = this.frame.winners.map((each, at) =>
        at === index ? (replacement.winners[0] ?? each) : each,
      );
      return replacement;
    } catch (error) {
      clearInterval(this.rollTimer);
      this.frame.rolling = undefined;
      this.frame.status = `no replacement: ${(error as Error).message} · q: leave the show`;
      this.render();
      return undefined;
    }
  }

  /**
   * Reveals the state machine's winners, one at a time, once the suspense has lasted long enough;
   * with `x`, a winner who is not present is replaced there and then. Returns the replacements.
   */
  async reveal(result: DrawResult): Promise<DrawResult[]> {
    this.frame.winners = result.winners;
    this.frame.prize = result.prize ?? this.frame.prize;
    const replacements: DrawResult[] = [];
    await this.pause(this.settings.suspenseMs - (Date.now() - this.startedAt));
    const total = result.winners.length;
    for (let index = 0; index < total && !this.left; index++) {
      if (index > 0) {
        this.frame.status = 'drawing… · q: leave the show';
        this.roll();
        await this.pause(Math.min(NEXT_ROLL_MS, this.settings.suspenseMs));
        if (this.left) return replacements;
      }
      // The draw the winner in this place came from: a replacement's winner can forfeit too.
      let from = result;
      for (;;) {
        this.showWinner(index, index === total - 1);
        const key = await this.next(AUTO_PAUSE_MS);
        if (key === 'leave') return replacements;
        if (key !== 'forfeit' || !this.settings.forfeit) break;
        const replaced = await this.forfeitAt(index, from, this.settings.forfeit);
        if (replaced === 'leave') return replacements;
        if (replaced) {
          replacements.push(replaced);
          from = replaced;
        }
      }
    }
    return replacements;
  }
}

/**
 * Starts the show for a draw that has started, or says why it cannot (no terminal) and returns
 * undefined: the draw then shows as usual.
 */
export function startStage(
  context: CommandContext,
  session: Session,
  draw: { id: string; prize: string | null },
  settings: StageSettings & { forfeit?: ForfeitOnStage },
): StageShow | undefined {
  const { output } = context;
  const { stderr, stdin, env } = output.streams;
  if (!stderr.isTTY || env.TERM === 'dumb') {
    output.warn('--stage needs a terminal (standard error is not one): showing the draw as usual');
    return undefined;
  }
  const recorder = new RevealRecorder((progress) =>
    putRevealProgress(session.clients.doc, session.config.drawsTable, draw.id, progress),
  );
  const show = new StageShow(
    stderr as ScreenStream,
    stdin as KeyStream,
    output.err,
    { ...settings, prize: draw.prize },
    recorder,
  );
  show.enter(sampleNames(session), context.signal);
  return show;
}
