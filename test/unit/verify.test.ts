import { beforeAll, describe, expect, it } from 'vitest';
import { poolDefinition, poolSummary, recordDigest, type SelectionRecord } from '../../src/core/audit';
import { announcementMessage, type DrawResult } from '../../src/core/draw';
import type { Employee } from '../../src/core/employees';
import { pickPeople } from '../../src/core/pool';
import { CandidateOrder, SELECTION_ALGORITHM, type CandidateSpace } from '../../src/core/selection';
import { verifyDraw, type VerifyEvidence, type VerifyCheckName } from '../../src/core/verify';

// A real draw, made the way Random Select Winners makes one, then rigged in every way someone
// might try: each rig must make `verify` fail, and say what differs.

const SEED = 'c0ffee'.padEnd(64, '0');
const HOLES = new Set([4, 13]);
const PAST_WINNERS = [2, 9];
const employees: Employee[] = Array.from({ length: 20 }, (_, i) => i + 1)
  .filter((serial) => !HOLES.has(serial))
  .map((serial) => ({ employee_id: `E${String(serial).padStart(2, '0')}`, employee_name: `Person ${serial}`, lottery_serial: serial }));
const bySerial = new Map(employees.map((employee) => [employee.lottery_serial, employee]));
const space: CandidateSpace = { mode: 'serial-space', serialSpace: 20, excluded: PAST_WINNERS };

let record: SelectionRecord;
let result: DrawResult;
let evidence: VerifyEvidence;

async function makeDraw(seed: string, attempt: number, k: number) {
  const order = new CandidateOrder(space, seed, attempt);
  const lookup = async (serials: readonly number[]) => new Map(serials.flatMap((serial) => (bySerial.has(serial) ? [[serial, bySerial.get(serial)!] as const] : [])));
  return pickPeople((count) => order.take(count), k, lookup, () => false);
}

beforeAll(async () => {
  // Seed chosen so that the draw meets a hole: the record then has something to skip.
  let seed = SEED;
  let picked = await makeDraw(seed, 1, 4);
  for (let i = 1; !picked.candidates.some((candidate) => candidate.skipped); i++) {
    seed = `c0ffee${String(i).padStart(58, '0')}`;
    picked = await makeDraw(seed, 1, 4);
  }
  const winners = picked.winners.map(({ employee_id, employee_name, lottery_serial }) => ({ employee_id, employee_name, lottery_serial }));
  record = {
    draw_id: 'draw-1',
    attempt: 1,
    algorithm: SELECTION_ALGORITHM,
    seed,
    seed_source: 'generated',
    prize: null,
    selected_at: '2026-11-29T10:00:00.000Z',
    pool: poolDefinition(space, { total: 18, eligible: 16, stats_version: 7 }),
    candidates: picked.candidates,
    winners,
  };
  result = {
    draw_id: 'draw-1',
    prize: null,
    winners,
    recorded_at: '2026-11-29T10:00:01.000Z',
    audit: { seed, seed_source: 'generated', attempt: 1, pool: poolSummary(record), record_digest: recordDigest(record) },
    message: announcementMessage(winners, null),
    announcement: { status: 'SENT', message_id: 'm-1' },
  };
  evidence = {
    input: '{"input":4}',
    result,
    records: new Map([[1, record]]),
    rows: winners.map((winner) => ({ employee_id: winner.employee_id, employee_name: winner.employee_name, draw_id: 'draw-1', status: 'won' as const })),
    resets: [],
    peopleBySerial: bySerial,
    winnersNow: new Map(employees.map((employee) => [employee.employee_id, employee])),
    statsVersion: 7,
  };
});

const check = (evidenceNow: VerifyEvidence, name: VerifyCheckName) => verifyDraw(evidenceNow).checks.find((each) => each.name === name);
const winnerIds = () => result.winners.map((winner) => winner.employee_id);
/** The evidence with a draw result whose audit record agrees with it, as a rigger who edits both would leave it. */
function rigged(change: { winners?: SelectionRecord['winners']; record?: Partial<SelectionRecord>; result?: Partial<DrawResult> }): VerifyEvidence {
  const newRecord = { ...record, ...(change.winners ? { winners: change.winners } : {}), ...change.record };
  const newResult = { ...result, ...(change.winners ? { winners: change.winners } : {}), audit: { ...result.audit, record_digest: recordDigest(newRecord), seed: newRecord.seed, attempt: newRecord.attempt }, ...change.result };
  return { ...evidence, result: newResult, records: new Map([[newRecord.attempt, newRecord]]) };
}

describe('an honest draw', () => {
  it('verifies, with every check passing and the winners recomputed', () => {
    const verification = verifyDraw(evidence);
    expect(verification.checks.map((each) => [each.name, each.ok, each.warning ?? false])).toEqual([
      ['record', true, false],
      ['seed', true, false],
      ['pool', true, false],
      ['selection', true, false],
      ['people', true, false],
      ['records', true, false],
    ]);
    expect(verification.ok).toBe(true);
    expect(verification.recomputed).toEqual(winnerIds());
    expect(check(evidence, 'selection')?.detail).toMatch(/after skipping 1 unused serial|after skipping 2 unused serials/);
  });

  it('still verifies after later seeding, with a warning that names what changed', () => {
    const hole = record.candidates.find((candidate) => candidate.skipped === 'hole')!;
    const later = new Map(bySerial).set(hole.serial, { employee_id: 'NEW', employee_name: 'Newcomer', lottery_serial: hole.serial });
    const people = check({ ...evidence, peopleBySerial: later, statsVersion: 8 }, 'people');
    expect(people).toMatchObject({ ok: true, warning: true });
    expect(people?.detail).toContain(`serial ${hole.serial} was nobody's at the draw and is NEW's now`);
    expect(verifyDraw({ ...evidence, peopleBySerial: later, statsVersion: 8 }).ok).toBe(true);
  });

  it('still verifies after a reset removed its winners, and says so', () => {
    const afterReset = { ...evidence, rows: [], resets: [{ at: '2026-11-29T11:00:00.000Z', draws: ['draw-0', 'draw-1'] }] };
    expect(check(afterReset, 'records')).toEqual({ name: 'records', ok: true, warning: true, detail: "`lottery reset` removed this draw's winners from the winners table at 2026-11-29T11:00:00.000Z" });
    expect(verifyDraw(afterReset).ok).toBe(true);
  });

  it('warns, without failing, when the caller chose the seed', () => {
    const chosen = rigged({ record: { seed_source: 'caller' }, result: {} });
    chosen.result = { ...chosen.result, audit: { ...chosen.result.audit, seed_source: 'caller' } };
    const seed = check({ ...chosen, input: JSON.stringify({ input: 4, seed: record.seed.toUpperCase() }) }, 'seed');
    expect(seed).toMatchObject({ ok: true, warning: true, detail: expect.stringContaining('chosen by whoever started the draw') });
  });
});

describe('a rigged draw does not verify, and the message names what differs', () => {
  it.each([
    ['winners swapped for someone else', () => [{ employee_id: 'E20', employee_name: 'Person 20', lottery_serial: 20 }, ...result.winners.slice(1)]],
    ['winners reordered', () => [...result.winners].reverse()],
    ['a winner dropped', () => result.winners.slice(1)],
    ['a winner added', () => [...result.winners, { employee_id: 'E20', employee_name: 'Person 20', lottery_serial: 20 }]],
  ])('%s (records edited to agree)', (_what, winners) => {
    const verification = verifyDraw(rigged({ winners: winners() }));
    expect(verification.ok).toBe(false);
    const selection = verification.checks.find((each) => each.name === 'selection');
    expect(selection?.ok).toBe(false);
    expect(selection?.detail).toContain(winnerIds().join(', '));
  });

  it('winners swapped in the output only: the record digest and the selection both say so', () => {
    const swapped = { ...evidence, result: { ...result, winners: [...result.winners].reverse() } };
    expect(check(swapped, 'selection')).toMatchObject({ ok: false, detail: expect.stringContaining(`but the draw says ${[...winnerIds()].reverse().join(', ')}`) });
  });

  it('the audit record edited but not the output', () => {
    const edited = { ...evidence, records: new Map([[1, { ...record, prize: 'Car' }]]) };
    expect(check(edited, 'record')).toMatchObject({ ok: false, detail: expect.stringContaining('one of them was changed') });
  });

  it('the seed changed', () => {
    const verification = verifyDraw(rigged({ record: { seed: 'ab'.repeat(32) } }));
    expect(verification.ok).toBe(false);
    expect(verification.checks.find((each) => each.name === 'selection')?.detail).toMatch(/^candidate 1 of the seed is serial \d+, but the record says serial \d+$|candidates give/);
  });

  it('the attempt changed', () => {
    expect(verifyDraw(rigged({ record: { attempt: 2 } })).checks.find((each) => each.name === 'selection')?.ok).toBe(false);
  });

  it('the algorithm changed', () => {
    const other = rigged({ record: { algorithm: 'sha256-ctr-fisher-yates-v1' } });
    expect(check(other, 'algorithm')).toEqual({ name: 'algorithm', ok: false, detail: `the draw used sha256-ctr-fisher-yates-v1; this version checks ${SELECTION_ALGORITHM}` });
  });

  it('the pool changed: someone left out of the candidates', () => {
    const narrower = poolDefinition({ mode: 'serial-space', serialSpace: 20, excluded: [...PAST_WINNERS, 17].sort((a, b) => a - b) }, { total: 18, eligible: 15, stats_version: 7 });
    const verification = verifyDraw(rigged({ record: { pool: narrower } }));
    expect(verification.checks.find((each) => each.name === 'pool')).toMatchObject({ ok: false, detail: expect.stringContaining('but the draw recorded') });
  });

  it('the pool and its digest both changed: the selection no longer follows', () => {
    const narrower = poolDefinition({ mode: 'serial-space', serialSpace: 19, excluded: PAST_WINNERS }, { total: 18, eligible: 16, stats_version: 7 });
    const edited = rigged({ record: { pool: narrower } });
    edited.result = { ...edited.result, audit: { ...edited.result.audit, pool: { ...edited.result.audit.pool, digest: narrower.digest } } };
    expect(verifyDraw(edited).checks.find((each) => each.name === 'selection')?.ok).toBe(false);
  });

  it('the record names a candidate differently: a hole turned into a person', () => {
    const candidates = record.candidates.map((candidate) => (candidate.skipped === 'hole' ? { serial: candidate.serial, employee_id: 'E20' } : candidate));
    expect(verifyDraw(rigged({ record: { candidates } })).ok).toBe(false);
  });

  it('the record goes on past its last winner', () => {
    const candidates = [...record.candidates, { serial: 99, skipped: 'hole' as const }];
    expect(check(rigged({ record: { candidates } }), 'selection')).toMatchObject({ ok: false });
  });

  it('the provenance of the seed edited: started with a seed, recorded as generated', () => {
    const seed = check({ ...evidence, input: JSON.stringify({ input: 4, seed: record.seed }) }, 'seed');
    expect(seed).toEqual({ name: 'seed', ok: false, detail: "the draw was started with a seed of the caller's choosing, but its records say the seed was generated" });
  });

  it('the provenance of the seed edited: recorded as chosen, started without one', () => {
    const edited = { ...evidence, result: { ...result, audit: { ...result.audit, seed_source: 'caller' as const } } };
    expect(check(edited, 'seed')).toMatchObject({ ok: false, detail: 'the records say the caller chose the seed, but the draw was started without one' });
  });

  it('a winner renamed in the employee table', () => {
    const [first] = result.winners;
    const renamed = new Map(evidence.winnersNow).set(first!.employee_id, { ...employees.find((employee) => employee.employee_id === first!.employee_id)!, employee_name: 'Mallory' });
    const people = check({ ...evidence, winnersNow: renamed }, 'people');
    expect(people?.ok).toBe(false);
    expect(people?.detail).toContain(`${first!.employee_id} is named "${first!.employee_name}" in the audit record`);
    expect(people?.detail).toContain('"Mallory" in the employee table');
  });

  it('a winner renamed in the winners table', () => {
    const rows = evidence.rows.map((row, index) => (index === 0 ? { ...row, employee_name: 'Mallory' } : row));
    expect(check({ ...evidence, rows }, 'people')).toMatchObject({ ok: false, detail: expect.stringContaining('"Mallory" in the winners table') });
  });

  it("a drawn winner's employee record removed, with no seed since", () => {
    const winner = record.candidates.find((candidate) => !candidate.skipped)!;
    const gone = new Map(bySerial);
    gone.delete(winner.serial);
    expect(check({ ...evidence, peopleBySerial: gone }, 'people')).toMatchObject({ ok: false, detail: expect.stringContaining(`serial ${winner.serial} was ${winner.employee_id}'s at the draw and is nobody's now`) });
  });

  it('a winner added to the winners table for this draw', () => {
    const rows = [...evidence.rows, { employee_id: 'E20', draw_id: 'draw-1', status: 'won' as const }];
    expect(check({ ...evidence, rows }, 'records')).toEqual({ name: 'records', ok: false, detail: 'recorded as winners of this draw but not drawn: E20' });
  });

  it('a winner removed from the winners table without a reset', () => {
    const rows = evidence.rows.slice(1);
    expect(check({ ...evidence, rows }, 'records')).toEqual({ name: 'records', ok: false, detail: `drawn but not recorded: ${winnerIds()[0]}` });
  });

  it('a reset that happened before the draw does not excuse missing winners', () => {
    const early = { ...evidence, rows: [], resets: [{ at: '2026-11-29T09:00:00.000Z', draws: ['draw-1'] }] };
    expect(check(early, 'records')?.ok).toBe(false);
  });

  it('the audit record missing', () => {
    expect(verifyDraw({ ...evidence, records: new Map() })).toEqual({
      ok: false,
      checks: [{ name: 'record', ok: false, detail: 'the draws table has no audit record of attempt 1 of this draw' }],
    });
  });

  it('an earlier draw checked after later draws ran: what came after does not matter', () => {
    const later = { ...evidence, statsVersion: 7, rows: evidence.rows };
    expect(verifyDraw(later).ok).toBe(true);
  });
});
