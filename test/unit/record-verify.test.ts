import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';
import { pickWeighted } from '../../src/core/pool';
import { idHash, poolMembers } from '../../src/core/pool-members';
import {
  encodePool,
  RECORD_FORMAT,
  type DrawRecordFile,
  type RecordDraw,
  type RecordForfeit,
  type RecordPool,
  type RecordWinner,
} from '../../src/core/record-format';
import { lookUpPerson, verifyRecord, type RecordVerdict } from '../../src/core/record-verify';
import {
  candidateSpaceDigest,
  ProposalStream,
  SELECTION_ALGORITHM,
  type CandidateSpace,
} from '../../src/core/selection';
import { beaconRecord, due, members, people } from '../helpers/record-fixtures';

// The record's verifier on a beacon draw seeded by quicknet round 123 (test/helpers).

const failure = (record: DrawRecordFile) =>
  verifyRecord(record).draws[0]?.checks.find((check) => !check.ok);

describe('a beacon draw seeded by quicknet round 123', () => {
  const record = beaconRecord();
  it('verifies, with no warning about the chain', () => {
    const verdict = verifyRecord(record);
    expect(verdict.ok).toBe(true);
    expect(verdict.draws[0]?.checks.find((c) => c.name === 'beacon')).toMatchObject({
      ok: true,
      detail: expect.stringContaining("drand's quicknet chain"),
    });
  });
  it('never draws the excluded serial', () =>
    expect(record.draws[0]?.winners.map((w) => w.lottery_serial)).not.toContain(2));
  it('fails when the commitment was made after its round could exist', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.beacon!.commitment.committed_at = new Date(due * 1000).toISOString();
    expect(failure(copy)?.name).toBe('commitment');
  });
  it('fails when the committed pool is not the listed one', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.members = { ...members, digest: '00'.repeat(32) };
    const failed = verifyRecord(copy).draws[0]?.checks.filter((check) => !check.ok);
    expect(failed?.map((check) => check.name)).toEqual(['commitment', 'selection']);
  });
  it('fails when the excluded serial is let back in', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.excluded = [];
    expect(failure(copy)).toMatchObject({ name: 'candidates' });
  });
  it('fails with a name that is not the winner hash', () => {
    const copy = structuredClone(record);
    copy.draws[0]!.winners[0]!.employee_id = 'E99';
    expect(failure(copy)).toMatchObject({
      name: 'winners',
      detail: expect.stringContaining('E99'),
    });
  });
  it('fails on anything that is not a record, without throwing', () => {
    expect(verifyRecord(null as unknown as DrawRecordFile).ok).toBe(false);
    expect(verifyRecord({ ...record, pool: { ...record.pool, id_hashes: '!!' } }).ok).toBe(false);
    expect(verifyRecord({ ...record, draws: [{} as never] }).ok).toBe(false);
  });
});

describe('the id box', () => {
  const record = beaconRecord();
  const winner = record.draws[0]!.winners[0]!.employee_id;
  it('says a winner won', () => expect(lookUpPerson(record, winner).draws[0]?.status).toBe('won'));
  it('says an excluded person was excluded', () =>
    expect(lookUpPerson(record, 'E2')).toMatchObject({
      inPool: true,
      serial: 2,
      draws: [{ status: 'excluded' }],
    }));
  it('says someone who did not win was in the draw', () => {
    const other = people.find(
      (p) =>
        p.lottery_serial !== 2 &&
        !record.draws[0]!.winners.some((w) => w.employee_id === p.employee_id),
    )!;
    expect(lookUpPerson(record, other.employee_id).draws[0]?.status).toBe('entered');
  });
  it('says an unknown id is not in the pool', () =>
    expect(lookUpPerson(record, 'X1')).toEqual({ inPool: false, draws: [] }));
  it('reads tickets', () => expect(lookUpPerson(record, 'E4').tickets).toBe(2));
});

// Records of draws the draw engine made (pickWeighted over a ProposalStream, as a draw of the
// backend picks), not replayed by the verifier itself: the record must verify for every seed, and
// the verifier must name the winners the engine picked.

const SALT = 'a5'.repeat(16);
interface Person {
  employee_id: string;
  lottery_serial: number;
  tickets: number;
}
/** 30 people at serials 1–12, 19–31 and 35–39 of 40, some with two or three tickets. */
const crowd: Person[] = Array.from({ length: 30 }, (_, i) => ({
  employee_id: `P${i + 1}`,
  lottery_serial: i + 1 + (i >= 12 ? 6 : 0) + (i >= 25 ? 3 : 0),
  tickets: i % 7 === 3 ? 3 : i % 5 === 1 ? 2 : 1,
}));
const seedOf = (label: string) => bytesToHex(sha256(utf8ToBytes(label)));

function poolOf(group: readonly Person[]): RecordPool {
  const sorted = [...group].sort((a, b) => a.lottery_serial - b.lottery_serial);
  return encodePool(
    poolMembers(SALT, group),
    sorted.map((p) => ({
      serial: p.lottery_serial,
      hash: idHash(SALT, p.employee_id),
      tickets: p.tickets,
    })),
  );
}

interface Plan {
  draw_id?: string;
  seed?: string;
  attempt?: number;
  wanted: number;
  /** A serial space of this size; absent: the pool's serials. */
  space?: number;
  excluded?: number[];
  event_excluded?: number[];
  max_tickets?: number;
  /** Serials another draw won while this one drew. */
  takenBy?: readonly number[];
  selected_at?: string;
  replaces?: { draw_id: string; employee_id: string };
}

async function drawn(group: readonly Person[], plan: Plan): Promise<RecordDraw> {
  const { draw_id = 'd1', attempt = 1, excluded = [], takenBy = [] } = plan;
  const seed = plan.seed ?? seedOf(draw_id);
  const serials = group.map((p) => p.lottery_serial).sort((a, b) => a - b);
  const space: CandidateSpace = plan.space
    ? { mode: 'serial-space', serialSpace: plan.space, excluded }
    : { mode: 'serial-list', serials: serials.filter((serial) => !excluded.includes(serial)) };
  const max_tickets = plan.max_tickets ?? Math.max(1, ...group.map((p) => p.tickets));
  const bySerial = new Map(group.map((p) => [p.lottery_serial, p]));
  const { winners, candidates } = await pickWeighted(
    new ProposalStream(space, seed, attempt, max_tickets),
    plan.wanted,
    async (asked) =>
      new Map(
        asked.flatMap((serial) => (bySerial.has(serial) ? [[serial, bySerial.get(serial)!]] : [])),
      ),
    (p) => takenBy.includes(p.lottery_serial),
    (missing) => missing,
  );
  const taken = [
    ...new Set(candidates.filter((c) => c.skipped === 'taken').map((c) => c.serial)),
  ].sort((a, b) => a - b);
  return {
    draw_id,
    prize: 'Bike',
    attempt,
    algorithm: SELECTION_ALGORITHM,
    seed,
    seed_source: 'generated',
    selected_at: plan.selected_at ?? '2026-12-05T12:00:00.000Z',
    recorded_at: '2026-12-05T13:00:00.000Z',
    candidates: plan.space
      ? { mode: 'serial-space', serial_space: plan.space }
      : { mode: 'serial-list' },
    excluded,
    event_excluded: plan.event_excluded ?? [],
    candidates_digest: candidateSpaceDigest(space),
    max_tickets,
    members: poolMembers(SALT, group),
    taken,
    winners: winners.map((p) => ({
      employee_id: p.employee_id,
      employee_name: `Name of ${p.employee_id}`,
      lottery_serial: p.lottery_serial,
    })),
    ...(plan.replaces ? { replaces: plan.replaces } : {}),
  };
}

const recordOf = (group: readonly Person[], draws: RecordDraw[]): DrawRecordFile => ({
  format: RECORD_FORMAT,
  made_at: '2026-12-05T14:00:00.000Z',
  title: 'Party',
  pool: poolOf(group),
  draws,
  forfeits: [],
});
const checkOf = (verdict: RecordVerdict, name: string, draw = 0) =>
  verdict.draws[draw]?.checks.find((check) => check.name === name);
const picks = (draw: RecordDraw) =>
  `the seed picks serials ${draw.winners.map((w) => w.lottery_serial).join(', ')} (attempt ${draw.attempt}), and each winner's id hashes to the pool's entry there`;
const attempts = Array.from({ length: 24 }, (_, i) => i + 1);

describe('a draw the engine made, for 24 attempts of one seed', () => {
  it.each<[string, readonly Person[], Omit<Plan, 'attempt'>]>([
    ['serials 1..40 less two', crowd, { wanted: 4, space: 40, excluded: [5, 20] }],
    ['the pool itself less two', crowd, { wanted: 4, excluded: [1, 39] }],
    ['someone taken meanwhile', crowd, { wanted: 6, space: 40, takenBy: [1, 2, 3, 4, 7, 9] }],
    ['up to 10 tickets each', crowd, { wanted: 3, space: 40, max_tickets: 10 }],
    [
      'one ticket each, none in the record',
      crowd.map((p) => ({ ...p, tickets: 1 })),
      { wanted: 5, space: 40 },
    ],
  ])('%s: verifies, naming the serials the engine picked', async (_, group, plan) => {
    for (const attempt of attempts) {
      const draw = await drawn(group, { ...plan, attempt });
      const verdict = verifyRecord(recordOf(group, [draw]));
      expect([attempt, checkOf(verdict, 'selection')]).toEqual([
        attempt,
        { name: 'selection', ok: true, detail: picks(draw) },
      ]);
      expect(verdict.ok).toBe(true);
    }
  });
  it('with a winner more than the candidates allow: fails, saying how many the seed gives', async () => {
    // Serials 1, 2 and 4 of 6: everyone can be drawn, then nobody more.
    const few = [crowd[0]!, { ...crowd[1]!, tickets: 2 }, { ...crowd[3]!, lottery_serial: 4 }];
    for (const attempt of attempts)
      for (const [takenBy, drawable] of [
        [[], 3],
        [[2], 2],
        [[1], 2],
      ] as const) {
        const draw = await drawn(few, { wanted: 4, space: 6, attempt, takenBy });
        expect(draw.winners).toHaveLength(drawable);
        draw.winners.push({ employee_id: 'P99', employee_name: 'Nobody', lottery_serial: 6 });
        expect([
          attempt,
          takenBy,
          checkOf(verifyRecord(recordOf(few, [draw])), 'selection'),
        ]).toEqual([
          attempt,
          takenBy,
          {
            name: 'selection',
            ok: false,
            detail: `the seed gives only ${drawable} winners from these candidates`,
          },
        ]);
      }
  });
  it.each<[string, Omit<Plan, 'wanted'>, string]>([
    ['one candidate', { excluded: [2] }, 'the seed gives only 1 winner from these candidates'],
    [
      'no candidate at all',
      { excluded: [1, 2] },
      'the seed gives only 0 winners from these candidates',
    ],
  ])('with two winners from %s: fails', async (_, plan, detail) => {
    const two = crowd.slice(0, 2);
    const draw = await drawn(two, { ...plan, wanted: 1 });
    draw.winners = two.map((p) => ({
      employee_id: p.employee_id,
      employee_name: '',
      lottery_serial: p.lottery_serial,
    }));
    expect(checkOf(verifyRecord(recordOf(two, [draw])), 'selection')).toEqual({
      name: 'selection',
      ok: false,
      detail,
    });
  });
});

/**
 * An evening of three draws: d1 picks three, its first winner forfeits (a second forfeit's
 * replacement d9 is not in the record), d2 replaces them leaving d1's winners out, and d3, drawn
 * meanwhile, passes over those whom d1 and d2 won.
 */
async function evening() {
  const d1 = await drawn(crowd, {
    draw_id: 'd1',
    wanted: 3,
    space: 40,
    excluded: [5],
    event_excluded: [5],
  });
  const [first, second] = d1.winners as [RecordWinner, RecordWinner];
  const d2 = await drawn(crowd, {
    draw_id: 'd2',
    wanted: 1,
    space: 40,
    excluded: [5, ...d1.winners.map((w) => w.lottery_serial)].sort((a, b) => a - b),
    event_excluded: [5],
    selected_at: '2026-12-05T12:20:00.000Z',
    replaces: { draw_id: 'd1', employee_id: first.employee_id },
  });
  const d3 = await drawn(crowd, {
    draw_id: 'd3',
    wanted: 12,
    space: 40,
    excluded: [5],
    event_excluded: [5],
    takenBy: [...d1.winners, ...d2.winners].map((w) => w.lottery_serial),
  });
  const record = recordOf(crowd, [d1, d2, d3]);
  const forfeitOf = (winner: RecordWinner, replacement_draw_id: string): RecordForfeit => ({
    draw_id: 'd1',
    employee_id: winner.employee_id,
    employee_name: winner.employee_name,
    prize: 'Bike',
    reason: 'not in the room',
    forfeited_at: '2026-12-05T12:10:00.000Z',
    eligible_again: false,
    replacement_draw_id,
  });
  record.forfeits = [forfeitOf(second, 'd9'), forfeitOf(first, 'd2')];
  return { record, d1, d2, d3, first, second };
}

describe('an evening of draws, with a forfeit and its replacement', () => {
  it('verifies: the forfeit is replaced by a draw of the record, which left its winner out', async () => {
    const { record, d3, first, second } = await evening();
    expect(d3.taken.length).toBeGreaterThan(0);
    const verdict = verifyRecord(record);
    expect(verdict.ok).toBe(true);
    expect(verdict.checks.slice(1)).toEqual([
      {
        name: 'forfeits',
        ok: true,
        warning: true,
        detail: `${second.employee_name} (d1), not in the room: the replacement d9 is not in this record`,
      },
      {
        name: 'forfeits',
        ok: true,
        detail: `${first.employee_name} (d1), not in the room: replaced by d2`,
      },
    ]);
    expect(checkOf(verdict, 'forfeit', 1)).toEqual({
      name: 'forfeit',
      ok: true,
      detail: `replaces ${first.employee_name} of d1, forfeited 2026-12-05T12:10:00.000Z: not in the room`,
    });
    expect(checkOf(verdict, 'taken', 2)).toEqual({
      name: 'taken',
      ok: true,
      warning: false,
      detail: `${d3.taken.length} ${d3.taken.length === 1 ? 'person' : 'people'} passed over because other draws of this record won them first`,
    });
    expect(verdict.draws.map((draw) => draw.checks.map((check) => check.name))).toEqual([
      ['seed', 'candidates', 'selection'],
      ['seed', 'candidates', 'selection', 'forfeit'],
      ['seed', 'candidates', 'selection', 'taken'],
    ]);
  });
  it.each<
    [string, (e: Awaited<ReturnType<typeof evening>>) => void, (first: RecordWinner) => string]
  >([
    [
      'the forfeit names another replacement',
      ({ record }) => (record.forfeits[1]!.replacement_draw_id = 'd3'),
      (first) => `the forfeit of ${first.employee_id} names d3 as its replacement`,
    ],
    [
      'the forfeit is dated when the replacement picked',
      ({ record }) => (record.forfeits[1]!.forfeited_at = '2026-12-05T12:20:00.000Z'),
      (first) =>
        `${first.employee_id}'s forfeit is dated 2026-12-05T12:20:00.000Z, not before this draw picked (2026-12-05T12:20:00.000Z)`,
    ],
    [
      'the forfeited winner is let back into the replacement',
      ({ d2, first }) => (d2.excluded = d2.excluded.filter((s) => s !== first.lottery_serial)),
      (first) =>
        `the replacement could draw ${first.employee_id} again: serial ${first.lottery_serial} is not left out`,
    ],
    [
      'the forfeit and the replacement name someone who did not win',
      ({ record, d2 }) => {
        record.forfeits[1]!.employee_id = 'P30';
        d2.replaces!.employee_id = 'P30';
      },
      () => 'P30 is not a winner of d1 in this record',
    ],
  ])('%s: the replacement fails, saying so', async (_, edit, detail) => {
    const evening_ = await evening();
    edit(evening_);
    const verdict = verifyRecord(evening_.record);
    expect(verdict.ok).toBe(false);
    expect(checkOf(verdict, 'forfeit', 1)).toEqual({
      name: 'forfeit',
      ok: false,
      detail: detail(evening_.first),
    });
  });
  it('verifies with its draws in another order', async () => {
    const { record, first } = await evening();
    record.draws.reverse();
    const verdict = verifyRecord(record);
    expect(verdict.ok).toBe(true);
    expect(checkOf(verdict, 'forfeit', 1)?.detail).toBe(
      `replaces ${first.employee_name} of d1, forfeited 2026-12-05T12:10:00.000Z: not in the room`,
    );
  });
  it("the replacement's forfeit is the one of its draw, not another of the same person", async () => {
    const { record, first } = await evening();
    record.forfeits.unshift({ ...record.forfeits[1]!, draw_id: 'd3', reason: 'left early' });
    const verdict = verifyRecord(record);
    expect(checkOf(verdict, 'forfeit', 1)).toEqual({
      name: 'forfeit',
      ok: true,
      detail: `replaces ${first.employee_name} of d1, forfeited 2026-12-05T12:10:00.000Z: not in the room`,
    });
    expect(verdict.checks[1]).toEqual({
      name: 'forfeits',
      ok: false,
      detail: `${first.employee_id} forfeited a win of d3 that the record does not hold`,
    });
  });
  it('a forfeit naming a draw its winner did not win: fails', async () => {
    const { record, d3 } = await evening();
    record.forfeits[0]!.draw_id = 'd3';
    record.forfeits[0]!.employee_id = record.forfeits[1]!.employee_id;
    const verdict = verifyRecord(record);
    expect(verdict.ok).toBe(false);
    expect(verdict.checks[1]).toEqual({
      name: 'forfeits',
      ok: false,
      detail: `${record.forfeits[1]!.employee_id} forfeited a win of d3 that the record does not hold`,
    });
    expect(d3.winners.map((w) => w.employee_id)).not.toContain(record.forfeits[1]!.employee_id);
  });
  it('a draw claiming its own winner was taken by another: a warning naming them', async () => {
    const { record, d1 } = await evening();
    d1.taken = [d1.winners[2]!.lottery_serial];
    expect(checkOf(verifyRecord(record), 'taken')).toEqual({
      name: 'taken',
      ok: true,
      warning: true,
      detail: `1 person passed over as taken by other draws not in this record (serials ${d1.winners[2]!.lottery_serial})`,
    });
  });
});

describe('the id box, on an evening of draws', () => {
  it('says who won, forfeited, could not win or was in each draw', async () => {
    const { record, d3, first } = await evening();
    const third = d3.winners[0]!;
    const statuses = (id: string) => lookUpPerson(record, id).draws.map((draw) => draw.status);
    expect(lookUpPerson(record, ` ${first.employee_id}\t`)).toEqual({
      inPool: true,
      serial: first.lottery_serial,
      tickets: crowd.find((p) => p.employee_id === first.employee_id)!.tickets,
      draws: [
        { draw_id: 'd1', prize: 'Bike', status: 'forfeited' },
        { draw_id: 'd2', prize: 'Bike', status: 'could not win' },
        { draw_id: 'd3', prize: 'Bike', status: 'entered' },
      ],
    });
    expect(statuses(third.employee_id)).toEqual(['entered', 'entered', 'won']);
    // d1's third winner kept their win, though two others of d1 forfeited theirs.
    expect(statuses(record.draws[0]!.winners[2]!.employee_id)).toEqual([
      'won',
      'could not win',
      'entered',
    ]);
    expect(statuses('P5')).toEqual(['excluded', 'excluded', 'excluded']);
  });
  it('says a winner named in a forfeit of another draw still won', async () => {
    const { record, d1 } = await evening();
    record.forfeits[0]!.draw_id = 'd3';
    expect(lookUpPerson(record, d1.winners[1]!.employee_id).draws[0]?.status).toBe('won');
  });
  it('does not say someone forfeited a win the record does not give them', async () => {
    const { record } = await evening();
    record.forfeits[1]!.employee_id = 'P30';
    expect(lookUpPerson(record, 'P30').draws[0]?.status).not.toBe('forfeited');
  });
  it('gives one ticket to everyone of a record without ticket counts', async () => {
    const ones = crowd.map((p) => ({ ...p, tickets: 1 }));
    const record = recordOf(ones, [await drawn(ones, { wanted: 2, space: 40 })]);
    expect(record.pool.tickets).toBeUndefined();
    expect(lookUpPerson(record, 'P1')).toMatchObject({ inPool: true, serial: 1, tickets: 1 });
    expect(lookUpPerson(record, 'P30')).toMatchObject({ serial: 39, tickets: 1 });
  });
});

describe('a draw from the pool list, word for word', () => {
  it('names the candidates as the pool less those who could not win', async () => {
    const draw = await drawn(crowd, { wanted: 2, excluded: [3, 7], event_excluded: [7] });
    expect(checkOf(verifyRecord(recordOf(crowd, [draw])), 'candidates')).toEqual({
      name: 'candidates',
      ok: true,
      detail: `the pool's 30 serials less 2 who could not win (1 excluded from the event), digest ${draw.candidates_digest.slice(0, 12)}…`,
    });
  });
  it.each([
    ['in capitals', (seed: string) => seed.toUpperCase()],
    ['of 31 bytes', (seed: string) => seed.slice(2)],
  ])('with a seed %s: the seed fails, though it picks the winners', async (_, edit) => {
    const draw = await drawn(crowd, { wanted: 3, seed: edit(seedOf('d1')) });
    const verdict = verifyRecord(recordOf(crowd, [draw]));
    expect(verdict.ok).toBe(false);
    expect(verdict.draws[0]?.checks.filter((check) => !check.ok)).toEqual([
      { name: 'seed', ok: false, detail: 'the seed is not 32 bytes of hexadecimal' },
    ]);
    expect(checkOf(verdict, 'selection')?.detail).toBe(picks(draw));
  });
  it('with someone holding more tickets than the draw allowed: names them', async () => {
    const draw = await drawn(crowd, { wanted: 3, max_tickets: 3 });
    draw.max_tickets = 2;
    const detail = checkOf(verifyRecord(recordOf(crowd, [draw])), 'selection')?.detail;
    const serial = Number(
      /^serial (\d+) has 3 tickets, more than the draw's largest, 2$/.exec(detail ?? '')?.[1],
    );
    expect(crowd.find((p) => p.lottery_serial === serial)?.tickets).toBe(3);
  });
  it('with someone holding no tickets: names them at once instead of proposing them for ever', async () => {
    const draw = await drawn(crowd, { wanted: 3, max_tickets: 3 });
    const none = crowd.map((p) => ({ ...p, tickets: 0 }));
    draw.members = poolMembers(SALT, none);
    const detail = checkOf(verifyRecord(recordOf(none, [draw])), 'selection')?.detail;
    expect(detail).toMatch(/^serial \d+ has 0 tickets: a count is a whole number from 1 to 3$/);
  });
  it('with a largest ticket count of 1 or 10: verifies', async () => {
    const ones = crowd.map((p) => ({ ...p, tickets: 1 }));
    for (const max_tickets of [1, 10]) {
      const draw = await drawn(ones, { wanted: 3, max_tickets });
      expect(verifyRecord(recordOf(ones, [draw])).ok).toBe(true);
    }
  });
});
