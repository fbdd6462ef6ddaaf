// The README's Quick start, command by command, in process (runMain): what each command says and
// leaves in the tables, as a user running them one after another sees it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANSI, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const winnersOf = async (home: string) =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as {
    employee_id: string;
    employee_name: string;
    draw_id: string;
    status: string;
  }[];

describe('the Quick start on the embedded backend', () => {
  it('seeds, draws two winners with the states shown, lists them and resets', async () => {
    const seeded = await runMain(['seed'], { home });
    expect(seeded).toMatchObject({ code: 0 });
    expect(seeded.stdout).toContain(
      '10 new, 0 updated, 0 unchanged (skipped); 10 employees in the table',
    );
    expect(seeded.stderr).toContain(`Target: local embedded backend (data in ${home})`);

    const drawn = await runMain(['draw', '--winners', '2'], { home });
    expect(drawn.code).toBe(0);
    for (const state of [
      'Input Lottery Winners',
      'Random Select Winners',
      'Validate Winners',
      'Is Winner In Past Draw',
      'Send SNS and Record In Dynamodb',
      'Record Winner Queue',
      'Notify Winners',
    ]) {
      expect(drawn.stderr).toMatch(new RegExp(`✔ ${state}\\s+\\d+ ms`));
    }
    expect(drawn.stderr).toContain('picked 2 of 10 eligible');
    const winners = await winnersOf(home);
    expect(winners).toHaveLength(2);
    for (const winner of winners) expect(drawn.stdout).toContain(winner.employee_name);
    expect(drawn.stdout).toMatch(
      /Announcement: Congrats! \[\w+, \w+\] You have been selected as the Lucky Champs!/,
    );

    const listed = await runMain(['winners', 'list'], { home });
    expect(listed.code).toBe(0);
    for (const winner of winners) expect(listed.stdout).toContain(winner.employee_name);
    expect(listed.stderr).toContain('2 winners');

    const reset = await runMain(['reset', '--yes'], { home });
    expect(reset).toMatchObject({ code: 0 });
    expect(reset.stderr).toContain('Removed 2 winner records');
    expect(await winnersOf(home)).toEqual([]);
  });

  it('keeps stdout for results: JSON only with --json, and no colour codes when piped', async () => {
    await runMain(['seed'], { home });
    const drawn = await runMain(['draw', '-n', '1', '--json'], { home });
    expect(drawn.code).toBe(0);
    const result = JSON.parse(drawn.stdout) as {
      winners: unknown[];
      announcement: { status: string };
    };
    expect(result.winners).toHaveLength(1);
    expect(result.announcement.status).toBe('SENT');
    const listed = await runMain(['winners', 'list', '--json'], { home });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    for (const output of [drawn.stdout, drawn.stderr, listed.stdout, listed.stderr])
      expect(output).not.toMatch(ANSI);
  });

  it('draws 10 distinct winners from the 10 workshop employees in 5 draws, then refuses a 6th and records nothing', async () => {
    await runMain(['seed'], { home });
    for (let draw = 1; draw <= 5; draw++)
      expect((await runMain(['draw', '--winners', '2'], { home })).code).toBe(0);
    const winners = await winnersOf(home);
    expect(new Set(winners.map((winner) => winner.employee_id)).size).toBe(10);
    expect(new Set(winners.map((winner) => winner.draw_id)).size).toBe(5);

    const sixth = await runMain(['draw', '--winners', '2'], { home });
    expect(sixth.code).toBe(1);
    expect(sixth.stderr).toMatch(
      /✖ Random Select Winners\s+\d+ ms\s+NotEnoughEligible: only 0 of 10 employees are eligible \(10 already won\); asked for 2 winners/,
    );
    expect(sixth.stderr).toMatch(
      /error: draw draw-\S+ failed at Random Select Winners: only 0 of 10 employees are eligible/,
    );
    expect(sixth.stderr).not.toMatch(/\n\s+at /);
    expect(await winnersOf(home)).toEqual(winners);
  });

  it('loads the larger CSV fixture after the workshop employees, assigning serials after theirs', async () => {
    await runMain(['seed'], { home });
    const seeded = await runMain(['seed', '--file', 'fixtures/employees.csv'], { home });
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain(
      '320 new, 0 updated, 0 unchanged (skipped), 320 serials assigned; 330 employees in the table',
    );
    const again = await runMain(['seed', '--file', 'fixtures/employees.csv'], { home });
    expect(again.stdout).toContain(
      '0 new, 0 updated, 320 unchanged (skipped); 330 employees in the table',
    );
  });
});
