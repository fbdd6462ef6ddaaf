import { writeFileSync } from 'node:fs';
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
    [['--winners', '0'], 252, "error: option '-n, --winners <count>' argument '0' is invalid. the number of winners must be between 1 and 500, got 0"],
    [['--winners', '-1'], 252, "error: option '-n, --winners <count>' argument '-1' is invalid. the number of winners must be between 1 and 500, got -1"],
    [['--winners', 'abc'], 252, 'argument \'abc\' is invalid. the number of winners must be a whole number, got "abc"'],
    [['--winners', '2.5'], 252, 'argument \'2.5\' is invalid. the number of winners must be a whole number, got "2.5"'],
    [['--winners', '501'], 252, "argument '501' is invalid. the number of winners must be between 1 and 500, got 501"],
    [[], 252, 'error: say how many people to draw with --winners <count>, or follow a draw with --attach <id>'],
    [['--winners', '10'], 1, 'only 9 of 10 employees are eligible (1 already won); asked for 10 winners'],
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
    expect(result.stderr).toContain('error: refusing to remove 1 winner record without confirmation');
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
    expect(result.stderr).toContain(`${file}:5: employee_id: "100" appears again (first on line 2)`);
    const count = await runMain(['seed', '--dry-run'], { home });
    expect(count.stdout).toContain('10 employees in the table');
  });

  it('says so when the file does not exist', async () => {
    const result = await runMain(['seed', '--file', 'nowhere.csv'], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain('error: cannot read nowhere.csv: no such file');
  });
});
