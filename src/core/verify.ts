import type { DrawResult } from './draw';
import { compareIds, poolDigest, SELECTION_ALGORITHM, selectWinners } from './selection';

// Re-checks a past draw from what it recorded (seed, pool digest, winners) and what the tables
// hold now. The procedure is the README's "Checking a draw", done by the machine.

export interface RecordedWinner {
  employee_id: string;
  draw_id: string;
  status: string;
  won_at?: string;
}

export interface VerifyCheck {
  name: 'algorithm' | 'seed' | 'pool' | 'selection' | 'records';
  ok: boolean;
  /** A caution that does not make the draw wrong, such as a seed chosen by the caller. */
  warning?: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  checks: VerifyCheck[];
  /** The pool checked, in draw order (sorted by code point). */
  pool: string[];
  /** The winners recomputed from the seed and the pool, when the pool could be checked. */
  recomputed?: string[];
}

/**
 * The pool as it stood when the draw picked its winners: everyone in the employee table, less
 * the people other draws had recorded before this one. Exact for draws run one after another;
 * draws that overlapped, or employees changed since, show up as a digest that does not match.
 */
export function rebuildPool(result: DrawResult, employeeIds: readonly string[], records: readonly RecordedWinner[]): string[] {
  const earlier = new Set(
    records
      .filter((record) => record.draw_id !== result.draw_id && record.status === 'won' && (record.won_at ?? '') < result.recorded_at)
      .map((record) => record.employee_id),
  );
  return employeeIds.filter((id) => !earlier.has(id)).sort(compareIds);
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;

export function verifyDraw(result: DrawResult, pool: readonly string[], poolSource: string, records: readonly RecordedWinner[]): Verification {
  const checks: VerifyCheck[] = [];
  const { audit } = result;
  const drawnIds = result.winners.map((winner) => winner.employee_id);

  checks.push(
    audit.seed_source === 'caller'
      ? { name: 'seed', ok: true, warning: true, detail: `${short(audit.seed)} was chosen by whoever started the draw, not by the workflow: they could have chosen the outcome` }
      : { name: 'seed', ok: true, detail: `${short(audit.seed)}, drawn by the workflow from the system's secure random source` },
  );
  if (audit.pool.algorithm !== SELECTION_ALGORITHM) {
    checks.push({ name: 'algorithm', ok: false, detail: `the draw used ${audit.pool.algorithm}; this version checks ${SELECTION_ALGORITHM}` });
    return { ok: false, checks, pool: [...pool] };
  }

  const ordered = [...pool].sort(compareIds);
  const digest = poolDigest(ordered);
  const poolMatches = digest === audit.pool.digest && ordered.length === audit.pool.size;
  checks.push({
    name: 'pool',
    ok: poolMatches,
    detail: poolMatches
      ? `${ordered.length} eligible (${poolSource}), digest ${short(digest)} matches the recorded one`
      : `the pool ${poolSource} has ${ordered.length} people and digest ${short(digest)}; the draw recorded ${audit.pool.size} and ${short(audit.pool.digest)}`,
  });
  if (!poolMatches) return { ok: false, checks, pool: ordered };

  const recomputed = selectWinners(
    ordered.map((employee_id) => ({ employee_id })),
    result.winners.length,
    audit.seed,
    audit.attempt,
  ).winners.map((winner) => winner.employee_id);
  const selectionMatches = recomputed.join('\n') === drawnIds.join('\n');
  checks.push({
    name: 'selection',
    ok: selectionMatches,
    detail: selectionMatches
      ? `seed and pool give ${recomputed.join(', ')} (attempt ${audit.attempt}), as drawn`
      : `seed and pool give ${recomputed.join(', ')}, but the draw says ${drawnIds.join(', ')}`,
  });

  const recorded = records.filter((record) => record.draw_id === result.draw_id && record.status === 'won').map((record) => record.employee_id);
  const notRecorded = drawnIds.filter((id) => !recorded.includes(id));
  const notDrawn = recorded.filter((id) => !drawnIds.includes(id));
  const recordsMatch = notRecorded.length === 0 && notDrawn.length === 0;
  checks.push({
    name: 'records',
    ok: recordsMatch,
    detail: recordsMatch
      ? `the winners table holds exactly these ${recorded.length} winners for this draw`
      : [
          notDrawn.length > 0 ? `recorded as winners of this draw but not drawn: ${notDrawn.join(', ')}` : '',
          notRecorded.length > 0 ? `drawn but not recorded: ${notRecorded.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
  });

  return { ok: checks.every((check) => check.ok), checks, pool: ordered, recomputed };
}
