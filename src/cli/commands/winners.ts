import { extname } from 'node:path';
import { toCsv } from '../../core/csv';
import { safeJson } from '../../core/printable';
import { hasWon, winnerDetail } from '../../core/pool';
import { getEmployees } from '../../aws/employees-table';
import { compareIds } from '../../core/selection';
import { scanWinners, type WinnerRecord } from '../../aws/winners-table';
import { listResets } from '../../aws/draws-table';
import { listForfeits } from '../../aws/event-records';
import { forfeitsSince } from '../../core/forfeits';
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
  'status',
  'forfeit_reason',
  'forfeited_at',
  'replaced_by',
];

/** A winner, or one who forfeited (listed after the winners, with why and who replaced them). */
export type WinnerEntry = WinnerRecord & { status: 'won' | 'forfeited' };

export function winnersCsv(winners: readonly WinnerEntry[]): string {
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
      winner.status,
      winner.forfeit_reason,
      winner.forfeited_at,
      winner.replaced_by,
    ]),
  );
}

/** The forfeits since the last reset, as entries after the winners. */
async function forfeitedEntries(context: CommandContext): Promise<WinnerEntry[]> {
  const session = await context.session();
  const { doc } = session.clients;
  const { drawsTable, winnersTable } = context.config;
  const [forfeits, resets] = await Promise.all([
    listForfeits(doc, drawsTable, winnersTable),
    listResets(doc, drawsTable),
  ]);
  return forfeitsSince(forfeits, resets).map((forfeit) => ({
    employee_id: forfeit.employee_id,
    employee_name: forfeit.employee_name,
    ...(forfeit.lottery_serial === undefined ? {} : { lottery_serial: forfeit.lottery_serial }),
    prize: forfeit.prize,
    draw_id: forfeit.draw_id,
    status: 'forfeited',
    forfeit_reason: forfeit.reason,
    forfeited_at: forfeit.forfeited_at,
    replaced_by: forfeit.replacement_draw_id,
    eligible_again: forfeit.eligible_again,
  }));
}

/**
 * People who have won, oldest win first; claims of draws still running are left out. Rows the
 * workshop's Record Winners wrote name only the person: the rest comes from the employee table.
 */
export async function collectWinners(
  context: CommandContext,
  options: { prize?: string },
): Promise<WinnerEntry[]> {
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
  const winners = rows
    .map((row): WinnerEntry => ({
      ...winnerDetail(
        people.get(row.employee_id) ?? { employee_id: row.employee_id, employee_name: '' },
      ),
      ...row,
      status: 'won',
    }))
    .sort(
      (a, b) =>
        (a.won_at ?? '').localeCompare(b.won_at ?? '') || compareIds(a.employee_id, b.employee_id),
    );
  return [...winners, ...(await forfeitedEntries(context))].filter(
    (winner) => options.prize === undefined || winner.prize === options.prize,
  );
}

export function printWinners(context: CommandContext, entries: readonly WinnerEntry[]): void {
  const { output } = context;
  const winners = entries.filter((entry) => entry.status === 'won');
  const forfeited = entries.filter((entry) => entry.status === 'forfeited');
  if (winners.length === 0 && forfeited.length === 0) {
    output.info('No winners yet.');
    return;
  }
  if (winners.length > 0)
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
  if (forfeited.length === 0) return;
  output.result();
  output.result(output.out.bold('Forfeited:'));
  output.result(
    renderTable(
      output.out,
      ['Employee ID', 'Name', 'Prize', 'Draw', 'Reason', 'Forfeited at', 'Replaced by'],
      forfeited.map((entry) => [
        entry.employee_id,
        entry.employee_name,
        entry.prize ?? '',
        entry.draw_id,
        entry.forfeit_reason,
        entry.forfeited_at,
        entry.replaced_by,
      ]),
    ),
  );
  output.info(`${forfeited.length} forfeited`);
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
  const won = winners.filter((winner) => winner.status === 'won').length;
  const forfeited = winners.length - won;
  const alsoForfeited = forfeited > 0 ? ` and ${forfeited} forfeited` : '';
  context.output.info(
    `Wrote ${plural(won, 'winner')}${alsoForfeited} to ${destination} (${format.toUpperCase()}).`,
  );
}
