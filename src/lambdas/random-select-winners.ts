import { poolSummary, recordDigest, type SelectionRecord } from '../core/audit';
import { loadCandidateSpace, poolDefinition, type PoolDefinition } from '../core/candidates';
import type { DrawBody, ReplacedWinner } from '../core/draw';
import type { Employee } from '../core/employees';
import {
  excludedSerials,
  loadExclusions,
  storeExclusions,
  type ExclusionSet,
} from '../core/exclusions';
import { forfeitFilledBy, forfeitsSince, type Forfeit } from '../core/forfeits';
import type { PoolMembers } from '../core/pool-members';
import {
  barsPerson,
  chooseCandidateMode,
  decideSelection,
  exclusions,
  notEnoughEligibleMessage,
  pickWeighted,
  poolCounts,
  proposalBatch,
  winnerDetail,
  withBarred,
  withSerials,
  type PoolCounts,
  type PoolStats,
  type WinnerClaim,
} from '../core/pool';
import {
  MAX_TICKETS,
  ProposalStream,
  SELECTION_ALGORITHM,
  type CandidateSpace,
} from '../core/selection';
import { getCommitment, putSelectionRecord, getPoolStats, listResets } from '../aws/draws-table';
import { employeesBySerial, getEmployees, scanSerials, serialInUse } from '../aws/employees-table';
import { getExclusions, listForfeits } from '../aws/event-records';
import { scanClaims } from '../aws/winners-table';
import { removeLeftovers } from '../aws/leftovers';
import { rowsByDraw } from '../core/leftovers';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

/** How long to wait for running draws to finish or give back their claims before giving up. */
export const CLAIM_WAITS = 20;
export const CLAIM_WAIT_MS = 100;

export type Deps = Pick<
  HandlerDeps,
  | 'doc'
  | 'employeeTable'
  | 'winnersTable'
  | 'drawsTable'
  | 'sleep'
  | 'now'
  | 'executionStatus'
  | 'indexLagMs'
>;

/** A claim made before claims named their execution: its ARN is a sibling of this draw's. */
function siblingExecution(ownArn: string, drawId: string): string {
  return `${ownArn.slice(0, ownArn.lastIndexOf(':') + 1)}${drawId}`;
}

export interface DrawPool {
  space: CandidateSpace;
  counts: PoolCounts;
  statsVersion: number | null;
  /** Why the index's keys were read, when they were. */
  listReason?: string;
  /** Ids of people who have won, forfeited or are claimed by other draws. */
  taken: ReadonlySet<string>;
  /** The largest ticket count (T), and the mean, which sizes the batches of lookups. */
  maxTickets: number;
  meanTickets: number;
  /** The exclusions and forfeits in force, as the audit record keeps them. */
  exclusions: Pick<ExclusionSet, 'version' | 'exclusions' | 'stored'>;
  forfeits: Forfeit[];
  /** A replacement draw: the forfeit it fills. */
  replaces?: Forfeit;
  /** Who sits at each serial, as the pool statistics' digest fixed it. */
  members?: PoolMembers;
  lookup(serials: readonly number[]): Promise<Map<number, Employee>>;
}

/** T and the mean tickets from the statistics; without statistics, the documented maximum. */
function ticketOdds(stats: PoolStats | undefined): { maxTickets: number; meanTickets: number } {
  if (!stats) return { maxTickets: MAX_TICKETS, meanTickets: 1 };
  const maxTickets = stats.max_tickets ?? 1;
  const total = stats.tickets_total ?? stats.count;
  return { maxTickets, meanTickets: stats.count > 0 ? total / stats.count : 1 };
}

/** The forfeit a replacement draw fills: recorded, and naming this draw as its replacement. */
export function replacedForfeit(body: DrawBody, forfeits: readonly Forfeit[]): Forfeit | undefined {
  if (!body.replaces) return undefined;
  const found = forfeitFilledBy(body.replaces, body.draw_id, forfeits);
  if ('problem' in found) throw new WorkflowError('ForfeitNotRecorded', found.problem);
  return found.forfeit;
}

/** What a draw keeps of the statistics' digest: not when its salt was made. */
function committedMembers({ algorithm, salt, digest, count }: PoolMembers): PoolMembers {
  return { algorithm, salt, digest, count };
}

/** The people a draw must pass over: other draws' claims, wins and forfeits. */
function takenIds(claims: readonly WinnerClaim[], drawId: string): Set<string> {
  return new Set(
    claims
      .filter((claim) => claim.draw_id !== drawId && barsPerson(claim))
      .map((claim) => claim.employee_id),
  );
}

/** What the audit record and a beacon commitment keep of a pool. */
export function definitionOf(pool: DrawPool): PoolDefinition {
  return poolDefinition(pool.space, {
    total: pool.counts.total,
    eligible: pool.counts.eligible,
    stats_version: pool.statsVersion,
    ...(pool.listReason ? { list_reason: pool.listReason } : {}),
    max_tickets: pool.maxTickets,
    exclusions: pool.exclusions.stored ?? storeExclusions(pool.exclusions),
    forfeits: pool.forfeits,
    ...(pool.members ? { members: pool.members } : {}),
  });
}

/** A person with more tickets than T would not get their share: the statistics are behind. */
function checkedLookup(deps: Deps, maxTickets: number) {
  return async (serials: readonly number[]) => {
    const found = await employeesBySerial(deps.doc, deps.employeeTable, serials);
    for (const person of found.values())
      if ((person.tickets ?? 1) > maxTickets)
        throw new WorkflowError(
          'PoolChanged',
          `${person.employee_id} has ${person.tickets} tickets, more than the ${maxTickets} the pool's statistics know: load the pool again with \`lottery seed\``,
        );
    return found;
  };
}

/**
 * The candidates of this draw and how many can win. Reads the pool's statistics and the winners
 * table (w rows); only when the serials are sparse, or were never counted, the index's keys.
 */
export async function candidates(deps: Deps, body: DrawBody): Promise<DrawPool> {
  const [stats, claims, inForce, allForfeits, resets] = await Promise.all([
    getPoolStats(deps.doc, deps.drawsTable, deps.employeeTable),
    scanClaims(deps.doc, deps.winnersTable),
    getExclusions(deps.doc, deps.drawsTable, deps.employeeTable),
    listForfeits(deps.doc, deps.drawsTable, deps.winnersTable),
    listResets(deps.doc, deps.drawsTable),
  ]);
  const forfeits = forfeitsSince(allForfeits, resets);
  const replaces = replacedForfeit(body, forfeits);
  let excluded = withBarred(exclusions(claims, body.draw_id), [
    ...excludedSerials(inForce.exclusions),
    // A replacement never gives the win back to whom it replaces, even if eligible again.
    ...(replaces?.lottery_serial === undefined ? [] : [replaces.lottery_serial]),
  ]);
  // Draws that are over may have left people held, or even recorded (src/core/leftovers.ts).
  const removed = await removeLeftovers(
    deps.doc,
    { winners: deps.winnersTable, draws: deps.drawsTable },
    rowsByDraw(claims, body.draw_id),
    (drawId, arn) => deps.executionStatus(arn ?? siblingExecution(body.execution_arn, drawId)),
    `draw ${body.draw_id}`,
  );
  if (removed.length > 0) return candidates(deps, body);
  // Right after a seed, give the index the time to show everyone it wrote.
  const sinceSeed = stats
    ? deps.now().getTime() - Date.parse(stats.updated_at)
    : Number.POSITIVE_INFINITY;
  if (sinceSeed < deps.indexLagMs) await deps.sleep(deps.indexLagMs - sinceSeed);
  if (excluded.unresolved.length > 0) {
    // The workshop's rows name only the person: their serials come from the employee table.
    const found = await getEmployees(deps.doc, deps.employeeTable, excluded.unresolved);
    excluded = {
      ...excluded,
      excluded: withSerials(
        excluded.excluded,
        found.map((employee) => employee.lottery_serial),
      ),
    };
  }
  const taken = takenIds(claims, body.draw_id);
  if (replaces) taken.add(replaces.employee_id);
  const odds = ticketOdds(stats);
  const event = {
    ...odds,
    exclusions: inForce,
    forfeits,
    ...(replaces ? { replaces } : {}),
    ...(stats?.members ? { members: committedMembers(stats.members) } : {}),
  };
  const lookup = checkedLookup(deps, odds.maxTickets);
  const aboveMaxTaken = stats
    ? await serialInUse(deps.doc, deps.employeeTable, stats.max_serial + 1)
    : false;
  const estimate = poolCounts(stats?.count ?? 0, excluded);
  const mode = chooseCandidateMode(
    stats,
    { ...estimate, excluded: excluded.excluded },
    body.num_of_winners,
    aboveMaxTaken,
  );
  if (mode.mode === 'serial-space') {
    return {
      space: { mode: 'serial-space', serialSpace: mode.serialSpace, excluded: excluded.excluded },
      counts: estimate,
      statsVersion: stats?.version ?? null,
      taken,
      ...event,
      lookup,
    };
  }
  const inUse = await scanSerials(deps.doc, deps.employeeTable);
  const excludedSet = new Set(excluded.excluded);
  const serials = inUse.filter((serial) => !excludedSet.has(serial));
  return {
    space: { mode: 'serial-list', serials },
    counts: { ...poolCounts(inUse.length, excluded), eligible: serials.length },
    statsVersion: null,
    listReason: mode.reason,
    taken,
    ...event,
    lookup,
  };
}

/**
 * A beacon draw's candidates are those it committed to before its round existed: the seed must not
 * be able to choose them. Whoever has won or been claimed since is skipped as taken (the audit
 * record shows it); a reload of the pool in between could move people between serials, so it fails
 * the draw.
 */
async function committedCandidates(deps: Deps, body: DrawBody): Promise<DrawPool> {
  const [commitment, stats, claims] = await Promise.all([
    getCommitment(deps.doc, deps.drawsTable, body.draw_id),
    getPoolStats(deps.doc, deps.drawsTable, deps.employeeTable),
    scanClaims(deps.doc, deps.winnersTable),
  ]);
  if (!commitment || commitment.pool.digest !== body.pool?.digest)
    throw new Error(
      `the commitment of draw ${body.draw_id} is missing from ${deps.drawsTable}, or is not the one the draw made`,
    );
  const committedVersion = commitment.pool.stats_version;
  if (committedVersion !== null && committedVersion !== stats?.version) {
    throw new WorkflowError(
      'PoolChanged',
      `the pool was loaded again (statistics version ${committedVersion} → ${stats?.version ?? 'none'}) after the draw committed to it: people may have changed serials, so the committed candidates no longer say who they are`,
    );
  }
  const { pool } = commitment;
  const forfeits = pool.forfeits ?? [];
  const replaces = replacedForfeit(body, forfeits);
  const taken = takenIds(claims, body.draw_id);
  if (replaces) taken.add(replaces.employee_id);
  const maxTickets = pool.max_tickets ?? MAX_TICKETS;
  return {
    space: loadCandidateSpace(pool.candidates),
    counts: {
      total: pool.total,
      eligible: pool.eligible,
      won: 0,
      forfeited: 0,
      barred: 0,
      heldByOthers: 0,
    },
    statsVersion: committedVersion,
    ...(pool.list_reason ? { listReason: pool.list_reason } : {}),
    taken,
    maxTickets,
    meanTickets: ticketOdds(stats).meanTickets,
    exclusions: pool.exclusions
      ? {
          version: pool.exclusions.version,
          exclusions: loadExclusions(pool.exclusions),
          stored: pool.exclusions,
        }
      : { version: 0, exclusions: [] },
    forfeits,
    ...(replaces ? { replaces } : {}),
    ...(pool.members ? { members: pool.members } : {}),
    lookup: checkedLookup(deps, maxTickets),
  };
}

/** What a replacement draw's output says of whom it replaces. */
function replacedWinner(forfeit: Forfeit): ReplacedWinner {
  return {
    draw_id: forfeit.draw_id,
    employee_id: forfeit.employee_id,
    employee_name: forfeit.employee_name,
    reason: forfeit.reason,
    forfeited_at: forfeit.forfeited_at,
  };
}

/**
 * Random Select Winners: picks k people among those who have not won and are not claimed by another
 * draw, fetching only the candidates it needs (src/core/selection.ts), and writes the attempt's
 * audit record. Its cost grows with k and with how many have won, not with the company's size.
 */
export function createRandomSelectWinners(deps: Deps) {
  return async (body: DrawBody): Promise<{ body: DrawBody }> => {
    const attempt = body.attempt + 1;
    const wanted = body.num_of_winners;
    for (let waitsLeft = CLAIM_WAITS; ; waitsLeft--) {
      const pool = body.beacon
        ? await committedCandidates(deps, body)
        : await candidates(deps, body);
      const decide = (counts: PoolCounts) => {
        const decision = decideSelection(counts, wanted, waitsLeft);
        if (decision.kind === 'fail')
          throw new WorkflowError('NotEnoughEligible', decision.message);
        return decision.kind;
      };
      if (decide(pool.counts) === 'wait') {
        await deps.sleep(CLAIM_WAIT_MS * (0.5 + Math.random()));
        continue;
      }
      const stream = new ProposalStream(pool.space, body.seed, attempt, pool.maxTickets);
      const picked = await pickWeighted<Employee>(
        stream,
        wanted,
        pool.lookup,
        (person) => pool.taken.has(person.employee_id),
        (missing) =>
          proposalBatch(missing, {
            size: stream.size,
            eligible: pool.counts.eligible,
            maxTickets: pool.maxTickets,
            meanTickets: pool.meanTickets,
          }),
      );
      if (picked.winners.length < wanted) {
        // Every candidate was looked at: the statistics counted people who are no longer there.
        const counts = { ...pool.counts, eligible: picked.winners.length };
        if (decide(counts) === 'wait') continue;
        throw new WorkflowError('NotEnoughEligible', notEnoughEligibleMessage(counts, wanted));
      }
      const winners = picked.winners.map(winnerDetail);
      const record: SelectionRecord = {
        draw_id: body.draw_id,
        attempt,
        algorithm: SELECTION_ALGORITHM,
        seed: body.seed,
        seed_source: body.seed_source,
        prize: body.prize,
        selected_at: deps.now().toISOString(),
        pool: definitionOf(pool),
        candidates: picked.candidates,
        winners,
        ...(body.beacon?.round ? { beacon: body.beacon.round } : {}),
        ...(pool.replaces ? { replaces: pool.replaces } : {}),
      };
      await putSelectionRecord(deps.doc, deps.drawsTable, record);
      return {
        body: {
          ...body,
          attempt,
          winner_details: winners,
          pool: poolSummary(record),
          record_digest: recordDigest(record),
          ...(pool.replaces ? { replaces: replacedWinner(pool.replaces) } : {}),
        },
      };
    }
  };
}

export const handler = lambdaHandler(createRandomSelectWinners);
