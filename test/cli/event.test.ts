import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrawResult } from '../../src/core/draw';
import type { PrizeStatus } from '../../src/core/prizes';
import { ROOT, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';
import { faults } from '../helpers/scenarios';

// The event as it happens, through the CLI in process against the embedded backend: people who
// may not win (by the employee file and by command), tickets, and a winner who is not in the room
// replaced by a draw of its own, with a prize plan whose counts stay exact — each verified.

let home: string;
let cleanup: () => void;
beforeEach(() => {
  ({ home, cleanup } = tempHome());
});
afterEach(() => cleanup());

const file = (name: string, content: string) => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};
const run = (...args: string[]) => runMain(args, { home });
const json = async <T>(...args: string[]): Promise<T> => {
  const result = await run(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
};
const counts = () =>
  json<{ total: number; eligible: number; won: number; forfeited: number; excluded: number }>(
    'employees',
    'count',
  );
const plan = () => json<PrizeStatus[]>('prizes');
interface Entry {
  employee_id: string;
  status: 'won' | 'forfeited';
  draw_id: string;
  prize: string | null;
  forfeit_reason?: string;
  replaced_by?: string;
}
const winners = () => json<Entry[]>('winners', 'list');
const ids = (entries: readonly { employee_id: string }[]) =>
  entries.map((entry) => entry.employee_id).sort();
const won = async () => ids((await winners()).filter((entry) => entry.status === 'won'));

/** Twelve people, serials 1..12: S01 … S12. */
function staff(columns = '', row: (n: number) => string = () => ''): string {
  const lines = Array.from(
    { length: 12 },
    (_, i) =>
      `S${String(i + 1).padStart(2, '0')},Person ${i + 1}${columns ? `,${row(i + 1)}` : ''}`,
  );
  return file('staff.csv', `id,name${columns ? `,${columns}` : ''}\n${lines.join('\n')}\n`);
}

describe('people who may not win', () => {
  it('the eligible column of the employee file excludes people; they are listed, counted and never drawn', async () => {
    const path = staff('eligible', (n) => (n <= 3 ? 'no' : n === 4 ? 'FALSE' : n === 5 ? '0' : ''));
    const seeded = await json<{ excluded: number }>('seed', '--file', path);
    expect(seeded.excluded).toBe(5);
    expect(await counts()).toMatchObject({ total: 12, eligible: 7, excluded: 5 });
    const listed = await json<
      { employee_id: string; eligible: boolean; taken?: string; reason?: string }[]
    >('employees', 'list');
    expect(
      listed.filter((row) => !row.eligible).map((row) => [row.employee_id, row.taken]),
    ).toEqual(['S01', 'S02', 'S03', 'S04', 'S05'].map((id) => [id, 'excluded']));
    expect(listed[0]?.reason).toBe(`not eligible in ${path}`);
    const table = await run('employees', 'list');
    expect(table.stdout).toMatch(/│ S01\s+│ Person 1\s+│ 1\s+│ excluded: not eligible in /);
    const drawn = await json<DrawResult>('draw', '-n', '7');
    expect(ids(drawn.winners)).toEqual(['S06', 'S07', 'S08', 'S09', 'S10', 'S11', 'S12']);
    const refused = await run('draw', '-n', '1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'only 0 of 12 employees are eligible (7 already won, 5 excluded)',
    );
    expect((await run('verify', drawn.draw_id)).stdout).toContain(
      `✔ exclusions 5 people excluded ("not eligible in ${path}"), none among the candidates; version 1 of the exclusions, as the backend still keeps them`,
    );
  });

  it('the same file seeded again changes nothing; a file that says eligible again ends the exclusions it made', async () => {
    const path = staff('eligible', (n) => (n <= 2 ? 'no' : 'yes'));
    await run('seed', '--file', path);
    expect(await json<{ excluded: number }>('seed', '--file', path)).toMatchObject({
      excluded: 0,
      included_again: 0,
    });
    const again = await json<{ excluded: number; included_again: number }>(
      'seed',
      '--file',
      staff('eligible', (n) => (n === 1 ? 'no' : 'yes')),
    );
    expect(again).toMatchObject({ excluded: 0, included_again: 1 });
    expect(await counts()).toMatchObject({ eligible: 11, excluded: 1 });
  });

  it("the workshop's request-items.json takes eligible as a typed attribute", async () => {
    const items = Array.from({ length: 4 }, (_, i) => ({
      PutRequest: {
        Item: {
          employee_id: { S: `W${i + 1}` },
          employee_name: { S: `Worker ${i + 1}` },
          lottery_serial: { N: String(i + 1) },
          ...(i === 0 ? { eligible: { BOOL: false } } : {}),
          ...(i === 1 ? { eligible: { S: 'no' } } : {}),
          ...(i === 2 ? { tickets: { N: '4' } } : {}),
        },
      },
    }));
    const path = file('request-items.json', JSON.stringify({ 'Lottery-Employee': items }));
    expect((await run('seed', '--file', path)).code).toBe(0);
    expect(await counts()).toMatchObject({ total: 4, eligible: 2, excluded: 2 });
    const listed = await json<{ employee_id: string; tickets?: number }[]>('employees', 'list');
    expect(listed.find((row) => row.employee_id === 'W3')?.tickets).toBe(4);
  });

  it('employees exclude and include, by command: kept with the reason, and a draw in between leaves them out', async () => {
    await run('seed', '--file', staff());
    const unknown = await run('employees', 'exclude', 'S01', 'NOPE', '--reason', 'board');
    expect(unknown.code).toBe(252);
    expect(unknown.stderr).toContain('there is no employee NOPE in the pool; nothing was changed');
    expect(await counts()).toMatchObject({ excluded: 0 });
    const noReason = await run('employees', 'exclude', 'S01');
    expect(noReason.code).toBe(252);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");

    const excluded = await run(
      'employees',
      'exclude',
      'S01',
      'S02',
      'S03',
      '--reason',
      'board member',
    );
    expect(excluded.stdout).toContain(
      'Excluded S01, S02, S03 ("board member"): they are not drawn from now on.',
    );
    expect((await run('employees', 'exclude', 'S03', '--reason', 'x')).stderr).toContain(
      'S03 was excluded already.',
    );
    const drawn = await json<DrawResult>('draw', '-n', '9');
    expect(ids(drawn.winners)).toEqual([
      'S04',
      'S05',
      'S06',
      'S07',
      'S08',
      'S09',
      'S10',
      'S11',
      'S12',
    ]);
    const included = await json<{ included: string[]; not_excluded: string[] }>(
      'employees',
      'include',
      'S02',
      'S04',
    );
    expect(included).toMatchObject({ included: ['S02'], not_excluded: ['S04'] });
    const next = await json<DrawResult>('draw', '-n', '1');
    expect(ids(next.winners)).toEqual(['S02']);
    // The earlier draw still verifies: its exclusions are on record as they were.
    expect((await run('verify', drawn.draw_id)).code).toBe(0);
    expect((await run('verify', next.draw_id)).stdout).toContain(
      '✔ exclusions 2 people excluded ("board member"), none among the candidates; version 2 of the exclusions',
    );
  });

  it('excluding someone who has won says that it does not take the win back', async () => {
    await run('seed', '--file', staff());
    const drawn = await json<DrawResult>('draw', '-n', '1');
    const id = drawn.winners[0]!.employee_id;
    const result = await run('employees', 'exclude', id, '--reason', 'late');
    expect(result.stderr).toContain(
      `${id} has won already: an exclusion does not take a win back (\`lottery redraw DRAW ID --reason …\` does)`,
    );
  });
});

describe('tickets', () => {
  it('are read from the file, shown, and recorded with each proposal; a bad count is refused with its line', async () => {
    const bad = await run(
      'seed',
      '--file',
      staff('tickets', (n) => (n === 3 ? '11' : n === 5 ? 'two' : '')),
    );
    expect(bad.code).toBe(252);
    expect(bad.stderr).toContain(
      ':4: tickets: "11" is not a whole number from 1 to 10 — give each person 1 to 10 tickets, or leave it empty for 1',
    );
    expect(bad.stderr).toContain(':6: tickets: "two" is not');
    expect(await counts()).toMatchObject({ total: 0 });

    await run(
      'seed',
      '--file',
      staff('tickets', (n) => String(1 + (n % 5))),
    );
    const table = await run('employees', 'list');
    expect(table.stdout).toMatch(/│ S04\s+│ Person 4\s+│ 5\s+│ yes/);
    const drawn = await json<DrawResult>('draw', '-n', '4');
    const checked = await json<{
      ok: boolean;
      candidates: { serial: number; ticket: number; tickets?: number }[];
    }>('verify', drawn.draw_id);
    expect(checked.ok).toBe(true);
    expect(checked.candidates.every((candidate) => candidate.ticket < 5)).toBe(true);

    // By hand: the script of docs/fairness.md, from the candidates file and the seed alone.
    const page = readFileSync(join(ROOT, 'docs', 'fairness.md'), 'utf8');
    const script = file(
      'check-draw.py',
      /<!-- check-draw\.py[^>]*-->\s*```python\n([\s\S]*?)```/.exec(page)![1]!,
    );
    const pool = join(home, 'candidates.json');
    await run('verify', drawn.draw_id, '--save-pool', pool);
    const byHand = execFileSync(
      'python3',
      [script, pool, drawn.audit.seed, String(drawn.audit.attempt), '4'],
      {
        encoding: 'utf8',
      },
    );
    expect(byHand).toContain(
      `winners: ${drawn.winners.map((winner) => winner.employee_id).join(' ')}`,
    );
  });

  it('a draw of everyone with tickets from 1 to 5 takes everyone, once', async () => {
    await run(
      'seed',
      '--file',
      staff('tickets', (n) => String(1 + (n % 5))),
    );
    const drawn = await json<DrawResult>('draw', '-n', '12');
    expect(new Set(ids(drawn.winners)).size).toBe(12);
    expect((await run('verify', drawn.draw_id)).code).toBe(0);
  });

  it('an end-to-end sanity check of the weights: with 1 and 9 tickets, the 9 wins most of 40 seeded draws', async () => {
    file('two.csv', 'id,name,tickets\nLOW,Low,1\nHIGH,High,9\n');
    await run('seed', '--file', join(home, 'two.csv'));
    let high = 0;
    for (let i = 0; i < 40; i++) {
      const drawn = await json<DrawResult>(
        'draw',
        '-n',
        '1',
        '--seed',
        `${String(i).padStart(2, '0')}`.repeat(16),
      );
      if (drawn.winners[0]?.employee_id === 'HIGH') high++;
      await run('reset', '--yes');
    }
    // Expected 36 of 40; fewer than 28 has a chance below 1 in 10,000 for a fair draw, and would
    // be the 50 % of a draw that ignored tickets.
    expect(high).toBeGreaterThanOrEqual(28);
  }, 120_000);
});

describe('a winner who is not in the room, with a prize plan', () => {
  beforeEach(async () => {
    await run('seed', '--file', staff());
    await run('prizes', 'load', file('plan.csv', 'prize,count\nKettle,2\nMug,3\n'));
  });

  it('redraw forfeits the winner, draws one replacement for the same prize, and the counts stay exact', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'kettle-1');
    const [gone, stays] = first.winners;
    const redrawn = await run(
      'redraw',
      'kettle-1',
      gone!.employee_id,
      '--reason',
      'not present',
      '--name',
      'kettle-1-r',
    );
    expect(redrawn.code, redrawn.stderr).toBe(0);
    expect(redrawn.stderr).toContain(
      `${gone!.employee_id} (${gone!.employee_name}) forfeits draw kettle-1: "not present"`,
    );
    expect(redrawn.stderr).toContain(
      `Drawing 1 winner of Kettle, replacing ${gone!.employee_id} of draw kettle-1 (execution kettle-1-r)`,
    );
    expect(redrawn.stdout).toContain('Winners of Kettle:');
    expect(redrawn.stderr).toMatch(
      new RegExp(
        `✔ Reserve Prize\\s+\\d+ ms {2}Kettle: the place ${gone!.employee_id} forfeited came back and is taken, 0 of 2 left`,
      ),
    );
    const replacement = await json<DrawResult>('draw', '--attach', 'kettle-1-r');
    const newcomer = replacement.winners[0]!;
    expect(replacement.replaces).toMatchObject({
      draw_id: 'kettle-1',
      employee_id: gone!.employee_id,
      reason: 'not present',
    });
    expect([gone!.employee_id, stays!.employee_id]).not.toContain(newcomer.employee_id);

    expect((await plan())[0]).toMatchObject({
      prize: 'Kettle',
      drawn: 2,
      remaining: 0,
      forfeited: 1,
    });
    expect(await won()).toEqual(ids([stays!, newcomer]));
    expect((await winners()).filter((entry) => entry.status === 'forfeited')).toEqual([
      expect.objectContaining({
        employee_id: gone!.employee_id,
        draw_id: 'kettle-1',
        prize: 'Kettle',
        forfeit_reason: 'not present',
        replaced_by: 'kettle-1-r',
      }),
    ]);
    expect(await counts()).toMatchObject({ won: 2, forfeited: 1, eligible: 9 });
    const listed = await run('winners', 'list');
    expect(listed.stdout).toContain('Forfeited:');
    expect(listed.stdout).toMatch(
      new RegExp(
        `│ ${gone!.employee_id}\\s+│ ${gone!.employee_name}\\s+│ Kettle\\s+│ kettle-1\\s+│ not present`,
      ),
    );
    const csv = await run('winners', 'list', '--format', 'csv');
    expect(csv.stdout).toContain(`,forfeited,not present,`);
    const draws = await run('draws', 'list');
    expect(draws.stdout).toContain(
      `${newcomer.employee_name} (replaces ${gone!.employee_name} of kettle-1: not present)`,
    );

    // The rest of the plan is drawn as if nothing happened: Mug next, and nobody twice.
    const mug = await json<DrawResult>('draw', '--next');
    expect(mug.prize).toBe('Mug');
    expect(ids(mug.winners)).not.toContain(gone!.employee_id);
    expect((await plan()).map((prize) => [prize.prize, prize.drawn, prize.remaining])).toEqual([
      ['Kettle', 2, 0],
      ['Mug', 3, 0],
    ]);

    for (const draw of ['kettle-1', 'kettle-1-r', mug.draw_id]) {
      const verified = await run('verify', draw);
      expect(verified.code, verified.stdout).toBe(0);
    }
    expect((await run('verify', 'kettle-1-r')).stdout).toMatch(
      new RegExp(
        `✔ forfeits   replaces ${gone!.employee_id} \\(${gone!.employee_name}\\) of draw kettle-1, who forfeited "not present", recorded \\d+(\\.\\d)? m?s before this draw started \\(Step Functions' clock\\)`,
      ),
    );
    const event = await run('verify', '--event');
    expect(event.code, event.stdout).toBe(0);
    expect(event.stdout).toContain(`Forfeits: 1`);
    expect(event.stdout).toContain(
      `✔ ${gone!.employee_id} (${gone!.employee_name}) forfeited draw kettle-1 at `,
    );
    expect(event.stdout).toContain(
      `"not present"; replaced by ${newcomer.employee_id} in draw kettle-1-r, which verifies`,
    );
    expect(event.stdout).toContain('The event verifies.');
  });

  it('the same redraw run again follows the replacement already drawn: one forfeit, one replacement', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'k');
    const gone = first.winners[0]!.employee_id;
    await run('redraw', 'k', gone, '--reason', 'not present', '--name', 'k-r');
    const again = await run('redraw', 'k', gone, '--reason', 'left early');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`warning: ${gone} forfeited draw k already, at `);
    expect(again.stderr).toContain(
      `("not present", not "left early"); its replacement is draw k-r`,
    );
    expect(again.stderr).toContain(
      'draw k-r was already started: showing it instead of drawing again',
    );
    expect((await plan())[0]).toMatchObject({ drawn: 2, remaining: 0, forfeited: 1 });
    expect((await winners()).filter((entry) => entry.status === 'forfeited')).toHaveLength(1);
  });

  it('a redraw stopped after the forfeit was written is finished by running it again, crediting the plan once', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'k');
    const gone = first.winners[0]!.employee_id;
    // The row cannot be marked: the command fails after the forfeit is recorded.
    const stopped = await runMain(
      ['redraw', 'k', gone, '--reason', 'not present', '--name', 'k-r'],
      {
        home,
        env: faults({ dynamodb: [{ operation: 'UpdateItem', error: 'InternalServerError' }] }),
      },
    );
    expect(stopped.code).not.toBe(0);
    expect((await plan())[0]).toMatchObject({ drawn: 2, remaining: 0, forfeited: 0 });
    expect(
      (
        await json<{ checks: { name: string; ok: boolean; warning?: boolean; detail: string }[] }>(
          'verify',
          'k',
        )
      ).checks.find((check) => check.name === 'records'),
    ).toMatchObject({
      ok: true,
      warning: true,
      detail: expect.stringContaining('run the same `lottery redraw` again to finish it'),
    });
    const finished = await run('redraw', 'k', gone, '--reason', 'not present');
    expect(finished.code, finished.stderr).toBe(0);
    expect((await plan())[0]).toMatchObject({ drawn: 2, remaining: 0, forfeited: 1 });
    expect(await counts()).toMatchObject({ won: 2, forfeited: 1 });
    expect((await run('verify', '--event')).code).toBe(0);
  });

  it('--eligible-again: the forfeited person may win a later draw, never their own replacement', async () => {
    await run('prizes', 'clear', '--yes');
    const first = await json<DrawResult>('draw', '-n', '1', '--name', 'a');
    const gone = first.winners[0]!.employee_id;
    const replacement = JSON.parse(
      (await run('redraw', 'a', gone, '--reason', 'declined', '--eligible-again', '--json')).stdout,
    ) as DrawResult;
    expect(replacement.winners[0]?.employee_id).not.toBe(gone);
    expect(await counts()).toMatchObject({ won: 1, forfeited: 0, eligible: 11 });
    const rest = await json<DrawResult>('draw', '-n', '11');
    expect(ids(rest.winners)).toContain(gone);
    expect((await run('verify', rest.draw_id)).code).toBe(0);
    expect((await run('verify', 'a')).code).toBe(0);
    const event = await run('verify', '--event');
    expect(event.code, event.stdout).toBe(0);
    expect(event.stdout).toContain('"declined", may win again; replaced by');
  });

  it('a replacement that cannot be drawn gives the place back to the plan, and says so', async () => {
    const all = await json<DrawResult>('draw', '-n', '12', '--name', 'everyone');
    expect(all.prize).toBeNull();
    await run('prizes', 'clear', '--yes');
    await run('prizes', 'load', file('plan2.csv', 'prize,count\nBike,1\n'));
    await run('reset', '--yes');
    await run(
      'employees',
      'exclude',
      ...Array.from({ length: 11 }, (_, i) => `S${String(i + 2).padStart(2, '0')}`),
      '--reason',
      'board',
    );
    const bike = await json<DrawResult>('draw', '--next', '--name', 'bike');
    expect(ids(bike.winners)).toEqual(['S01']);
    const failed = await run(
      'redraw',
      'bike',
      'S01',
      '--reason',
      'not present',
      '--name',
      'bike-r',
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'draw bike-r failed at Random Select Winners: only 0 of 12 employees are eligible (0 already won, 1 forfeited, 11 excluded); asked for 1 winner',
    );
    expect((await plan())[0]).toMatchObject({ drawn: 0, remaining: 1, forfeited: 1 });
    const event = await run('verify', '--event');
    expect(event.stdout).toContain(
      'its replacement, draw bike-r, ended FAILED: the place went back to the prize',
    );
  });

  it('refuses to forfeit someone who did not win that draw, or a draw that does not exist', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'k');
    const loser = ['S01', 'S02', 'S03'].find((id) => !ids(first.winners).includes(id))!;
    const notWinner = await run('redraw', 'k', loser, '--reason', 'x');
    expect(notWinner.code).toBe(252);
    expect(notWinner.stderr).toContain(`${loser} is not a winner of draw k (its winners: `);
    const noDraw = await run('redraw', 'nope', 'S01', '--reason', 'x');
    expect(noDraw.code).toBe(252);
    expect(noDraw.stderr).toContain('there is no draw nope');
    const noReason = await run('redraw', 'k', first.winners[0]!.employee_id, '--reason', ' ');
    expect(noReason.code).toBe(252);
    expect(noReason.stderr).toContain('give a reason');
    expect((await plan())[0]).toMatchObject({ drawn: 2, forfeited: 0 });
  });

  it('after a reset there is no win left to forfeit', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'k');
    await run('reset', '--yes');
    const result = await run('redraw', 'k', first.winners[0]!.employee_id, '--reason', 'x');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'win in draw k is no longer recorded (the winners were reset since): there is nothing to forfeit',
    );
  });

  it('reset puts the forfeited back too, and the forfeits stay on record', async () => {
    const first = await json<DrawResult>('draw', '--next', '--name', 'k');
    await run('redraw', 'k', first.winners[0]!.employee_id, '--reason', 'x');
    await run('reset', '--yes');
    expect(await counts()).toMatchObject({ eligible: 12, won: 0, forfeited: 0 });
    expect(await winners()).toEqual([]);
    expect((await run('verify', 'k')).code).toBe(0);
  });
});
