import { compareIds } from '../../core/selection';
import { scanWinners, type WinnerRecord } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { renderTable } from '../render/table';

export interface WinnersListOptions {
  json?: boolean;
  prize?: string;
}

/** People who have won, oldest win first; claims of draws still running are left out. */
export async function collectWinners(context: CommandContext, options: WinnersListOptions): Promise<WinnerRecord[]> {
  const session = await context.session();
  const winners = await scanWinners(session.clients.doc, context.config.winnersTable);
  return winners
    .filter((winner) => winner.status === 'won')
    .filter((winner) => options.prize === undefined || winner.prize === options.prize)
    .sort((a, b) => (a.won_at ?? '').localeCompare(b.won_at ?? '') || compareIds(a.employee_id, b.employee_id));
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
      winners.map((winner) => [winner.employee_id, winner.employee_name, winner.department, winner.prize ?? '', winner.draw_id, winner.won_at]),
    ),
  );
  output.info(`${winners.length} winner${winners.length === 1 ? '' : 's'}`);
}

export async function winnersList(options: WinnersListOptions, context: CommandContext): Promise<void> {
  const winners = await collectWinners(context, options);
  if (options.json) context.output.json(winners);
  else printWinners(context, winners);
}
