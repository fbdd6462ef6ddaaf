import { describe, expect, it } from 'vitest';
import {
  poolCheck,
  someOf,
  winnerRowFindings,
  winnersCheck,
  type DrawOutcome,
  type PoolFacts,
} from '../../src/ops/data-checks';

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

describe('winnerRowFindings and winnersCheck', () => {
  const outcomes = new Map<string, DrawOutcome>([
    [
      'ok',
      {
        status: 'SUCCEEDED',
        result: { prize: 'Kettle', winners: [{ employee_id: '1' }, { employee_id: '2' }] },
      },
    ],
    ['stopped', { status: 'ABORTED' }],
    ['going', { status: 'RUNNING' }],
    ['odd', { status: 'SUCCEEDED' }],
    ['redriven', { status: 'PENDING_REDRIVE' }],
  ]);
  const serials = new Map([
    ['1', 1],
    ['2', 2],
    ['3', 3],
    ['4', 4],
    ['9', 9],
  ]);
  const won = (employee_id: string, draw_id?: string, more: object = {}) => ({
    employee_id,
    ...(draw_id ? { draw_id } : {}),
    status: 'won' as const,
    lottery_serial: Number(employee_id),
    prize: 'Kettle',
    ...more,
  });

  it('accounts for the rows a succeeded draw returned, and counts the workshop’s apart', () => {
    const findings = winnerRowFindings(
      [
        won('1', 'ok'),
        won('2', 'ok'),
        { employee_id: '9' },
        won('4', 'going'),
        { ...won('3', 'stopped'), status: 'claimed' },
      ],
      outcomes,
      serials,
    );
    expect(findings).toEqual({
      accounted: 2,
      workshop: 1,
      unsucceeded: [],
      unaccounted: [],
      serials: [],
    });
    expect(winnersCheck(findings, { removed: false, serialsSet: false })).toEqual({
      name: 'winners',
      status: 'ok',
      message:
        "2 winners, each accounted for by the draw that recorded it, and 1 row of the workshop's Record Winners, which name no draw",
    });
  });

  it('finds rows no draw accounts for, and says why', () => {
    const findings = winnerRowFindings(
      [
        won('1', 'ok', { prize: 'Mug' }),
        won('3', 'ok'),
        won('4', 'ghost'),
        won('2', 'odd'),
        won('9', 'redriven'),
        won('2', 'ok', { prize: undefined }),
      ],
      outcomes,
      serials,
    );
    expect(findings.unaccounted).toEqual([
      '1 (recorded for Mug, but draw ok was of Kettle)',
      '3 (not among the winners of draw ok)',
      '4 (draw ghost does not exist)',
      '2 (the output of draw odd is not a draw result)',
      '9 (draw redriven is pending_redrive)',
      '2 (recorded for no prize, but draw ok was of Kettle)',
    ]);
    expect(winnersCheck(findings, { removed: false, serialsSet: false })).toEqual({
      name: 'winners',
      status: 'fail',
      message:
        '6 winner rows no draw accounts for: 1 (recorded for Mug, but draw ok was of Kettle), 3 (not among the winners of draw ok), 4 (draw ghost does not exist) and 3 more; each is kept out of every later draw',
      fix: 'someone edited the winners table: remove the rows nobody drew (`lottery verify DRAW` checks a draw whose rows were changed)',
    });
    const free = new Map<string, DrawOutcome>([
      ['free', { status: 'SUCCEEDED', result: { prize: null, winners: [{ employee_id: '1' }] } }],
    ]);
    expect(winnerRowFindings([won('1', 'free')], free, serials).unaccounted).toEqual([
      '1 (recorded for Kettle, but draw free was of no prize)',
    ]);
    expect(winnerRowFindings([won('1', 'free', { prize: null })], free, serials).accounted).toBe(1);
  });

  it('groups the wins of draws that did not succeed, and --fix removes them', () => {
    const findings = winnerRowFindings(
      [won('1', 'stopped'), won('2', 'stopped'), won('3', 'failed')],
      new Map([...outcomes, ['failed', { status: 'FAILED' }]]),
      serials,
    );
    expect(findings.unsucceeded).toEqual([
      { drawId: 'stopped', status: 'ABORTED', ids: ['1', '2'] },
      { drawId: 'failed', status: 'FAILED', ids: ['3'] },
    ]);
    expect(winnersCheck(findings, { removed: false, serialsSet: false })).toEqual({
      name: 'winners',
      status: 'warn',
      message:
        '3 people recorded as winners by draws that did not succeed: stopped (aborted), failed (failed)',
      fix: '`lottery doctor --fix` removes them (so does the next draw)',
    });
    expect(winnersCheck(findings, { removed: true, serialsSet: false })).toEqual({
      name: 'winners',
      status: 'ok',
      message:
        'removed 3 winners of draws that did not succeed: stopped (aborted), failed (failed); 0 winners, each accounted for by the draw that recorded it',
    });
  });

  it('finds serials that are not the employee table’s, and --fix sets them', () => {
    const findings = winnerRowFindings(
      [won('1', 'ok', { lottery_serial: 7 }), won('2', 'ok'), won('5', undefined)],
      outcomes,
      serials,
    );
    expect(findings.serials).toEqual([
      { id: '1', row: 7, now: 1 },
      { id: '5', row: 5, now: undefined },
    ]);
    expect(winnersCheck(findings, { removed: false, serialsSet: false })).toEqual({
      name: 'winners',
      status: 'fail',
      message:
        '1 has serial 7 there and 1 in the employee table, 5 has serial 5 there and is gone from the employee table: draws exclude past winners by that serial, so someone else is left out',
      fix: '`lottery doctor --fix` sets them as the employee table has them',
    });
    expect(winnersCheck(findings, { removed: false, serialsSet: true }).message).toBe(
      "set the serials of 2 winners as the employee table has them; 2 winners, each accounted for by the draw that recorded it, and 1 row of the workshop's Record Winners, which name no draw",
    );
  });

  it('puts every problem in one finding, the worst deciding its status', () => {
    const findings = winnerRowFindings([won('1', 'stopped'), won('4', 'ghost')], outcomes, serials);
    const check = winnersCheck(findings, { removed: true, serialsSet: false });
    expect(check).toEqual({
      name: 'winners',
      status: 'fail',
      message:
        '1 winner row no draw accounts for: 4 (draw ghost does not exist); each is kept out of every later draw; removed 1 winner of draws that did not succeed: stopped (aborted)',
      fix: 'someone edited the winners table: remove the rows nobody drew (`lottery verify DRAW` checks a draw whose rows were changed)',
    });
    const both = winnerRowFindings(
      [won('1', 'stopped'), won('2', 'ok', { lottery_serial: 9 })],
      outcomes,
      serials,
    );
    expect(winnersCheck(both, { removed: false, serialsSet: false })).toMatchObject({
      status: 'fail',
      fix: '`lottery doctor --fix` sets them as the employee table has them; `lottery doctor --fix` removes them (so does the next draw)',
    });
  });
});
