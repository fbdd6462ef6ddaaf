import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Employee, RawRecord } from '../core/employees';
import {
  exclusionsSummary,
  fileExclusionChanges,
  nextExclusions,
  withSerialsOf,
  type ExclusionsChanged,
} from '../core/exclusions';
import { hasWon } from '../core/pool';
import type { PoolMember } from '../core/pool-members';
import type { SeedDecision, SeedPlanner } from '../core/seed-plan';
import type { PoolSize, PoolState, SeedClaim } from '../core/seeding';
import { batchWrite, type WriteRequest } from './dynamo';
import { changeExclusions } from './event-records';
import { claimSerials, finishSeed, type PoolTables } from './pool-state';
import { scanClaims, updateWinnerSerials } from './winners-table';

// The writes of `lottery seed`: the plan is src/core/seed-plan.ts's, decided record by record as
// the file is read the second time; this turns its decisions into DynamoDB writes.

/** BatchWriteItem calls in flight: enough to keep the backend busy, few enough to hold little. */
const WRITES_IN_FLIGHT = 16;

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
  /** The pool's statistics item as it was read before the employee table (readPoolState). */
  seen: PoolState;
  signal: AbortSignal;
  /** Each record's decision, as it is made. */
  onDecision(decision: SeedDecision): void;
  /** The employees written so far, each time a batch is. */
  onWritten(total: number): void;
}

/**
 * What a seed wrote, the exclusions its file's eligible column made or ended, and the serials it
 * found held by more than one person once it had.
 */
export interface SeedWritten {
  written: number;
  exclusions: ExclusionsChanged;
  repeated: number[];
}

/**
 * Writes new and changed employees and removes those the file leaves out, in batches as the file
 * is read; then the winners' serials, the exclusions of the file's eligible column and the pool's
 * statistics. Before it writes anyone, the seed claims the serials it hands out
 * (src/aws/pool-state.ts), so that seeds that run at once never hand out the same serial.
 */
export async function writeSeed(
  doc: DynamoDBDocumentClient,
  tables: SeedTables,
  seed: SeedWrite,
): Promise<SeedWritten> {
  const { planner, removals, dryRun } = seed;
  const pool: PoolTables = { draws: tables.drawsTable, employees: tables.employeeTable };
  // Draws exclude past winners by the serial on their row: a winner's new serial, or none once they
  // are gone.
  const winnerSerials = new Map<string, number | undefined>();
  // Who sits at each serial once this seed is written: the pool's digest is made from it.
  const people = new Map<string, PoolMember>(
    seed.existing.map((person) => [person.employee_id, person]),
  );
  async function* writes(): AsyncGenerator<WriteRequest> {
    for await (const record of seed.records) {
      const decision = planner.decide(record);
      seed.onDecision(decision);
      people.set(decision.employee.employee_id, decision.employee);
      if (decision.kind === 'update' && decision.fields.includes('lottery_serial'))
        winnerSerials.set(decision.employee.employee_id, decision.employee.lottery_serial);
      if (decision.kind !== 'unchanged' && !dryRun)
        yield { PutRequest: { Item: { ...decision.employee } } };
    }
    for (const employee of dryRun ? [] : removals) {
      yield { DeleteRequest: { Key: { employee_id: employee.employee_id } } };
      winnerSerials.set(employee.employee_id, undefined);
      people.delete(employee.employee_id);
    }
  }
  const claim = dryRun ? undefined : await claimForSeed(doc, pool, planner, seed.seen);
  let written = 0;
  try {
    await batchWrite(doc, tables.employeeTable, writes(), {
      concurrency: WRITES_IN_FLIGHT,
      signal: seed.signal,
      onWritten: (count) => seed.onWritten((written += count)),
    });
  } catch (error) {
    // Cut short: the statistics count what is there, if the backend still answers; if not, the
    // seed stays listed as writing, and `lottery doctor` says so.
    if (claim) await finishSeed(doc, pool, { claim, changed: true }).catch(() => {});
    throw error;
  }
  let exclusions: ExclusionsChanged = { opened: 0, ended: 0 };
  if (!claim) return { written, exclusions, repeated: [] };
  const counts = planner.summary();
  await updateWinnerSerials(doc, tables.winnersTable, winnerSerials);
  if (!seed.signal.aborted)
    exclusions = await applyFileExclusions(doc, tables, seed.file, planner, winnerSerials);
  const planned: PoolSize | undefined = seed.signal.aborted ? undefined : planner.poolAfter();
  const { repeated } = await finishSeed(doc, pool, {
    claim,
    ...(planned ? { planned, people: people.values() } : {}),
    changed: counts.added + counts.updated + removals.length > 0,
  });
  return { written, exclusions, repeated };
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

/** Lists the seed as writing and claims the serials it hands out; new serials start there. */
async function claimForSeed(
  doc: DynamoDBDocumentClient,
  pool: PoolTables,
  planner: SeedPlanner,
  seen: PoolState,
): Promise<SeedClaim> {
  const { range, claim } = await claimSerials(doc, pool, {
    id: randomUUID(),
    seen,
    floor: planner.highestSerial(),
    needed: planner.assignmentsNeeded(),
    now: new Date().toISOString(),
  });
  planner.assignFrom(range.first);
  return claim;
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
