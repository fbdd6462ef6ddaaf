import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface LockOwner {
  pid: number;
  command: string;
  server: boolean;
  started_at: string;
}

export type LockResult = { acquired: true; release: () => void } | { acquired: false; owner: LockOwner };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data directory for this process. LevelDB allows one process per store and crashes the
 * second one's first request, so we check first and say who holds it. The lock file is written
 * whole, then hard-linked into place, so nobody ever reads a half-written one; a lock left by a
 * process that is gone is taken over.
 */
export function acquireLock(path: string, owner: Omit<LockOwner, 'pid' | 'started_at'>): LockResult {
  const mine: LockOwner = { pid: process.pid, started_at: new Date().toISOString(), ...owner };
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(draft, path);
        return { acquired: true, release: () => readOwner(path)?.pid === process.pid && rmSync(path, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readOwner(path);
        if (holder && isAlive(holder.pid)) return { acquired: false, owner: holder };
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not take the lock ${path}: it keeps changing hands`);
  } finally {
    rmSync(draft, { force: true });
  }
}
