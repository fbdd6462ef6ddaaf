import { describe, expect, it } from 'vitest';
import {
  claimedState,
  countedSize,
  emptyPoolState,
  finishedState,
  isQuiet,
  planIsExact,
  repeatedSerials,
  serialRange,
  type PoolState,
} from '../../src/core/seeding';
import { SeedPlanner } from '../../src/core/seed-plan';

const members = {
  algorithm: 'sha256-chain-v1' as const,
  salt: '00'.repeat(16),
  digest: 'ab'.repeat(32),
  count: 10,
  salted_at: '2026-01-01T00:00:00.000Z',
};
const stats = {
  count: 10,
  max_serial: 10,
  version: 3,
  updated_at: '2026-01-01T00:00:00.000Z',
  members,
};
const state = (more: Partial<PoolState> = {}): PoolState => ({
  stats,
  claimed_serial: 10,
  seeding: {},
  revision: 5,
  ...more,
});

describe('serialRange', () => {
  it('goes on from the seed’s own floor when nobody wrote the item since the seed read it', () => {
    // A pool shrunk by --replace: serials claimed long ago are free again.
    expect(serialRange(state({ claimed_serial: 500 }), state(), 4, 3)).toEqual({
      first: 5,
      last: 7,
    });
    expect(isQuiet(state(), state())).toBe(true);
  });

  it('goes on above every claim and count when another seed is writing', () => {
    const busy = state({ claimed_serial: 70, seeding: { other: 'now' } });
    expect(isQuiet(busy, state())).toBe(false);
    expect(serialRange(busy, state(), 4, 3)).toEqual({ first: 71, last: 73 });
  });

  it('goes on above every claim and count when the item changed since the seed read it', () => {
    const changed = state({ revision: 6, claimed_serial: 12, stats: { ...stats, max_serial: 40 } });
    expect(isQuiet(changed, state())).toBe(false);
    expect(serialRange(changed, state(), 30, 2)).toEqual({ first: 41, last: 42 });
    expect(serialRange(changed, state(), 50, 2)).toEqual({ first: 51, last: 52 });
    expect(serialRange(state({ revision: 6, claimed_serial: 60 }), state(), 50, 1)).toEqual({
      first: 61,
      last: 61,
    });
  });

  it('starts a first seed at 1', () => {
    expect(serialRange(emptyPoolState(), emptyPoolState(), 0, 2)).toEqual({ first: 1, last: 2 });
    expect(
      serialRange(
        { ...emptyPoolState(), revision: 1, seeding: { a: 'x' } },
        emptyPoolState(),
        0,
        2,
      ),
    ).toEqual({ first: 1, last: 2 });
  });
});

describe('claimedState', () => {
  it('lists the seed, keeps the others, and raises the revision and the claimed serial', () => {
    const next = claimedState(
      state({ seeding: { other: 't0' } }),
      { first: 11, last: 20 },
      'me',
      't1',
    );
    expect(next).toEqual({
      stats,
      claimed_serial: 20,
      seeding: { other: 't0', me: 't1' },
      revision: 6,
    });
  });

  it('claims up to just below the range when the seed hands out none', () => {
    expect(claimedState(state(), { first: 31, last: 30 }, 'me', 't').claimed_serial).toBe(30);
  });
});

describe('planIsExact', () => {
  const claim = { seedId: 'me', revision: 6, quiet: true };
  const after = state({ revision: 6, seeding: { me: 't' } });
  it('holds only for a quiet claim that is still the last write, with nobody else listed', () => {
    expect(planIsExact(after, claim)).toBe(true);
    expect(planIsExact(after, { ...claim, quiet: false })).toBe(false);
    expect(planIsExact(state({ revision: 7, seeding: { me: 't' } }), claim)).toBe(false);
    expect(planIsExact(state({ revision: 6, seeding: { me: 't', b: 't' } }), claim)).toBe(false);
    expect(planIsExact(state({ revision: 6, seeding: { other: 't' } }), claim)).toBe(false);
    expect(planIsExact(state({ revision: 6, seeding: {} }), claim)).toBe(false);
  });
});

describe('finishedState', () => {
  it('keeps the version when nothing changed, and takes the seed off the list', () => {
    const next = finishedState(
      state({ seeding: { me: 't', other: 't' } }),
      { count: 10, maxSerial: 10 },
      false,
      ['me'],
      'later',
    );
    expect(next).toEqual({ stats, claimed_serial: 10, seeding: { other: 't' }, revision: 6 });
  });

  it('raises the version when the seed wrote, or the counts moved, with the new digest', () => {
    const digest = { ...members, digest: 'cd'.repeat(32) };
    const written = finishedState(state(), { count: 10, maxSerial: 10 }, true, [], 'later', digest);
    expect(written.stats).toEqual({
      count: 10,
      max_serial: 10,
      version: 4,
      updated_at: 'later',
      members: digest,
    });
    expect(
      finishedState(state(), { count: 11, maxSerial: 10 }, false, [], 'l').stats?.version,
    ).toBe(4);
    expect(finishedState(state(), { count: 10, maxSerial: 12 }, false, [], 'l').stats).toEqual({
      count: 10,
      max_serial: 12,
      version: 4,
      updated_at: 'l',
    });
  });

  it('keeps the tickets when it has them, and raises the version when they moved', () => {
    const size = { count: 10, maxSerial: 10, maxTickets: 3, ticketsTotal: 14 };
    const next = finishedState(state(), size, false, [], 'l', members);
    expect(next.stats).toEqual({
      count: 10,
      max_serial: 10,
      version: 4,
      updated_at: 'l',
      max_tickets: 3,
      tickets_total: 14,
      members,
    });
    expect(finishedState(next, size, false, [], 'm').stats?.version).toBe(4);
    expect(finishedState(next, { ...size, ticketsTotal: 15 }, false, [], 'm').stats?.version).toBe(
      5,
    );
  });

  it('replaces statistics kept before the pool had a digest, even when nothing moved', () => {
    const { members: _, ...old } = stats;
    const next = finishedState(
      state({ stats: old }),
      { count: 10, maxSerial: 10 },
      false,
      [],
      'now',
      members,
    );
    expect(next.stats).toEqual({ ...old, version: 4, updated_at: 'now', members });
  });

  it('makes the first statistics at version 1', () => {
    const first = finishedState(emptyPoolState(), { count: 0, maxSerial: 0 }, false, [], 'now');
    expect(first.stats).toEqual({ count: 0, max_serial: 0, version: 1, updated_at: 'now' });
    expect(first.revision).toBe(1);
  });
});

describe('repeatedSerials and countedSize', () => {
  it('finds each serial held more than once, once', () => {
    expect(repeatedSerials([1, 2, 2, 2, 3, 5, 5])).toEqual([2, 5]);
    expect(repeatedSerials([1, 2, 3])).toEqual([]);
    expect(repeatedSerials([])).toEqual([]);
  });

  it('counts the keys and takes the last as the highest', () => {
    expect(countedSize([1, 2, 7])).toEqual({
      count: 3,
      maxSerial: 7,
      maxTickets: 1,
      ticketsTotal: 3,
    });
    expect(countedSize([])).toEqual({ count: 0, maxSerial: 0, maxTickets: 1, ticketsTotal: 0 });
  });

  it('adds up the tickets, one for whoever has none', () => {
    expect(countedSize([1, 2, 7], [3, undefined, 5])).toEqual({
      count: 3,
      maxSerial: 7,
      maxTickets: 5,
      ticketsTotal: 9,
    });
  });
});

describe('SeedPlanner and a claimed range', () => {
  const existing = [
    { employee_id: '001', employee_name: 'Rose', lottery_serial: 1 },
    { employee_id: '002', employee_name: 'Tracy', lottery_serial: 4 },
  ];
  function planned(records: Record<string, unknown>[]) {
    const planner = new SeedPlanner('staff.csv');
    const raw = records.map((value, index) => ({ value, line: index + 2 }));
    for (const record of raw) planner.check(record);
    planner.finishChecks(existing);
    return { planner, raw };
  }

  it('says how many need a serial and the highest one in the table or the file', () => {
    const { planner } = planned([
      { employee_id: '001', employee_name: 'Rose' },
      { employee_id: '003', employee_name: 'Aaron' },
      { employee_id: '004', employee_name: 'Bea', lottery_serial: '9' },
      { employee_id: '005', employee_name: 'Cy' },
    ]);
    expect(planner.assignmentsNeeded()).toBe(2);
    expect(planner.highestSerial()).toBe(9);
  });

  it('hands out the claimed range in file order, and counts the pool up to its end', () => {
    const { planner, raw } = planned([
      { employee_id: '003', employee_name: 'Aaron' },
      { employee_id: '005', employee_name: 'Cy' },
    ]);
    planner.assignFrom(21);
    expect(raw.map((record) => planner.decide(record).employee.lottery_serial)).toEqual([21, 22]);
    expect(planner.poolAfter()).toEqual({
      count: 4,
      maxSerial: 22,
      maxTickets: 1,
      ticketsTotal: 4,
    });
  });

  it('leaves the highest serial alone when nobody needs one', () => {
    const { planner, raw } = planned([{ employee_id: '001', employee_name: 'Rose' }]);
    planner.assignFrom(50);
    for (const record of raw) planner.decide(record);
    expect(planner.poolAfter()).toEqual({ count: 2, maxSerial: 4, maxTickets: 1, ticketsTotal: 2 });
  });

  it('refuses a range that would reuse serials', () => {
    const { planner } = planned([{ employee_id: '003', employee_name: 'Aaron' }]);
    expect(() => planner.assignFrom(4)).toThrow('serials from 4 would reuse ones at or below 4');
    expect(() => planner.assignFrom(5)).not.toThrow();
  });
});
