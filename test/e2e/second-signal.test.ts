import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';
import { faults } from '../helpers/scenarios';

// A second Ctrl-C (or TERM) ends the process at once, whatever it is doing. A read that never
// returns (a file on a network file system gone away) holds one of libuv's threads, and Node's
// process.exit() waits for every such thread: the second signal used to print its note and then
// hang for good. The process is now ended by the signal itself, as a shell reports it: 130 for
// Ctrl-C, 143 for TERM.

let home: string;
let cleanup: () => void;
let fifo: string;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  fifo = join(home, 'never-written');
  execFileSync('mkfifo', [fifo]);
  expect((await runMain(['seed'], { home })).code).toBe(0);
});
afterAll(() => cleanup());

const slowRecord = faults({ tasks: [{ state: 'Record Winner Queue', delayMs: 5000 }] });

it.each(['SIGINT', 'SIGTERM'] as const)(
  'a second %s during a draw, with a read stuck, ends the process at once',
  async (signal) => {
    const child = spawn(
      process.execPath,
      ['--import', join(import.meta.dirname, 'fixtures', 'stuck-read.mjs'), BIN, 'draw', '-n', '1'],
      {
        cwd: ROOT,
        env: { ...process.env, LOTTERY_HOME: home, STUCK_FIFO: fifo, ...slowRecord },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    let stage = 0;
    const signalled: number[] = [];
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stage === 0 && stderr.includes('Validate Winners')) {
        stage = 1;
        child.kill(signal);
      } else if (stage === 1 && stderr.includes('stopping: draw')) {
        stage = 2;
        signalled.push(Date.now());
        child.kill(signal);
      }
    });
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('close', (code, by) => {
          clearTimeout(timer);
          resolve({ code, signal: by });
        });
      },
    );
    expect(stage, stderr).toBe(2);
    expect(stderr).toContain('stopped at once, in the middle of draw');
    expect(Date.now() - (signalled[0] as number)).toBeLessThan(5000);
    expect(ended, stderr).toEqual({ code: null, signal });
  },
);
