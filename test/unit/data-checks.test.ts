import { describe, expect, it } from 'vitest';
import { poolCheck, someOf, type PoolFacts } from '../../src/ops/data-checks';

const stats = { count: 10, max_serial: 10, version: 1, updated_at: 't' };
const facts = (more: Partial<PoolFacts> = {}): PoolFacts => ({
  stats,
  seeding: {},
  counted: { count: 10, maxSerial: 10 },
  repeated: [],
  recounted: false,
  ...more,
});

describe('poolCheck', () => {
  it('passes statistics that match the table', () => {
    expect(poolCheck(facts())).toEqual({
      name: 'pool',
      status: 'ok',
      message: '10 employees, serials 1..10, each held once',
    });
    expect(
      poolCheck(
        facts({
          stats: { ...stats, count: 1, max_serial: 4 },
          counted: { count: 1, maxSerial: 4 },
        }),
      ),
    ).toMatchObject({
      status: 'ok',
      message: '1 employee, serials up to 4 (3 unused), each held once',
    });
  });

  it('fails serials held twice before anything else, naming who holds them', () => {
    const check = poolCheck(
      facts({
        seeding: { a: 't' },
        repeated: [
          { serial: 3, ids: ['003', 'X1'] },
          { serial: 5, ids: ['005', 'X2', 'X3'] },
        ],
      }),
    );
    expect(check).toMatchObject({
      status: 'fail',
      message:
        'serial 3 is held by 003 and X1, serial 5 is held by 005 and X2 and X3: each pair shares one chance, and one of them can never win',
    });
  });

  it('warns of seeds that did not finish, saying what the table holds', () => {
    expect(poolCheck(facts({ seeding: { b: '2026-01-02', a: '2026-01-01' } }))).toEqual({
      name: 'pool',
      status: 'warn',
      message:
        '2 seeds began at 2026-01-01, 2026-01-02 and did not finish (stopped half-way, or still writing): the statistics may not count everyone; the table holds 10 employees, serials 1..10, each held once',
      fix: 'once no seed is running, `lottery doctor --fix` counts the pool again',
    });
    expect(poolCheck(facts({ seeding: { a: 'T' } })).message).toMatch(/^a seed began at T and/);
  });

  it('says what doctor --fix counted', () => {
    expect(poolCheck(facts({ seeding: { a: 'T' }, recounted: true }))).toEqual({
      name: 'pool',
      status: 'ok',
      message: 'counted the pool again: 10 employees, serials 1..10, each held once',
    });
  });

  it('fails statistics that do not match the table', () => {
    const check = poolCheck(facts({ counted: { count: 12, maxSerial: 12 } }));
    expect(check).toEqual({
      name: 'pool',
      status: 'fail',
      message:
        'the statistics say 10 employees up to serial 10, but the table holds 12 employees, serials 1..12, each held once: draws would leave people out',
      fix: '`lottery doctor --fix` counts the pool again',
    });
    expect(poolCheck(facts({ counted: { count: 10, maxSerial: 11 } })).status).toBe('fail');
  });

  it('warns of a pool without statistics, unless it is empty', () => {
    expect(poolCheck(facts({ stats: undefined, counted: { count: 0, maxSerial: 0 } }))).toEqual({
      name: 'pool',
      status: 'ok',
      message: 'no employees yet',
    });
    expect(poolCheck(facts({ stats: undefined }))).toEqual({
      name: 'pool',
      status: 'warn',
      message:
        'the pool has no statistics (it was not loaded with `lottery seed`): every draw reads all the serials; the table holds 10 employees, serials 1..10, each held once',
      fix: '`lottery doctor --fix` counts the pool again',
    });
  });
});

describe('someOf', () => {
  it('lists a few and says how many more', () => {
    expect(someOf(['a', 'b'], 2)).toBe('a, b');
    expect(someOf(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
    expect(someOf(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e and 1 more');
  });
});
