import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseEmployeeFile } from '../../core/employee-file';
import { LotteryError } from '../../core/errors';
import { formatIssue, formatIssues } from '../../core/issues';
import { planSeed, type SeedPlan } from '../../core/seed-plan';
import { deleteEmployees, putEmployees, scanEmployees } from '../../aws/employees-table';
import type { CommandContext } from '../context';
import type { Session } from '../session';
import { confirm } from '../prompt';
import { bundledEmployees } from '../package-root';

export interface SeedOptions {
  file?: string;
  dryRun?: boolean;
  replace?: boolean;
  yes?: boolean;
  json?: boolean;
}

async function readInput(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new LotteryError('usage', `cannot read ${shown}: ${reason}`, 'pass a CSV or JSON file of employees with --file');
  }
}

function invalid(shown: string, issues: Parameters<typeof formatIssues>[0]): LotteryError {
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  return new LotteryError('usage', `${shown} has ${count}; nothing was written`, 'fix the lines above and run the seed again', formatIssues(issues));
}

export function summary(plan: SeedPlan, verb: string): string {
  const assigned = plan.assigned > 0 ? `, ${plan.assigned} serial${plan.assigned === 1 ? '' : 's'} assigned` : '';
  const removed = plan.remove.length > 0 ? `, ${plan.remove.length} removed` : '';
  return `${verb} ${plan.added} new, ${plan.updated} updated, ${plan.unchanged} unchanged (skipped)${removed}${assigned}; ${plan.total} employees in the table`;
}

export async function seed(options: SeedOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const path = options.file ?? bundledEmployees();
  const shown = options.file ?? relative(process.cwd(), path);
  const parsed = parseEmployeeFile(await readInput(path, shown), shown);
  if (parsed.issues.length > 0) throw invalid(shown, parsed.issues);

  const session = await context.session();
  const table = context.config.employeeTable;
  const plan = planSeed(shown, parsed.records, await scanEmployees(session.clients.doc, table), { replace: options.replace });
  for (const warning of [...parsed.warnings, ...plan.warnings]) output.warn(formatIssue(warning));
  if (plan.issues.length > 0) throw invalid(shown, plan.issues);
  for (const change of plan.changes.slice(0, 10)) output.info(`  updating ${change.employee_id}: ${change.fields.join(', ')}`);
  if (plan.changes.length > 10) output.info(`  … and ${plan.changes.length - 10} more`);

  if (!options.dryRun && plan.remove.length > 0 && !options.yes) {
    const what = `remove ${plan.remove.length} employee${plan.remove.length === 1 ? '' : 's'} that ${shown} leaves out`;
    if (!output.interactive) throw new LotteryError('usage', `refusing to ${what} without confirmation`, 'run it in a terminal to be asked, or pass --yes');
    if (!(await confirm(context, `Replace the pool with ${shown}? This will ${what}.`))) {
      output.info('Nothing was changed.');
      return;
    }
  }

  if (!options.dryRun) await write(context, session, plan);
  const result = {
    file: shown,
    format: parsed.format,
    dry_run: Boolean(options.dryRun),
    added: plan.added,
    updated: plan.updated,
    unchanged: plan.unchanged,
    removed: plan.remove.length,
    assigned: plan.assigned,
    total: plan.total,
  };
  if (options.json) output.json(result);
  else output.result(summary(plan, options.dryRun ? `${shown} is valid; a seed would load` : `Loaded ${shown}:`));
}

/** Writes the plan; Ctrl-C stops between batches, so every employee is written whole or not at all. */
async function write(context: CommandContext, session: Session, plan: SeedPlan): Promise<void> {
  const { output } = context;
  const table = context.config.employeeTable;
  const total = plan.write.length + plan.remove.length;
  const spinner = await output.spinner(`Writing ${total} employees`);
  let done = 0;
  const options = {
    concurrency: 8,
    signal: context.signal,
    onWritten: (count: number) => {
      done += count;
      spinner.update(`Writing employees ${done}/${total}`);
    },
  };
  try {
    await putEmployees(session.clients.doc, table, plan.write, options);
    await deleteEmployees(session.clients.doc, table, plan.remove.map((employee) => employee.employee_id), options);
  } finally {
    spinner.stop();
  }
  if (context.signal.aborted) {
    throw new LotteryError('interrupted', `interrupted after writing ${done} of ${total} employees; each one is either written whole or not at all`, 'run the same seed again to write the rest: it skips what is already there');
  }
}
