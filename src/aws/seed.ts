import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Employee, RawRecord } from '../core/employees';
import { LotteryError } from '../core/errors';
import {
  exclusionsSummary,
  fileExclusionChanges,
  nextExclusions,
  withSerialsOf,
  type ExclusionsChanged,
} from '../core/exclusions';
import { hasWon, type PoolStats } from '../core/pool';
import { needsNewSalt, newSalt, poolMembers, type PoolMember } from '../core/pool-members';
import type { PoolAfter, SeedDecision, SeedPlanner } from '../core/seed-plan';
import { getPoolStats, listResets, putPoolStats } from './draws-table';
import { batchWrite, type WriteRequest } from './dynamo';
import { poolFacts, scanEmployees } from './employees-table';
import { changeExclusions } from './event-records';
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
  /** The file as the messages name it: the exclusions its eligible column makes say so. */
  file: string;
  /** Checked, with the table's employees (finishChecks): it decides each record. */
  planner: SeedPlanner;
  /** The file's records, read again (or kept from the first pass). */
  records: Iterable<RawRecord> | AsyncIterable<RawRecord>;
  /** The table's employees before the seed: with the writes, who sits at each serial after it. */
  existing: readonly Employee[];
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

export interface SeedWritten {
  written: number;
  /** The exclusions the file's eligible column made or ended. */
  exclusions: ExclusionsChanged;
}

/**
 * Writes new and changed employees and removes those the file leaves out, in batches as the file
 * is read; then the winners' serials, the exclusions of the file's eligible column and the pool's
 * statistics.
 */
export async function writeSeed(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  seed: SeedWrite,
): Promise<SeedWritten> {
  const { planner, removals, dryRun } = seed;
  // Draws exclude past winners by the serial on their row: a winner's new serial, or none once they
  // are gone.
  const winnerSerials = new Map<string, number | undefined>();
  // Who sits at each serial once this seed is written: the pool's digest is made from it.
  const pool = new Map<string, PoolMember>(
    seed.existing.map((person) => [person.employee_id, person]),
  );
  async function* writes(): AsyncGenerator<WriteRequest> {
    for await (const record of seed.records) {
      const decision = planner.decide(record);
      seed.onDecision(decision);
      pool.set(decision.employee.employee_id, decision.employee);
      if (decision.kind === 'update' && decision.fields.includes('lottery_serial'))
        winnerSerials.set(decision.employee.employee_id, decision.employee.lottery_serial);
      if (decision.kind !== 'unchanged' && !dryRun)
        yield { PutRequest: { Item: { ...decision.employee } } };
    }
    for (const employee of dryRun ? [] : removals) {
      yield { DeleteRequest: { Key: { employee_id: employee.employee_id } } };
      winnerSerials.set(employee.employee_id, undefined);
      pool.delete(employee.employee_id);
    }
  }
  let written = 0;
  await batchWrite(doc, tables.employeeTable, writes(), {
    concurrency: WRITES_IN_FLIGHT,
    signal: seed.signal,
    onWritten: (count) => seed.onWritten((written += count)),
  });
  let exclusions: ExclusionsChanged = { opened: 0, ended: 0 };
  if (dryRun) return { written, exclusions };
  const counts = planner.summary();
  await updateWinnerSerials(doc, tables.winnersTable, winnerSerials);
  if (!seed.signal.aborted)
    exclusions = await applyFileExclusions(doc, tables, seed.file, planner, winnerSerials);
  await savePoolStats(
    doc,
    tables,
    seed.signal.aborted ? undefined : { facts: planner.poolAfter(), people: pool.values() },
    seed.statsBefore,
    counts.added + counts.updated + removals.length > 0,
  );
  return { written, exclusions };
}

/**
 * The exclusions the file's eligible column makes or ends (`source: file`), and the serials of
 * those in force kept in step with the seed. Written once the employees are, before the seed
 * returns: before any draw that depends on them.
 */
async function applyFileExclusions(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  file: string,
  planner: SeedPlanner,
  serials: ReadonlyMap<string, number | undefined>,
): Promise<ExclusionsChanged> {
  const eligibility = planner.fileEligibility();
  const current = new Map<string, number | undefined>(
    [...eligibility].map(([id, { lottery_serial }]) => [id, lottery_serial]),
  );
  for (const [id, serial] of serials) current.set(id, serial);
  return changeExclusions(doc, tables.drawsTable, tables.employeeTable, (set) => {
    const now = new Date().toISOString();
    const changed = fileExclusionChanges(eligibility, set.exclusions, file, now);
    const counts = { opened: changed.opened, ended: changed.ended };
    const next = nextExclusions(
      set,
      withSerialsOf(changed.exclusions, current),
      `seed of ${file}: ${exclusionsSummary(counts, file)}`,
      now,
    );
    return { ...(next ? { next } : {}), value: counts };
  });
}

/**
 * Saves the pool's statistics, which draws and `employees count` use instead of counting the
 * table. What the plan says the table holds is exact unless another seed wrote meanwhile (or this
 * one was interrupted): then the index's keys are counted.
 */
async function savePoolStats(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  planned: { facts: PoolAfter; people: Iterable<PoolMember> } | undefined,
  previous: PoolStats | undefined,
  changed: boolean,
): Promise<void> {
  const { drawsTable, employeeTable } = tables;
  let after = planned;
  let before = previous;
  for (let attempt = 0; attempt < STATS_ATTEMPTS; attempt++) {
    const facts = after?.facts ?? (await poolFacts(doc, employeeTable));
    if (
      before?.members &&
      !changed &&
      before.count === facts.count &&
      before.max_serial === facts.maxSerial &&
      before.max_tickets === facts.maxTickets &&
      before.tickets_total === facts.ticketsTotal
    )
      return;
    const stats: PoolStats = {
      count: facts.count,
      max_serial: facts.maxSerial,
      version: (before?.version ?? 0) + 1,
      updated_at: new Date().toISOString(),
      max_tickets: facts.maxTickets,
      tickets_total: facts.ticketsTotal,
      members: await membersAfter(doc, tables, before, after?.people),
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

/**
 * The digest of who sits at each serial once the seed is written (src/core/pool-members.ts), from
 * what the seed wrote and kept; after a race with another seed, from the table read again. The
 * salt stays until a reset.
 */
async function membersAfter(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  before: PoolStats | undefined,
  people: Iterable<PoolMember> | undefined,
): Promise<NonNullable<PoolStats['members']>> {
  const resets = await listResets(doc, tables.drawsTable);
  const kept = before?.members;
  const fresh = !kept || needsNewSalt(kept.salted_at, resets);
  const salt = fresh ? newSalt() : kept.salt;
  const everyone = people ?? (await scanEmployees(doc, tables.employeeTable));
  return {
    ...poolMembers(salt, everyone),
    salted_at: fresh ? new Date().toISOString() : kept.salted_at,
  };
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
