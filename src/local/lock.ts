import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { LotteryError } from '../core/errors';
import { cannotWrite, PRIVATE_DIRECTORY, PRIVATE_FILE, readDataFile, WRITE_HINT } from './paths';

export interface LockOwner {
  pid: number;
  command: string;
  server: boolean;
  started_at: string;
}

export type LockResult =
  | { acquired: true; release: () => Promise<void> }
  | { acquired: false; owner: LockOwner | undefined };

export interface LockPaths {
  /** Who holds the data directory: written by the holder, for the others' messages. */
  lock: string;
  /** A LevelDB store opened only for the lock that LevelDB takes on it. */
  lockStore: string;
}

export function readLockOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readDataFile(path)) as LockOwner;
  } catch {
    return undefined;
  }
}

function levelCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Written whole, then renamed into place: nobody reads half of it, and a failed write leaves
 * nothing.
 */
function writeOwner(path: string, owner: LockOwner): void {
  const draft = `${path}.${process.pid}`;
  try {
    writeFileSync(draft, JSON.stringify(owner), PRIVATE_FILE);
    renameSync(draft, path);
  } catch (error) {
    rmSync(draft, { force: true });
    throw cannotWrite(path, error);
  }
}

/**
 * Takes the data directory for this process. LevelDB allows one process per store and crashes the
 * second one's first request, so we check first and say who holds it. The lock itself is the one
 * the operating system keeps for LevelDB on a store of our own: taking it is atomic, and it is
 * released when its process ends, however it ends, so a dead process's lock needs no takeover
 * (deciding "dead" and then replacing a lock file let several commands take it at once).
 */
export async function acquireLock(
  paths: LockPaths,
  owner: Omit<LockOwner, 'pid' | 'started_at'>,
): Promise<LockResult> {
  mkdirSync(paths.lockStore, PRIVATE_DIRECTORY);
  const store = new ClassicLevel(paths.lockStore);
  try {
    await store.open();
  } catch (error) {
    if (levelCode(error) === 'LEVEL_LOCKED')
      return { acquired: false, owner: readLockOwner(paths.lock) };
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    throw new LotteryError(
      'environment',
      `cannot open the lock of the data directory, ${paths.lockStore}: ${cause.message}`,
      { hint: WRITE_HINT, cause: error },
    );
  }
  try {
    writeOwner(paths.lock, { pid: process.pid, started_at: new Date().toISOString(), ...owner });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    acquired: true,
    release: async () => {
      rmSync(paths.lock, { force: true });
      await store.close();
    },
  };
}
