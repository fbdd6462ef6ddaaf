/**
 * An error meant for the person at the keyboard: a message that says what is wrong, and a hint
 * that says how to fix it. The CLI prints it without a stack trace and picks the exit code from
 * its kind.
 */
export type ErrorKind =
  /** Bad flags or bad input files. */
  | 'usage'
  /** The machine or account is not set up: no credentials, no stack, data directory in use. */
  | 'environment'
  /** A service answered with an error. */
  | 'service'
  /** The operation ran and its outcome is negative: a failed draw, a draw that does not verify. */
  | 'failed'
  /** The user stopped it. */
  | 'interrupted';

export class LotteryError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    /** Lines printed after the message, such as the list of problems in an input file. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'LotteryError';
  }
}
