import {
  commitmentDigest,
  publicCommitment,
  DRAND_CHAINS,
  rfc3339,
  roundRandomness,
  roundTime,
  type BeaconCommitment,
} from '../../src/core/beacon';
import { poolDefinition } from '../../src/core/candidates';
import { ID_HASH_BYTES, idHash, poolMembers } from '../../src/core/pool-members';
import {
  decodePool,
  encodePool,
  RECORD_FORMAT,
  type DrawRecordFile,
} from '../../src/core/record-format';
import { replayDraw } from '../../src/core/record-verify';
import { SELECTION_ALGORITHM, type CandidateSpace } from '../../src/core/selection';

// A record of one beacon draw seeded by a real quicknet round (123, drand's published round, as
// drand-verify's documentation gives it), made by hand: no test chain, so no warning either.

const SALT = '0f'.repeat(16);
const ROUND = {
  round: 123,
  signature:
    'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92',
};
export const people = Array.from({ length: 20 }, (_, i) => ({
  employee_id: `E${i + 1}`,
  lottery_serial: i + 1 + (i >= 10 ? 5 : 0),
  tickets: i === 3 ? 2 : 1,
}));
export const members = poolMembers(SALT, people);
const space: CandidateSpace = { mode: 'serial-space', serialSpace: 25, excluded: [2] };
const quicknet = DRAND_CHAINS.quicknet;
export const due = roundTime(quicknet, ROUND.round);

export function beaconRecord(): DrawRecordFile {
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
    beacon: {
      commitment: publicCommitment(commitment),
      commitment_digest: commitmentDigest(commitment),
      round: { ...ROUND },
    },
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

export interface PoolEntry {
  serial: number;
  hash: Uint8Array;
  tickets: number;
}

/** Tampers with a record's pool (a person added or removed) under the same claimed digest. */
export function repool(record: DrawRecordFile, edit: (entries: PoolEntry[]) => void): void {
  const decoded = decodePool(record.pool);
  const entries = decoded.serials.map((serial, i) => ({
    serial,
    hash: decoded.hashes.slice(i * ID_HASH_BYTES, (i + 1) * ID_HASH_BYTES),
    tickets: decoded.tickets?.[i] ?? 1,
  }));
  edit(entries);
  const { algorithm, salt, digest, count } = record.pool;
  record.pool = encodePool({ algorithm, salt, digest, count }, entries);
}
