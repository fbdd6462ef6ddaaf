import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/core/issues';
import {
  drawSize,
  findPrize,
  holdingDraws,
  nextPrize,
  parsePrizeFile,
  planStatus,
  releasePrize,
  replacePlan,
  reservePrize,
  recountPlan,
  recordedByPrize,
  lostHold,
  planMismatches,
  runningHolds,
  settleHolds,
  type PlannedPrize,
  type PrizePlan,
} from '../../src/core/prizes';

const NOW = '2026-12-18T19:00:00.000Z';
const prize = (name: string, count: number, extra: Partial<PlannedPrize> = {}): PlannedPrize => ({
  name,
  count,
  remaining: count,
  holds: {},
  ...extra,
});
const plan = (...prizes: PlannedPrize[]): PrizePlan => ({ version: 1, updated_at: NOW, prizes });
const draw = (draw_id: string, winners: number) => ({
  draw_id,
  execution_arn: `arn:aws:states:local:0:execution:Lottery:${draw_id}`,
  winners,
});

describe('parsePrizeFile', () => {
  it('reads CSV in plan order, with an optional per-draw count and the usual header spellings', () => {
    const parsed = parsePrizeFile(
      '\uFEFFPrize,Count,Per draw\r\nFirst prize,1,\r\nSecond prize,3,\r\nThird prize,10,5\r\n',
      'plan.csv',
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.prizes).toEqual([
      { name: 'First prize', count: 1, line: 2 },
      { name: 'Second prize', count: 3, line: 3 },
      { name: 'Third prize', count: 10, per_draw: 5, line: 4 },
    ]);
  });

  it('reads a JSON array, with the line of each prize', () => {
    const parsed = parsePrizeFile(
      '[\n  {"prize": "Kettle", "count": 2},\n  {"name": "Mug", "count": "5", "per_draw": 1}\n]\n',
      'plan.json',
    );
    expect(parsed.prizes).toEqual([
      { name: 'Kettle', count: 2, line: 2, item: 1 },
      { name: 'Mug', count: 5, per_draw: 1, line: 3, item: 2 },
    ]);
  });

  it('reports every problem with its line and how to fix it, and gives no prizes then', () => {
    const parsed = parsePrizeFile(
      'prize,count,per_draw\nFirst prize,0,\n,2,\nMug,three,\nKettle,2,5\nfirst  PRIZE,1,\n',
      'plan.csv',
    );
    expect(parsed.prizes).toEqual([]);
    expect(parsed.issues.map(formatIssue)).toEqual([
      'plan.csv:2: count: "0" is not a whole number from 1 to 100000 — say how many people win this prize',
      'plan.csv:3: prize: is missing — every line names a prize',
      'plan.csv:4: count: "three" is not a whole number from 1 to 100000 — say how many people win this prize',
      "plan.csv:5: per_draw: 5 is more than the prize's count, 2 — make it at most 2",
    ]);
    const duplicate = parsePrizeFile('prize,count\nFirst prize,1\nfirst  PRIZE,1\n', 'plan.csv');
    expect(duplicate.issues.map(formatIssue)).toEqual([
      'plan.csv:3: prize: "first  PRIZE" appears again (first on line 2) — list each prize once, with its whole count',
    ]);
  });

  it('refuses control characters, a missing column, unreadable JSON and an empty file', () => {
    expect(
      parsePrizeFile('[{"prize": "A\\u001b[31mB", "count": 1}]', 'p.json').issues.map(formatIssue),
    ).toEqual([
      'p.json:1 (item 1): prize: contains a control character (ESC) — remove it: it would act on the terminal or the spreadsheet that shows it',
    ]);
    expect(parsePrizeFile('prize\nMug\n', 'p.csv').issues.map(formatIssue)).toEqual([
      'p.csv:1: the header row has no count column — start the file with the header row prize,count (and per_draw, if you like)',
    ]);
    expect(parsePrizeFile('[\n{"prize": "Mug",\n}]', 'p.json').issues.map(formatIssue)).toEqual([
      'p.json:3: the JSON cannot be read: property name expected',
    ]);
    expect(parsePrizeFile('  \n', 'p.csv').issues.map(formatIssue)).toEqual([
      'p.csv: the file is empty — list the prizes, one a line: prize,count',
    ]);
    expect(
      parsePrizeFile(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'deep.json').issues.map(
        formatIssue,
      ),
    ).toEqual(['deep.json:1: the JSON is nested too deeply to be a prize plan']);
  });
});

describe('drawing from a plan', () => {
  it('takes the per-draw count, else all that are left, and never more than are left', () => {
    expect(drawSize(prize('Mug', 10, { per_draw: 4 }))).toEqual({ ok: true, winners: 4 });
    expect(drawSize(prize('Mug', 10, { per_draw: 4, remaining: 2 }))).toEqual({
      ok: true,
      winners: 2,
    });
    expect(drawSize(prize('Kettle', 3))).toEqual({ ok: true, winners: 3 });
    expect(drawSize(prize('Kettle', 3), 2)).toEqual({ ok: true, winners: 2 });
    expect(drawSize(prize('Kettle', 3, { remaining: 1 }), 2)).toEqual({
      ok: false,
      reason: 'too-many',
      message: 'Kettle has 1 of its 3 winners left; asked for 2',
    });
    expect(drawSize(prize('Kettle', 1, { remaining: 0 }))).toEqual({
      ok: false,
      reason: 'exhausted',
      message: 'every one of the 1 winner of Kettle has been drawn',
    });
  });

  it('finds prizes whatever their case and spacing, and the next one with winners left', () => {
    const current = plan(prize('First prize', 1, { remaining: 0 }), prize('Second prize', 2));
    expect(findPrize(current, '  second   PRIZE ')?.name).toBe('Second prize');
    expect(nextPrize(current)?.name).toBe('Second prize');
    expect(nextPrize(plan(prize('First prize', 1, { remaining: 0 })))).toBeUndefined();
  });

  it('reserves for a draw once, gives back on release, and counts held winners as in progress', () => {
    const start = plan(prize('Kettle', 3));
    const first = reservePrize(start, 'kettle', draw('a', 2), NOW);
    if (first.kind !== 'reserved') throw new Error(first.kind);
    expect(first.plan.version).toBe(2);
    expect(planStatus(first.plan)).toEqual([
      {
        order: 1,
        prize: 'Kettle',
        count: 3,
        per_draw: null,
        drawn: 0,
        in_progress: 2,
        remaining: 1,
        forfeited: 0,
      },
    ]);
    expect(reservePrize(first.plan, 'Kettle', draw('a', 2), NOW).kind).toBe('already');
    expect(reservePrize(first.plan, 'Kettle', draw('b', 2), NOW)).toEqual({
      kind: 'refused',
      message: 'Kettle has 1 of its 3 winners left; asked for 2',
    });
    expect(reservePrize(first.plan, 'Teapot', draw('b', 1), NOW)).toEqual({
      kind: 'not-in-plan',
      message: 'Teapot is not in the prize plan (Kettle)',
    });
    const released = releasePrize(first.plan, 'a', NOW);
    expect(released && planStatus(released)[0]).toMatchObject({
      drawn: 0,
      in_progress: 0,
      remaining: 3,
    });
    expect(released && releasePrize(released, 'a', NOW)).toBeUndefined();
  });

  it('settles holds: a draw that succeeded has drawn, one that failed or is unknown gives back, one running keeps', () => {
    let current = plan(prize('Kettle', 10));
    for (const [id, winners] of [
      ['won', 2],
      ['failed', 3],
      ['gone', 1],
      ['running', 1],
    ] as const) {
      const reserved = reservePrize(current, 'Kettle', draw(id, winners), NOW);
      if (reserved.kind !== 'reserved') throw new Error(reserved.kind);
      current = reserved.plan;
    }
    const statuses = new Map<string, string | undefined>([
      ['won', 'SUCCEEDED'],
      ['failed', 'FAILED'],
      ['gone', undefined],
      ['running', 'RUNNING'],
    ]);
    const settled = settleHolds(current, statuses, NOW);
    expect(settled && planStatus(settled)[0]).toMatchObject({
      drawn: 2,
      in_progress: 1,
      remaining: 7,
    });
    expect(Object.keys(settled?.prizes[0]?.holds ?? {})).toEqual(['running']);
    expect(settled && settleHolds(settled, new Map([['running', 'RUNNING']]), NOW)).toBeUndefined();
    // A reset with no winners left puts every prize back to full, less what running draws hold.
    expect(settled && planStatus(recountPlan(settled, new Map(), NOW))[0]).toMatchObject({
      drawn: 0,
      in_progress: 1,
      remaining: 9,
    });
  });
});

describe('replacePlan', () => {
  const inputs = (...list: [string, number][]) =>
    list.map(([name, count], index) => ({ name, count, line: index + 2 }));

  it('starts a new plan, counting winners already recorded under a prize name', () => {
    const result = replacePlan(
      undefined,
      inputs(['First prize', 1], ['Mug', 5]),
      new Map([['mug', 2]]),
      'plan.csv',
      NOW,
    );
    if (!('plan' in result)) throw new Error('refused');
    expect(
      planStatus(result.plan).map((status) => [status.prize, status.drawn, status.remaining]),
    ).toEqual([
      ['First prize', 0, 1],
      ['Mug', 2, 3],
    ]);
  });

  it('keeps what was drawn of a prize and what running draws hold, and refuses to go below it or to drop it', () => {
    const held = reservePrize(
      plan(prize('Mug', 5, { remaining: 3 }), prize('Pen', 2)),
      'Mug',
      draw('a', 1),
      NOW,
    );
    if (held.kind !== 'reserved') throw new Error(held.kind);
    const raised = replacePlan(
      held.plan,
      inputs(['Mug', 8], ['Pen', 1]),
      new Map(),
      'plan.csv',
      NOW,
    );
    if (!('plan' in raised)) throw new Error('refused');
    expect(planStatus(raised.plan)).toEqual([
      {
        order: 1,
        prize: 'Mug',
        count: 8,
        per_draw: null,
        drawn: 2,
        in_progress: 1,
        remaining: 5,
        forfeited: 0,
      },
      {
        order: 2,
        prize: 'Pen',
        count: 1,
        per_draw: null,
        drawn: 0,
        in_progress: 0,
        remaining: 1,
        forfeited: 0,
      },
    ]);
    const refused = replacePlan(held.plan, inputs(['Mug', 2]), new Map(), 'plan.csv', NOW);
    expect('issues' in refused && refused.issues.map(formatIssue)).toEqual([
      'plan.csv:2: count: 2 is below the 2 already drawn and 1 being drawn of Mug — make it at least 3, or run `lottery reset` first',
    ]);
    const dropped = replacePlan(held.plan, inputs(['Pen', 2]), new Map(), 'plan.csv', NOW);
    expect('issues' in dropped && dropped.issues.map(formatIssue)).toEqual([
      'plan.csv: Mug is in the plan with 2 drawn and 1 being drawn, but not in the file — keep it in the file, or run `lottery reset` or `lottery prizes clear` first',
    ]);
  });
});

describe('what a draw of a prize is told', () => {
  it.each([
    [
      'a prize of one winner drawn',
      prize('Kettle', 1, { remaining: 0 }),
      undefined,
      'every one of the 1 winner of Kettle has been drawn',
    ],
    [
      'a prize of three winners drawn',
      prize('Kettle', 3, { remaining: 0 }),
      undefined,
      'every one of the 3 winners of Kettle has been drawn',
    ],
    [
      'a prize whose last winners a running draw holds',
      prize('Kettle', 3, {
        remaining: 0,
        holds: { a: { winners: 2, execution_arn: 'arn:a', held_at: NOW } },
      }),
      undefined,
      'every one of the 3 winners of Kettle has been drawn (2 of them by a draw still running)',
    ],
    [
      'more asked than a prize of one has',
      prize('Kettle', 1),
      2,
      'Kettle has 1 of its 1 winner left; asked for 2',
    ],
  ])('refuses %s', (_, given, asked, message) => {
    expect(drawSize(given, asked)).toMatchObject({ ok: false, message });
  });

  it('takes all that are left when they are fewer than the per-draw count, and exactly what is left when asked', () => {
    expect(drawSize(prize('Mug', 10, { per_draw: 4, remaining: 3 }))).toEqual({
      ok: true,
      winners: 3,
    });
    expect(drawSize(prize('Mug', 10, { remaining: 3 }), 3)).toEqual({ ok: true, winners: 3 });
  });

  it.each([
    [
      'names every prize of a plan of eight',
      8,
      'Teapot is not in the prize plan (P1, P2, P3, P4, P5, P6, P7, P8)',
    ],
    [
      'names the first eight prizes of a longer plan',
      9,
      'Teapot is not in the prize plan (P1, P2, P3, P4, P5, P6, P7, P8 …)',
    ],
  ])('%s when a prize is not in it', (_, size, message) => {
    const long = plan(...Array.from({ length: size }, (_, index) => prize(`P${index + 1}`, 1)));
    expect(reservePrize(long, 'Teapot', draw('a', 1), NOW)).toEqual({
      kind: 'not-in-plan',
      message,
    });
  });
});

describe('holds on a plan', () => {
  const twoDraws = () => {
    const first = reservePrize(plan(prize('Mug', 5), prize('Pen', 2)), 'Mug', draw('a', 2), NOW);
    if (first.kind !== 'reserved') throw new Error(first.kind);
    const second = reservePrize(first.plan, 'mug', draw('b', 1), NOW);
    if (second.kind !== 'reserved') throw new Error(second.kind);
    return second;
  };

  it('reserves out of the one prize named, recording the draw and its execution', () => {
    const reserved = twoDraws();
    expect(reserved.prize).toEqual({
      name: 'Mug',
      count: 5,
      remaining: 2,
      holds: {
        a: {
          winners: 2,
          execution_arn: 'arn:aws:states:local:0:execution:Lottery:a',
          held_at: NOW,
        },
        b: {
          winners: 1,
          execution_arn: 'arn:aws:states:local:0:execution:Lottery:b',
          held_at: NOW,
        },
      },
    });
    expect(reserved.plan).toMatchObject({
      version: 3,
      prizes: [{ name: 'Mug' }, { name: 'Pen', remaining: 2, holds: {} }],
    });
  });

  it('releases one draw and leaves the other holding', () => {
    const released = releasePrize(twoDraws().plan, 'a', '2026-12-18T19:05:00.000Z');
    expect(released).toMatchObject({ version: 4, updated_at: '2026-12-18T19:05:00.000Z' });
    expect(released?.prizes[0]).toMatchObject({ remaining: 4, holds: { b: { winners: 1 } } });
    expect(Object.keys(released?.prizes[0]?.holds ?? {})).toEqual(['b']);
  });

  it('keeps the hold of a draw nobody asked about, as running', () => {
    const current = twoDraws().plan;
    const settled = settleHolds(current, new Map([['a', 'ABORTED']]), '2026-12-18T19:05:00.000Z');
    expect(settled).toMatchObject({ version: 4, updated_at: '2026-12-18T19:05:00.000Z' });
    expect(settled && planStatus(settled)[0]).toMatchObject({
      drawn: 0,
      in_progress: 1,
      remaining: 4,
    });
    expect(holdingDraws(current)).toEqual(
      new Map([
        ['a', 'arn:aws:states:local:0:execution:Lottery:a'],
        ['b', 'arn:aws:states:local:0:execution:Lottery:b'],
      ]),
    );
  });

  it('counts again from the winners recorded, less what running draws hold', () => {
    const current = twoDraws().plan;
    const rows = [
      { employee_id: '1', draw_id: 'old', status: 'won' as const, prize: 'mug' },
      { employee_id: '2', prize: 'Mug' },
      { employee_id: '3', draw_id: 'a', status: 'won' as const, prize: 'Mug' },
      { employee_id: '4', draw_id: 'c', status: 'claimed' as const, prize: 'Mug' },
      { employee_id: '5', draw_id: 'old', status: 'won' as const, prize: 'Pen' },
      { employee_id: '6', draw_id: 'old', status: 'won' as const, prize: null },
    ];
    const recorded = recordedByPrize(rows, current);
    expect(recorded).toEqual(
      new Map([
        ['mug', 2],
        ['pen', 1],
      ]),
    );
    const recounted = recountPlan(current, recorded, '2026-12-18T19:05:00.000Z');
    expect(recounted).toMatchObject({ version: 4, updated_at: '2026-12-18T19:05:00.000Z' });
    expect(planStatus(recounted)).toMatchObject([
      { prize: 'Mug', drawn: 2, in_progress: 3, remaining: 0 },
      { prize: 'Pen', drawn: 1, in_progress: 0, remaining: 1 },
    ]);
    expect(recountPlan(plan(prize('Pen', 1)), new Map([['pen', 3]]), NOW).prizes[0]).toMatchObject({
      remaining: 0,
    });
  });

  it('names the running draws and what each holds', () => {
    expect(runningHolds(twoDraws().plan)).toEqual([
      { drawId: 'a', prize: 'Mug', winners: 2 },
      { drawId: 'b', prize: 'Mug', winners: 1 },
    ]);
  });

  it('lets a draw keep its wins only while it holds its places, or its prize is not planned', () => {
    const current = twoDraws().plan;
    const kept = { draw_id: 'a', prize: 'Mug', reserved: true };
    expect(lostHold(current, kept)).toBeUndefined();
    expect(lostHold(current, { ...kept, prize: null })).toBeUndefined();
    expect(lostHold(undefined, { ...kept, reserved: false })).toBeUndefined();
    expect(lostHold(current, { ...kept, prize: 'Lamp', reserved: false })).toBeUndefined();
    expect(lostHold(current, { ...kept, draw_id: 'c' })).toBe(
      'the places this draw held of Mug are gone from the prize plan (was the plan cleared or loaded again?)',
    );
    expect(lostHold(undefined, kept)).toMatch(/^the places this draw held of Mug are gone/);
    expect(lostHold(current, { draw_id: 'c', prize: 'mug', reserved: false })).toBe(
      'a prize plan with Mug was loaded while this draw ran, and holds no places for it: draw the prize again from the plan',
    );
  });

  it('finds the prizes whose drawn count is not their recorded winners', () => {
    const drawn = plan(prize('Mug', 5, { remaining: 2 }), prize('Pen', 2), prize('Cup', 1));
    expect(
      planMismatches(
        drawn,
        new Map([
          ['mug', 3],
          ['pen', 1],
        ]),
      ),
    ).toEqual([{ prize: 'Pen', count: 2, drawn: 0, recorded: 1 }]);
    expect(planMismatches(drawn, new Map())).toEqual([
      { prize: 'Mug', count: 5, drawn: 3, recorded: 0 },
    ]);
  });

  it('passes over, for --next, a prize whose last winners a running draw holds', () => {
    expect(
      nextPrize(
        plan(
          prize('First prize', 1, {
            remaining: 0,
            holds: { a: { winners: 1, execution_arn: 'arn:a', held_at: NOW } },
          }),
          prize('Second prize', 2),
        ),
      )?.name,
    ).toBe('Second prize');
  });
});

describe('replacePlan: the counts of a plan loaded again', () => {
  const inputs = (...list: [string, number][]) =>
    list.map(([name, count], index) => ({ name, count, line: index + 2 }));

  it('starts at version 1, keeping a per-draw count only where the file gives one', () => {
    const result = replacePlan(
      undefined,
      [{ name: 'Mug', count: 4, per_draw: 2, line: 2 }, ...inputs(['Pen', 1])],
      new Map(),
      'plan.csv',
      NOW,
    );
    expect(result).toStrictEqual({
      plan: {
        version: 1,
        updated_at: NOW,
        prizes: [
          { name: 'Mug', count: 4, per_draw: 2, remaining: 4, holds: {} },
          { name: 'Pen', count: 1, remaining: 1, holds: {} },
        ],
      },
    });
  });

  it('takes a count equal to what is drawn, and says nothing of draws running when none is', () => {
    const drawn = plan(prize('Mug', 5, { remaining: 3 }));
    const result = replacePlan(drawn, inputs(['Mug', 2]), new Map(), 'plan.csv', NOW);
    expect('plan' in result && result.plan).toMatchObject({
      version: 2,
      prizes: [{ name: 'Mug', count: 2, remaining: 0 }],
    });
    const refused = replacePlan(drawn, inputs(['Mug', 1]), new Map(), 'plan.csv', NOW);
    expect('issues' in refused && refused.issues.map(formatIssue)).toEqual([
      'plan.csv:2: count: 1 is below the 2 already drawn of Mug — make it at least 2, or run `lottery reset` first',
    ]);
    const dropped = replacePlan(drawn, inputs(['Pen', 1]), new Map(), 'plan.csv', NOW);
    expect('issues' in dropped && dropped.issues.map(formatIssue)).toEqual([
      'plan.csv: Mug is in the plan with 2 drawn, but not in the file — keep it in the file, or run `lottery reset` or `lottery prizes clear` first',
    ]);
  });

  it('refuses to drop a prize that has one winner drawn and one being drawn', () => {
    const held = reservePrize(plan(prize('Mug', 3, { remaining: 2 })), 'Mug', draw('a', 1), NOW);
    if (held.kind !== 'reserved') throw new Error(held.kind);
    const dropped = replacePlan(held.plan, inputs(['Pen', 1]), new Map(), 'plan.csv', NOW);
    expect('issues' in dropped && dropped.issues.map(formatIssue)).toEqual([
      'plan.csv: Mug is in the plan with 1 drawn and 1 being drawn, but not in the file — keep it in the file, or run `lottery reset` or `lottery prizes clear` first',
    ]);
  });

  it('drops a prize nothing was drawn of, and matches kept prizes whatever their case', () => {
    const result = replacePlan(
      plan(prize('Mug', 5, { remaining: 3 }), prize('Pen', 2)),
      inputs(['MUG', 6]),
      new Map(),
      'plan.csv',
      NOW,
    );
    expect('plan' in result && planStatus(result.plan)).toEqual([
      {
        order: 1,
        prize: 'MUG',
        count: 6,
        per_draw: null,
        drawn: 2,
        in_progress: 0,
        remaining: 4,
        forfeited: 0,
      },
    ]);
  });
});

describe('a replacement draw hands the forfeited place back, once', () => {
  const replacing = (draw_id: string, forfeit: string) => ({
    ...draw(draw_id, 1),
    replaces: forfeit,
  });
  // Kettle: 3 won, nothing left.
  const drawnOut = plan(prize('Kettle', 3, { remaining: 0 }));

  it('reserves the forfeited place in the same write, so the prize stays fully drawn and nobody else can take it', () => {
    const reserved = reservePrize(drawnOut, 'Kettle', replacing('r1', 'draw-1#E1'), NOW);
    if (reserved.kind !== 'reserved') throw new Error(reserved.kind);
    expect(planStatus(reserved.plan)[0]).toMatchObject({
      drawn: 2,
      in_progress: 1,
      remaining: 0,
      forfeited: 1,
    });
    expect(reserved.prize.forfeits).toEqual(['draw-1#E1']);
    expect(reservePrize(reserved.plan, 'Kettle', draw('other', 1), NOW).kind).toBe('refused');
    // The replacement succeeds: three winners again.
    const settled = settleHolds(reserved.plan, new Map([['r1', 'SUCCEEDED']]), NOW)!;
    expect(planStatus(settled)[0]).toMatchObject({ drawn: 3, remaining: 0, forfeited: 1 });
  });

  it('a failed replacement gives the place to the plan; the next replacement of that forfeit draws from what is left', () => {
    const first = reservePrize(drawnOut, 'Kettle', replacing('r1', 'draw-1#E1'), NOW);
    if (first.kind !== 'reserved') throw new Error(first.kind);
    const failed = releasePrize(first.plan, 'r1', NOW)!;
    expect(planStatus(failed)[0]).toMatchObject({ drawn: 2, remaining: 1, forfeited: 1 });
    const second = reservePrize(failed, 'Kettle', replacing('r2', 'draw-1#E1'), NOW);
    if (second.kind !== 'reserved') throw new Error(second.kind);
    expect(planStatus(second.plan)[0]).toMatchObject({
      drawn: 2,
      in_progress: 1,
      remaining: 0,
      forfeited: 1,
    });
    expect(second.prize.forfeits).toEqual(['draw-1#E1']);
  });

  it('two forfeits of one prize each hand back their own place', () => {
    const first = reservePrize(drawnOut, 'Kettle', replacing('r1', 'draw-1#E1'), NOW);
    if (first.kind !== 'reserved') throw new Error(first.kind);
    const second = reservePrize(first.plan, 'Kettle', replacing('r2', 'draw-1#E2'), NOW);
    if (second.kind !== 'reserved') throw new Error(second.kind);
    expect(planStatus(second.plan)[0]).toMatchObject({ drawn: 1, in_progress: 2, forfeited: 2 });
  });

  it('a prize with nothing drawn (reset since the forfeit) has no place to give back', () => {
    const fresh = plan(prize('Kettle', 3));
    const reserved = reservePrize(fresh, 'Kettle', replacing('r1', 'draw-1#E1'), NOW);
    if (reserved.kind !== 'reserved') throw new Error(reserved.kind);
    expect(planStatus(reserved.plan)[0]).toMatchObject({
      drawn: 0,
      in_progress: 1,
      remaining: 2,
      forfeited: 0,
    });
  });

  it('reset forgets the forfeits; loading the plan again keeps them', () => {
    const reserved = reservePrize(drawnOut, 'Kettle', replacing('r1', 'draw-1#E1'), NOW);
    if (reserved.kind !== 'reserved') throw new Error(reserved.kind);
    const settled = settleHolds(reserved.plan, new Map([['r1', 'SUCCEEDED']]), NOW)!;
    expect(recountPlan(settled, new Map(), NOW).prizes[0]).not.toHaveProperty('forfeits');
    const reloaded = replacePlan(settled, [{ name: 'Kettle', count: 4 }], new Map(), 'p.csv', NOW);
    if (!('plan' in reloaded)) throw new Error('refused');
    expect(reloaded.plan.prizes[0]?.forfeits).toEqual(['draw-1#E1']);
    expect(planStatus(reloaded.plan)[0]).toMatchObject({ drawn: 3, remaining: 1, forfeited: 1 });
  });
});
