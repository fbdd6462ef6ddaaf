import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseEmployeeFile } from '../../core/employee-file';
import { LotteryError } from '../../core/errors';
import { formatIssue, formatIssues } from '../../core/issues';
import { planSeed, type SeedPlan } from '../../core/seed-plan';
import { putEmployees, scanEmployees } from '../../aws/employees-table';
import type { CommandContext } from '../context';
import { bundledEmployees } from '../package-root';

export interface SeedOptions {
  file?: string;
  dryRun?: boolean;
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
  return `${verb} ${plan.added} new, ${plan.updated} updated, ${plan.unchanged} unchanged (skipped)${assigned}; ${plan.total} employees in the table`;
}

export async function seed(options: SeedOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const path = options.file ?? bundledEmployees();
  const shown = options.file ?? relative(process.cwd(), path);
  const parsed = parseEmployeeFile(await readInput(path, shown), shown);
  if (parsed.issues.length > 0) throw invalid(shown, parsed.issues);

  const session = await context.session();
  const table = context.config.employeeTable;
  const plan = planSeed(shown, parsed.records, await scanEmployees(session.clients.doc, table));
  for (const warning of [...parsed.warnings, ...plan.warnings]) output.warn(formatIssue(warning));
  if (plan.issues.length > 0) throw invalid(shown, plan.issues);

  if (!options.dryRun && plan.write.length > 0) {
    const spinner = await output.spinner(`Writing ${plan.write.length} employees`);
    let written = 0;
    try {
      await putEmployees(session.clients.doc, table, plan.write, {
        concurrency: 8,
        onWritten: (count) => {
          written += count;
          spinner.update(`Writing employees ${written}/${plan.write.length}`);
        },
      });
    } finally {
      spinner.stop();
    }
  }
  const result = { file: shown, format: parsed.format, dry_run: Boolean(options.dryRun), added: plan.added, updated: plan.updated, unchanged: plan.unchanged, assigned: plan.assigned, total: plan.total };
  if (options.json) output.json(result);
  else output.result(summary(plan, options.dryRun ? `${shown} is valid; a seed would load` : `Loaded ${shown}:`));
}
