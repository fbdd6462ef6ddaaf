import { createHash } from 'node:crypto';
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
import { canonicalJson } from './canonical';
import type { PoolDefinition } from './candidates';
import type { Forfeit } from './forfeits';

// The audit record: written by Random Select Winners at draw time, it holds everything `lottery
// verify` needs to recompute the draw — the seed and where it came from, the candidates exactly as
// the algorithm defined them (the excluded serials, or the serial list), and what each candidate
// turned out to be — so that later seeding, renames or a reset never break verification. Its
// digest travels in the execution's output, so an edit of either shows.

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
  /** A replacement draw: the forfeit it fills, as the backend held it when the draw selected. */
  replaces?: Forfeit;
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
