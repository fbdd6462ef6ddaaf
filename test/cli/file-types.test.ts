import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// Every file we read is checked before it is read: a FIFO would block the read for good (and, on
// Node, the exit too), /dev/zero never ends, and a huge file is not what it says it is. Each case
// is refused at once, naming the file and what it is, with the usage exit code.

let home: string;
let cleanup: () => void;
let fifo: string;

beforeAll(() => {
  ({ home, cleanup } = tempHome());
  fifo = join(home, 'pipe');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => cleanup());

const large = (name: string, bytes: number) => {
  const path = join(home, name);
  writeFileSync(path, `[${' '.repeat(bytes)}]`);
  return path;
};

describe('a file that is not a regular file, or too large, is refused before it is read', () => {
  it.each([
    ['seed --file, a FIFO', () => ['seed', '--file', fifo], /pipe: it is a FIFO \(a named pipe\)/],
    ['seed --file /dev/zero', () => ['seed', '--file', '/dev/zero'], /it is a character device/],
    ['seed --file, a directory', () => ['seed', '--file', home], /it is a directory/],
    ['prizes load, a FIFO', () => ['prizes', 'load', fifo], /it is a FIFO/],
    ['prizes load /dev/zero', () => ['prizes', 'load', '/dev/zero'], /it is a character device/],
    [
      'prizes load, a file of 2 MB',
      () => ['prizes', 'load', large('prizes.json', 2_000_000)],
      /prizes\.json: it is 2 MB, more than the 1 MB a prize plan file may hold/,
    ],
    [
      'draw --beacon-round, a FIFO',
      () => ['draw', '-n', '1', '--beacon-round', fifo],
      /cannot read .*pipe: it is a FIFO/,
    ],
  ])('%s', async (_name, args, message) => {
    const result = await runMain(args(), { home });
    expect(result.code, result.stderr).toBe(252);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a FIFO', () => fifo, /it is a FIFO/],
    ['/dev/zero', () => '/dev/zero', /it is a character device/],
    ['a file of 2 MB', () => large('config.json', 2_000_000), /more than the 1 MB a config file/],
  ])('LOTTERY_CONFIG naming %s', async (_name, path, message) => {
    const result = await runMain(['config', 'show'], { home, env: { LOTTERY_CONFIG: path() } });
    expect(result.code, result.stderr).toBe(252);
    expect(result.stderr).toMatch(message);
  });
});
