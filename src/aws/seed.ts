import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Employee, RawRecord } from '../core/employees';
import { LotteryError } from '../core/errors';
import { hasWon, type PoolStats } from '../core/pool';
import type { SeedDecision, SeedPlanner } from '../core/seed-plan';
import { getPoolStats, putPoolStats } from './draws-table';
import { batchWrite, type WriteRequest } from './dynamo';
import { scanSerials } from './employees-table';
import { scanClaims, updateWinnerSerials } from './winners-table';

// The writes of `lottery seed`: the plan is src/core/seed-plan.ts's, decided record by record as
// the file is read the second time; this turns its decisions into DynamoDB writes.

/** BatchWriteItem calls in flight: enough to keep the backend busy, few enough to hold little. */
const WRITES_IN_FLIGHT = 16;

/**
 * Seeds that write at once would each count from what they read first: the one that loses the race
 * counts again.
 */
const STATS_ATTEMPTS = 3;

export interface SeedTables {
  employeeTable: string;
  winnersTable: string;
  drawsTable: string;
}

export interface SeedWrite {
  /** Checked, with the table's employees (finishChecks): it decides each record. */
  planner: SeedPlanner;
  /** The file's records, read again (or kept from the first pass). */
  records: Iterable<RawRecord> | AsyncIterable<RawRecord>;
  /** With --replace: the employees the file leaves out. */
  removals: readonly Employee[];
  /** --dry-run: every record is decided, nothing is written. */
  dryRun: boolean;
  /** The pool's statistics as they were read before the seed. */
  statsBefore: PoolStats | undefined;
  signal: AbortSignal;
  /** Each record's decision, as it is made. */
  onDecision(decision: SeedDecision): void;
  /** The employees written so far, each time a batch is. */
  onWritten(total: number): void;
}

/**
 * Writes new and changed employees and removes those the file leaves out, in batches as the file
 * is read; then the winners' serials and the pool's statistics. Returns how many were written.
 */
export async function writeSeed(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  seed: SeedWrite,
): Promise<number> {
  const { planner, removals, dryRun } = seed;
  // Draws exclude past winners by the serial on their row: a winner's new serial, or none once they
  // are gone.
  const winnerSerials = new Map<string, number | undefined>();
  async function* writes(): AsyncGenerator<WriteRequest> {
    for await (const record of seed.records) {
      const decision = planner.decide(record);
      seed.onDecision(decision);
      if (decision.kind === 'update' && decision.fields.includes('lottery_serial'))
        winnerSerials.set(decision.employee.employee_id, decision.employee.lottery_serial);
      if (decision.kind !== 'unchanged' && !dryRun)
        yield { PutRequest: { Item: { ...decision.employee } } };
    }
    for (const employee of dryRun ? [] : removals) {
      yield { DeleteRequest: { Key: { employee_id: employee.employee_id } } };
      winnerSerials.set(employee.employee_id, undefined);
    }
  }
  let written = 0;
  await batchWrite(doc, tables.employeeTable, writes(), {
    concurrency: WRITES_IN_FLIGHT,
    signal: seed.signal,
    onWritten: (count) => seed.onWritten((written += count)),
  });
  if (dryRun) return written;
  const counts = planner.summary();
  await updateWinnerSerials(doc, tables.winnersTable, winnerSerials);
  await savePoolStats(
    doc,
    tables,
    seed.signal.aborted ? undefined : planner.poolAfter(),
    seed.statsBefore,
    counts.added + counts.updated + removals.length > 0,
  );
  return written;
}

/**
 * Saves the pool's statistics, which draws and `employees count` use instead of counting the
 * table. What the plan says the table holds is exact unless another seed wrote meanwhile (or this
 * one was interrupted): then the index's keys are counted.
 */
async function savePoolStats(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  planned: { count: number; maxSerial: number } | undefined,
  previous: PoolStats | undefined,
  changed: boolean,
): Promise<void> {
  const { drawsTable, employeeTable } = tables;
  let after = planned;
  let before = previous;
  for (let attempt = 0; attempt < STATS_ATTEMPTS; attempt++) {
    if (!after) {
      const serials = await scanSerials(doc, employeeTable);
      after = { count: serials.length, maxSerial: serials.at(-1) ?? 0 };
    }
    if (before && !changed && before.count === after.count && before.max_serial === after.maxSerial)
      return;
    const stats: PoolStats = {
      count: after.count,
      max_serial: after.maxSerial,
      version: (before?.version ?? 0) + 1,
      updated_at: new Date().toISOString(),
    };
    if (await putPoolStats(doc, drawsTable, employeeTable, stats, before)) return;
    before = await getPoolStats(doc, drawsTable, employeeTable);
    after = undefined;
    changed = true;
  }
  throw new LotteryError(
    'service',
    'other seeds kept changing the pool at the same time: its statistics could not be saved',
    { hint: 'run the seed again once the others have finished' },
  );
}

/** Which of these employees have won: a seed that removes them should say so. */
export async function winnersAmong(
  doc: DynamoDBDocumentClient,
  winnersTable: string,
  employees: readonly Employee[],
): Promise<string[]> {
  if (employees.length === 0) return [];
  const won = new Set(
    (await scanClaims(doc, winnersTable)).filter(hasWon).map((claim) => claim.employee_id),
  );
  return employees
    .filter((employee) => won.has(employee.employee_id))
    .map((employee) => employee.employee_id);
}
