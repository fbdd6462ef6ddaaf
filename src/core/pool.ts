import type { WinnerDetail } from './draw';
import { oneOrMany, plural } from './plural';
import type { PoolMembers } from './pool-members';
import type { Proposal } from './selection';

// Who can win a draw, worked out from what is kept rather than from the whole employee table:
// the pool's statistics (kept by `lottery seed`) and the rows of Lottery-Winners (one per person
// who has won or is claimed by a running draw). A draw reads O(w) rows here, w being those rows.

/** A row of Lottery-Winners as far as eligibility is concerned. */
export interface WinnerClaim {
  employee_id: string;
  /** Absent on rows written by the workshop's own Record Winners. */
  draw_id?: string;
  /**
   * Absent on the workshop's rows, which only ever recorded people who had won. 'forfeited': the
   * person won, then gave the win up (`lottery redraw`); the row stays as a record of it.
   */
  status?: 'claimed' | 'won' | 'forfeited';
  /** On a forfeited row: the person may win again in a later draw of the event. */
  eligible_again?: boolean;
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
  /**
   * The largest ticket count anyone has, and the sum of everyone's tickets; absent on statistics
   * kept before tickets existed, when everyone had one.
   */
  max_tickets?: number;
  tickets_total?: number;
  /**
   * The digest of who sits at each serial (src/core/pool-members.ts), and when its salt was made;
   * absent on statistics kept before pools were committed.
   */
  members?: PoolMembers & { salted_at: string };
}

/** A workshop row has no status: it was written when the person won. */
export function hasWon(claim: WinnerClaim): boolean {
  return claim.status === undefined || claim.status === 'won';
}

/** A forfeited win keeps its person out of later draws unless they were made eligible again. */
export function barsPerson(claim: WinnerClaim): boolean {
  return claim.status !== 'forfeited' || claim.eligible_again !== true;
}

export interface Exclusions {
  /** Serials nobody may win in this draw, sorted ascending and distinct. */
  excluded: number[];
  won: number;
  /** People who forfeited a win and may not win again. */
  forfeited: number;
  /** People excluded from the event (`employees exclude`, or the employee file). */
  barred: number;
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
  let forfeited = 0;
  let heldByOthers = 0;
  for (const claim of claims) {
    if (claim.draw_id === drawId || !barsPerson(claim)) continue;
    if (hasWon(claim)) won++;
    else if (claim.status === 'forfeited') forfeited++;
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
    forfeited,
    barred: 0,
    heldByOthers,
    claimingDraws,
    unresolved,
  };
}

/** Adds serials found later (the workshop's rows) to a sorted exclusion list. */
export function withSerials(excluded: readonly number[], more: readonly number[]): number[] {
  return [...new Set([...excluded, ...more])].sort((a, b) => a - b);
}

/**
 * Adds the serials of people excluded from the event, or of the person a replacement draw
 * replaces, to what the winners table excludes; `barred` counts those not excluded already.
 */
export function withBarred(excluded: Exclusions, serials: readonly number[]): Exclusions {
  const before = new Set(excluded.excluded);
  const added = new Set(serials.filter((serial) => !before.has(serial)));
  return {
    ...excluded,
    excluded: withSerials(excluded.excluded, [...added]),
    barred: excluded.barred + added.size,
  };
}

/** The pool as the numbers a draw and its messages need. */
export interface PoolCounts {
  /** Employees in the pool. */
  total: number;
  eligible: number;
  won: number;
  forfeited: number;
  barred: number;
  heldByOthers: number;
}

/**
 * Every excluded serial is someone's: a winner whose employee record is gone has no serial left.
 */
export function poolCounts(
  total: number,
  excluded: Pick<Exclusions, 'excluded' | 'won' | 'forfeited' | 'barred' | 'heldByOthers'>,
): PoolCounts {
  return {
    total,
    eligible: Math.max(0, total - excluded.excluded.length),
    won: excluded.won,
    forfeited: excluded.forfeited,
    barred: excluded.barred,
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
  const others = [
    pool.forfeited > 0 ? `${pool.forfeited} forfeited` : '',
    pool.barred > 0 ? `${pool.barred} excluded` : '',
    pool.heldByOthers > 0 ? `${pool.heldByOthers} held by draws still running` : '',
  ]
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join('');
  return (
    `only ${pool.eligible} of ${plural(pool.total, 'employee')} ` +
    `${oneOrMany(pool.eligible, 'is', 'are')} eligible ` +
    `(${pool.won} already won${others}); asked for ${plural(wanted, 'winner')}`
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

/** One candidate a draw looked at, in the order it did, and what became of it. */
export interface Candidate {
  serial: number;
  /** Who has that serial; absent for a serial nobody has. */
  employee_id?: string;
  /** v3: the proposal's ticket number, and the person's tickets when the draw looked. */
  ticket?: number;
  tickets?: number;
  /**
   * Why the candidate did not win: nobody has the serial, they have won or are claimed already;
   * in v3 also that this draw took them already ('repeat'), or that the ticket number was not
   * below their tickets ('rejected').
   */
  skipped?: CandidateSkip;
}

export type CandidateSkip = 'hole' | 'taken' | 'repeat' | 'rejected';

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

/** What a v3 proposal comes to, given who has its serial (step 5 of src/core/selection.ts). */
export function judgeProposal(
  proposal: Proposal,
  person: { employee_id: string; tickets?: number } | undefined,
  taken: boolean,
  already: ReadonlySet<string>,
): Candidate {
  if (!person) return { serial: proposal.serial, ticket: proposal.ticket, skipped: 'hole' };
  const seen = {
    serial: proposal.serial,
    employee_id: person.employee_id,
    ticket: proposal.ticket,
  };
  if (taken) return { ...seen, skipped: 'taken' };
  const tickets = person.tickets ?? 1;
  if (already.has(person.employee_id)) return { ...seen, tickets, skipped: 'repeat' };
  return proposal.ticket < tickets
    ? { ...seen, tickets }
    : { ...seen, tickets, skipped: 'rejected' };
}

/** What a v3 draw needs to know to size its batches of lookups. */
export interface ProposalOdds {
  /** Candidates in the space, and how many of them are people who may win. */
  size: number;
  eligible: number;
  maxTickets: number;
  meanTickets: number;
}

/** Lookups in flight at once, at most. */
const MAX_BATCH = 200;

/**
 * How many proposals to look up for `missing` more winners: as many as they are expected to
 * take, (candidates / eligible) × (T / mean tickets) each, so that a draw usually makes one or
 * two rounds of lookups. The batch never changes the outcome, only how many lookups are wasted.
 */
export function proposalBatch(missing: number, odds: ProposalOdds): number {
  const perPick =
    (odds.size / Math.max(odds.eligible, 1)) * (odds.maxTickets / Math.max(odds.meanTickets, 1));
  return Math.min(MAX_BATCH, Math.max(missing, Math.ceil(missing * perPick)));
}

/**
 * A v3 draw (src/core/selection.ts, steps 4 to 6): takes proposals until `wanted` people are
 * taken, looking up each serial once, a batch at a time. Stops short when every candidate has
 * been looked up and nobody left could still be taken: the pool had fewer people than counted.
 */
export async function pickWeighted<T extends { employee_id: string; tickets?: number }>(
  proposals: { readonly size: number; next(): Proposal | undefined },
  wanted: number,
  lookup: (serials: readonly number[]) => Promise<Map<number, T>>,
  isTaken: (person: T) => boolean,
  batch: (missing: number) => number,
): Promise<{ winners: T[]; candidates: Candidate[] }> {
  const known = new Map<number, T | undefined>();
  const chosen = new Set<string>();
  const winners: T[] = [];
  const candidates: Candidate[] = [];
  let open = 0;
  while (winners.length < wanted && !(known.size >= proposals.size && open === 0)) {
    const round: Proposal[] = [];
    for (let i = batch(wanted - winners.length); i > 0; i--) {
      const proposal = proposals.next();
      if (proposal) round.push(proposal);
    }
    if (round.length === 0) break;
    const unknown = [...new Set(round.map((proposal) => proposal.serial))].filter(
      (serial) => !known.has(serial),
    );
    const found = unknown.length > 0 ? await lookup(unknown) : new Map<number, T>();
    for (const serial of unknown) {
      const person = found.get(serial);
      known.set(serial, person);
      if (person && !isTaken(person)) open++;
    }
    for (const proposal of round) {
      const person = known.get(proposal.serial);
      const candidate = judgeProposal(proposal, person, Boolean(person && isTaken(person)), chosen);
      candidates.push(candidate);
      if (person && !candidate.skipped) {
        chosen.add(person.employee_id);
        winners.push(person);
        open--;
        if (winners.length === wanted) break;
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
