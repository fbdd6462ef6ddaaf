import { extname } from 'node:path';
import { toCsv } from '../../core/csv';
import { safeJson } from '../../core/printable';
import { hasWon, winnerDetail } from '../../core/pool';
import { getEmployees } from '../../aws/employees-table';
import { compareIds } from '../../core/selection';
import { scanWinners, type WinnerRecord } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { isStandardOutput, writeUserFile } from '../files';
import { renderTable } from '../render/table';
import type { WinnersListOptions, WinnersExportOptions } from '../options';
import { plural } from '../../core/plural';

const CSV_HEADER = [
  'employee_id',
  'employee_name',
  'department',
  'lottery_serial',
  'prize',
  'draw_id',
  'won_at',
];

export function winnersCsv(winners: readonly WinnerRecord[]): string {
  return toCsv(
    CSV_HEADER,
    winners.map((winner) => [
      winner.employee_id,
      winner.employee_name,
      winner.department,
      winner.lottery_serial,
      winner.prize,
      winner.draw_id,
      winner.won_at,
    ]),
  );
}

/**
 * People who have won, oldest win first; claims of draws still running are left out. Rows the
 * workshop's Record Winners wrote name only the person: the rest comes from the employee table.
 */
export async function collectWinners(
  context: CommandContext,
  options: { prize?: string },
): Promise<WinnerRecord[]> {
  const session = await context.session();
  const { doc } = session.clients;
  const rows = (await scanWinners(doc, context.config.winnersTable)).filter(hasWon);
  const bare = rows.filter((row) => row.employee_name === undefined).map((row) => row.employee_id);
  const people = new Map(
    (await getEmployees(doc, context.config.employeeTable, bare)).map((employee) => [
      employee.employee_id,
      employee,
    ]),
  );
  return rows
    .map((row) => ({
      ...winnerDetail(
        people.get(row.employee_id) ?? { employee_id: row.employee_id, employee_name: '' },
      ),
      ...row,
    }))
    .filter((winner) => options.prize === undefined || winner.prize === options.prize)
    .sort(
      (a, b) =>
        (a.won_at ?? '').localeCompare(b.won_at ?? '') || compareIds(a.employee_id, b.employee_id),
    );
}

export function printWinners(context: CommandContext, winners: readonly WinnerRecord[]): void {
  const { output } = context;
  if (winners.length === 0) {
    output.info('No winners yet.');
    return;
  }
  output.result(
    renderTable(
      output.out,
      ['Employee ID', 'Name', 'Department', 'Prize', 'Draw', 'Won at'],
      winners.map((winner) => [
        winner.employee_id,
        winner.employee_name,
        winner.department,
        winner.prize ?? '',
        winner.draw_id,
        winner.won_at,
      ]),
    ),
  );
  output.info(plural(winners.length, 'winner'));
}

export async function winnersList(
  options: WinnersListOptions,
  context: CommandContext,
): Promise<void> {
  const format = options.json ? 'json' : (options.format ?? 'table');
  const winners = await collectWinners(context, options);
  if (format === 'json') context.output.json(winners);
  else if (format === 'csv') context.output.streams.stdout.write(winnersCsv(winners));
  else printWinners(context, winners);
}

/**
 * Writes the winners to a file: CSV (with a BOM, so that spreadsheets read UTF-8 names) or JSON.
 */
export async function winnersExport(
  options: WinnersExportOptions,
  context: CommandContext,
): Promise<void> {
  const format =
    options.format ?? (extname(options.out).toLowerCase() === '.json' ? 'json' : 'csv');
  const winners = await collectWinners(context, options);
  const content = format === 'json' ? `${safeJson(winners, 2)}\n` : `\uFEFF${winnersCsv(winners)}`;
  // --out - is standard output, as for most tools that write a file; so is --out /dev/stdout.
  const toStdout = options.out === '-' || (await isStandardOutput(options.out));
  if (toStdout) context.output.streams.stdout.write(content);
  else await writeUserFile(options.out, content);
  const destination = toStdout ? 'standard output' : options.out;
  context.output.info(
    `Wrote ${plural(winners.length, 'winner')} to ${destination} (${format.toUpperCase()}).`,
  );
}
