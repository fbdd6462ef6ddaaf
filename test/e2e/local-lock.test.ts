import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome, type CliResult } from '../helpers/cli';

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

/**
 * A pid above Linux's largest (2^22): no process has it, so a lock naming it was left by a dead
 * one.
 */
const DEAD_PID = 2 ** 22 + 12345;
const staleLock = () =>
  writeFileSync(
    join(home, 'lock.json'),
    JSON.stringify({
      pid: DEAD_PID,
      command: 'draw',
      server: false,
      started_at: '2026-11-26T12:00:00.000Z',
    }),
  );

/** `lottery seed` slowed down by a fault: it holds the data directory for a few seconds. */
function slowSeed(): Promise<{ pid: number; finished: Promise<CliResult> }> {
  const faults = JSON.stringify({ dynamodb: [{ operation: 'BatchWriteItem', delayMs: 4000 }] });
  const child = spawn(process.execPath, [BIN, 'seed'], {
    cwd: ROOT,
    env: { ...process.env, LOTTERY_HOME: home, LOTTERY_FAULTS: faults },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const finished = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The target is announced once the data directory is held.
      if (stderr.includes('Target: local embedded backend'))
        resolve({ pid: child.pid ?? 0, finished });
    });
    void finished.then((result) =>
      reject(new Error(`seed ended before it held the data directory: ${result.stderr}`)),
    );
  });
}

describe('a data directory in use', () => {
  it('is refused with a message that says by whom and what to do', async () => {
    const holder = await slowSeed();
    const result = await runCli(['winners', 'list'], { home });
    expect(result.code).toBe(253);
    expect(result.stderr).toContain(
      `error: the data directory ${home} is in use by another lottery process (pid ${holder.pid}, \`lottery seed\``,
    );
    expect(result.stderr).toContain('run `lottery local serve`');
    expect((await holder.finished).code).toBe(0);
  });

  it('is free again when the process that held it is gone, whatever its lock file says', async () => {
    const holder = await slowSeed();
    process.kill(holder.pid, 'SIGKILL');
    await holder.finished;
    expect(existsSync(join(home, 'lock.json'))).toBe(true);
    const result = await runCli(['seed'], { home });
    expect(result.code).toBe(0);
    expect(existsSync(join(home, 'lock.json'))).toBe(false);
  });

  it('left by a dead process is taken by one of several commands at a time; the others are told it is in use', async () => {
    expect((await runCli(['seed'], { home })).code).toBe(0);
    // Before the takeover was atomic, about one round in six had two commands open the store and
    // one crash.
    for (let round = 0; round < 6; round++) {
      staleLock();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => runCli(['employees', 'count', '--json'], { home })),
      );
      for (const result of results) {
        expect(result.stderr).not.toMatch(/closed|bug in lottery|\n\s+at /);
        if (result.code === 0) {
          expect(JSON.parse(result.stdout)).toMatchObject({ total: 10 });
        } else {
          expect(result.code).toBe(253);
          expect(result.stderr).toContain(
            `error: the data directory ${home} is in use by another lottery process`,
          );
        }
      }
      expect(results.some((result) => result.code === 0)).toBe(true);
    }
  });

  it('cannot be taken on a full disk: a clear error, and no half-made files left behind', async () => {
    // `ulimit -f 0` makes every write fail (EFBIG) as a full disk does (ENOSPC).
    const onFullDisk = (args: string[]) =>
      new Promise<CliResult>((resolve) => {
        const child = spawn(
          '/bin/sh',
          ['-c', 'ulimit -f 0 && exec "$0" "$@"', process.execPath, BIN, ...args],
          {
            cwd: ROOT,
            env: { ...process.env, LOTTERY_HOME: home },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout: '', stderr }));
      });
    const leftovers = () =>
      readdirSync(home).filter((name) => /^(lock|credentials)\.json/.test(name));

    const first = await onFullDisk(['seed']);
    expect(first.code).toBe(253);
    expect(first.stderr).toContain(
      `error: cannot write ${join(home, 'credentials.json')}: the file grew past the size the system allows`,
    );
    expect(first.stderr).toContain('hint: check that the disk has space');
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(leftovers()).toEqual([]);

    expect((await runCli(['employees', 'count'], { home })).code).toBe(0);
    const later = await onFullDisk(['seed']);
    expect(later.code).toBe(253);
    expect(later.stderr).toContain(
      `error: cannot open the lock of the data directory, ${join(home, 'lock')}`,
    );
    expect(later.stderr).toContain('hint: check that the disk has space');
    expect(later.stderr).not.toMatch(/\n\s+at /);
    expect(leftovers()).toEqual(['credentials.json']);
  });
});
