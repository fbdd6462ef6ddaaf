import { afterAll, beforeAll } from 'vitest';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../src/core/names';
import { serveLocalBackend } from '../../src/local/backend';
import { parseFaults } from '../../src/local/faults';
import { tempHome } from './cli';

export const TABLES = { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE };

export interface InProcessServer {
  url: string;
  /** The process that serves: this one. */
  pid: number;
  /** The credentials it answers to, for clients of the test's own. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop: () => Promise<void>;
}

/**
 * What `lottery local serve` does, in this process: holds `home` and serves it, so that every
 * command run on it (runMain, or bin/lottery) goes through this server, as it would through a
 * `local serve` in another terminal. `faults` is what LOTTERY_FAULTS would give the server.
 */
export async function serveInProcess(home: string, faults?: object): Promise<InProcessServer> {
  const backend = await serveLocalBackend(
    home,
    TABLES,
    undefined,
    parseFaults(faults ? JSON.stringify(faults) : undefined),
  );
  return {
    url: backend.url,
    pid: process.pid,
    credentials: backend.credentials,
    stop: () => backend.close(),
  };
}

/**
 * One data directory for the whole file, served in this process from beforeAll to afterAll: the
 * file's commands share it and its backend, and each finds the backend already running.
 */
export function servedHome(): { home: () => string; url: () => string } {
  let home = '';
  let cleanup = () => {};
  let server: InProcessServer | undefined;
  beforeAll(async () => {
    ({ home, cleanup } = tempHome());
    server = await serveInProcess(home);
  });
  afterAll(async () => {
    await server?.stop();
    cleanup();
  });
  return { home: () => home, url: () => server?.url ?? '' };
}
