import { LotteryError } from '../../core/errors';
import { scanAll } from '../../aws/dynamo';
import { deleteAllWinners } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { confirm } from '../prompt';
import type { ResetOptions } from '../program';

export async function reset(options: ResetOptions, context: CommandContext): Promise<void> {
  const { output } = context;
  const session = await context.session();
  const table = context.config.winnersTable;
  const existing = await scanAll<{ employee_id: string }>(session.clients.doc, { TableName: table, ProjectionExpression: 'employee_id' });
  if (existing.length === 0) {
    if (options.json) output.json({ removed: 0 });
    else output.info('There are no winners to remove.');
    return;
  }
  const what = `${existing.length} winner record${existing.length === 1 ? '' : 's'}`;
  if (!options.yes) {
    if (!output.interactive) {
      throw new LotteryError('usage', `refusing to remove ${what} without confirmation`, 'run it in a terminal to be asked, or pass --yes');
    }
    if (!(await confirm(context, `Remove ${what}? Everyone becomes eligible again.`))) {
      output.info('Nothing was removed.');
      return;
    }
  }
  const removed = await deleteAllWinners(session.clients.doc, table);
  if (options.json) output.json({ removed });
  else output.info(`Removed ${removed} winner record${removed === 1 ? '' : 's'}; everyone is eligible again.`);
}
