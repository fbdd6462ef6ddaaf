import { describe, expect, it } from 'vitest';
import {
  barsPerson,
  chooseCandidateMode,
  decideSelection,
  exclusions,
  hasWon,
  notEnoughEligibleMessage,
  pickPeople,
  poolCounts,
  winnerDetail,
  withBarred,
  withSerials,
  type PoolCounts,
  type PoolStats,
  type WinnerClaim,
} from '../../src/core/pool';

function counts(eligible: number, total: number, won: number, heldByOthers: number): PoolCounts {
  return { eligible, total, won, forfeited: 0, barred: 0, heldByOthers };
}

const stats = (count: number, max_serial: number): PoolStats => ({
  count,
  max_serial,
  version: 3,
  updated_at: 't',
});

describe('exclusions', () => {
  it('nobody is excluded when nobody has won or been claimed', () => {
    expect(exclusions([], 'draw-1')).toEqual({
      excluded: [],
      won: 0,
      forfeited: 0,
      barred: 0,
      heldByOthers: 0,
      claimingDraws: new Map(),
      unresolved: [],
    });
  });

  it("excludes past winners and other draws' claims by serial, sorted; keeps this draw's own claims", () => {
    const claims: WinnerClaim[] = [
      { employee_id: '001', draw_id: 'draw-old', status: 'won', lottery_serial: 9 },
      { employee_id: '002', draw_id: 'draw-other', status: 'won', lottery_serial: 2 },
      {
        employee_id: '003',
        draw_id: 'draw-running',
        status: 'claimed',
        lottery_serial: 30,
        execution_arn: 'arn:x',
      },
      { employee_id: '004', draw_id: 'draw-1', status: 'claimed', lottery_serial: 4 },
      { employee_id: '005', draw_id: 'draw-1', status: 'won', lottery_serial: 5 },
    ];
    expect(exclusions(claims, 'draw-1')).toEqual({
      excluded: [2, 9, 30],
      won: 2,
      forfeited: 0,
      barred: 0,
      heldByOthers: 1,
      claimingDraws: new Map([['draw-running', 'arn:x']]),
      unresolved: [],
    });
  });

  it("counts the workshop's rows (only an employee_id) as won, and asks for their serials", () => {
    expect(
      exclusions(
        [{ employee_id: '007' }, { employee_id: '008', draw_id: 'd', status: 'claimed' }],
        'draw-1',
      ),
    ).toEqual({
      excluded: [],
      won: 1,
      forfeited: 0,
      barred: 0,
      heldByOthers: 1,
      claimingDraws: new Map([['d', undefined]]),
      unresolved: ['007', '008'],
    });
  });

  it('holds back a claimed row that names no draw, without asking about a draw called "undefined"', () => {
    expect(
      exclusions([{ employee_id: '009', status: 'claimed', lottery_serial: 3 }], 'draw-1'),
    ).toEqual({
      excluded: [3],
      won: 0,
      forfeited: 0,
      barred: 0,
      heldByOthers: 1,
      claimingDraws: new Map(),
      unresolved: [],
    });
  });

  it('names each claiming draw once', () => {
    const claims: WinnerClaim[] = ['1', '2', '3'].map((id) => ({
      employee_id: id,
      draw_id: 'draw-x',
      status: 'claimed',
      lottery_serial: Number(id),
    }));
    expect(exclusions(claims, 'draw-1').claimingDraws).toEqual(new Map([['draw-x', undefined]]));
  });
});

describe('forfeits and people excluded from the event', () => {
  it('counts a forfeit that bars its person apart from wins and holds', () => {
    const excluded = exclusions(
      [
        { employee_id: 'A', lottery_serial: 4, status: 'forfeited', draw_id: 'draw-0' },
        { employee_id: 'B', lottery_serial: 2, status: 'forfeited', eligible_again: true },
        { employee_id: 'C', lottery_serial: 9, status: 'won', draw_id: 'draw-0' },
      ],
      'draw-1',
    );
    expect(excluded).toMatchObject({ excluded: [4, 9], won: 1, forfeited: 1, heldByOthers: 0 });
    expect(excluded.claimingDraws.size).toBe(0);
  });

  it('only a forfeit can be made eligible again: a win always bars its person', () => {
    expect(barsPerson({ employee_id: 'A', status: 'won', eligible_again: true })).toBe(true);
    expect(barsPerson({ employee_id: 'A', status: 'forfeited', eligible_again: true })).toBe(false);
    expect(barsPerson({ employee_id: 'A', status: 'forfeited' })).toBe(true);
  });

  it('adds excluded people once, counting only those not excluded already', () => {
    const before = { ...exclusions([], 'draw-1'), excluded: [3, 8], barred: 1 };
    expect(withBarred(before, [8, 5, 5, 1])).toMatchObject({ excluded: [1, 3, 5, 8], barred: 3 });
  });

  it('names forfeits and exclusions when too few people are left', () => {
    const pool = { ...counts(1, 10, 4, 1), forfeited: 2, barred: 3 };
    expect(notEnoughEligibleMessage(pool, 2)).toBe(
      'only 1 of 10 employees is eligible (4 already won, 2 forfeited, 3 excluded, ' +
        '1 held by draws still running); asked for 2 winners',
    );
  });
});

describe('hasWon and withSerials', () => {
  it.each([
    [{ employee_id: 'a' }, true],
    [{ employee_id: 'a', status: 'won' }, true],
    [{ employee_id: 'a', status: 'claimed' }, false],
  ] as const)('%j has won: %s', (claim, expected) => {
    expect(hasWon(claim)).toBe(expected);
  });

  it('merges serials into a sorted list without repeats', () => {
    expect(withSerials([2, 9], [9, 1, 30])).toEqual([1, 2, 9, 30]);
  });
});

describe('poolCounts', () => {
  it('everyone with an excluded serial is not eligible', () => {
    expect(
      poolCounts(10, { excluded: [1, 2, 3], won: 2, forfeited: 0, barred: 0, heldByOthers: 1 }),
    ).toEqual(counts(7, 10, 2, 1));
  });

  it('never goes below zero when the statistics are behind', () => {
    const excluded = { excluded: [1, 2, 3], won: 3, forfeited: 0, barred: 0, heldByOthers: 0 };
    expect(poolCounts(2, excluded).eligible).toBe(0);
  });
});

describe('decideSelection', () => {
  it.each([
    ['enough eligible', counts(5, 10, 5, 0), 5, 3, { kind: 'select' }],
    ['more than enough', counts(9, 10, 0, 1), 2, 0, { kind: 'select' }],
    [
      'enough only with claims of running draws, waits left',
      counts(2, 10, 5, 3),
      4,
      1,
      { kind: 'wait' },
    ],
    ['exactly enough with claims of running draws', counts(2, 10, 5, 2), 4, 1, { kind: 'wait' }],
  ] as const)('%s → %j', (_label, pool, wanted, waitsLeft, expected) => {
    expect(decideSelection(pool, wanted, waitsLeft)).toEqual(expected);
  });

  it('fails once it has no waits left, even if running draws might give people back', () => {
    expect(decideSelection(counts(2, 10, 5, 3), 4, 0)).toEqual({
      kind: 'fail',
      message:
        'only 2 of 10 employees are eligible (5 already won, 3 held by draws still running); asked for 4 winners',
    });
  });

  it('fails at once when even the claimed people would not be enough', () => {
    expect(decideSelection(counts(2, 10, 7, 1), 4, 5)).toEqual({
      kind: 'fail',
      message:
        'only 2 of 10 employees are eligible (7 already won, 1 held by draws still running); asked for 4 winners',
    });
  });
});

describe('notEnoughEligibleMessage', () => {
  it.each([
    [
      counts(0, 5, 5, 0),
      2,
      'only 0 of 5 employees are eligible (5 already won); asked for 2 winners',
    ],
    [
      counts(1, 5, 4, 0),
      2,
      'only 1 of 5 employees is eligible (4 already won); asked for 2 winners',
    ],
    [
      counts(0, 1, 1, 0),
      1,
      'only 0 of 1 employee are eligible (1 already won); asked for 1 winner',
    ],
    [
      counts(3, 10, 5, 2),
      6,
      'only 3 of 10 employees are eligible (5 already won, 2 held by draws still running); asked for 6 winners',
    ],
    [
      counts(0, 0, 0, 0),
      1,
      'only 0 of 0 employees are eligible (0 already won); asked for 1 winner',
    ],
  ])('%j, asked for %d → %s', (pool, wanted, expected) => {
    expect(notEnoughEligibleMessage(pool, wanted)).toBe(expected);
  });
});

describe('chooseCandidateMode', () => {
  const pool = (eligible: number, excluded: number[] = []) => ({
    ...counts(eligible, 0, 0, 0),
    excluded,
  });

  it('draws in serial space when the serials are dense', () => {
    expect(chooseCandidateMode(stats(1000, 1000), pool(1000), 10, false)).toEqual({
      mode: 'serial-space',
      serialSpace: 1000,
    });
  });

  it('stays in serial space as the pool runs out, holes or not', () => {
    expect(chooseCandidateMode(stats(1000, 1000), pool(10, [1, 2]), 10, false)).toEqual({
      mode: 'serial-space',
      serialSpace: 1000,
    });
    expect(chooseCandidateMode(stats(990, 1000), pool(10), 10, false)).toEqual({
      mode: 'serial-space',
      serialSpace: 1000,
    });
  });

  it('knows a taken serial equal to the highest in the statistics', () => {
    expect(chooseCandidateMode(stats(10, 10), pool(5, [3, 10]), 2, false)).toEqual({
      mode: 'serial-space',
      serialSpace: 10,
    });
    expect(chooseCandidateMode(stats(10, 10), pool(5, [3, 11]), 2, false)).toEqual({
      mode: 'serial-list',
      reason: 'someone has serial 11, above the highest the statistics know',
    });
  });

  it.each([
    // wanted, eligible, holes: expected lookups wanted × (holes + eligible) / eligible against 4 ×
    // wanted + 32
    [1, 1, 35, 'serial-space'], // 36 lookups: at the limit
    [1, 1, 36, 'serial-list'], // 37 lookups
    [2, 1, 19, 'serial-space'], // 40 lookups: at the limit for 2 winners
    [2, 1, 20, 'serial-list'], // 42 lookups
    [3, 10, 136, 'serial-space'], // 43.8 lookups, under 3 × 4 + 32 = 44
    [3, 10, 137, 'serial-list'], // 44.1 lookups
  ] as const)(
    '%d winner(s) among %d eligible with %d holes: %s',
    (wanted, eligible, holes, mode) => {
      const count = 1000;
      expect(
        chooseCandidateMode(stats(count, count + holes), pool(eligible), wanted, false).mode,
      ).toBe(mode);
    },
  );

  it('reads the keys when holes would cost more than four lookups a winner', () => {
    // 10 winners among 100 eligible with 900 holes: 10 × 1000 / 100 = 100 lookups expected, above 4
    // × 10 + 32.
    expect(chooseCandidateMode(stats(100, 1000), pool(100), 10, false)).toEqual({
      mode: 'serial-list',
      reason: '900 of the serials 1..1000 are unused',
    });
    // The same pool for 1 winner: 10 lookups expected, cheaper than reading the keys.
    expect(chooseCandidateMode(stats(100, 1000), pool(100), 1, false)).toEqual({
      mode: 'serial-space',
      serialSpace: 1000,
    });
  });

  it('reads the keys when there are no statistics', () => {
    expect(chooseCandidateMode(undefined, pool(5), 1, false)).toMatchObject({
      mode: 'serial-list',
      reason: expect.stringContaining('no statistics'),
    });
  });

  it('reads the keys when someone has a serial the statistics do not know', () => {
    expect(chooseCandidateMode(stats(10, 10), pool(10), 1, true)).toEqual({
      mode: 'serial-list',
      reason: 'someone has serial 11, above the highest the statistics know',
    });
    expect(chooseCandidateMode(stats(10, 10), pool(9, [14]), 1, false)).toEqual({
      mode: 'serial-list',
      reason: 'someone has serial 14, above the highest the statistics know',
    });
  });

  it('reads the keys when the statistics count more people than serials', () => {
    expect(chooseCandidateMode(stats(12, 10), pool(12), 1, false)).toMatchObject({
      mode: 'serial-list',
      reason: 'the statistics count more people than serials',
    });
  });
});

describe('pickPeople', () => {
  const people = new Map([1, 2, 4, 6, 7].map((serial) => [serial, { employee_id: `P${serial}` }]));
  const lookups: number[][] = [];
  const lookup = async (serials: readonly number[]) => {
    lookups.push([...serials]);
    return new Map(
      serials.flatMap((serial) =>
        people.has(serial) ? [[serial, people.get(serial)!] as const] : [],
      ),
    );
  };
  const source = (serials: number[]) => (count: number) => serials.splice(0, count);

  it('keeps the first people in the order, skipping holes and taken people, and says what each candidate was', async () => {
    lookups.length = 0;
    const picked = await pickPeople(
      source([3, 2, 5, 6, 1, 7, 4]),
      3,
      lookup,
      (person) => person.employee_id === 'P6',
    );
    expect(picked.winners.map((winner) => winner.employee_id)).toEqual(['P2', 'P1', 'P7']);
    expect(picked.candidates).toEqual([
      { serial: 3, skipped: 'hole' },
      { serial: 2, employee_id: 'P2' },
      { serial: 5, skipped: 'hole' },
      { serial: 6, employee_id: 'P6', skipped: 'taken' },
      { serial: 1, employee_id: 'P1' },
      { serial: 7, employee_id: 'P7' },
    ]);
    // Each round asks for as many serials as winners are still missing.
    expect(lookups).toEqual([[3, 2, 5], [6, 1], [7]]);
  });

  it('asks the order for as many candidates as winners are missing, and no more once done', async () => {
    const asked: number[] = [];
    const take = source([1, 3, 2, 4]);
    await pickPeople(
      (count) => {
        asked.push(count);
        return take(count);
      },
      3,
      lookup,
      () => false,
    );
    expect(asked).toEqual([3, 1]);
  });

  it('stops when the candidates run out', async () => {
    const picked = await pickPeople(source([3, 2]), 5, lookup, () => false);
    expect(picked.winners.map((winner) => winner.employee_id)).toEqual(['P2']);
    expect(picked.candidates).toHaveLength(2);
  });

  it('asks for nothing when nobody is wanted', async () => {
    lookups.length = 0;
    expect(await pickPeople(source([1, 2]), 0, lookup, () => false)).toEqual({
      winners: [],
      candidates: [],
    });
    expect(lookups).toEqual([]);
  });
});

describe('winnerDetail', () => {
  it('keeps the announced fields and drops the rest', () => {
    const employee = {
      employee_id: '001',
      employee_name: 'Rose',
      lottery_serial: 1,
      department: 'Ops',
      email: 'rose@example.com',
      employee_entry_date: '20190924',
    };
    expect(winnerDetail(employee)).toEqual({
      employee_id: '001',
      employee_name: 'Rose',
      lottery_serial: 1,
      department: 'Ops',
      email: 'rose@example.com',
    });
  });

  it('leaves out optional fields that are not set', () => {
    const detail = winnerDetail({ employee_id: '002', employee_name: 'Tracy' });
    expect(detail).toEqual({ employee_id: '002', employee_name: 'Tracy' });
    expect(Object.keys(detail)).toEqual(['employee_id', 'employee_name']);
  });
});
