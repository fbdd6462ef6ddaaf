import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RecordedBeacon } from './beacon';
import {
  announcementMessage,
  type DrawAudit,
  type DrawResult,
  type PoolSummary,
  type SeedSource,
  type WinnerDetail,
} from './draw';
import { hasWon, type Candidate, type WinnerClaim } from './pool';
import { candidateSpaceDigest, type CandidateSpace } from './selection';

// The audit record: written by Random Select Winners at draw time, it holds everything `lottery
// verify` needs to recompute the draw — the seed and where it came from, the candidates exactly as
// the algorithm defined them (the excluded serials, or the serial list), and what each candidate
// turned out to be — so that later seeding, renames or a reset never break verification. Its
// digest travels in the execution's output, so an edit of either shows.

/** A sorted list of serials, stored compactly: deltas as LEB128 varints, deflated, in base64. */
export interface EncodedSerials {
  count: number;
  encoding: 'delta-varint-deflate-base64';
  data: string;
}

export function encodeSerials(sorted: readonly number[]): EncodedSerials {
  const bytes: number[] = [];
  let previous = 0;
  for (const serial of sorted) {
    let delta = serial - previous;
    if (!Number.isInteger(delta) || delta < 0)
      throw new RangeError('serials must be whole numbers in ascending order');
    previous = serial;
    while (delta >= 0x80) {
      bytes.push((delta % 0x80) | 0x80);
      // Stryker disable next-line ArithmeticOperator: `delta * 0x80` grows the array until V8
      // aborts the whole test process, which ends a mutation run instead of failing a test
      delta = Math.floor(delta / 0x80);
    }
    bytes.push(delta);
  }
  return {
    count: sorted.length,
    encoding: 'delta-varint-deflate-base64',
    data: deflateRawSync(Buffer.from(bytes)).toString('base64'),
  };
}

export function decodeSerials(encoded: EncodedSerials): number[] {
  if (encoded.encoding !== 'delta-varint-deflate-base64')
    throw new Error(`unknown serial encoding ${String(encoded.encoding)}`);
  const bytes = inflateRawSync(Buffer.from(encoded.data, 'base64'));
  const serials: number[] = [];
  let previous = 0;
  let delta = 0;
  let scale = 1;
  for (const byte of bytes) {
    delta += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 0x80;
      continue;
    }
    previous += delta;
    serials.push(previous);
    delta = 0;
    scale = 1;
  }
  if (scale !== 1 || serials.length !== encoded.count)
    throw new Error(`the encoded serials hold ${serials.length} values, not ${encoded.count}`);
  return serials;
}

/** The candidates of a draw as the record keeps them. */
export type StoredCandidateSpace =
  | { mode: 'serial-space'; serial_space: number; excluded: EncodedSerials }
  | { mode: 'serial-list'; serials: EncodedSerials };

export interface PoolDefinition {
  candidates: StoredCandidateSpace;
  /** candidateSpaceDigest() of the candidates. */
  digest: string;
  /** Employees in the pool, and how many of them could win, when the draw was made. */
  total: number;
  eligible: number;
  /**
   * The version of the pool statistics the draw used; null when it read the index's keys instead.
   */
  stats_version: number | null;
  /** Why the draw read the index's keys, when it did. */
  list_reason?: string;
}

export interface SelectionRecord {
  draw_id: string;
  attempt: number;
  algorithm: string;
  seed: string;
  seed_source: SeedSource;
  prize: string | null;
  selected_at: string;
  pool: PoolDefinition;
  /** Every candidate the draw looked at, in the random order, until it had its winners. */
  candidates: Candidate[];
  winners: WinnerDetail[];
  /** A beacon draw's round, whose randomness is the seed. */
  beacon?: RecordedBeacon;
}

export function storeCandidateSpace(space: CandidateSpace): StoredCandidateSpace {
  return space.mode === 'serial-list'
    ? { mode: 'serial-list', serials: encodeSerials(space.serials) }
    : {
        mode: 'serial-space',
        serial_space: space.serialSpace,
        excluded: encodeSerials(space.excluded),
      };
}

export function loadCandidateSpace(stored: StoredCandidateSpace): CandidateSpace {
  return stored.mode === 'serial-list'
    ? { mode: 'serial-list', serials: decodeSerials(stored.serials) }
    : {
        mode: 'serial-space',
        serialSpace: stored.serial_space,
        excluded: decodeSerials(stored.excluded),
      };
}

export function poolDefinition(
  space: CandidateSpace,
  facts: Omit<PoolDefinition, 'candidates' | 'digest'>,
): PoolDefinition {
  return { candidates: storeCandidateSpace(space), digest: candidateSpaceDigest(space), ...facts };
}

/** JSON with object keys sorted at every level: the same record always has the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      // An object's keys are distinct: no two compare equal.
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function recordDigest(record: SelectionRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** What a draw's output says of its pool: the audit record has the rest. */
export function poolSummary(record: SelectionRecord): PoolSummary {
  return {
    algorithm: record.algorithm,
    mode: record.pool.candidates.mode,
    size: record.pool.eligible,
    total: record.pool.total,
    digest: record.pool.digest,
  };
}

/** What a draw's output says of its audit record. */
export function drawAudit(record: SelectionRecord): DrawAudit {
  const audit: DrawAudit = {
    seed: record.seed,
    seed_source: record.seed_source,
    attempt: record.attempt,
    pool: poolSummary(record),
    record_digest: recordDigest(record),
  };
  if (record.beacon)
    audit.beacon = {
      chain: record.beacon.chain,
      round: record.beacon.round,
      commitment_digest: record.beacon.commitment_digest,
    };
  return audit;
}

/**
 * How a draw interrupted half-way ends (its process was killed): if every person of its latest
 * attempt is recorded as won, the draw was recorded whole and it is finished — its announcement
 * is still owed; otherwise it is rolled back. Never anything in between.
 */
export function settleInterruptedDraw(
  rows: readonly (WinnerClaim & { won_at?: string })[],
  records: ReadonlyMap<number, SelectionRecord>,
): DrawResult | undefined {
  const latest = [...records.values()].sort((a, b) => b.attempt - a.attempt)[0];
  if (!latest || rows.length === 0) return undefined;
  const recorded = new Set(rows.filter(hasWon).map((row) => row.employee_id));
  const whole =
    rows.length === latest.winners.length &&
    latest.winners.every((winner) => recorded.has(winner.employee_id));
  if (!whole) return undefined;
  const wonAt = rows.map((row) => row.won_at).find((at) => at !== undefined) ?? latest.selected_at;
  return {
    draw_id: latest.draw_id,
    prize: latest.prize,
    winners: latest.winners,
    recorded_at: wonAt,
    audit: drawAudit(latest),
    message: announcementMessage(latest.winners, latest.prize),
    announcement: {
      status: 'FAILED',
      error: 'Lottery.BackendStopped',
      cause: 'the embedded backend stopped before the announcement was sent',
    },
  };
}
