import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, ROOT, tempHome } from '../helpers/cli';

// SIGTERM (what `timeout` and service managers send) and Ctrl-C while `seed` checks a large file:
// the command stops there, says nothing was written, and exits 130. Before, the check ran to the
// end of the file (minutes for a few million bad lines) whatever the signal.

let home: string;
let cleanup: () => void;
let file: string;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  file = join(home, 'short.csv');
  // Two million lines, each one field short of the header: slow enough to check that the signal
  // always comes while the check runs.
  const out = createWriteStream(file);
  out.write('employee_id,employee_name,email\n');
  for (let block = 0; block < 200; block++) {
    let text = '';
    for (let i = 0; i < 10_000; i++) text += `E${block}-${i},Name ${i}\n`;
    out.write(text);
  }
  await new Promise((resolve) => out.end(resolve));
});
afterAll(() => cleanup());

/** Whether process `pid` has `path` open: it is reading the file. */
const reading = (pid: number, path: string) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
};

it.each(['SIGTERM', 'SIGINT'] as const)(
  '%s while seed checks a file: stops, nothing written, exit 130',
  async (signal) => {
    const child = spawn(process.execPath, [BIN, 'seed', '--file', file], {
      cwd: ROOT,
      env: { ...process.env, LOTTERY_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const pid = child.pid as number;
    while (!reading(pid, file)) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    expect(stderr).toContain('error: interrupted while checking');
    expect(stderr).toContain('nothing was written');
    expect(code).toBe(130);
  },
);
