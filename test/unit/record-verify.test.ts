import { describe, expect, it } from 'vitest';
import {
  commitmentDigest,
  DRAND_CHAINS,
  rfc3339,
  roundRandomness,
  roundTime,
  type BeaconCommitment,
} from '../../src/core/beacon';
import { poolDefinition } from '../../src/core/candidates';
import { idHash, poolMembers } from '../../src/core/pool-members';
import { encodePool, RECORD_FORMAT, type DrawRecordFile } from '../../src/core/record-format';
import { lookUpPerson, replayDraw, verifyRecord } from '../../src/core/record-verify';
import { decodePool } from '../../src/core/record-format';
import { SELECTION_ALGORITHM, type CandidateSpace } from '../../src/core/selection';

// The record's verifier on a beacon draw seeded by a real quicknet round (123, drand's published
// round, as drand-verify's documentation gives it): no test chain, so no warning either.

const SALT = '0f'.repeat(16);
const ROUND = {
  round: 123,
  signature:
    'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92',
};
const people = Array.from({ length: 20 }, (_, i) => ({
  employee_id: `E${i + 1}`,
  lottery_serial: i + 1 + (i >= 10 ? 5 : 0),
  tickets: i === 3 ? 2 : 1,
}));
const members = poolMembers(SALT, people);
const space: CandidateSpace = { mode: 'serial-space', serialSpace: 25, excluded: [2] };
const quicknet = DRAND_CHAINS.quicknet;
const due = roundTime(quicknet, ROUND.round);

function beaconRecord(): DrawRecordFile {
  const pool = poolDefinition(space, {
    total: 20,
    eligible: 19,
    stats_version: 3,
    max_tickets: 2,
    members,
  });
  const commitment: BeaconCommitment = {
    draw_id: 'd1',
    committed_at: new Date((due - 5) * 1000).toISOString(),
    chain: { ...quicknet },
    round: ROUND.round,
    round_time: rfc3339(due),
    margin_seconds: 5,
    prize: 'Bike',
    winners: 3,
    algorithm: SELECTION_ALGORITHM,
    pool,
  };
  const draw = {
    draw_id: 'd1',
    prize: 'Bike',
    attempt: 1,
    algorithm: SELECTION_ALGORITHM,
    seed: roundRandomness(ROUND.signature),
    seed_source: 'beacon' as const,
    selected_at: new Date((due + 1) * 1000).toISOString(),
    recorded_at: new Date((due + 2) * 1000).toISOString(),
    candidates: { mode: 'serial-space' as const, serial_space: 25 },
    excluded: [2],
    event_excluded: [2],
    candidates_digest: pool.digest,
    max_tickets: 2,
    members,
    taken: [],
    winners: [] as { employee_id: string; employee_name: string; lottery_serial: number }[],
    beacon: { commitment, commitment_digest: commitmentDigest(commitment), round: ROUND },
  };
  const entries = [...people]
    .sort((a, b) => a.lottery_serial - b.lottery_serial)
    .map((p) => ({
      serial: p.lottery_serial,
      hash: idHash(SALT, p.employee_id),
      tickets: p.tickets,
    }));
  const record: DrawRecordFile = {
    format: RECORD_FORMAT,
    made_at: '2026-12-05T00:00:00.000Z',
    title: 'Bike',
    pool: encodePool(members, entries),
    draws: [draw],
    forfeits: [],
  };
  draw.winners = [1, 2, 3].map(() => ({ employee_id: '', employee_name: '', lottery_serial: 0 }));
  const serials = replayDraw(draw, decodePool(record.pool)) as number[];
  draw.winners = serials.map((serial) => {
    const person = people.find((p) => p.lottery_serial === serial)!;
    return {
      employee_id: person.employee_id,
      employee_name: `Name of ${person.employee_id}`,
      lottery_serial: serial,
    };
  });
  return record;
}

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
