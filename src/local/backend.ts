import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { LotteryError } from '../core/errors';
import { acquireLock, readLockOwner, type LockOwner } from './lock';
import { canonicalHome, homePaths, type HomePaths } from './paths';
import { HEALTH_PATH, startLocalServer } from './server';
import type { TableNames } from './tables';
import type { FaultPlan } from './faults';

export interface LocalBackend {
  url: string;
  /** The data directory as the file system names it, however it was spelled. */
  home: string;
  /** True when a `lottery local serve` process answers for this data directory. */
  shared: boolean;
  close(): Promise<void>;
}

interface ServerFile {
  url: string;
  pid: number;
  home: string;
}

async function answeringServer(paths: HomePaths): Promise<ServerFile | undefined> {
  let file: ServerFile;
  try {
    file = JSON.parse(readFileSync(paths.server, 'utf8')) as ServerFile;
  } catch {
    return undefined;
  }
  try {
    const response = await fetch(file.url + HEALTH_PATH, { signal: AbortSignal.timeout(1000) });
    const health = (await response.json()) as { home?: string };
    if (health.home === paths.home) return file;
  } catch {
    // Not answering: the server is gone or is not ours.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busyError(home: string, owner: LockOwner | undefined, hint: string): LotteryError {
  const who = owner ? ` (pid ${owner.pid}, \`lottery ${owner.command}\`, since ${owner.started_at})` : '';
  return new LotteryError('environment', `the data directory ${home} is in use by another lottery process${who}`, hint);
}

/**
 * When another process holds the data directory: its server if it is a `local serve` (one that
 * has just started may not answer yet), else who it is. The holder writes its name just after
 * taking the lock, so a missing name, or one of a process that is gone, is waited for too.
 */
async function holderOf(paths: HomePaths): Promise<{ server?: ServerFile; owner?: LockOwner }> {
  let owner: LockOwner | undefined;
  for (let wait = 0; wait < 30; wait++) {
    const server = await answeringServer(paths);
    if (server) return { server };
    owner = readLockOwner(paths.lock);
    if (owner && !owner.server && isAlive(owner.pid)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { owner };
}

/**
 * The embedded backend for one command: the `lottery local serve` process of this data directory
 * if one answers, else a server started in this process that holds the directory until closed.
 */
export async function openLocalBackend(home: string, tables: TableNames, command: string, faults?: FaultPlan): Promise<LocalBackend> {
  const paths = homePaths(canonicalHome(home));
  const useServer = (server: ServerFile): LocalBackend => ({ url: server.url, home: paths.home, shared: true, close: async () => {} });
  const running = await answeringServer(paths);
  if (running) return useServer(running);
  const lock = await acquireLock(paths, { command, server: false });
  if (!lock.acquired) {
    const holder = await holderOf(paths);
    if (holder.server) return useServer(holder.server);
    throw busyError(paths.home, holder.owner, 'wait for it to finish, or run `lottery local serve` in another terminal so that commands can share the data directory');
  }
  try {
    const server = await startLocalServer({ home: paths.home, tables, faults });
    return {
      url: server.url,
      home: paths.home,
      shared: false,
      close: async () => {
        await server.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** `lottery local serve`: holds the data directory and tells other commands where to find it. */
export async function serveLocalBackend(home: string, tables: TableNames, port?: number, faults?: FaultPlan): Promise<LocalBackend> {
  const paths = homePaths(canonicalHome(home));
  const lock = await acquireLock(paths, { command: 'local serve', server: true });
  if (!lock.acquired) {
    const holder = await holderOf(paths);
    if (holder.server) {
      throw new LotteryError(
        'environment',
        `lottery local serve already serves ${paths.home} at ${holder.server.url} (pid ${holder.server.pid})`,
        `other commands on this data directory use it already; to start another, stop that one first (Ctrl-C in its terminal, or \`kill ${holder.server.pid}\`)`,
      );
    }
    throw busyError(paths.home, holder.owner, 'wait for it to finish, then start `lottery local serve` again');
  }
  try {
    const server = await startLocalServer({ home: paths.home, tables, port, faults });
    const file: ServerFile = { url: server.url, pid: process.pid, home: paths.home };
    writeFileSync(paths.server, JSON.stringify(file));
    return {
      url: server.url,
      home: paths.home,
      shared: true,
      close: async () => {
        rmSync(paths.server, { force: true });
        await server.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LotteryError('environment', `port ${port} is already in use`, 'choose another with --port, or leave it out to use a free one');
    }
    throw error;
  }
}
