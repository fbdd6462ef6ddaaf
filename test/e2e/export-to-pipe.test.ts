import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

// `winners export --out /dev/stdout` into a pipe failed: the path leads through /proc/self/fd/1
// to "pipe:[…]", which the export took for a file to replace. A pipe is written to, as a FIFO is;
// `--out -` says the same thing more briefly.

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runCli(['seed'], { home })).code).toBe(0);
  expect((await runCli(['draw', '-n', '2'], { home })).code).toBe(0);
});
afterAll(() => cleanup());

it.each(['/dev/stdout', '-'])(
  'winners export --out %s writes the CSV into the pipe',
  async (out) => {
    const result = await runCli(['winners', 'export', '--out', out], { home });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^employee_id,/);
    expect(lines).toHaveLength(3);
    expect(result.stderr).toContain('Wrote 2 winners to');
  },
);
