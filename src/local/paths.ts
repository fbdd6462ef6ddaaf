import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileProblem, LotteryError } from '../core/errors';
import envPaths from 'env-paths';
import { readRegularFileSync } from '../aws/regular-file';

/** The embedded backend's data directory: LOTTERY_HOME, else the user's data directory. */
export function defaultHome(): string {
  return envPaths('lottery', { suffix: '' }).data;
}

/** What to check when a file of the data directory cannot be written. */
export const WRITE_HINT =
  'check that the disk has space and that the data directory (LOTTERY_HOME) is writable';

/** What to do when the embedded backend's store (LevelDB) is damaged. */
export const DAMAGED_STORE_HINT =
  'it was changed by something other than lottery: restore the data directory (LOTTERY_HOME) from a copy, or move its dynamodb directory out of the way and seed again (the employees, winners and draws it held are then gone)';

export const cannotWrite = (path: string, error: unknown) =>
  new LotteryError(
    'environment',
    `cannot write ${path}: ${fileProblem(error)?.reason ?? (error as Error).message}`,
    { hint: WRITE_HINT, cause: error },
  );

/**
 * How every file and directory of the data directory is made: for its user only. It holds the
 * employees, the winners, the outbox and every draw's record, and the directory itself may be one
 * that others can enter (a LOTTERY_HOME that existed before, with its own mode).
 */
export const PRIVATE_FILE = { mode: 0o600 } as const;
export const PRIVATE_DIRECTORY = { recursive: true, mode: 0o700 } as const;

/**
 * Makes the data directory if need be (private to its user when new) and names it as the file
 * system does: a trailing slash, a relative path, a doubled slash or a symbolic link all name the
 * same directory, and commands compare it with what a running server says it serves.
 */
export function canonicalHome(home: string): string {
  mkdirSync(home, PRIVATE_DIRECTORY);
  return realpathSync(home);
}

/**
 * Refuses a data directory that cannot be written (a restored archive, a read-only disk), for
 * reading commands too: the embedded backend's store (LevelDB) takes a lock file and starts a new
 * log as it opens, so it cannot even be read there. A copy can.
 */
export function assertWritableHome(home: string): void {
  try {
    accessSync(home, constants.W_OK);
  } catch (error) {
    const problem = fileProblem(error);
    if (!problem || (error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new LotteryError(
      'environment',
      `the data directory ${home} is read-only (${problem.reason}): the embedded backend's store cannot be opened there, not even to read it`,
      {
        hint: `copy it somewhere writable and use the copy: cp -a ${home} <copy> && LOTTERY_HOME=<copy> lottery …; or make it writable again: chmod -R u+w ${home}`,
        cause: error,
      },
    );
  }
}

/**
 * Why the data directory is not private, with the fix; undefined when only its owner can reach
 * it. What lottery writes in it is private (PRIVATE_FILE), but files put there by other means (an
 * export, a copy) are not.
 */
export function homeExposure(home: string): string | undefined {
  const mode = statSync(home).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  const how = mode & 0o022 ? 'read and changed' : 'read';
  return `the data directory ${home} can be ${how} by other users (mode ${mode.toString(8)}): it holds the employees, the winners and every draw's record. Make it private: chmod 700 ${home}`;
}

export function homePaths(home: string) {
  return {
    home,
    dynamodb: join(home, 'dynamodb'),
    executions: join(home, 'executions'),
    outbox: join(home, 'outbox.jsonl'),
    stateMachine: join(home, 'state-machine.json'),
    lock: join(home, 'lock.json'),
    lockStore: join(home, 'lock'),
    server: join(home, 'server.json'),
    credentials: join(home, 'credentials.json'),
  };
}

export type HomePaths = ReturnType<typeof homePaths>;

/** The small JSON files the data directory holds: a lock's owner, a server's address, a note. */
export const DATA_FILE = { what: 'a file of the data directory', maxBytes: 1_000_000 };

/** A file of the data directory as text, read as every file we read is (aws/regular-file.ts). */
export const readDataFile = (path: string, rule = DATA_FILE) =>
  readRegularFileSync(path, rule).toString('utf8');
