import type { RevealProgress } from '../aws/draws-table';

// `draw --stage` tells the room's screen (`lottery show`, which only reads the backend) how far
// it has revealed a draw, by writing one small item to the backend. The show on the terminal
// must never wait for that write nor fail with it: writes go one at a time in the background,
// only the latest progress is written when several pile up, and a failure is kept to be said
// once the show has left the screen.

export type RevealWrite = (progress: RevealProgress) => Promise<void>;

export class RevealRecorder {
  private pending: RevealProgress | undefined;
  private writing: Promise<void> | undefined;
  private failure: string | undefined;

  constructor(private readonly write: RevealWrite) {}

  /** Records the progress in the background; returns at once. */
  record(revealed: number, done: boolean): void {
    this.pending = { revealed, done, updated_at: new Date().toISOString() };
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let next = this.pending; next; next = this.pending) {
      this.pending = undefined;
      try {
        await this.write(next);
      } catch (error) {
        this.failure ??= error instanceof Error ? error.message : String(error);
      }
    }
    this.writing = undefined;
  }

  /**
   * Waits for the last write, at most `timeoutMs`; then says why a write failed, if one did.
   */
  async settle(timeoutMs: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.writing,
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.failure;
  }
}
