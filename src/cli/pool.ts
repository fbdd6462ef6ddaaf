import { randomInt } from 'node:crypto';
import type { AbandonedClaims } from '../ops/doctor';
import { excludedSerials, type Exclusion } from '../core/exclusions';
import {
  exclusions,
  poolCounts,
  withBarred,
  withSerials,
  type PoolCounts,
  type WinnerClaim,
} from '../core/pool';
import { getExclusions } from '../aws/event-records';
import { getPoolStats } from '../aws/draws-table';
import {
  employeesBySerial,
  getEmployees,
  scanSerials,
  someEmployeeNames,
} from '../aws/employees-table';
import { executionArnFor, executionStatus } from '../aws/executions';
import { scanClaims } from '../aws/winners-table';
import { removeLeftovers, type DrawStatus } from '../aws/leftovers';
import { leftovers, rowsByDraw, type DrawRows } from '../core/leftovers';
import type { Session } from './session';

/**
 * The winners table's rows, after giving back the claims of draws that are no longer running (a
 * draw stopped on AWS, or a killed local draw): nobody stays "held" by a draw that is over.
 */
export async function currentClaims(session: Session): Promise<WinnerClaim[]> {
  const { doc } = session.clients;
  const table = session.config.winnersTable;
  const claims = await scanClaims(doc, table);
  const holding = drawsHolding(claims);
  if (holding.size === 0) return claims;
  const removed = await removeLeftovers(
    doc,
    leftoverTables(session),
    holding,
    statusOf(session),
    'a lottery command',
  );
  return removed.length > 0 ? scanClaims(doc, table) : claims;
}

/** The draws that hold people (rather than only wins), with their rows. */
const drawsHolding = (claims: readonly WinnerClaim[]) =>
  new Map([...rowsByDraw(claims)].filter(([, rows]) => rows.claimed.length > 0));

export const leftoverTables = (session: Session) => ({
  winners: session.config.winnersTable,
  draws: session.config.drawsTable,
});

/** Asks the state machine how a draw stands. */
export function statusOf(session: Session): DrawStatus {
  return async (drawId, executionArn) =>
    executionStatus(
      await session.clients.sfn(),
      executionArn ?? executionArnFor(await session.stateMachineArn(), drawId),
    );
}

/**
 * The draws that hold people but are over, for `lottery doctor`; with `release`, their people are
 * given back.
 */
export async function abandonedClaims(
  session: Session,
  release: boolean,
): Promise<AbandonedClaims> {
  const claims = await scanClaims(session.clients.doc, session.config.winnersTable);
  const holding = drawsHolding(claims);
  const draws: AbandonedClaims['draws'] = [];
  const over = new Map<string, DrawRows>();
  for (const [drawId, rows] of holding) {
    const status = await statusOf(session)(drawId, rows.executionArn);
    if (leftovers({ ...rows, won: [] }, status).length === 0) continue;
    over.set(drawId, rows);
    draws.push({ drawId, status: status ?? 'GONE', held: rows.claimed.length });
  }
  if (release)
    await removeLeftovers(
      session.clients.doc,
      leftoverTables(session),
      over,
      statusOf(session),
      'lottery doctor --fix',
    );
  return { draws, released: release && draws.length > 0 };
}

/**
 * The pool's counts from the kept statistics and the winners table; the index's keys only when
 * there are no statistics.
 */
export async function countPool(
  session: Session,
): Promise<PoolCounts & { claims: WinnerClaim[]; exclusions: Exclusion[] }> {
  const { doc } = session.clients;
  const { config } = session;
  const [stats, claims, open] = await Promise.all([
    getPoolStats(doc, config.drawsTable, config.employeeTable),
    currentClaims(session),
    currentExclusions(session),
  ]);
  let excluded = withBarred(exclusions(claims, ''), excludedSerials(open));
  if (excluded.unresolved.length > 0) {
    const found = await getEmployees(doc, config.employeeTable, excluded.unresolved);
    excluded = {
      ...excluded,
      excluded: withSerials(
        excluded.excluded,
        found.map((employee) => employee.lottery_serial),
      ),
    };
  }
  const total = stats?.count ?? (await scanSerials(doc, config.employeeTable)).length;
  return { ...poolCounts(total, excluded), claims, exclusions: open };
}

/** The exclusions from the event in force now. */
export async function currentExclusions(session: Session): Promise<Exclusion[]> {
  const { drawsTable, employeeTable } = session.config;
  return (await getExclusions(session.clients.doc, drawsTable, employeeTable)).exclusions;
}

/** Names rolled: a sample of the pool, never the whole table. */
const SAMPLE_SIZE = 40;

/**
 * Names to roll on a show (`draw --stage`, `lottery show`): the people at a few random serials,
 * through lottery_serial-index (a handful of small queries), or one page of the table when the
 * serials are sparse. Decoration only.
 */
export async function sampleNames(session: Session): Promise<string[]> {
  const { doc } = session.clients;
  const { drawsTable, employeeTable } = session.config;
  const stats = await getPoolStats(doc, drawsTable, employeeTable);
  if (stats && stats.max_serial > 0) {
    const serials = new Set(
      Array.from({ length: SAMPLE_SIZE }, () => randomInt(1, stats.max_serial + 1)),
    );
    const found = [...(await employeesBySerial(doc, employeeTable, [...serials])).values()].map(
      (employee) => employee.employee_name,
    );
    if (found.length >= Math.min(5, stats.count)) return found;
  }
  return someEmployeeNames(doc, employeeTable, SAMPLE_SIZE);
}
