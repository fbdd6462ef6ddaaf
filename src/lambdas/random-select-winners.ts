import { poolSummary, recordDigest, type SelectionRecord } from '../core/audit';
import { loadCandidateSpace, poolDefinition } from '../core/candidates';
import type { DrawBody } from '../core/draw';
import type { Employee } from '../core/employees';
import {
  chooseCandidateMode,
  decideSelection,
  exclusions,
  notEnoughEligibleMessage,
  pickPeople,
  poolCounts,
  winnerDetail,
  withSerials,
  type PoolCounts,
} from '../core/pool';
import { CandidateOrder, SELECTION_ALGORITHM, type CandidateSpace } from '../core/selection';
import { getCommitment, putSelectionRecord, getPoolStats } from '../aws/draws-table';
import { employeesBySerial, getEmployees, scanSerials, serialInUse } from '../aws/employees-table';
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
  /** Ids of people who have won or are claimed by other draws. */
  taken: ReadonlySet<string>;
  lookup(serials: readonly number[]): Promise<Map<number, Employee>>;
}

/**
 * The candidates of this draw and how many can win. Reads the pool's statistics and the winners
 * table (w rows); only when the serials are sparse, or were never counted, the index's keys.
 */
export async function candidates(deps: Deps, body: DrawBody): Promise<DrawPool> {
  const [stats, claims] = await Promise.all([
    getPoolStats(deps.doc, deps.drawsTable, deps.employeeTable),
    scanClaims(deps.doc, deps.winnersTable),
  ]);
  let excluded = exclusions(claims, body.draw_id);
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
  const taken = new Set(
    claims.filter((claim) => claim.draw_id !== body.draw_id).map((claim) => claim.employee_id),
  );
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
  const lookup = (serials: readonly number[]) =>
    employeesBySerial(deps.doc, deps.employeeTable, serials);
  if (mode.mode === 'serial-space') {
    return {
      space: { mode: 'serial-space', serialSpace: mode.serialSpace, excluded: excluded.excluded },
      counts: estimate,
      statsVersion: stats?.version ?? null,
      taken,
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
  return {
    space: loadCandidateSpace(pool.candidates),
    counts: { total: pool.total, eligible: pool.eligible, won: 0, heldByOthers: 0 },
    statsVersion: committedVersion,
    ...(pool.list_reason ? { listReason: pool.list_reason } : {}),
    taken: new Set(
      claims.filter((claim) => claim.draw_id !== body.draw_id).map((claim) => claim.employee_id),
    ),
    lookup: (serials) => employeesBySerial(deps.doc, deps.employeeTable, serials),
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
      const order = new CandidateOrder(pool.space, body.seed, attempt);
      const picked = await pickPeople<Employee>(
        (count) => order.take(count),
        wanted,
        pool.lookup,
        (person) => pool.taken.has(person.employee_id),
      );
      if (picked.winners.length < wanted) {
        // Every candidate was looked at: the statistics counted people who are no longer there.
        const counts = { ...pool.counts, eligible: picked.winners.length };
        if (decide(counts) === 'wait') continue;
        throw new WorkflowError('NotEnoughEligible', notEnoughEligibleMessage(counts, wanted));
      }
      const winners = picked.winners.map(winnerDetail);
      const definition = poolDefinition(pool.space, {
        total: pool.counts.total,
        eligible: pool.counts.eligible,
        stats_version: pool.statsVersion,
        ...(pool.listReason ? { list_reason: pool.listReason } : {}),
      });
      const record: SelectionRecord = {
        draw_id: body.draw_id,
        attempt,
        algorithm: SELECTION_ALGORITHM,
        seed: body.seed,
        seed_source: body.seed_source,
        prize: body.prize,
        selected_at: deps.now().toISOString(),
        pool: definition,
        candidates: picked.candidates,
        winners,
        ...(body.beacon?.round ? { beacon: body.beacon.round } : {}),
      };
      await putSelectionRecord(deps.doc, deps.drawsTable, record);
      return {
        body: {
          ...body,
          attempt,
          winner_details: winners,
          pool: poolSummary(record),
          record_digest: recordDigest(record),
        },
      };
    }
  };
}

export const handler = lambdaHandler(createRandomSelectWinners);
