import { beforeAll, describe, expect, it } from 'vitest';
import { poolSummary, recordDigest, type SelectionRecord } from '../../src/core/audit';
import {
  poolDefinition,
  storeCandidateSpace,
  type StoredCandidateSpace,
} from '../../src/core/candidates';
import {
  commitmentDigest,
  committedRound,
  DRAND_CHAINS,
  rfc3339,
  roundRandomness,
  type BeaconCommitment,
  type ChainInfo,
  type RecordedBeacon,
} from '../../src/core/beacon';
import { announcementMessage, type DrawResult } from '../../src/core/draw';
import type { Employee } from '../../src/core/employees';
import { exclusions, pickPeople, withSerials } from '../../src/core/pool';
import {
  CandidateOrder,
  candidateSpaceDigest,
  SELECTION_ALGORITHM,
  SHUFFLE_ALGORITHM,
  type CandidateSpace,
} from '../../src/core/selection';
import { verifyDraw, type VerifyEvidence, type VerifyCheckName } from '../../src/core/verify';
import { TestChain } from '../helpers/beacon';

// Real draws, made the way Random Select Winners made them before tickets (v2, the shuffle: they
// must verify for ever), then rigged in every way someone might try: each rig must make `verify`
// fail, and say what differs. Draws of today (v3) are in verify-event.test.ts.

const HOLES = new Set([4, 13]);
const PAST_WINNERS = [2, 9];
const employees: Employee[] = Array.from({ length: 20 }, (_, i) => i + 1)
  .filter((serial) => !HOLES.has(serial))
  .map((serial) => ({
    employee_id: `E${String(serial).padStart(2, '0')}`,
    employee_name: `Person ${serial}`,
    lottery_serial: serial,
  }));
const bySerial = new Map(employees.map((employee) => [employee.lottery_serial, employee]));
const space: CandidateSpace = { mode: 'serial-space', serialSpace: 20, excluded: PAST_WINNERS };

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const lookup = async (serials: readonly number[]) =>
  new Map(
    serials.flatMap((serial) =>
      bySerial.has(serial) ? [[serial, bySerial.get(serial)!] as const] : [],
    ),
  );

async function pick(
  drawSpace: CandidateSpace,
  seed: string,
  attempt: number,
  k: number,
  taken: ReadonlySet<string> = new Set(),
) {
  const order = new CandidateOrder(drawSpace, seed, attempt);
  return pickPeople(
    (count) => order.take(count),
    k,
    lookup,
    (person) => taken.has(person.employee_id),
  );
}

interface DrawOptions {
  drawId: string;
  space: CandidateSpace;
  seed: string;
  k: number;
  attempt?: number;
  /** People the draw finds already taken by another draw. */
  taken?: ReadonlySet<string>;
  statsVersion?: number | null;
  listReason?: string;
}

/**
 * A draw as Random Select Winners and Record Winner Queue leave it: audit record, output and
 * winners' rows.
 */
async function makeDraw(
  options: DrawOptions,
): Promise<VerifyEvidence & { record: SelectionRecord }> {
  const attempt = options.attempt ?? 1;
  const picked = await pick(options.space, options.seed, attempt, options.k, options.taken);
  const winners = picked.winners.map(({ employee_id, employee_name, lottery_serial }) => ({
    employee_id,
    employee_name,
    lottery_serial,
  }));
  const statsVersion = options.statsVersion === undefined ? 7 : options.statsVersion;
  const candidates = new CandidateOrder(options.space, options.seed, attempt);
  const eligible = candidates.take(candidates.size).filter((serial) => bySerial.has(serial)).length;
  const drawRecord: SelectionRecord = {
    draw_id: options.drawId,
    attempt,
    algorithm: SHUFFLE_ALGORITHM,
    seed: options.seed,
    seed_source: 'generated',
    prize: null,
    selected_at: '2026-11-29T10:00:00.000Z',
    pool: poolDefinition(options.space, {
      total: employees.length,
      eligible,
      stats_version: statsVersion,
      ...(options.listReason ? { list_reason: options.listReason } : {}),
    }),
    candidates: picked.candidates,
    winners,
  };
  const drawResult: DrawResult = {
    draw_id: options.drawId,
    prize: null,
    winners,
    recorded_at: '2026-11-29T10:00:01.000Z',
    audit: {
      seed: options.seed,
      seed_source: 'generated',
      attempt,
      pool: poolSummary(drawRecord),
      record_digest: recordDigest(drawRecord),
    },
    message: announcementMessage(winners, null),
    announcement: { status: 'SENT', message_id: 'm-1' },
  };
  return {
    record: drawRecord,
    input: JSON.stringify({ input: options.k }),
    result: drawResult,
    records: new Map([[attempt, drawRecord]]),
    rows: winners.map((winner) => ({
      employee_id: winner.employee_id,
      employee_name: winner.employee_name,
      lottery_serial: winner.lottery_serial,
      draw_id: options.drawId,
      status: 'won' as const,
    })),
    resets: [],
    peopleBySerial: bySerial,
    winnersNow: new Map(employees.map((employee) => [employee.employee_id, employee])),
    statsVersion: statsVersion ?? 9,
  };
}

/**
 * The first seed of a family whose draw satisfies `wanted`: draws are deterministic, so the search
 * is too.
 */
async function seedWhere(
  options: Omit<DrawOptions, 'seed' | 'drawId'>,
  wanted: (picked: Awaited<ReturnType<typeof pick>>) => boolean,
): Promise<string> {
  for (let i = 0; ; i++) {
    const seed = `c0ffee${String(i).padStart(58, '0')}`;
    if (wanted(await pick(options.space, seed, options.attempt ?? 1, options.k, options.taken)))
      return seed;
  }
}

let record: SelectionRecord;
let result: DrawResult;
let evidence: VerifyEvidence;

beforeAll(async () => {
  // Seed chosen so that the draw meets a hole: the record then has something to skip.
  const seed = await seedWhere({ space, k: 4 }, (picked) =>
    picked.candidates.some((candidate) => candidate.skipped),
  );
  evidence = await makeDraw({ drawId: 'draw-1', space, seed, k: 4 });
  ({ record, result } = evidence as VerifyEvidence & { record: SelectionRecord });
});

const check = (evidenceNow: VerifyEvidence, name: VerifyCheckName) =>
  verifyDraw(evidenceNow).checks.find((each) => each.name === name);
const winnerIds = () => result.winners.map((winner) => winner.employee_id);
const ids = (winners: readonly { employee_id: string }[]) =>
  winners.map((winner) => winner.employee_id).join(', ');
const person = (serial: number) => ({
  employee_id: `E${serial}`,
  employee_name: `Person ${serial}`,
  lottery_serial: serial,
});
/**
 * The evidence with a draw result whose audit record agrees with it, as a rigger who edits both
 * would leave it.
 */
function rigged(
  change: {
    winners?: SelectionRecord['winners'];
    record?: Partial<SelectionRecord>;
    result?: Partial<DrawResult>;
  },
  base: VerifyEvidence = evidence,
): VerifyEvidence {
  const baseRecord = base.records.get(base.result.audit.attempt)!;
  const newRecord = {
    ...baseRecord,
    ...(change.winners ? { winners: change.winners } : {}),
    ...change.record,
  };
  const newResult = {
    ...base.result,
    ...(change.winners ? { winners: change.winners } : {}),
    audit: {
      ...base.result.audit,
      record_digest: recordDigest(newRecord),
      seed: newRecord.seed,
      attempt: newRecord.attempt,
    },
    ...change.result,
  };
  return { ...base, result: newResult, records: new Map([[newRecord.attempt, newRecord]]) };
}
/** The first place where the seed's candidates and the record's differ, as verify names it. */
function firstDifference(
  drawSpace: CandidateSpace,
  seed: string,
  attempt: number,
  recorded: readonly number[],
) {
  const serials = new CandidateOrder(drawSpace, seed, attempt).take(recorded.length);
  const at = recorded.findIndex((serial, index) => serials[index] !== serial);
  return `candidate ${at + 1} of the seed is serial ${serials[at] ?? '(none: the candidates ran out)'}, but the record says serial ${recorded[at]}`;
}

describe('an honest draw', () => {
  it('verifies, each check saying what it found', () => {
    const verification = verifyDraw(evidence);
    const holes = record.candidates.filter((candidate) => candidate.skipped === 'hole').length;
    expect(verification).toEqual({
      ok: true,
      checks: [
        {
          name: 'record',
          ok: true,
          detail: `audit record of attempt 1, digest ${short(recordDigest(record))} as the draw returned it`,
        },
        {
          name: 'seed',
          ok: true,
          detail: `${short(record.seed)}, drawn by the workflow from the system's secure random source`,
        },
        {
          name: 'pool',
          ok: true,
          detail: `16 of 18 eligible; candidates serials 1..20 less 2 taken, digest ${short(candidateSpaceDigest(space))}`,
        },
        {
          name: 'selection',
          ok: true,
          detail: `seed and candidates give ${ids(result.winners)} (attempt 1), after skipping ${holes === 1 ? '1 unused serial' : `${holes} unused serials`}, as drawn`,
        },
        {
          name: 'people',
          ok: true,
          detail: `the ${record.candidates.length} candidate serials and the winners' names are as the draw saw them`,
        },
        {
          name: 'records',
          ok: true,
          detail:
            'the winners table holds exactly these 4 winners for this draw, with its prize and their serials',
        },
      ],
      space,
      recomputed: winnerIds(),
    });
  });

  it('verifies when it drew from a serial list, having skipped people taken by another draw', async () => {
    const serials = employees
      .map((employee) => employee.lottery_serial)
      .filter((serial) => serial !== 2);
    const listSpace: CandidateSpace = { mode: 'serial-list', serials };
    const taken = new Set(['E05', 'E06', 'E07', 'E08', 'E10', 'E11']);
    const seed = await seedWhere(
      { space: listSpace, k: 3, taken },
      (picked) =>
        picked.candidates.filter((candidate) => candidate.skipped === 'taken').length === 2,
    );
    const listDraw = await makeDraw({
      drawId: 'draw-list',
      space: listSpace,
      seed,
      k: 3,
      taken,
      statsVersion: null,
      listReason: '40 of the serials 1..60 are unused',
    });
    const verification = verifyDraw(listDraw);
    expect(verification.ok).toBe(true);
    expect(verification.space).toEqual(listSpace);
    expect(verification.checks.find((each) => each.name === 'pool')?.detail).toBe(
      `${serials.length} of 18 eligible; candidates the ${serials.length} serials in use that were not taken (40 of the serials 1..60 are unused), digest ${short(candidateSpaceDigest(listSpace))}`,
    );
    expect(verification.checks.find((each) => each.name === 'selection')?.detail).toBe(
      `seed and candidates give ${ids(listDraw.result.winners)} (attempt 1), after skipping 2 already taken, as drawn`,
    );
    const withoutReason = await makeDraw({
      drawId: 'draw-list',
      space: listSpace,
      seed,
      k: 3,
      taken,
      statsVersion: null,
    });
    expect(check(withoutReason, 'pool')?.detail).toBe(
      `${serials.length} of 18 eligible; candidates the ${serials.length} serials in use that were not taken, digest ${short(candidateSpaceDigest(listSpace))}`,
    );
  });

  it('names both kinds of skipped candidates, and a single candidate in the singular', async () => {
    const taken = new Set(['E01', 'E03', 'E05', 'E06', 'E07', 'E08', 'E10', 'E11', 'E12', 'E14']);
    const seed = await seedWhere({ space, k: 1, taken }, (picked) => {
      const skipped = picked.candidates.map((candidate) => candidate.skipped);
      return (
        skipped.filter((kind) => kind === 'hole').length === 2 &&
        skipped.filter((kind) => kind === 'taken').length === 1
      );
    });
    const draw = await makeDraw({ drawId: 'draw-2', space, seed, k: 1, taken });
    expect(check(draw, 'selection')?.detail).toBe(
      `seed and candidates give ${ids(draw.result.winners)} (attempt 1), after skipping 2 unused serials and 1 already taken, as drawn`,
    );
    const first = await seedWhere({ space, k: 1 }, (picked) => picked.candidates.length === 1);
    const direct = await makeDraw({ drawId: 'draw-3', space, seed: first, k: 1 });
    expect(check(direct, 'selection')?.detail).toBe(
      `seed and candidates give ${ids(direct.result.winners)} (attempt 1), as drawn`,
    );
    expect(check(direct, 'people')?.detail).toBe(
      "the 1 candidate serial and the winners' names are as the draw saw them",
    );
    expect(check(direct, 'records')?.detail).toBe(
      'the winners table holds exactly these 1 winner for this draw, with its prize and their serials',
    );
  });

  it('still verifies after later seeding, with a warning that names what changed', () => {
    const hole = record.candidates.find((candidate) => candidate.skipped === 'hole')!;
    const winner = record.candidates.find((candidate) => !candidate.skipped)!;
    const later = new Map(bySerial).set(hole.serial, {
      employee_id: 'NEW',
      employee_name: 'Newcomer',
      lottery_serial: hole.serial,
    });
    later.delete(winner.serial);
    const people = check({ ...evidence, peopleBySerial: later, statsVersion: 8 }, 'people');
    expect(people).toEqual({
      name: 'people',
      ok: true,
      warning: true,
      detail: `the pool was loaded again since the draw: ${[...record.candidates]
        .filter((candidate) => candidate === hole || candidate === winner)
        .map((candidate) =>
          candidate === hole
            ? `serial ${hole.serial} was nobody's at the draw and is NEW's now`
            : `serial ${winner.serial} was ${winner.employee_id}'s at the draw and is nobody's now`,
        )
        .join('; ')}`,
    });
    expect(verifyDraw({ ...evidence, peopleBySerial: later, statsVersion: 8 }).ok).toBe(true);
  });

  it('still verifies a draw that read the serial list, whose pool has no statistics version, after later seeding', async () => {
    const listSpace: CandidateSpace = {
      mode: 'serial-list',
      serials: employees.map((employee) => employee.lottery_serial),
    };
    const draw = await makeDraw({
      drawId: 'draw-list',
      space: listSpace,
      seed: record.seed,
      k: 2,
      statsVersion: null,
    });
    const [first] = draw.record.candidates;
    const later = new Map(bySerial).set(first!.serial, {
      employee_id: 'NEW',
      employee_name: 'Newcomer',
      lottery_serial: first!.serial,
    });
    expect(
      check({ ...draw, peopleBySerial: later, statsVersion: undefined }, 'people'),
    ).toMatchObject({ ok: true, warning: true });
  });

  it('still verifies after a reset removed its winners, and says so', () => {
    const afterReset = {
      ...evidence,
      rows: [],
      resets: [{ at: '2026-11-29T11:00:00.000Z', draws: ['draw-0', 'draw-1'] }],
    };
    expect(check(afterReset, 'records')).toEqual({
      name: 'records',
      ok: true,
      warning: true,
      detail:
        "`lottery reset` removed this draw's winners from the winners table at 2026-11-29T11:00:00.000Z",
    });
    expect(verifyDraw(afterReset).ok).toBe(true);
    const sameInstant = {
      ...evidence,
      rows: [],
      resets: [{ at: result.recorded_at, draws: ['draw-1'] }],
    };
    expect(check(sameInstant, 'records')).toMatchObject({ ok: true, warning: true });
  });

  it('warns, without failing, when the caller chose the seed', () => {
    const chosen = rigged({ record: { seed_source: 'caller' }, result: {} });
    chosen.result = { ...chosen.result, audit: { ...chosen.result.audit, seed_source: 'caller' } };
    const seed = check(
      { ...chosen, input: JSON.stringify({ input: 4, seed: ` ${record.seed.toUpperCase()}\n` }) },
      'seed',
    );
    expect(seed).toEqual({
      name: 'seed',
      ok: true,
      warning: true,
      detail: `${short(record.seed)} was chosen by whoever started the draw, not by the workflow: they could have chosen the outcome`,
    });
  });

  it('reads a seed in the input that is not text as no seed', () => {
    expect(
      check({ ...evidence, input: JSON.stringify({ input: 4, seed: 5 }) }, 'seed'),
    ).toMatchObject({ ok: true });
    expect(
      check({ ...evidence, input: JSON.stringify({ input: 4, seed: null }) }, 'seed'),
    ).toMatchObject({ ok: true });
  });

  it('an earlier draw checked after a later draw ran from what it left: both verify', async () => {
    const taken = exclusions(evidence.rows, 'draw-4');
    expect(taken.won).toBe(4);
    const laterSpace: CandidateSpace = {
      mode: 'serial-space',
      serialSpace: 20,
      excluded: withSerials(PAST_WINNERS, taken.excluded),
    };
    const laterDraw = await makeDraw({
      drawId: 'draw-4',
      space: laterSpace,
      seed: 'ab'.repeat(32),
      k: 3,
    });
    expect(
      laterDraw.result.winners.filter((winner) => winnerIds().includes(winner.employee_id)),
    ).toEqual([]);
    expect(verifyDraw(laterDraw).ok).toBe(true);
    expect(verifyDraw(evidence).ok).toBe(true);
  });
});

describe('a rigged draw does not verify, and the message names what differs', () => {
  it.each([
    ['winners swapped for someone else', () => [person(20), ...result.winners.slice(1)]],
    ['winners reordered', () => [...result.winners].reverse()],
    ['a winner dropped', () => result.winners.slice(1)],
    ['a winner added', () => [...result.winners, person(20)]],
  ])('%s (records edited to agree)', (_what, winners) => {
    const changed = winners();
    const verification = verifyDraw(rigged({ winners: changed }));
    expect(verification.ok).toBe(false);
    expect(verification.checks.find((each) => each.name === 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the candidates give ${ids(result.winners)}, but the record says ${ids(changed)} won`,
    });
    expect(verification.recomputed).toEqual(winnerIds());
  });

  it('winners swapped in the output only: the selection says so', () => {
    const swapped = { ...evidence, result: { ...result, winners: [...result.winners].reverse() } };
    expect(check(swapped, 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the seed and the candidates give ${ids(result.winners)} (attempt 1), but the draw says ${[...winnerIds()].reverse().join(', ')}`,
    });
    expect(verifyDraw(swapped).ok).toBe(false);
  });

  it('a winner dropped from the output only', () => {
    const dropped = { ...evidence, result: { ...result, winners: result.winners.slice(0, -1) } };
    expect(check(dropped, 'selection')?.detail).toBe(
      `the seed and the candidates give ${ids(result.winners)} (attempt 1), but the draw says ${ids(result.winners.slice(0, -1))}`,
    );
    const none = { ...evidence, result: { ...result, winners: [] } };
    expect(check(none, 'selection')?.detail).toBe(
      `the seed and the candidates give ${ids(result.winners)} (attempt 1), but the draw says nobody`,
    );
    // The names that are there still agree: the people check has nothing to add.
    expect(check(dropped, 'people')).toMatchObject({ ok: true });
  });

  it('a winner dropped, and the record cut short after the one before, all edited to agree: fewer winners than asked for', () => {
    const lastWinner = record.candidates.findLastIndex((candidate) => !candidate.skipped);
    const previous = record.candidates
      .slice(0, lastWinner)
      .findLastIndex((candidate) => !candidate.skipped);
    const winners = result.winners.slice(0, -1);
    const dropped = {
      ...rigged({ winners, record: { candidates: record.candidates.slice(0, previous + 1) } }),
      rows: evidence.rows.slice(0, -1),
    };
    const verification = verifyDraw(dropped);
    expect(verification.checks.find((each) => each.name === 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the draw was asked for 4 winners, but its record has 3: ${ids(winners)}`,
    });
    expect(verification.ok).toBe(false);
    expect(check({ ...dropped, input: '{"input": " 3 "}' }, 'selection')).toMatchObject({
      ok: true,
    });
  });

  it('every winner dropped: the record has nobody', () => {
    const emptied = { ...rigged({ winners: [], record: { candidates: [] } }), rows: [] };
    expect(check(emptied, 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: 'the draw was asked for 4 winners, but its record has 0: nobody',
    });
    expect(check({ ...emptied, input: '{"input": 1}' }, 'selection')?.detail).toBe(
      'the draw was asked for 1 winner, but its record has 0: nobody',
    );
    // An input without a count (no draw of this tool starts so) is checked for the rest, without a
    // crash.
    expect(check({ ...emptied, input: '{"input": "many"}' }, 'selection')).toMatchObject({
      ok: true,
    });
    expect(check({ ...emptied, input: 'not json' }, 'selection')).toMatchObject({ ok: true });
  });

  it('the audit record edited but not the output', () => {
    const edited = { ...evidence, records: new Map([[1, { ...record, prize: 'Car' }]]) };
    expect(check(edited, 'record')).toEqual({
      name: 'record',
      ok: false,
      detail: `the audit record's digest is ${short(recordDigest({ ...record, prize: 'Car' }))}, but the draw returned ${short(result.audit.record_digest)}: one of them was changed`,
    });
    expect(verifyDraw(edited).ok).toBe(false);
  });

  it("another draw's audit record, its digest put in the output", () => {
    const other = rigged({ record: { draw_id: 'draw-0' } });
    expect(check(other, 'record')).toEqual({
      name: 'record',
      ok: false,
      detail: 'the audit record is of draw draw-0, not of draw-1',
    });
    expect(verifyDraw(other).ok).toBe(false);
  });

  it('the seed changed, in the record and the output', () => {
    const seed = 'ab'.repeat(32);
    const verification = verifyDraw(rigged({ record: { seed } }));
    expect(verification.ok).toBe(false);
    expect(verification.checks.find((each) => each.name === 'seed')).toMatchObject({ ok: true });
    expect(verification.checks.find((each) => each.name === 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: firstDifference(
        space,
        seed,
        1,
        record.candidates.map((candidate) => candidate.serial),
      ),
    });
  });

  it('the seed changed in the record only', () => {
    const seed = 'ab'.repeat(32);
    const edited = { ...evidence, records: new Map([[1, { ...record, seed }]]) };
    expect(check(edited, 'seed')).toEqual({
      name: 'seed',
      ok: false,
      detail: `the draw returned seed ${short(record.seed)} but its audit record says ${short(seed)}`,
    });
  });

  it('the attempt changed', () => {
    const verification = verifyDraw(rigged({ record: { attempt: 2 } }));
    expect(verification.checks.find((each) => each.name === 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: firstDifference(
        space,
        record.seed,
        2,
        record.candidates.map((candidate) => candidate.serial),
      ),
    });
    expect(verification.ok).toBe(false);
  });

  it('the record of an attempt the output does not name', () => {
    const other = { ...evidence, records: new Map([[2, { ...record, attempt: 2 }]]) };
    expect(verifyDraw(other)).toEqual({
      ok: false,
      checks: [
        {
          name: 'record',
          ok: false,
          detail: 'the draws table has no audit record of attempt 1 of this draw',
        },
      ],
    });
  });

  it('the algorithm changed, in the record', () => {
    const other = rigged({ record: { algorithm: 'sha256-ctr-fisher-yates-v1' } });
    expect(verifyDraw(other)).toEqual({
      ok: false,
      checks: [
        {
          name: 'algorithm',
          ok: false,
          detail: `the draw used sha256-ctr-fisher-yates-v1; this version checks ${SELECTION_ALGORITHM} and ${SHUFFLE_ALGORITHM}`,
        },
      ],
    });
  });

  it('the algorithm changed, in the output', () => {
    const other = {
      ...evidence,
      result: {
        ...result,
        audit: { ...result.audit, pool: { ...result.audit.pool, algorithm: 'modulo-v0' } },
      },
    };
    expect(verifyDraw(other)).toEqual({
      ok: false,
      checks: [
        {
          name: 'algorithm',
          ok: false,
          detail: `the draw used modulo-v0; this version checks ${SELECTION_ALGORITHM} and ${SHUFFLE_ALGORITHM}`,
        },
      ],
    });
  });

  it('a v2 draw is checked as one: new draws are v3, and the shuffle of v2 still verifies', () => {
    expect(SELECTION_ALGORITHM).toBe('sha256-ctr-serial-weighted-v3');
    expect(SHUFFLE_ALGORITHM).toBe('sha256-ctr-serial-shuffle-v2');
    expect(record.algorithm).toBe(SHUFFLE_ALGORITHM);
    expect(verifyDraw(evidence).ok).toBe(true);
  });

  it('the algorithm of the output and of the record disagree: both known, still refused', () => {
    const other = {
      ...evidence,
      result: {
        ...result,
        audit: {
          ...result.audit,
          pool: { ...result.audit.pool, algorithm: SELECTION_ALGORITHM },
        },
      },
    };
    expect(verifyDraw(other)).toEqual({
      ok: false,
      checks: [
        {
          name: 'algorithm',
          ok: false,
          detail: `the draw's output says ${SELECTION_ALGORITHM}, but its audit record says ${SHUFFLE_ALGORITHM}`,
        },
      ],
    });
  });

  it('the pool changed: someone left out of the candidates', () => {
    const narrowerSpace: CandidateSpace = {
      mode: 'serial-space',
      serialSpace: 20,
      excluded: [...PAST_WINNERS, 17].sort((a, b) => a - b),
    };
    const narrower = poolDefinition(narrowerSpace, { total: 18, eligible: 15, stats_version: 7 });
    const verification = verifyDraw(rigged({ record: { pool: narrower } }));
    expect(verification.checks.find((each) => each.name === 'pool')).toEqual({
      name: 'pool',
      ok: false,
      detail: `the candidates recorded (serials 1..20 less 3 taken) have digest ${short(candidateSpaceDigest(narrowerSpace))}, but the draw recorded ${short(result.audit.pool.digest)}`,
    });
    expect(verification.ok).toBe(false);
  });

  it("the pool's digest edited in the record only, or in the output only", () => {
    const recordOnly = rigged({ record: { pool: { ...record.pool, digest: 'ee'.repeat(32) } } });
    expect(check(recordOnly, 'pool')).toMatchObject({ ok: false });
    const outputOnly = {
      ...evidence,
      result: {
        ...result,
        audit: { ...result.audit, pool: { ...result.audit.pool, digest: 'ee'.repeat(32) } },
      },
    };
    expect(check(outputOnly, 'pool')).toEqual({
      name: 'pool',
      ok: false,
      detail: `the candidates recorded (serials 1..20 less 2 taken) have digest ${short(candidateSpaceDigest(space))}, but the draw recorded ${short('ee'.repeat(32))}`,
    });
  });

  it('the pool and its digest both changed: the selection no longer follows', () => {
    const smallerSpace: CandidateSpace = {
      mode: 'serial-space',
      serialSpace: 19,
      excluded: PAST_WINNERS,
    };
    const narrower = poolDefinition(smallerSpace, { total: 18, eligible: 16, stats_version: 7 });
    const edited = rigged({ record: { pool: narrower } });
    edited.result = {
      ...edited.result,
      audit: {
        ...edited.result.audit,
        pool: { ...edited.result.audit.pool, digest: narrower.digest },
      },
    };
    expect(check(edited, 'pool')).toMatchObject({ ok: true });
    expect(check(edited, 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: firstDifference(
        smallerSpace,
        record.seed,
        1,
        record.candidates.map((candidate) => candidate.serial),
      ),
    });
  });

  it('a pool too small for the candidates the record lists: the candidates run out', () => {
    const tinySpace: CandidateSpace = {
      mode: 'serial-list',
      serials: [record.candidates[0]!.serial],
    };
    const tiny = poolDefinition(tinySpace, { total: 1, eligible: 1, stats_version: 7 });
    const edited = rigged({ record: { pool: tiny } });
    edited.result = {
      ...edited.result,
      audit: { ...edited.result.audit, pool: { ...edited.result.audit.pool, digest: tiny.digest } },
    };
    const orderedFirst = new CandidateOrder(tinySpace, record.seed, 1).take(1)[0];
    expect(orderedFirst).toBe(record.candidates[0]!.serial);
    expect(check(edited, 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `candidate 2 of the seed is serial (none: the candidates ran out), but the record says serial ${record.candidates[1]!.serial}`,
    });
  });

  it("the record's candidates cannot be read: verify stops there", () => {
    const stored = storeCandidateSpace(space) as Extract<
      StoredCandidateSpace,
      { mode: 'serial-space' }
    >;
    const broken = rigged({
      record: {
        pool: {
          ...record.pool,
          candidates: { ...stored, excluded: { ...stored.excluded, count: 5 } },
        },
      },
    });
    expect(verifyDraw(broken).checks.map((each) => [each.name, each.ok, each.detail])).toEqual([
      ['record', true, expect.any(String)],
      ['seed', true, expect.any(String)],
      [
        'pool',
        false,
        "the audit record's candidates cannot be read: the encoded serials hold 2 values, not 5",
      ],
    ]);
    expect(verifyDraw(broken)).not.toHaveProperty('space');
  });

  it('the record names a candidate differently: a hole turned into a person', () => {
    const candidates = record.candidates.map((candidate) =>
      candidate.skipped === 'hole' ? { serial: candidate.serial, employee_id: 'E20' } : candidate,
    );
    const recomputed = candidates
      .filter((candidate) => !candidate.skipped)
      .map((candidate) => candidate.employee_id);
    expect(check(rigged({ record: { candidates } }), 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the candidates give ${recomputed.join(', ')}, but the record says ${ids(result.winners)} won`,
    });
  });

  it('a winner recorded as a candidate without anyone', () => {
    const candidates = record.candidates.map((candidate) =>
      candidate.skipped ? candidate : { serial: candidate.serial },
    );
    expect(check(rigged({ record: { candidates } }), 'selection')?.detail).toBe(
      `the candidates give ${candidates
        .filter((each) => !('skipped' in each && each.skipped))
        .map(() => '?')
        .join(', ')}, but the record says ${ids(result.winners)} won`,
    );
  });

  it('the record goes on past its last winner', () => {
    const next = new CandidateOrder(space, record.seed, 1)
      .take(record.candidates.length + 1)
      .at(-1)!;
    const candidates = [
      ...record.candidates,
      {
        serial: next,
        employee_id: bySerial.get(next)?.employee_id ?? 'E99',
        skipped: 'taken' as const,
      },
    ];
    expect(check(rigged({ record: { candidates } }), 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the record goes on past its last winner, to serial ${next}`,
    });
  });

  it('the record stops short of its winners: the selection names the difference', () => {
    const candidates = record.candidates.slice(0, -1);
    const verification = verifyDraw(rigged({ record: { candidates } }));
    expect(verification.checks.find((each) => each.name === 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail: `the candidates give ${ids(result.winners.slice(0, -1))}, but the record says ${ids(result.winners)} won`,
    });
  });

  it('the provenance of the seed edited: started with a seed, recorded as generated', () => {
    const seed = check(
      { ...evidence, input: JSON.stringify({ input: 4, seed: record.seed }) },
      'seed',
    );
    expect(seed).toEqual({
      name: 'seed',
      ok: false,
      detail:
        "the draw was started with a seed of the caller's choosing, but its records say the seed was generated",
    });
  });

  it('the provenance of the seed edited: recorded as chosen, started without one', () => {
    const edited = {
      ...evidence,
      result: { ...result, audit: { ...result.audit, seed_source: 'caller' as const } },
    };
    expect(check(edited, 'seed')).toEqual({
      name: 'seed',
      ok: false,
      detail: 'the records say the caller chose the seed, but the draw was started without one',
    });
    const inRecord = rigged({ record: { seed_source: 'caller' } });
    expect(check(inRecord, 'seed')).toEqual({
      name: 'seed',
      ok: false,
      detail: 'the records say the caller chose the seed, but the draw was started without one',
    });
  });

  it('a seed chosen by the caller, but another one drawn with', () => {
    const chosen = rigged({ record: { seed_source: 'caller' } });
    chosen.result = { ...chosen.result, audit: { ...chosen.result.audit, seed_source: 'caller' } };
    const requested = 'ab'.repeat(32);
    expect(
      check({ ...chosen, input: JSON.stringify({ input: 4, seed: requested }) }, 'seed'),
    ).toEqual({
      name: 'seed',
      ok: false,
      detail: `the draw was started with seed ${short(requested)}, but drew with ${short(record.seed)}`,
    });
  });

  it.each(['not json', '4', 'null', '"text"'])(
    'an execution input that is not a JSON object (%s): where the seed came from cannot be told',
    (input) => {
      expect(check({ ...evidence, input }, 'seed')).toEqual({
        name: 'seed',
        ok: false,
        detail: 'the execution input is not a JSON object: where the seed came from cannot be told',
      });
    },
  );

  it('a winner renamed in the employee table', () => {
    const [first] = result.winners;
    const renamed = new Map(evidence.winnersNow).set(first!.employee_id, {
      ...employees.find((employee) => employee.employee_id === first!.employee_id)!,
      employee_name: 'Mallory',
    });
    expect(check({ ...evidence, winnersNow: renamed }, 'people')).toEqual({
      name: 'people',
      ok: false,
      detail: `${first!.employee_id} is named "${first!.employee_name}" in the audit record, "${first!.employee_name}" in the draw's output, "${first!.employee_name}" in the winners table, "Mallory" in the employee table`,
    });
  });

  it('a winner renamed in the winners table', () => {
    const rows = evidence.rows.map((row, index) =>
      index === 0 ? { ...row, employee_name: 'Mallory' } : row,
    );
    expect(check({ ...evidence, rows }, 'people')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('"Mallory" in the winners table'),
    });
  });

  it("a winner renamed in the draw's output", () => {
    const winners = result.winners.map((winner, index) =>
      index === 1 ? { ...winner, employee_name: 'Mallory' } : winner,
    );
    expect(check({ ...evidence, result: { ...result, winners } }, 'people')).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        `${winners[1]!.employee_id} is named "${result.winners[1]!.employee_name}" in the audit record, "Mallory" in the draw's output`,
      ),
    });
  });

  it('two winners renamed: both named', () => {
    const renamed = new Map(evidence.winnersNow);
    for (const winner of result.winners.slice(0, 2))
      renamed.set(winner.employee_id, {
        ...renamed.get(winner.employee_id)!,
        employee_name: 'Mallory',
      });
    const people = check({ ...evidence, winnersNow: renamed }, 'people');
    expect(people?.detail.split('; ').map((problem) => problem.split(' ')[0])).toEqual(
      winnerIds().slice(0, 2),
    );
  });

  it("a drawn winner's employee record removed, with no seed since", () => {
    const winner = record.candidates.find((candidate) => !candidate.skipped)!;
    const gone = new Map(bySerial);
    gone.delete(winner.serial);
    const winnersNow = new Map(evidence.winnersNow);
    winnersNow.delete(winner.employee_id!);
    expect(check({ ...evidence, peopleBySerial: gone, winnersNow }, 'people')).toEqual({
      name: 'people',
      ok: false,
      detail: `serial ${winner.serial} was ${winner.employee_id}'s at the draw and is nobody's now`,
    });
  });

  it('someone given the serial of a hole, with no seed since', () => {
    const hole = record.candidates.find((candidate) => candidate.skipped === 'hole')!;
    const filled = new Map(bySerial).set(hole.serial, {
      employee_id: 'NEW',
      employee_name: 'Newcomer',
      lottery_serial: hole.serial,
    });
    expect(check({ ...evidence, peopleBySerial: filled }, 'people')).toEqual({
      name: 'people',
      ok: false,
      detail: `serial ${hole.serial} was nobody's at the draw and is NEW's now`,
    });
  });

  it('a winner added to the winners table for this draw', () => {
    const rows = [
      ...evidence.rows,
      { employee_id: 'E20', draw_id: 'draw-1', status: 'won' as const },
    ];
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: 'recorded as winners of this draw but not drawn: E20',
    });
  });

  it('a winner removed from the winners table without a reset', () => {
    const rows = evidence.rows.slice(1);
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${winnerIds()[0]}`,
    });
  });

  it('a winner swapped in the winners table: both named', () => {
    const rows = [
      ...evidence.rows.slice(1),
      { employee_id: 'E20', draw_id: 'draw-1', status: 'won' as const },
    ];
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `recorded as winners of this draw but not drawn: E20; drawn but not recorded: ${winnerIds()[0]}`,
    });
  });

  it('a winner only claimed in the winners table, never recorded as won', () => {
    const rows = evidence.rows.map((row, index) =>
      index === 0 ? { ...row, status: 'claimed' as const } : row,
    );
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${winnerIds()[0]}`,
    });
  });

  it('a workshop row (no status) counts as a win', () => {
    const rows = evidence.rows.map(({ status: _status, ...row }) => row);
    expect(check({ ...evidence, rows }, 'records')).toMatchObject({ ok: true });
  });

  it('a reset that happened before the draw does not excuse missing winners', () => {
    const early = {
      ...evidence,
      rows: [],
      resets: [{ at: '2026-11-29T09:00:00.000Z', draws: ['draw-1'] }],
    };
    expect(check(early, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${ids(result.winners)}`,
    });
  });

  it("a reset of other draws does not excuse this draw's missing winners", () => {
    const others = {
      ...evidence,
      rows: [],
      resets: [{ at: '2026-11-29T11:00:00.000Z', draws: ['draw-0', 'draw-2'] }],
    };
    expect(check(others, 'records')).toMatchObject({ ok: false });
  });

  it('a reset does not excuse a winner added to the table', () => {
    const added = {
      ...evidence,
      rows: [{ employee_id: 'E20', draw_id: 'draw-1', status: 'won' as const }],
      resets: [{ at: '2026-11-29T11:00:00.000Z', draws: ['draw-1'] }],
    };
    expect(check(added, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `recorded as winners of this draw but not drawn: E20; drawn but not recorded: ${ids(result.winners)}`,
    });
  });

  it('the audit record missing', () => {
    expect(verifyDraw({ ...evidence, records: new Map() })).toEqual({
      ok: false,
      checks: [
        {
          name: 'record',
          ok: false,
          detail: 'the draws table has no audit record of attempt 1 of this draw',
        },
      ],
    });
  });

  it('a later draw whose pool ignores the earlier draws: it picks someone who had won, and the winners table shows it', async () => {
    // Draw 5 should have excluded draw-1's winners. Rebuilt without them (its record and output
    // edited to agree), it can pick one of them again; that person's row is draw-1's, not draw-5's.
    const seed = await seedWhere({ space, k: 2 }, (picked) =>
      picked.winners.some((winner) => winnerIds().includes(winner.employee_id)),
    );
    const redrawn = await makeDraw({ drawId: 'draw-5', space, seed, k: 2 });
    const again = redrawn.result.winners
      .filter((winner) => winnerIds().includes(winner.employee_id))
      .map((winner) => winner.employee_id);
    const rows = redrawn.rows.filter((row) => !again.includes(row.employee_id));
    expect(check({ ...redrawn, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${again.join(', ')}`,
    });
  });

  it("a winner row's prize changed, or left out", () => {
    const [first, second] = winnerIds();
    const rows = evidence.rows.map((row, index) =>
      index === 0 ? { ...row, prize: 'Car' } : index === 1 ? { ...row, prize: null } : row,
    );
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `${first} is recorded for Car, but the draw was of no prize`,
    });
    const ofKettle = rigged({ result: { prize: 'Kettle' }, record: { prize: 'Kettle' } });
    const kettleRows = ofKettle.rows.map((row, index) =>
      index === 1 ? row : { ...row, prize: 'Kettle' },
    );
    expect(check({ ...ofKettle, rows: kettleRows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `${second} is recorded for no prize, but the draw was of Kettle`,
    });
    expect(
      check(
        { ...ofKettle, rows: ofKettle.rows.map((row) => ({ ...row, prize: 'Kettle' })) },
        'records',
      ),
    ).toMatchObject({ ok: true });
  });

  it("a winner row's serial changed: it would take someone else out of later draws", () => {
    const [first] = result.winners;
    const rows = evidence.rows.map((row, index) =>
      index === 0 ? { ...row, lottery_serial: 20 } : row,
    );
    expect(check({ ...evidence, rows }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `the winners table gives ${first!.employee_id} serial 20, but the draw picked serial ${first!.lottery_serial}`,
    });
    // The person moved to another serial since: the row must follow, to that one and no other.
    const moved = new Map(evidence.winnersNow).set(first!.employee_id, {
      ...evidence.winnersNow.get(first!.employee_id)!,
      lottery_serial: 30,
    });
    expect(check({ ...evidence, rows, winnersNow: moved }, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `the winners table gives ${first!.employee_id} serial 20, but the draw picked serial ${first!.lottery_serial} and the employee table has 30`,
    });
    const followed = evidence.rows.map((row, index) =>
      index === 0 ? { ...row, lottery_serial: 30 } : row,
    );
    expect(check({ ...evidence, rows: followed, winnersNow: moved }, 'records')).toMatchObject({
      ok: true,
    });
    const gone = new Map(evidence.winnersNow);
    gone.delete(first!.employee_id);
    expect(check({ ...evidence, rows, winnersNow: gone }, 'records')?.detail).toBe(
      `the winners table gives ${first!.employee_id} serial 20, but the draw picked serial ${first!.lottery_serial}`,
    );
    const cleared = evidence.rows.map(({ lottery_serial: _serial, ...row }, index) =>
      index === 0 ? row : { ...row, lottery_serial: _serial },
    );
    expect(check({ ...evidence, rows: cleared, winnersNow: gone }, 'records')).toMatchObject({
      ok: true,
    });
  });

  it('a row that kept the serial drawn, or has none, is as the draw left it, wherever its person sits now', () => {
    // Every winner moved by a later seed; their rows still give the serials the draw picked.
    const moved = new Map(
      [...evidence.winnersNow].map(([id, person]) => [
        id,
        { ...person, lottery_serial: person.lottery_serial + 100 },
      ]),
    );
    expect(check({ ...evidence, winnersNow: moved }, 'records')).toMatchObject({ ok: true });
    const cleared = evidence.rows.map(({ lottery_serial: _serial, ...row }) => row);
    expect(check({ ...evidence, rows: cleared }, 'records')).toMatchObject({ ok: true });
  });

  it('a reset does not excuse a changed row, and every difference is named', () => {
    const [first, second] = winnerIds();
    const rows = evidence.rows.slice(0, 2).map((row) => ({ ...row, prize: 'Car' }));
    const afterReset = {
      ...evidence,
      rows,
      resets: [{ at: '2026-11-29T11:00:00.000Z', draws: ['draw-1'] }],
    };
    expect(check(afterReset, 'records')).toEqual({
      name: 'records',
      ok: false,
      detail: `drawn but not recorded: ${winnerIds().slice(2).join(', ')}; ${first} is recorded for Car, but the draw was of no prize; ${second} is recorded for Car, but the draw was of no prize`,
    });
  });
});

// A beacon draw: Commit Draw's commitment, the round Fetch Beacon Round verified, and the draw
// made from its randomness, as makeDraw makes any draw. Rigged, each part must fail and say so.
describe('a beacon draw', () => {
  const testChain = new TestChain({
    period: 3,
    genesisTime: Date.parse('2026-11-29T09:00:00.000Z') / 1000,
  });
  const COMMITTED_AT = Date.parse('2026-11-29T10:00:00.000Z');
  // Round 1203 of the test chain is due at 10:00:06, the first round at least 5 s after 10:00:00.
  const ROUND = 1203;
  // A round drand's quicknet published (its randomness is checked here against the real chain key).
  const QUICKNET_123 =
    'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92';

  interface BeaconDrawOptions {
    chain?: ChainInfo;
    /** The committed round's signature; the test chain signs it unless given. */
    signature?: string;
    committedAt?: number;
    commitment?: Partial<BeaconCommitment>;
    k?: number;
    prize?: string | null;
    /**
     * How many of the people first in the seed's order another draw took before this one picked.
     */
    takenFirst?: number;
    seenAt?: Date | undefined;
  }

  async function beaconDraw(
    options: BeaconDrawOptions = {},
  ): Promise<VerifyEvidence & { commitment: BeaconCommitment }> {
    const chain = options.chain ?? testChain.info;
    const committedAt = options.committedAt ?? COMMITTED_AT;
    const k = options.k ?? 2;
    const prize = options.prize === undefined ? 'Bike' : options.prize;
    const due = committedRound(chain, committedAt, 5);
    const roundNumber = options.commitment?.round ?? due.round;
    const signature = options.signature ?? testChain.sign(roundNumber).signature;
    const seed = roundRandomness(signature);
    const order = new CandidateOrder(space, seed, 1);
    const first = order
      .take(order.size)
      .filter((serial) => bySerial.has(serial))
      .slice(0, options.takenFirst ?? 0);
    const draw = await makeDraw({
      drawId: 'draw-b',
      space,
      seed,
      k,
      taken: new Set(first.map((serial) => bySerial.get(serial)!.employee_id)),
    });
    const commitment: BeaconCommitment = {
      draw_id: 'draw-b',
      committed_at: new Date(committedAt).toISOString(),
      chain,
      round: due.round,
      round_time: rfc3339(due.time),
      margin_seconds: 5,
      prize,
      winners: k,
      algorithm: SHUFFLE_ALGORITHM,
      pool: draw.record.pool,
      ...options.commitment,
    };
    const beacon: RecordedBeacon = {
      round: roundNumber,
      signature,
      chain: chain.hash,
      commitment_digest: commitmentDigest(commitment),
      source: 'a relay',
    };
    const made = rigged(
      {
        record: { seed_source: 'beacon', prize, beacon },
        result: { prize, message: announcementMessage(draw.result.winners, prize) },
      },
      draw,
    );
    made.result = {
      ...made.result,
      audit: {
        ...made.result.audit,
        seed_source: 'beacon',
        beacon: {
          chain: beacon.chain,
          round: beacon.round,
          commitment_digest: beacon.commitment_digest,
        },
      },
    };
    return {
      ...made,
      // Record Winner Queue writes the prize on every winner's row.
      rows: made.rows.map((row) => ({ ...row, prize })),
      input: JSON.stringify({ input: k, prize, beacon: true }),
      commitment,
      commitmentSeenAt: 'seenAt' in options ? options.seenAt : new Date(committedAt + 80),
    };
  }
  const recordOf = (draw: VerifyEvidence) => draw.records.get(1)!;
  const binds = (draw: VerifyEvidence, what = `2 winners of Bike and round ${ROUND}`) =>
    `binds candidates ${short(recordOf(draw).pool.digest)}, ${what}`;

  it("verifies, saying which round seeded it, when Step Functions saw the commitment and that the test chain is not drand's", async () => {
    const draw = await beaconDraw();
    const verification = verifyDraw(draw);
    expect(verification.checks.filter((each) => !each.ok)).toEqual([]);
    expect(verification.ok).toBe(true);
    expect(verification.checks.slice(1, 4)).toEqual([
      {
        name: 'seed',
        ok: true,
        detail: `${short(recordOf(draw).seed)}, the randomness of drand round ${ROUND} (checked below)`,
      },
      {
        name: 'commitment',
        ok: true,
        warning: false,
        detail: `recorded by Step Functions 5.9 s before round ${ROUND} was due; ${binds(draw)}`,
      },
      {
        name: 'beacon',
        ok: true,
        warning: true,
        detail: `round ${ROUND} is validly signed, but by chain ${short(testChain.info.hash)}, which is not a drand chain this version knows: whoever holds its key could sign any round`,
      },
    ]);
  });

  it("verifies a round of drand's quicknet against its real key, for one winner and no prize", async () => {
    // Quicknet's round 123 was due at 1692803733: committed 6 s before, with a 5 s margin, it is
    // the first round allowed.
    const draw = await beaconDraw({
      chain: DRAND_CHAINS.quicknet,
      signature: QUICKNET_123,
      committedAt: (1692803733 - 6) * 1000,
      k: 1,
      prize: null,
    });
    expect(check(draw, 'beacon')).toEqual({
      name: 'beacon',
      ok: true,
      detail:
        "round 123's BLS signature is valid for drand's quicknet chain; the seed is its randomness (SHA-256 of the signature)",
    });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: true,
      warning: false,
      detail: `recorded by Step Functions 5.9 s before round 123 was due; ${binds(draw, '1 winner and round 123')}`,
    });
    expect(verifyDraw(draw).ok).toBe(true);
  });

  it('warns when the execution history that dates the commitment is gone, giving the time by the backend', async () => {
    const draw = await beaconDraw({ seenAt: undefined });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: true,
      warning: true,
      detail: `made 2026-11-29T10:00:00.000Z by the backend's clock, 6 s before the round; the execution history that would confirm the time is gone; ${binds(draw)}`,
    });
    expect(verifyDraw(draw).ok).toBe(true);
  });

  it.each([
    [1, '1 committed candidate was'],
    [2, '2 committed candidates were'],
  ])(
    'warns that %i committed candidate(s) won another draw before this one picked',
    async (takenFirst, skipped) => {
      const draw = await beaconDraw({ takenFirst });
      expect(check(draw, 'commitment')).toEqual({
        name: 'commitment',
        ok: true,
        warning: true,
        detail: `recorded by Step Functions 5.9 s before round ${ROUND} was due; ${binds(draw)}; ${skipped} drawn by other draws before this one picked, and skipped`,
      });
      expect(verifyDraw(draw).ok).toBe(true);
    },
  );

  it('fails a commitment Step Functions recorded when the round was already due, and passes one a millisecond earlier', async () => {
    const dueAt = Date.parse('2026-11-29T10:00:06.000Z');
    expect(check(await beaconDraw({ seenAt: new Date(dueAt) }), 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `Step Functions recorded the commitment at 2026-11-29T10:00:06.000Z, after round ${ROUND} was due (2026-11-29T10:00:06Z)`,
    });
    expect(check(await beaconDraw({ seenAt: new Date(dueAt - 1) }), 'commitment')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^recorded by Step Functions 0 s before round 1203 was due/),
    });
  });

  it.each([
    ['an earlier round, one that existed when the commitment was made', ROUND - 1],
    ['a later round than the first past the margin', ROUND + 1],
  ])('fails a commitment to %s', async (_what, round) => {
    const draw = await beaconDraw({ commitment: { round } });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `round ${round} is not the first round 5 s after the commitment (2026-11-29T10:00:00.000Z): that is round ${ROUND}`,
    });
    expect(verifyDraw(draw).ok).toBe(false);
  });

  it('fails a commitment without a margin, whose round may have existed when it was made, though it is the first round from then', async () => {
    // With no margin, the first round is the one due at 10:00:00 itself: round 1201.
    const draw = await beaconDraw({
      commitment: { margin_seconds: 0, round: 1201, round_time: '2026-11-29T10:00:00Z' },
    });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail:
        "the commitment's margin is 0 s: round 1201 may have existed when it was made (2026-11-29T10:00:00.000Z)",
    });
    expect(verifyDraw(draw).ok).toBe(false);
  });

  it("fails a commitment whose round time is not the round's, naming both times", async () => {
    const draw = await beaconDraw({ commitment: { round_time: '2026-11-29T10:00:09Z' } });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `the commitment says round ${ROUND} is due 2026-11-29T10:00:09Z, but the chain has it due 2026-11-29T10:00:06Z`,
    });
    expect(verifyDraw(draw).ok).toBe(false);
  });

  it('fails a commitment for another draw', async () => {
    const draw = await beaconDraw({ commitment: { draw_id: 'draw-a' } });
    expect(check(draw, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: "the commitment is draw draw-a's",
    });
    expect(verifyDraw(draw).ok).toBe(false);
  });

  it.each([
    [
      'another count',
      { winners: 3 },
      'the commitment is for 3 winner(s) of "Bike", but the draw gave 2 of "Bike"',
    ],
    [
      'another prize',
      { prize: 'Car' },
      'the commitment is for 2 winner(s) of "Car", but the draw gave 2 of "Bike"',
    ],
  ])('fails a commitment for %s than the draw gave', async (_what, commitment, detail) => {
    const draw = await beaconDraw({ commitment });
    expect(check(draw, 'commitment')).toEqual({ name: 'commitment', ok: false, detail });
    expect(verifyDraw(draw).ok).toBe(false);
  });

  it('fails a draw that picked from other candidates, or from another statistics version, than it committed to', async () => {
    const otherSpace: CandidateSpace = {
      mode: 'serial-space',
      serialSpace: 20,
      excluded: [2, 9, 11],
    };
    const otherPool = poolDefinition(otherSpace, { total: 18, eligible: 15, stats_version: 7 });
    const other = await beaconDraw({ commitment: { pool: otherPool } });
    const drawn = short(recordOf(other).pool.digest);
    expect(check(other, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `the draw picked from candidates ${drawn} (statistics version 7), not the committed ${short(otherPool.digest)} (version 7)`,
    });
    const base = await beaconDraw();
    const older = await beaconDraw({
      commitment: { pool: { ...recordOf(base).pool, stats_version: 6 } },
    });
    expect(check(older, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `the draw picked from candidates ${drawn} (statistics version 7), not the committed ${drawn} (version 6)`,
    });
  });

  it("fails a commitment digest edited in the draw's output only, naming the edited digest", async () => {
    const draw = await beaconDraw();
    const edited = {
      ...draw,
      result: {
        ...draw.result,
        audit: {
          ...draw.result.audit,
          beacon: { ...draw.result.audit.beacon!, commitment_digest: 'ee'.repeat(32) },
        },
      },
    };
    expect(check(edited, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `the commitment's digest is ${short(commitmentDigest(draw.commitment))}, but the draw recorded ${short('ee'.repeat(32))}: one of them was changed`,
    });
    expect(verifyDraw(edited).ok).toBe(false);
  });

  it('fails a commitment digest edited in the audit record only (its own digest made to agree), naming the edited digest', async () => {
    const draw = await beaconDraw();
    const edited = rigged(
      { record: { beacon: { ...recordOf(draw).beacon!, commitment_digest: 'dd'.repeat(32) } } },
      draw,
    );
    expect(check(edited, 'commitment')).toEqual({
      name: 'commitment',
      ok: false,
      detail: `the commitment's digest is ${short(commitmentDigest(draw.commitment))}, but the draw recorded ${short('dd'.repeat(32))}: one of them was changed`,
    });
  });

  it('fails, without stopping, a beacon draw whose output no longer mentions the beacon', async () => {
    const draw = await beaconDraw();
    const { beacon: _beacon, ...audit } = draw.result.audit;
    const verification = verifyDraw({ ...draw, result: { ...draw.result, audit } });
    expect(verification.checks.find((each) => each.name === 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('one of them was changed'),
    });
    expect(verification.checks.map((each) => each.name)).toEqual([
      'record',
      'seed',
      'commitment',
      'beacon',
      'pool',
      'selection',
      'people',
      'records',
    ]);
  });

  it('fails a beacon draw whose audit record holds no round: no seed, no commitment, no round to check', async () => {
    const draw = await beaconDraw();
    const verification = verifyDraw(rigged({ record: { beacon: undefined } }, draw));
    expect(verification.checks.slice(1, 4)).toEqual([
      {
        name: 'seed',
        ok: false,
        detail:
          'the records say the seed came from a beacon round, but the audit record holds no round',
      },
      {
        name: 'commitment',
        ok: false,
        detail: `the commitment's digest is ${short(commitmentDigest(draw.commitment))}, but the draw recorded …: one of them was changed`,
      },
      { name: 'beacon', ok: false, detail: 'there is no committed round to check' },
    ]);
  });

  it('fails a beacon draw whose commitment is missing', async () => {
    const verification = verifyDraw({ ...(await beaconDraw()), commitment: undefined });
    expect(verification.checks.slice(2, 4)).toEqual([
      {
        name: 'commitment',
        ok: false,
        detail:
          'the draw was seeded by a beacon round, but the draws table holds no commitment for it',
      },
      { name: 'beacon', ok: false, detail: 'there is no committed round to check' },
    ]);
  });

  it('fails a draw started as a beacon draw whose records say the seed was generated', () => {
    expect(
      check({ ...evidence, input: JSON.stringify({ input: 4, beacon: true }) }, 'seed'),
    ).toEqual({
      name: 'seed',
      ok: false,
      detail: 'the draw was started as a beacon draw, but its records say the seed was generated',
    });
  });

  /**
   * The audit record made to look like an ordinary draw's, its digest in the output made to agree.
   */
  const ordinaryRecord = (draw: VerifyEvidence) =>
    rigged({ record: { seed_source: 'generated', beacon: undefined } }, draw);
  const ordinaryOutput = (draw: VerifyEvidence): VerifyEvidence => ({
    ...draw,
    result: {
      ...draw.result,
      audit: { ...draw.result.audit, seed_source: 'generated', beacon: undefined },
    },
  });
  it.each<[string, (draw: VerifyEvidence) => VerifyEvidence]>([
    [
      'only the draws table still holds its commitment',
      (draw) => ordinaryOutput(ordinaryRecord(draw)),
    ],
    [
      'only its output still names the round',
      (draw) => ({ ...ordinaryRecord(draw), commitment: undefined }),
    ],
    [
      'only its audit record still says the seed came from a beacon',
      (draw) => ({
        ...rigged({ record: { beacon: undefined } }, ordinaryOutput(draw)),
        commitment: undefined,
      }),
    ],
  ])(
    'checks the beacon of a beacon draw made to look like an ordinary one, when %s',
    async (_what, disguise) => {
      const disguised = disguise(await beaconDraw());
      const verification = verifyDraw(disguised);
      expect(verification.checks.map((each) => each.name)).toEqual([
        'record',
        'seed',
        'commitment',
        'beacon',
        'pool',
        'selection',
        'people',
        'records',
      ]);
      expect(verification.checks.find((each) => each.name === 'commitment')).toMatchObject({
        ok: false,
      });
      expect(verification.checks.find((each) => each.name === 'beacon')).toEqual({
        name: 'beacon',
        ok: false,
        detail: 'there is no committed round to check',
      });
      expect(verification.ok).toBe(false);
    },
  );
});
