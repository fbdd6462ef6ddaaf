import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { LotteryError } from '../core/errors';
import type { StaticCredentials } from '../aws/clients';
import { healthProof, proofMatches, signGet } from './auth';
import { localCredentials } from './credentials';
import { acquireLock, readLockOwner, type LockOwner, type LockResult } from './lock';
import {
  assertWritableHome,
  canonicalHome,
  homePaths,
  PRIVATE_FILE,
  readDataFile,
  type HomePaths,
} from './paths';
import { HEALTH_PATH } from './routes';
import { loadDynalite, startLocalServer } from './server';
import type { TableNames } from './tables';
import type { FaultPlan } from './faults';

export interface LocalBackend {
  url: string;
  /** The data directory as the file system names it, however it was spelled. */
  home: string;
  /** What requests to it are signed with. */
  credentials: StaticCredentials;
  /** True when other commands on this data directory reach it too (`lottery local serve`). */
  shared: boolean;
  /** True when it runs in this process. */
  hosted: boolean;
  close(): Promise<void>;
}

interface ServerFile {
  url: string;
  pid: number;
  home: string;
}

/**
 * The `lottery local serve` of this data directory, if it answers. Its address comes from a file
 * it left; whatever listens there now must prove that it holds the directory's secret before it is
 * sent anything but a signed question: it may be another user's process on a port ours once had.
 */
async function answeringServer(
  paths: HomePaths,
  credentials: StaticCredentials,
): Promise<ServerFile | undefined> {
  let file: ServerFile;
  try {
    file = JSON.parse(readDataFile(paths.server)) as ServerFile;
  } catch {
    return undefined;
  }
  try {
    const challenge = randomBytes(16).toString('hex');
    const url = new URL(HEALTH_PATH, file.url);
    url.searchParams.set('challenge', challenge);
    const response = await fetch(url, {
      headers: await signGet(credentials, url),
      signal: AbortSignal.timeout(1000),
    });
    const health = (await response.json()) as { home?: unknown; pid?: unknown; proof?: unknown };
    if (
      health.home === paths.home &&
      health.pid === file.pid &&
      proofMatches(healthProof(credentials, challenge, paths.home, file.pid), health.proof)
    )
      return file;
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
  const who = owner
    ? ` (pid ${owner.pid}, \`lottery ${owner.command}\`, since ${owner.started_at})`
    : '';
  return new LotteryError(
    'environment',
    `the data directory ${home} is in use by another lottery process${who}`,
    { hint },
  );
}

/**
 * When another process holds the data directory: its server if it is a `local serve` (one that
 * has just started may not answer yet), else who it is. The holder writes its name just after
 * taking the lock, so a missing name, or one of a process that is gone, is waited for too.
 */
async function holderOf(
  paths: HomePaths,
  credentials: StaticCredentials,
): Promise<{ server?: ServerFile; owner?: LockOwner }> {
  let owner: LockOwner | undefined;
  for (let wait = 0; wait < 30; wait++) {
    const server = await answeringServer(paths, credentials);
    if (server) return { server };
    owner = readLockOwner(paths.lock);
    if (owner && !owner.server && isAlive(owner.pid)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { owner };
}

/**
 * Starts the backend in this process, holding the data directory until closed. Shared, it also
 * tells other commands where to find it, as `lottery local serve` does.
 */
async function holdBackend(
  paths: HomePaths,
  credentials: StaticCredentials,
  lock: Extract<LockResult, { acquired: true }>,
  options: { tables: TableNames; share: boolean; port?: number; faults?: FaultPlan },
): Promise<LocalBackend> {
  try {
    const server = await startLocalServer({
      home: paths.home,
      tables: options.tables,
      port: options.port,
      faults: options.faults,
    });
    if (options.share) {
      const file: ServerFile = { url: server.url, pid: process.pid, home: paths.home };
      writeFileSync(paths.server, JSON.stringify(file), PRIVATE_FILE);
    }
    return {
      url: server.url,
      home: paths.home,
      credentials,
      shared: options.share,
      hosted: true,
      close: async () => {
        if (options.share) rmSync(paths.server, { force: true });
        await server.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * The embedded backend for one command: the `lottery local serve` process of this data directory
 * if one answers, else a server started in this process that holds the directory until closed
 * (`share`: and serves it to other commands meanwhile, as `lottery show` does).
 */
export async function openLocalBackend(
  home: string,
  tables: TableNames,
  command: string,
  faults?: FaultPlan,
  share = false,
): Promise<LocalBackend> {
  const paths = homePaths(canonicalHome(home));
  assertWritableHome(paths.home);
  const credentials = localCredentials(paths.credentials);
  const useServer = (server: ServerFile): LocalBackend => ({
    url: server.url,
    home: paths.home,
    credentials,
    shared: true,
    hosted: false,
    close: async () => {},
  });
  const running = await answeringServer(paths, credentials);
  if (running) return useServer(running);
  const [lock] = await Promise.all([
    acquireLock(paths, { command, server: share }),
    loadDynalite(),
  ]);
  if (!lock.acquired) {
    const holder = await holderOf(paths, credentials);
    if (holder.server) return useServer(holder.server);
    throw busyError(
      paths.home,
      holder.owner,
      'wait for it to finish, or run `lottery local serve` in another terminal so that commands can share the data directory',
    );
  }
  return holdBackend(paths, credentials, lock, { tables, share, faults });
}

/**
 * How an AWS SDK reaches this data directory's backend: its credentials, and its `local serve` if
 * one answers.
 */
export async function localEndpoint(
  home: string,
): Promise<{ home: string; credentials: StaticCredentials; server?: ServerFile }> {
  const paths = homePaths(canonicalHome(home));
  const credentials = localCredentials(paths.credentials);
  return { home: paths.home, credentials, server: await answeringServer(paths, credentials) };
}

/** `lottery local serve`: holds the data directory and tells other commands where to find it. */
export async function serveLocalBackend(
  home: string,
  tables: TableNames,
  port?: number,
  faults?: FaultPlan,
): Promise<LocalBackend> {
  const paths = homePaths(canonicalHome(home));
  assertWritableHome(paths.home);
  const credentials = localCredentials(paths.credentials);
  const lock = await acquireLock(paths, { command: 'local serve', server: true });
  if (!lock.acquired) {
    const holder = await holderOf(paths, credentials);
    if (holder.server) {
      throw new LotteryError(
        'environment',
        `lottery local serve already serves ${paths.home} at ${holder.server.url} (pid ${holder.server.pid})`,
        {
          hint: `other commands on this data directory use it already; to start another, stop that one first (Ctrl-C in its terminal, or \`kill ${holder.server.pid}\`)`,
        },
      );
    }
    throw busyError(
      paths.home,
      holder.owner,
      'wait for it to finish, then start `lottery local serve` again',
    );
  }
  try {
    return await holdBackend(paths, credentials, lock, { tables, share: true, port, faults });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LotteryError('environment', `port ${port} is already in use`, {
        hint: 'choose another with --port, or leave it out to use a free one',
        cause: error,
      });
    }
    throw error;
  }
}
