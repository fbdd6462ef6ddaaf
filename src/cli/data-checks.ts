import pMap from 'p-map';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { claimsCheck, type DoctorCheck } from '../ops/doctor';
import {
  poolCheck,
  prizesCheck,
  winnerRowFindings,
  winnersCheck,
  type DrawOutcome,
  type PoolFacts,
  type PrizesFacts,
  type WinnerRowFindings,
  type WinnersRepair,
} from '../ops/data-checks';
import { drawResultSchema } from '../core/draw';
import { checkJson } from '../core/parse';
import { hasWon } from '../core/pool';
import { planMismatches, recordedByPrize } from '../core/prizes';
import { listResets } from '../aws/draws-table';
import { getEmployees, idsWithSerial } from '../aws/employees-table';
import { describeExecution, executionArnFor } from '../aws/executions';
import { removeLeftovers } from '../aws/leftovers';
import { scanWinners, updateWinnerSerials } from '../aws/winners-table';
import { currentPlan } from './plan';
import { abandonedClaims, leftoverTables, statusOf } from './pool';
import { countPool, readPoolState, recountPool } from '../aws/pool-state';
import { poolTables } from './pool-state';
import type { Session } from './session';

/** Serials held twice are named with their people, up to this many. */
const REPEATS_NAMED = 10;

/**
 * The pool's statistics against the index's keys, for `lottery doctor`; with `fix`, counted again
 * when they may be wrong.
 */
export async function poolFacts(session: Session, fix: boolean): Promise<PoolFacts> {
  const { doc } = session.clients;
  const tables = poolTables(session);
  const [state, pool] = await Promise.all([
    readPoolState(doc, tables.draws, tables.employees),
    countPool(doc, tables.employees),
  ]);
  const { stats } = state;
  const wrong =
    Object.keys(state.seeding).length > 0 ||
    (stats === undefined
      ? pool.size.count > 0
      : stats.count !== pool.size.count || stats.max_serial !== pool.size.maxSerial);
  const recounted = fix && wrong;
  const counted = recounted ? (await recountPool(doc, tables)).size : pool.size;
  return {
    ...(stats ? { stats } : {}),
    seeding: state.seeding,
    counted,
    repeated: await Promise.all(
      pool.repeated.slice(0, REPEATS_NAMED).map(async (serial) => ({
        serial,
        ids: await idsWithSerial(doc, tables.employees, serial),
      })),
    ),
    recounted,
  };
}

/** Draws asked about at once. */
const DRAWS_IN_FLIGHT = 8;

async function outcomeOf(sfn: SFNClient, executionArn: string): Promise<DrawOutcome> {
  try {
    const execution = await describeExecution(sfn, executionArn);
    if (execution.status !== 'SUCCEEDED') return { status: execution.status };
    const result = checkJson(drawResultSchema, execution.output);
    return { status: execution.status, ...(result.ok ? { result: result.value } : {}) };
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return { status: undefined };
    throw error;
  }
}

/**
 * Every winner row against the draw it names and the employee table, for `lottery doctor`: one
 * question per draw. With `fix`, the wins of draws that did not succeed go, and serials are set as
 * the employee table has them.
 */
export async function winnersFacts(
  session: Session,
  fix: boolean,
): Promise<{ findings: WinnerRowFindings; repair: WinnersRepair }> {
  const { doc } = session.clients;
  const { config } = session;
  const rows = (await scanWinners(doc, config.winnersTable)).filter(hasWon);
  const sfn = await session.clients.sfn();
  const machine = await session.stateMachineArn();
  const drawIds = [
    ...new Set(rows.flatMap((row) => (row.draw_id === undefined ? [] : [row.draw_id]))),
  ];
  const [outcomes, employees] = await Promise.all([
    pMap(
      drawIds,
      async (drawId) => [drawId, await outcomeOf(sfn, executionArnFor(machine, drawId))] as const,
      {
        concurrency: DRAWS_IN_FLIGHT,
      },
    ),
    getEmployees(
      doc,
      config.employeeTable,
      rows.map((row) => row.employee_id),
    ),
  ]);
  const serialsNow = new Map(
    employees.map((employee) => [employee.employee_id, employee.lottery_serial]),
  );
  const findings = winnerRowFindings(rows, new Map(outcomes), serialsNow);
  const repair = {
    removed: fix && findings.unsucceeded.length > 0,
    serialsSet: fix && findings.serials.length > 0,
  };
  if (repair.removed)
    await removeLeftovers(
      doc,
      leftoverTables(session),
      new Map(findings.unsucceeded.map((draw) => [draw.drawId, { claimed: [], won: draw.ids }])),
      statusOf(session),
      'lottery doctor --fix',
    );
  if (repair.serialsSet)
    await updateWinnerSerials(
      doc,
      config.winnersTable,
      new Map(findings.serials.map((each) => [each.id, each.now])),
    );
  return { findings, repair };
}

/** The prize plan against the winners table, and resets left unfinished, for `lottery doctor`. */
export async function prizesFacts(session: Session): Promise<PrizesFacts> {
  const { doc } = session.clients;
  const [plan, rows, resets] = await Promise.all([
    currentPlan(session),
    scanWinners(doc, session.config.winnersTable),
    listResets(doc, session.config.drawsTable),
  ]);
  return {
    plan: plan !== undefined,
    mismatches: plan ? planMismatches(plan, recordedByPrize(rows, plan)) : [],
    unfinishedResets: resets.filter((entry) => entry.finished === false).map((entry) => entry.at),
  };
}

/** One of `lottery doctor`'s checks of what the tables hold, as opposed to whether they exist. */
interface DataCheck {
  /** The checks of the parts (diagnose()) that must have found them in order first. */
  needs: readonly string[];
  run(session: Session, fix: boolean): Promise<DoctorCheck>;
}

/**
 * The checks of what the tables hold, after those of the parts, in the order a person fixes what
 * they find; each with --fix repairs what it safely can.
 */
export const DATA_CHECKS: readonly DataCheck[] = [
  {
    needs: ['employee table', 'serial index', 'draws table'],
    run: async (session, fix) => poolCheck(await poolFacts(session, fix)),
  },
  {
    needs: ['winners table', 'state machine'],
    run: async (session, fix) => claimsCheck(await abandonedClaims(session, fix)),
  },
  {
    needs: ['winners table', 'state machine'],
    run: async (session, fix) => {
      const { findings, repair } = await winnersFacts(session, fix);
      return winnersCheck(findings, repair);
    },
  },
  {
    needs: ['winners table', 'state machine', 'draws table'],
    run: async (session) => prizesCheck(await prizesFacts(session)),
  },
];
