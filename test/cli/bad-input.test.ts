import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// Run in this process (main() with streams of its own): the answers are the point, not the process.

let home: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  await runMain(['seed'], { home });
  await runMain(['draw', '--winners', '1'], { home });
});
afterAll(() => cleanup());

const winners = async () => (await runMain(['winners', 'list', '--json'], { home })).stdout;

describe('draw refuses bad winner counts and records nothing', () => {
  it.each([
    [
      ['--winners', '0'],
      252,
      "error: option '-n, --winners <count>' argument '0' is invalid. the number of winners must be between 1 and 500, got 0",
    ],
    [
      ['--winners', '-1'],
      252,
      "error: option '-n, --winners <count>' argument '-1' is invalid. the number of winners must be between 1 and 500, got -1",
    ],
    [
      ['--winners', 'abc'],
      252,
      'argument \'abc\' is invalid. the number of winners must be a whole number, got "abc"',
    ],
    [
      ['--winners', '2.5'],
      252,
      'argument \'2.5\' is invalid. the number of winners must be a whole number, got "2.5"',
    ],
    [
      ['--winners', '501'],
      252,
      "argument '501' is invalid. the number of winners must be between 1 and 500, got 501",
    ],
    [
      [],
      252,
      'error: say how many people to draw with --winners <count>, or follow a draw with --attach <id>',
    ],
    [
      ['--winners', '10'],
      1,
      'only 9 of 10 employees are eligible (1 already won); asked for 10 winners',
    ],
  ])('lottery draw %j exits %i', async (args, code, message) => {
    const before = await winners();
    const result = await runMain(['draw', ...args], { home });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await winners()).toBe(before);
  });
});

describe('reset', () => {
  it('refuses without a terminal and without --yes, and changes nothing', async () => {
    const before = await winners();
    const result = await runMain(['reset'], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(
      'error: refusing to remove 1 winner record without confirmation',
    );
    expect(result.stderr).toContain('pass --yes');
    expect(await winners()).toBe(before);
  });
});

describe('seed', () => {
  it('names the file, line and field of every problem and writes nothing', async () => {
    const file = join(home, 'staff.csv');
    writeFileSync(file, 'id,name,serial\n100,Ann,11\n101,,12\n102,Carl,abc\n100,Dup,13\n');
    const result = await runMain(['seed', '--file', file], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(`error: ${file} has 3 problems; nothing was written`);
    expect(result.stderr).toContain(`${file}:3: employee_name: is missing`);
    expect(result.stderr).toContain(`${file}:4: lottery_serial: "abc" is not a whole number`);
    expect(result.stderr).toContain(
      `${file}:5: employee_id: "100" appears again (first on line 2)`,
    );
    const count = await runMain(['seed', '--dry-run'], { home });
    expect(count.stdout).toContain('10 employees in the table');
  });

  it('says so when the file does not exist', async () => {
    const result = await runMain(['seed', '--file', 'nowhere.csv'], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain('error: cannot read nowhere.csv: no such file');
  });
});

describe('a draw name used again', () => {
  it('with the same request shows the first draw; with another, refuses and says how they differ', async () => {
    expect((await runMain(['draw', '-n', '1', '--name', 'party-1'], { home })).code).toBe(0);
    const same = await runMain(['draw', '-n', '1', '--name', 'party-1'], { home });
    expect(same.code).toBe(0);
    expect(same.stderr).toContain(
      'warning: draw party-1 was already started: showing it instead of drawing again',
    );
    const before = await winners();
    const other = await runMain(['draw', '-n', '2', '--name', 'party-1', '--prize', 'Car'], {
      home,
    });
    expect(other.code).toBe(252);
    expect(other.stderr).toContain(
      'error: draw party-1 was already started with 1 winner, not 2 and no prize, not "Car"',
    );
    expect(other.stderr).toContain('choose another --name');
    expect(await winners()).toBe(before);
  });
});

describe('--json when a command fails', () => {
  it('prints the error as JSON on stdout too, so that a script reading it learns why', async () => {
    const result = await runMain(['seed', '--json', '--file', join(home, 'no-such.csv')], { home });
    expect(result.code).toBe(252);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        kind: 'usage',
        message: `cannot read ${join(home, 'no-such.csv')}: no such file or directory`,
        hint: 'pass a CSV or JSON file of employees with --file',
        exit_code: 252,
      },
    });
  });

  it('prints a failed draw once, in its own shape', async () => {
    const result = await runMain(['draw', '-n', '50', '--json'], { home });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'FAILED',
      failed_state: 'Random Select Winners',
      error: 'NotEnoughEligible',
    });
  });
});

describe('the data directory', () => {
  it('that is a file: exit 253, naming the path and the setting that chooses it', async () => {
    const notADirectory = join(home, 'plain-file');
    writeFileSync(notADirectory, 'x');
    const result = await runMain(['winners', 'list'], { home: notADirectory });
    expect(result.code).toBe(253);
    expect(result.stderr).toContain(`cannot use ${notADirectory}: something is in the way there`);
    expect(result.stderr).toContain('LOTTERY_HOME chooses the data directory');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('under a file: exit 253, naming the path', async () => {
    const under = join(home, 'plain-file', 'data');
    const result = await runMain(['winners', 'list'], { home: under });
    expect(result.code).toBe(253);
    expect(result.stderr).toMatch(
      /cannot use \S*plain-file\S*: a part of the path is a file, not a directory/,
    );
  });
});

describe('winners export', () => {
  it("writes through a symbolic link, keeping the link and the file it points to, and that file's permissions", async () => {
    const real = join(home, 'real.csv');
    const link = join(home, 'link.csv');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    symlinkSync(real, link);
    expect((await runMain(['winners', 'export', '--out', link], { home })).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('employee_id,employee_name');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(home).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes into a named pipe instead of replacing it', async () => {
    const fifo = join(home, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = execFile('cat', [fifo]);
    let received = '';
    reader.stdout?.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const done = new Promise((resolve) => reader.on('close', resolve));
    expect(
      (await runMain(['winners', 'export', '--out', fifo, '--format', 'csv'], { home })).code,
    ).toBe(0);
    await done;
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(received).toContain('employee_id,employee_name');
  });

  it('into a directory that does not exist: exit 252, naming the path given, nothing written', async () => {
    const out = join(home, 'missing', 'winners.csv');
    const result = await runMain(['winners', 'export', '--out', out], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(
      `error: cannot write ${out}: no such file or directory; nothing was written`,
    );
    expect(result.stderr).not.toContain('.tmp');
  });
});
