import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { relative } from 'node:path';
import { streamEmployeeRecords, type FileFindings } from '../../core/employee-file';
import { LotteryError } from '../../core/errors';
import type { RawRecord } from '../../core/employees';
import { formatIssue, formatIssues, IssueList, type Issue } from '../../core/issues';
import { SeedPlanner, type SeedCounts } from '../../core/seed-plan';
import type { PoolStats } from '../../core/pool';
import { getPoolStats, putPoolStats } from '../../aws/draws-table';
import { batchWrite, type WriteRequest } from '../../aws/dynamo';
import { scanEmployees, scanSerials } from '../../aws/employees-table';
import { scanClaims, updateWinnerSerials } from '../../aws/winners-table';
import type { Employee } from '../../core/employees';
import { hasWon } from '../../core/pool';
import type { Session } from '../session';
import type { CommandContext } from '../context';
import { cannotRead } from '../files';
import { confirm } from '../prompt';
import { bundledEmployees } from '../package-root';
import type { SeedOptions } from '../options';
import { oneOrMany, plural } from '../../core/plural';

/** BatchWriteItem calls in flight: enough to keep the backend busy, few enough to hold little. */
const WRITES_IN_FLIGHT = 16;
/**
 * Records kept from the first pass for the second, so that a file of an ordinary size is parsed
 * once. Above this many the second pass reads the file again: memory stays bounded whatever the
 * file's size.
 */
const RECORDS_KEPT = 50_000;
const CHANGES_SHOWN = 10;

async function checkReadable(path: string, shown: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    await handle.close();
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    throw cannotRead(shown, error, 'pass a CSV or JSON file of employees with --file');
  }
}

function invalid(shown: string, issues: Iterable<Issue> & { length: number }): LotteryError {
  const count = oneOrMany(issues.length, 'a problem', `${issues.length} problems`);
  return new LotteryError('usage', `${shown} has ${count}; nothing was written`, {
    hint: 'fix the lines above and run the seed again',
    details: formatIssues(issues),
  });
}

/**
 * Seeds that write at once would each count from what they read first: the one that loses the race
 * counts again.
 */
const STATS_ATTEMPTS = 3;

/**
 * Saves the pool's statistics, which draws and `employees count` use instead of counting the
 * table. What the plan says the table holds is exact unless another seed wrote meanwhile (or this
 * one was interrupted): then the index's keys are counted.
 */
async function savePoolStats(
  session: Session,
  planned: { count: number; maxSerial: number } | undefined,
  previous: PoolStats | undefined,
  changed: boolean,
): Promise<void> {
  const { doc } = session.clients;
  const { drawsTable, employeeTable } = session.config;
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
async function winnersAmong(session: Session, employees: readonly Employee[]): Promise<string[]> {
  if (employees.length === 0) return [];
  const won = new Set(
    (await scanClaims(session.clients.doc, session.config.winnersTable))
      .filter(hasWon)
      .map((claim) => claim.employee_id),
  );
  return employees
    .filter((employee) => won.has(employee.employee_id))
    .map((employee) => employee.employee_id);
}

const listSome = (ids: readonly string[], shown = 5) =>
  ids.length > shown
    ? `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`
    : ids.join(', ');

export function summary(counts: SeedCounts, removed: number, verb: string): string {
  const assigned = counts.assigned > 0 ? `, ${plural(counts.assigned, 'serial')} assigned` : '';
  const removedText = removed > 0 ? `, ${removed} removed` : '';
  return `${verb} ${counts.added} new, ${counts.updated} updated, ${counts.unchanged} unchanged (skipped)${removedText}${assigned}; ${counts.total} employees in the table`;
}

/**
 * Loads employees in two passes over the file, which is streamed: the first checks every record
 * (nothing is written when anything is wrong), the second writes new and changed employees in
 * batches as it goes. Memory stays bounded however large the file is.
 */
export async function seed(options: SeedOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const path = options.file ?? bundledEmployees();
  const shown = options.file ?? relative(process.cwd(), path);
  await checkReadable(path, shown);
  const records = (found: FileFindings) =>
    streamEmployeeRecords(createReadStream(path), shown, found);

  const planner = new SeedPlanner(shown, { replace: options.replace });
  const structure: FileFindings = { issues: new IssueList(), warnings: [] };
  let kept: RawRecord[] | undefined = [];
  for await (const record of records(structure)) {
    planner.check(record);
    if (kept && kept.push(record) > RECORDS_KEPT) kept = undefined;
  }
  if (structure.issues.length > 0) throw invalid(shown, structure.issues.concat(planner.issues));

  const session = await context.session();
  const table = context.config.employeeTable;
  const [existing, statsBefore] = await Promise.all([
    scanEmployees(session.clients.doc, table),
    getPoolStats(session.clients.doc, context.config.drawsTable, table),
  ]);
  const { issues, warnings } = planner.finishChecks(existing);
  const shownWarnings = [...structure.warnings, ...warnings];
  for (const warning of shownWarnings) output.warn(formatIssue(warning));
  if (warnings.length + structure.warnings.length > shownWarnings.length)
    output.warn(`… and ${warnings.length + structure.warnings.length - shownWarnings.length} more`);
  if (issues.length > 0) throw invalid(shown, issues);

  const removals = planner.removals();
  const removedWinners = await winnersAmong(session, removals);
  if (removedWinners.length > 0) {
    output.warn(
      `${removedWinners.length} of the employees ${shown} leaves out ${oneOrMany(removedWinners.length, 'has', 'have')} won (${listSome(removedWinners)}): ` +
        'their wins stay in the winners list, but they leave the pool and `employees count`',
    );
  }
  if (!options.dryRun && removals.length > 0 && !options.yes) {
    const what = `remove ${plural(removals.length, 'employee')} that ${shown} leaves out${removedWinners.length > 0 ? ` (${removedWinners.length} of them won)` : ''}`;
    if (!output.interactive)
      throw new LotteryError('usage', `refusing to ${what} without confirmation`, {
        hint: 'run it in a terminal to be asked, or pass --yes',
      });
    if (!(await confirm(context, `Replace the pool with ${shown}? This will ${what}.`))) {
      output.info('Nothing was changed.');
      return;
    }
  }

  const spinner = await output.spinner(`Loading ${planner.seen} employees`);
  let written = 0;
  let changesShown = 0;
  // Draws exclude past winners by the serial on their row: a winner's new serial, or none once they
  // are gone.
  const winnerSerials = new Map<string, number | undefined>();
  async function* writes(): AsyncGenerator<WriteRequest> {
    for await (const record of kept ?? records({ issues: new IssueList(), warnings: [] })) {
      const decision = planner.decide(record);
      if (decision.kind === 'update' && changesShown++ < CHANGES_SHOWN)
        output.info(`  updating ${decision.employee.employee_id}: ${decision.fields.join(', ')}`);
      if (decision.kind === 'update' && decision.fields.includes('lottery_serial'))
        winnerSerials.set(decision.employee.employee_id, decision.employee.lottery_serial);
      if (decision.kind !== 'unchanged' && !options.dryRun)
        yield { PutRequest: { Item: { ...decision.employee } } };
    }
    for (const employee of options.dryRun ? [] : removals) {
      yield { DeleteRequest: { Key: { employee_id: employee.employee_id } } };
      winnerSerials.set(employee.employee_id, undefined);
    }
  }
  try {
    await batchWrite(session.clients.doc, table, writes(), {
      concurrency: WRITES_IN_FLIGHT,
      signal: context.signal,
      onWritten: (count) => {
        written += count;
        spinner.update(`Writing employees ${written}`);
      },
    });
    if (!options.dryRun) {
      const counts = planner.summary();
      await updateWinnerSerials(session.clients.doc, context.config.winnersTable, winnerSerials);
      await savePoolStats(
        session,
        context.signal.aborted ? undefined : planner.poolAfter(),
        statsBefore,
        counts.added + counts.updated + removals.length > 0,
      );
    }
  } finally {
    spinner.stop();
  }
  const counts = planner.summary();
  if (changesShown > CHANGES_SHOWN) output.info(`  … and ${changesShown - CHANGES_SHOWN} more`);
  if (context.signal.aborted) {
    throw new LotteryError(
      'interrupted',
      `interrupted after writing ${written} of the ${planner.seen} employees in ${shown}; each one is either written whole or not at all`,
      { hint: 'run the same seed again to write the rest: it skips what is already there' },
    );
  }

  if (options.json) {
    output.json({
      file: shown,
      dry_run: Boolean(options.dryRun),
      ...counts,
      removed: removals.length,
    });
  } else {
    output.result(
      summary(
        counts,
        removals.length,
        options.dryRun ? `${shown} is valid; a seed would load` : `Loaded ${shown}:`,
      ),
    );
  }
}
