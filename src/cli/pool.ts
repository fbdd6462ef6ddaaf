import { exclusions, poolCounts, withSerials, type PoolCounts, type WinnerClaim } from '../core/pool';
import { getPoolStats } from '../aws/draws-table';
import { getEmployees, scanSerials } from '../aws/employees-table';
import { executionArnFor, executionStatus } from '../aws/executions';
import { releaseAbandonedClaims, scanClaims } from '../aws/winners-table';
import type { Session } from './session';

/**
 * The winners table's rows, after giving back the claims of draws that are no longer running (a
 * draw stopped on AWS, or a killed local draw): nobody stays "held" by a draw that is over.
 */
export async function currentClaims(session: Session): Promise<WinnerClaim[]> {
  const { doc, sfn } = session.clients;
  const table = session.config.winnersTable;
  const claims = await scanClaims(doc, table);
  const { claimingDraws } = exclusions(claims, '');
  if (claimingDraws.size === 0) return claims;
  const stateMachineArn = await session.stateMachineArn();
  const over = await releaseAbandonedClaims(doc, table, claimingDraws, (drawId, arn) => executionStatus(sfn, arn ?? executionArnFor(stateMachineArn, drawId)));
  return over > 0 ? scanClaims(doc, table) : claims;
}

/** The pool's counts from the kept statistics and the winners table; the index's keys only when there are no statistics. */
export async function countPool(session: Session): Promise<PoolCounts & { claims: WinnerClaim[] }> {
  const { doc } = session.clients;
  const { config } = session;
  const [stats, claims] = await Promise.all([getPoolStats(doc, config.drawsTable, config.employeeTable), currentClaims(session)]);
  let excluded = exclusions(claims, '');
  if (excluded.unresolved.length > 0) {
    const found = await getEmployees(doc, config.employeeTable, excluded.unresolved);
    excluded = { ...excluded, excluded: withSerials(excluded.excluded, found.map((employee) => employee.lottery_serial)) };
  }
  const total = stats?.count ?? (await scanSerials(doc, config.employeeTable)).length;
  return { ...poolCounts(total, excluded), claims };
}
