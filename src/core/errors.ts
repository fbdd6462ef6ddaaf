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

export interface LotteryErrorOptions {
  /** How to fix it, in a line. */
  hint?: string;
  /** Lines printed after the message, such as the list of problems in an input file. */
  details?: readonly string[];
  /** The command has printed this failure as JSON already (a failed draw's own shape). */
  reported?: boolean;
  /** The error this one explains, as Error's own cause: `--debug` prints the chain. */
  cause?: unknown;
}

export class LotteryError extends Error {
  readonly hint?: string;
  readonly details: readonly string[];
  readonly reported: boolean;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: LotteryErrorOptions = {},
  ) {
    // As with Error, an error that explains no other has no `cause` at all.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LotteryError';
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.reported = options.reported ?? false;
  }
}

/** What a file system error means, in people's words; the codes Node gives its errors. */
const FILE_ERRORS: Record<string, { reason: string; hint: string }> = {
  ENOENT: { reason: 'no such file or directory', hint: 'check the path' },
  EACCES: {
    reason: 'permission denied',
    hint: 'check the permissions of the path and the directories above it',
  },
  EPERM: {
    reason: 'operation not permitted',
    hint: 'check the permissions of the path and the directories above it',
  },
  EROFS: { reason: 'the file system is read-only', hint: 'use a path on a writable disk' },
  ENOSPC: {
    reason: 'no space left on the device',
    hint: 'free some space on that disk, or use a path on another',
  },
  EDQUOT: {
    reason: 'the disk quota is used up',
    hint: 'free some space, or use a path on another disk',
  },
  ENOTDIR: { reason: 'a part of the path is a file, not a directory', hint: 'check the path' },
  EISDIR: { reason: 'it is a directory', hint: 'name a file' },
  EEXIST: { reason: 'something is in the way there', hint: 'check the path' },
  EMFILE: {
    reason: 'too many files are open',
    hint: 'close other programs, or raise the limit (ulimit -n)',
  },
  EFBIG: {
    reason: 'the file grew past the size the system allows',
    hint: 'free some space, or raise the limit (ulimit -f)',
  },
};

export interface FileProblem {
  /** The path the system call named, when it named one (a read of an open file names none). */
  path?: string;
  reason: string;
  hint: string;
}

/**
 * A file refused before it was read: not a regular file (a FIFO would block the read for good, a
 * device such as /dev/zero never ends), larger than any file of its kind, or slower to read than
 * any disk. `reason` says what it is, in people's words.
 */
export class FileRefused extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileRefused';
  }
}

/** A Node file system error, read for people by its code; undefined for any other error. */
export function fileProblem(error: unknown): FileProblem | undefined {
  if (error instanceof FileRefused)
    return { path: error.path, reason: error.reason, hint: error.hint };
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path } = error as { code?: unknown; path?: unknown };
  const known = typeof code === 'string' ? FILE_ERRORS[code] : undefined;
  return known && { ...known, ...(typeof path === 'string' ? { path } : {}) };
}
