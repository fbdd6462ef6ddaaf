import type { WinnerDetail } from './draw';
import { oneOrMany, plural } from './plural';

// Who can win a draw, worked out from what is kept rather than from the whole employee table:
// the pool's statistics (kept by `lottery seed`) and the rows of Lottery-Winners (one per person
// who has won or is claimed by a running draw). A draw reads O(w) rows here, w being those rows.

/** A row of Lottery-Winners as far as eligibility is concerned. */
export interface WinnerClaim {
  employee_id: string;
  /** Absent on rows written by the workshop's own Record Winners. */
  draw_id?: string;
  /** Absent on the workshop's rows, which only ever recorded people who had won. */
  status?: 'claimed' | 'won';
  /** The winner's serial, copied from the employee record (and kept in step by `lottery seed`). */
  lottery_serial?: number;
  /** The execution that claimed the person, so that anyone can ask whether it still runs. */
  execution_arn?: string;
}

/** What `lottery seed` keeps about the employee table, so that nobody has to count it. */
export interface PoolStats {
  /** Employees in the table. */
  count: number;
  /** The highest lottery_serial in use (0 when the table is empty). */
  max_serial: number;
  /** Goes up by one with every seed that changes the table. */
  version: number;
  updated_at: string;
}

/** A workshop row has no status: it was written when the person won. */
export function hasWon(claim: WinnerClaim): boolean {
  return claim.status === undefined || claim.status === 'won';
}

export interface Exclusions {
  /** Serials nobody may win in this draw, sorted ascending and distinct. */
  excluded: number[];
  won: number;
  /**
   * People claimed by other draws that are still running: they may come back if those draws fail.
   */
  heldByOthers: number;
  /** The other draws whose claims stand in the way, by id, with the execution that made them. */
  claimingDraws: Map<string, string | undefined>;
  /** Rows without a serial (written by the workshop): their people's serials must be looked up. */
  unresolved: string[];
}

/**
 * Everyone who has won or is claimed by another draw is excluded. This draw's own claims are not:
 * a retried task must see the same pool.
 */
export function exclusions(claims: readonly WinnerClaim[], drawId: string): Exclusions {
  const serials = new Set<number>();
  const claimingDraws = new Map<string, string | undefined>();
  const unresolved: string[] = [];
  let won = 0;
  let heldByOthers = 0;
  for (const claim of claims) {
    if (claim.draw_id === drawId) continue;
    if (hasWon(claim)) won++;
    else {
      heldByOthers++;
      if (claim.draw_id !== undefined) claimingDraws.set(claim.draw_id, claim.execution_arn);
    }
    if (claim.lottery_serial === undefined) unresolved.push(claim.employee_id);
    else serials.add(claim.lottery_serial);
  }
  return {
    excluded: [...serials].sort((a, b) => a - b),
    won,
    heldByOthers,
    claimingDraws,
    unresolved,
  };
}

/** Adds serials found later (the workshop's rows) to a sorted exclusion list. */
export function withSerials(excluded: readonly number[], more: readonly number[]): number[] {
  return [...new Set([...excluded, ...more])].sort((a, b) => a - b);
}

/** The pool as the numbers a draw and its messages need. */
export interface PoolCounts {
  /** Employees in the pool. */
  total: number;
  eligible: number;
  won: number;
  heldByOthers: number;
}

/**
 * Every excluded serial is someone's: a winner whose employee record is gone has no serial left.
 */
export function poolCounts(
  total: number,
  excluded: Pick<Exclusions, 'excluded' | 'won' | 'heldByOthers'>,
): PoolCounts {
  return {
    total,
    eligible: Math.max(0, total - excluded.excluded.length),
    won: excluded.won,
    heldByOthers: excluded.heldByOthers,
  };
}

export type SelectionDecision =
  { kind: 'select' } | { kind: 'wait' } | { kind: 'fail'; message: string };

/**
 * Whether a draw can pick `wanted` people now. When only claims of running draws stand in the way,
 * waiting a moment lets those draws finish or give their claims back.
 */
export function decideSelection(
  pool: PoolCounts,
  wanted: number,
  waitsLeft: number,
): SelectionDecision {
  if (pool.eligible >= wanted) return { kind: 'select' };
  if (pool.eligible + pool.heldByOthers >= wanted && waitsLeft > 0) return { kind: 'wait' };
  return { kind: 'fail', message: notEnoughEligibleMessage(pool, wanted) };
}

export function notEnoughEligibleMessage(pool: PoolCounts, wanted: number): string {
  const held = pool.heldByOthers > 0 ? `, ${pool.heldByOthers} held by draws still running` : '';
  return (
    `only ${pool.eligible} of ${plural(pool.total, 'employee')} ` +
    `${oneOrMany(pool.eligible, 'is', 'are')} eligible ` +
    `(${pool.won} already won${held}); asked for ${plural(wanted, 'winner')}`
  );
}

/**
 * Lookups a serial-space draw may make beyond one per winner before reading the index's keys is
 * cheaper.
 */
const SPARE_LOOKUPS = 32;

export type CandidateMode =
  { mode: 'serial-space'; serialSpace: number } | { mode: 'serial-list'; reason: string };

/**
 * Serial space (O(k) lookups) when the serials are dense enough; otherwise the index's keys are
 * read once (O(n) small items). A serial-space draw skips every hole it meets, so it expects
 * k × (holes + eligible) / eligible lookups: past four per winner, the keys are cheaper.
 */
export function chooseCandidateMode(
  stats: PoolStats | undefined,
  pool: PoolCounts & { excluded: readonly number[] },
  wanted: number,
  aboveMaxTaken: boolean,
): CandidateMode {
  if (!stats)
    return {
      mode: 'serial-list',
      reason: 'the pool has no statistics yet (it was not loaded with `lottery seed`)',
    };
  const beyond = aboveMaxTaken
    ? stats.max_serial + 1
    : pool.excluded.find((serial) => serial > stats.max_serial);
  if (beyond !== undefined)
    return {
      mode: 'serial-list',
      reason: `someone has serial ${beyond}, above the highest the statistics know`,
    };
  const holes = stats.max_serial - stats.count;
  if (holes < 0)
    return { mode: 'serial-list', reason: 'the statistics count more people than serials' };
  const eligible = Math.max(pool.eligible, 1);
  const expectedLookups = (wanted * (holes + eligible)) / eligible;
  if (expectedLookups > 4 * wanted + SPARE_LOOKUPS) {
    return {
      mode: 'serial-list',
      reason: `${holes} of the serials 1..${stats.max_serial} are unused`,
    };
  }
  return { mode: 'serial-space', serialSpace: stats.max_serial };
}

/** One candidate of a draw's random order, and what became of it. */
export interface Candidate {
  serial: number;
  /** Who has that serial; absent for a serial nobody has. */
  employee_id?: string;
  /**
   * Why the candidate did not win: nobody has the serial, or they have won or are claimed already.
   */
  skipped?: 'hole' | 'taken';
}

/**
 * Walks the candidates in order and keeps the first `wanted` people who are not taken. Serials
 * are looked up in batches of as many as are still missing, so a draw makes one round of lookups
 * when there are no holes; batching never changes the order, so never the outcome.
 */
export async function pickPeople<T extends { employee_id: string }>(
  take: (count: number) => number[],
  wanted: number,
  lookup: (serials: readonly number[]) => Promise<Map<number, T>>,
  isTaken: (person: T) => boolean,
): Promise<{ winners: T[]; candidates: Candidate[] }> {
  const winners: T[] = [];
  const candidates: Candidate[] = [];
  while (winners.length < wanted) {
    const serials = take(wanted - winners.length);
    if (serials.length === 0) break;
    const people = await lookup(serials);
    for (const serial of serials) {
      const person = people.get(serial);
      if (!person) candidates.push({ serial, skipped: 'hole' });
      else if (isTaken(person))
        candidates.push({ serial, employee_id: person.employee_id, skipped: 'taken' });
      else {
        candidates.push({ serial, employee_id: person.employee_id });
        winners.push(person);
      }
    }
  }
  return { winners, candidates };
}

export function winnerDetail(employee: WinnerDetail): WinnerDetail {
  const detail: WinnerDetail = {
    employee_id: employee.employee_id,
    employee_name: employee.employee_name,
  };
  if (employee.lottery_serial !== undefined) detail.lottery_serial = employee.lottery_serial;
  if (employee.department !== undefined) detail.department = employee.department;
  if (employee.email !== undefined) detail.email = employee.email;
  return detail;
}
