import { openRegularFile } from '../../aws/regular-file';
import { relative } from 'node:path';
import { streamEmployeeRecords, type FileFindings } from '../../core/employee-file';
import { LotteryError } from '../../core/errors';
import type { Employee, RawRecord } from '../../core/employees';
import { formatIssue, formatIssues, IssueList, type Issue } from '../../core/issues';
import { oneOrMany, plural } from '../../core/plural';
import { SeedPlanner, type SeedCounts } from '../../core/seed-plan';
import { exclusionsSummary } from '../../core/exclusions';
import type { PoolState } from '../../core/seeding';
import { scanEmployees } from '../../aws/employees-table';
import { readPoolState } from '../../aws/pool-state';
import { winnersAmong, writeSeed, type SeedWrite, type SeedWritten } from '../../aws/seed';
import { repeatedSerialsError, withTableNamed } from '../pool-state';
import type { Session } from '../session';
import type { CommandContext } from '../context';
import { cannotRead } from '../files';
import { confirm } from '../prompt';
import { bundledEmployees } from '../package-root';
import type { SeedOptions } from '../options';

/**
 * Records kept from the first pass for the second, so that a file of an ordinary size is parsed
 * once. Above this many the second pass reads the file again: memory stays bounded whatever the
 * file's size.
 */
const RECORDS_KEPT = 50_000;
const CHANGES_SHOWN = 10;

/** Twenty million employees; a CSV file is streamed, so this bounds time, not memory. */
const EMPLOYEE_FILE = { what: 'an employee file', maxBytes: 1_000_000_000 };

async function checkReadable(path: string, shown: string): Promise<void> {
  try {
    await (await openRegularFile(path, EMPLOYEE_FILE)).close();
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

const listSome = (ids: readonly string[], shown = 5) =>
  ids.length > shown
    ? `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`
    : ids.join(', ');

export function summary(counts: SeedCounts, removed: number, verb: string): string {
  const assigned = counts.assigned > 0 ? `, ${plural(counts.assigned, 'serial')} assigned` : '';
  const removedText = removed > 0 ? `, ${removed} removed` : '';
  return `${verb} ${counts.added} new, ${counts.updated} updated, ${counts.unchanged} unchanged (skipped)${removedText}${assigned}; ${counts.total} employees in the table`;
}

/** The file a seed reads: the path, how it is named to the person, and its records. */
interface SeedFile {
  path: string;
  shown: string;
  records(found: FileFindings): AsyncIterable<RawRecord>;
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
  const file: SeedFile = {
    path,
    shown,
    // Each pass opens the file as checkReadable did: what replaced it meanwhile is checked again.
    // The file stops streaming on Ctrl-C or SIGTERM: checking a large file takes a while.
    records: async function* (found) {
      const handle = await openRegularFile(path, EMPLOYEE_FILE);
      const stream = handle.createReadStream({ signal: context.signal });
      yield* streamEmployeeRecords(stream, shown, found);
    },
  };
  const checked = await checkFile(file, options, context.signal);
  const session = await context.session();
  const plan = await planAgainstTable(context, session, file, checked);
  if (!(await confirmRemovals(context, options, shown, plan))) return;
  const { planner } = checked;
  const { written, exclusions } = await writeEmployees(context, session, options, {
    file: shown,
    planner,
    records: checked.kept ?? file.records({ issues: new IssueList(), warnings: [] }),
    existing: plan.existing,
    removals: plan.removals,
    seen: plan.seen,
  });
  if (context.signal.aborted) {
    throw new LotteryError(
      'interrupted',
      `interrupted after writing ${written} of the ${planner.seen} employees in ${shown}; ` +
        'each one is either written whole or not at all',
      { hint: 'run the same seed again to write the rest: it skips what is already there' },
    );
  }
  const counts = planner.summary();
  const removed = plan.removals.length;
  if (options.json) {
    output.json({
      file: shown,
      dry_run: Boolean(options.dryRun),
      ...counts,
      removed,
      excluded: exclusions.opened,
      included_again: exclusions.ended,
    });
  } else {
    if (exclusions.opened + exclusions.ended > 0)
      output.info(
        `Exclusions from the file's eligible column: ${exclusionsSummary(exclusions, shown)}.`,
      );
    const verb = options.dryRun ? `${shown} is valid; a seed would load` : `Loaded ${shown}:`;
    output.result(summary(counts, removed, verb));
  }
}

/** The first pass's outcome: a planner that has seen every record, and what the file warned of. */
interface CheckedFile {
  planner: SeedPlanner;
  warnings: Issue[];
  /** The records, for the second pass, when the file is of an ordinary size. */
  kept: RawRecord[] | undefined;
}

/** The first pass: every record checked against the others, nothing read from the table yet. */
async function checkFile(
  file: SeedFile,
  options: SeedOptions,
  signal: AbortSignal,
): Promise<CheckedFile> {
  const planner = new SeedPlanner(file.shown, { replace: options.replace });
  const structure: FileFindings = { issues: new IssueList(), warnings: [] };
  let kept: RawRecord[] | undefined = [];
  try {
    for await (const record of file.records(structure)) {
      planner.check(record);
      if (kept && kept.push(record) > RECORDS_KEPT) kept = undefined;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    throw new LotteryError(
      'interrupted',
      `interrupted while checking ${file.shown}; nothing was written`,
      { hint: 'run the seed again to load it', cause: error },
    );
  }
  if (structure.issues.length > 0)
    throw invalid(file.shown, structure.issues.concat(planner.issues));
  return { planner, warnings: structure.warnings, kept };
}

/** What the seed will do to the table, known before anything is written. */
interface TablePlan {
  /** The table's employees before the seed. */
  existing: Employee[];
  removals: Employee[];
  /** Those of the removals who have won. */
  removedWinners: string[];
  /** The pool's statistics item, read before the table: a seed writing meanwhile is listed. */
  seen: PoolState;
}

/**
 * The checks that need the table (serials in use, ids that differ in case), said; what the seed
 * removes, and which of those have won.
 */
async function planAgainstTable(
  context: CommandContext,
  session: Session,
  file: SeedFile,
  checked: CheckedFile,
): Promise<TablePlan> {
  const { output, config } = context;
  const { doc } = session.clients;
  // Read before the table: a seed that writes meanwhile is listed in it by then (src/aws/seed.ts).
  const seen = await withTableNamed(
    config.drawsTable,
    readPoolState(doc, config.drawsTable, config.employeeTable),
  );
  const existing = await scanEmployees(doc, config.employeeTable);
  const { issues, warnings } = checked.planner.finishChecks(existing);
  const shownWarnings = [...checked.warnings, ...warnings];
  for (const warning of shownWarnings) output.warn(formatIssue(warning));
  const allWarnings = warnings.length + checked.warnings.length;
  if (allWarnings > shownWarnings.length)
    output.warn(`… and ${allWarnings - shownWarnings.length} more`);
  if (issues.length > 0) throw invalid(file.shown, issues);

  const removals = checked.planner.removals();
  const removedWinners = await winnersAmong(doc, config.winnersTable, removals);
  if (removedWinners.length > 0) {
    output.warn(
      `${removedWinners.length} of the employees ${file.shown} leaves out ` +
        `${oneOrMany(removedWinners.length, 'has', 'have')} won (${listSome(removedWinners)}): ` +
        'their wins stay in the winners list, but they leave the pool and `employees count`',
    );
  }
  return { existing, removals, removedWinners, seen };
}

/** Removing employees is asked about, or needs --yes; false when the person said no. */
async function confirmRemovals(
  context: CommandContext,
  options: SeedOptions,
  shown: string,
  plan: TablePlan,
): Promise<boolean> {
  const { output } = context;
  const { removals, removedWinners } = plan;
  if (options.dryRun || removals.length === 0 || options.yes) return true;
  const won = removedWinners.length > 0 ? ` (${removedWinners.length} of them won)` : '';
  const what = `remove ${plural(removals.length, 'employee')} that ${shown} leaves out${won}`;
  if (!output.interactive)
    throw new LotteryError('usage', `refusing to ${what} without confirmation`, {
      hint: 'run it in a terminal to be asked, or pass --yes',
    });
  if (await confirm(context, `Replace the pool with ${shown}? This will ${what}.`)) return true;
  output.info('Nothing was changed.');
  return false;
}

/**
 * The second pass, under a spinner, the first updates shown; returns what was written.
 * Serials that more than one person holds (two seeds giving the same one in their files) are
 * refused once everyone is written, with how to find them.
 */
async function writeEmployees(
  context: CommandContext,
  session: Session,
  options: SeedOptions,
  seed: Pick<SeedWrite, 'file' | 'planner' | 'records' | 'existing' | 'removals' | 'seen'>,
): Promise<SeedWritten> {
  const { output, config } = context;
  const spinner = await output.spinner(`Loading ${seed.planner.seen} employees`);
  let updates = 0;
  let written: SeedWritten;
  try {
    written = await writeSeed(session.clients.doc, config, {
      ...seed,
      dryRun: Boolean(options.dryRun),
      signal: context.signal,
      onDecision: (decision) => {
        if (decision.kind === 'update' && updates++ < CHANGES_SHOWN)
          output.info(`  updating ${decision.employee.employee_id}: ${decision.fields.join(', ')}`);
      },
      onWritten: (written) => spinner.update(`Writing employees ${written}`),
    });
  } finally {
    spinner.stop();
  }
  if (updates > CHANGES_SHOWN) output.info(`  … and ${updates - CHANGES_SHOWN} more`);
  if (written.repeated.length > 0) throw repeatedSerialsError(written.repeated);
  return written;
}
