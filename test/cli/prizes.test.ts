import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrizeStatus } from '../../src/core/prizes';
import { serveInProcess } from '../helpers/backend';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';
import { faults } from '../helpers/scenarios';

// The prize plan through the CLI in process (runMain), against the embedded backend: loading,
// drawing by plan, what reset and clear do, and two operators drawing the same prize at once. A
// draw of a prize whose process is killed is in test/e2e/interrupts.test.ts.

let home: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runMain(['seed'], { home })).code).toBe(0);
});
afterEach(() => cleanup());

interface Winner {
  employee_id: string;
  prize: string | null;
  draw_id: string;
}

const file = (name: string, content: string) => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};
const plan = async () =>
  JSON.parse((await runMain(['prizes', '--json'], { home })).stdout) as PrizeStatus[];
const winners = async () =>
  JSON.parse((await runMain(['winners', 'list', '--json'], { home })).stdout) as Winner[];
const left = async () => (await plan()).map((prize) => [prize.prize, prize.drawn, prize.remaining]);

describe('lottery prizes load', () => {
  it('refuses a bad file with each problem, its line and how to fix it, and writes nothing', async () => {
    const bad = file(
      'plan.csv',
      'prize,count,per_draw\nFirst prize,1,\nMug,lots,\nfirst prize,2,\nPen,2,3\n',
    );
    const result = await runMain(['prizes', 'load', bad], { home });
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(`error: ${bad} has 3 problems; nothing was written`);
    expect(result.stderr).toContain(
      `${bad}:3: count: "lots" is not a whole number from 1 to 100000 — say how many people win this prize`,
    );
    expect(result.stderr).toContain(
      `${bad}:4: prize: "first prize" appears again (first on line 2) — list each prize once, with its whole count`,
    );
    expect(result.stderr).toContain(
      `${bad}:5: per_draw: 3 is more than the prize's count, 2 — make it at most 2`,
    );
    expect(result.stderr).toContain('hint: fix the lines above and load the plan again');
    expect(await plan()).toEqual([]);
    const missing = await runMain(['prizes', 'load', join(home, 'nope.csv')], { home });
    expect(missing.code).toBe(252);
    expect(missing.stderr).toContain('no such file');
  });

  it('shows the plan in drawing order, as a table and as JSON', async () => {
    const loaded = await runMain(
      [
        'prizes',
        'load',
        file(
          'plan.json',
          '[{"prize": "Kettle", "count": 2}, {"prize": "Mug", "count": 5, "per_draw": 2}]',
        ),
      ],
      { home },
    );
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/│ 1 │ Kettle\s+│ 2\s+│\s+│ 0\s+│ 2\s+│/);
    expect(loaded.stdout).toMatch(/│ 2 │ Mug\s+│ 5\s+│ 2\s+│ 0\s+│ 5\s+│/);
    expect(loaded.stderr).toContain('7 of 7 winners left; next: Kettle (`lottery draw --next`)');
    expect(await plan()).toEqual([
      {
        order: 1,
        prize: 'Kettle',
        count: 2,
        per_draw: null,
        drawn: 0,
        in_progress: 0,
        remaining: 2,
        forfeited: 0,
      },
      {
        order: 2,
        prize: 'Mug',
        count: 5,
        per_draw: 2,
        drawn: 0,
        in_progress: 0,
        remaining: 5,
        forfeited: 0,
      },
    ]);
  });
});

describe('lottery draw with a plan', () => {
  it('takes counts from the plan, draws the next prize, stops when nothing is left, and reset puts every prize back', async () => {
    await runMain(
      ['prizes', 'load', file('plan.csv', 'prize,count,per_draw\nKettle,1,\nMug,3,2\n')],
      { home },
    );
    const first = await runMain(['draw', '--next'], { home });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Drawing 1 winner of Kettle');
    expect(first.stderr).toMatch(/✔ Reserve Prize\s+\d+ ms {2}Kettle: took 1, 0 of 1 left/);
    const byName = await runMain(['draw', '--prize', 'MUG'], { home });
    expect(byName.stderr).toContain('Drawing 2 winners of Mug');
    expect(await left()).toEqual([
      ['Kettle', 1, 0],
      ['Mug', 2, 1],
    ]);

    const tooMany = await runMain(['draw', '--prize', 'Mug', '--winners', '2'], { home });
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('error: Mug has 1 of its 3 winners left; asked for 2');
    const unknown = await runMain(['draw', '--prize', 'Teapot', '-n', '1'], { home });
    expect(unknown.code).toBe(252);
    expect(unknown.stderr).toContain(
      'error: --prize: Teapot is not in the prize plan (Kettle, Mug)',
    );

    expect((await runMain(['draw', '--next'], { home })).stderr).toContain(
      'Drawing 1 winner of Mug',
    );
    const done = await runMain(['draw', '--next'], { home });
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('error: every prize of the plan has been drawn');
    const exhausted = await runMain(['draw', '--prize', 'Kettle'], { home });
    expect(exhausted.code).toBe(1);
    expect(exhausted.stderr).toContain('error: every one of the 1 winner of Kettle has been drawn');
    expect((await winners()).map((winner) => winner.prize).sort()).toEqual([
      'Kettle',
      'Mug',
      'Mug',
      'Mug',
    ]);

    const reset = await runMain(['reset', '--yes', '--json'], { home });
    expect(JSON.parse(reset.stdout)).toEqual({ removed: 4, prizes_reset: 2 });
    expect(await left()).toEqual([
      ['Kettle', 0, 1],
      ['Mug', 0, 3],
    ]);
  });

  it('keeps free-text prizes without a plan; clear asks first, and then prizes are free text again', async () => {
    expect((await runMain(['draw', '--prize', 'Anything', '-n', '1'], { home })).code).toBe(0);
    const noPlan = await runMain(['draw', '--next'], { home });
    expect(noPlan.code).toBe(252);
    expect(noPlan.stderr).toContain(
      'error: --next draws the next prize of the prize plan, but there is no plan',
    );
    // A new plan counts the winners already recorded under a prize's name.
    await runMain(['prizes', 'load', file('plan.csv', 'prize,count\nanything,2\n')], { home });
    expect(await left()).toEqual([['anything', 1, 1]]);
    const refused = await runMain(['prizes', 'clear'], { home });
    expect(refused.code).toBe(252);
    expect(refused.stderr).toContain(
      'refusing to remove the prize plan (1 prize) without confirmation',
    );
    expect(
      JSON.parse((await runMain(['prizes', 'clear', '--yes', '--json'], { home })).stdout),
    ).toEqual({ removed: 1 });
    expect((await runMain(['draw', '--prize', 'Teapot', '-n', '1'], { home })).code).toBe(0);
  });

  it('gives the winners back when a draw of a prize fails in the workflow', async () => {
    await runMain(['prizes', 'load', file('plan.csv', 'prize,count\nKettle,2\n')], { home });
    const failed = await runMain(['draw', '--prize', 'Kettle'], {
      home,
      env: faults({ tasks: [{ state: 'Record Winner Queue', error: 'States.TaskFailed' }] }),
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/✔ Release Winners/);
    expect(await left()).toEqual([['Kettle', 0, 2]]);
  });
});

describe('two operators drawing the same prize at once', () => {
  it('award no more than its count: one draw gets the winners, the other fails at Reserve Prize', async () => {
    await runMain(['prizes', 'load', file('plan.csv', 'prize,count\nKettle,3\n')], { home });
    // Reserve Prize waits a moment, so that both draws pass the CLI's own check before either
    // reserves.
    const server = await serveInProcess(home, {
      tasks: [{ state: 'Reserve Prize', delayMs: 1500 }],
    });
    try {
      const results = await Promise.all(
        [0, 1].map(() => runMain(['draw', '--prize', 'Kettle', '-n', '2'], { home })),
      );
      expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
      const loser = results.find((result) => result.code === 1);
      expect(loser?.stderr).toMatch(
        /failed at Reserve Prize: Kettle has 1 of its 3 winners left; asked for 2/,
      );
      expect(await left()).toEqual([['Kettle', 2, 1]]);
      expect((await winners()).filter((winner) => winner.prize === 'Kettle')).toHaveLength(2);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
