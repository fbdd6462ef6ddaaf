import { LotteryError } from '../../core/errors';
import { hasWon } from '../../core/pool';
import { planStatus, resetPlan } from '../../core/prizes';
import { logReset } from '../../aws/draws-table';
import { removeWinners, scanClaims } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { changeSettledPlan, currentPlan } from '../plan';
import { confirm } from '../prompt';
import type { ResetOptions } from '../options';
import { plural } from '../../core/plural';

/**
 * Removes everyone who has won, so that everyone is eligible again. Claims of draws still running
 * stay: those draws record or give back their people themselves. Every prize of the plan goes back
 * to its full count, less what running draws hold. The reset is logged, so that
 * `lottery verify` can tell a reset from an edit of the winners table.
 */
export async function reset(options: ResetOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const session = await context.session();
  const { doc } = session.clients;
  const [winners, plan] = await Promise.all([
    // Forfeited rows go too: everyone is eligible again. The forfeits stay on record.
    scanClaims(doc, config.winnersTable).then((claims) =>
      claims.filter((claim) => hasWon(claim) || claim.status === 'forfeited'),
    ),
    currentPlan(session),
  ]);
  const planDrawn = plan !== undefined && planStatus(plan).some((status) => status.drawn > 0);
  if (winners.length === 0 && !planDrawn) {
    if (options.json) output.json({ removed: 0, prizes_reset: 0 });
    else output.info('There are no winners to remove.');
    return;
  }
  const what = plural(winners.length, 'winner record');
  const prizes = plan ? ' and every prize of the plan is back to its full count' : '';
  if (!options.yes) {
    if (!output.interactive) {
      throw new LotteryError('usage', `refusing to remove ${what} without confirmation`, {
        hint: 'run it in a terminal to be asked, or pass --yes',
      });
    }
    if (!(await confirm(context, `Remove ${what}? Everyone becomes eligible again${prizes}.`))) {
      output.info('Nothing was removed.');
      return;
    }
  }
  const draws = [
    ...new Set(winners.flatMap((winner) => (winner.draw_id === undefined ? [] : [winner.draw_id]))),
  ];
  await logReset(doc, config.drawsTable, {
    at: new Date().toISOString(),
    removed: winners.length,
    draws,
  });
  const removed = await removeWinners(doc, config.winnersTable, winners);
  // Draws still running keep what they hold of a prize, as they keep their claims.
  const prizesReset = await changeSettledPlan(session, (current, now) =>
    current ? { next: resetPlan(current, now), value: current.prizes.length } : { value: 0 },
  );
  if (options.json) output.json({ removed, prizes_reset: prizesReset });
  else
    output.info(
      `Removed ${plural(removed, 'winner record')}; everyone is eligible again` +
        `${prizesReset > 0 ? prizes : ''}.`,
    );
}
