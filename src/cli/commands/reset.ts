import { LotteryError } from '../../core/errors';
import { hasWon } from '../../core/pool';
import { planStatus, recordedByPrize, recountPlan } from '../../core/prizes';
import { listResets, logReset, markResetsFinished } from '../../aws/draws-table';
import { removeWinners, scanWinners, type WinnerRecord } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { changeSettledPlan, currentPlan } from '../plan';
import { statusOf } from '../pool';
import type { Session } from '../session';
import { confirm } from '../prompt';
import type { ResetOptions } from '../options';
import { oneOrMany, plural } from '../../core/plural';

/**
 * The winners a reset removes, and the draws still running whose winners stay: such a draw
 * records (or gives back) its people and holds its places of a prize itself, and its winners
 * count against that prize once it succeeds. One question per draw that has winners.
 */
async function removable(
  session: Session,
  winners: readonly WinnerRecord[],
): Promise<{ remove: WinnerRecord[]; running: string[] }> {
  const draws = [
    ...new Set(winners.flatMap((winner) => (winner.draw_id === undefined ? [] : [winner.draw_id]))),
  ];
  const ask = statusOf(session);
  const running = new Set<string>();
  for (const drawId of draws) {
    const arn = winners.find((winner) => winner.draw_id === drawId)?.execution_arn;
    const status = await ask(drawId, arn);
    if (status === 'RUNNING' || status === 'PENDING_REDRIVE') running.add(drawId);
  }
  return {
    remove: winners.filter(
      (winner) => winner.draw_id === undefined || !running.has(winner.draw_id),
    ),
    running: [...running],
  };
}

/**
 * Removes everyone who has won, so that everyone is eligible again, and counts every prize of the
 * plan again from what stays recorded: its full count, less what running draws hold or have
 * recorded. The reset is logged before it removes anyone and marked finished once the plan is
 * counted: cut short at any point, `lottery doctor` says so and running it again finishes it. The
 * log also lets `lottery verify` tell a reset from an edit of the winners table.
 */
export async function reset(options: ResetOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const session = await context.session();
  const { doc } = session.clients;
  const [winners, plan, resets] = await Promise.all([
    // Forfeited rows go too: everyone is eligible again. The forfeits stay on record.
    scanWinners(doc, config.winnersTable).then((rows) =>
      rows.filter((row) => hasWon(row) || row.status === 'forfeited'),
    ),
    currentPlan(session),
    listResets(doc, config.drawsTable),
  ]);
  const unfinished = resets.filter((entry) => entry.finished === false);
  const planDrawn = plan !== undefined && planStatus(plan).some((status) => status.drawn > 0);
  if (winners.length === 0 && !planDrawn && unfinished.length === 0) {
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
  const { remove, running } = await removable(session, winners);
  const draws = [
    ...new Set(remove.flatMap((winner) => (winner.draw_id === undefined ? [] : [winner.draw_id]))),
  ];
  const entry = await logReset(doc, config.drawsTable, {
    at: new Date().toISOString(),
    removed: remove.length,
    draws,
    finished: false,
  });
  const removed = await removeWinners(doc, config.winnersTable, remove);
  // Counted after the holds of draws that ended are settled: a draw that succeeded meanwhile no
  // longer holds its places, and its winners, which stayed, are read here.
  const prizesReset = await changeSettledPlan(session, async (current, now) => {
    if (!current) return { value: 0 };
    const rows = await scanWinners(doc, config.winnersTable);
    return {
      next: recountPlan(current, recordedByPrize(rows, current), now),
      value: current.prizes.length,
    };
  });
  await markResetsFinished(
    doc,
    config.drawsTable,
    [entry, ...unfinished.map((earlier) => earlier.sk)],
    new Date().toISOString(),
  );
  if (options.json) {
    output.json({ removed, prizes_reset: prizesReset });
    return;
  }
  output.info(
    `Removed ${plural(removed, 'winner record')}; everyone is eligible again` +
      `${prizesReset > 0 ? prizes : ''}.`,
  );
  if (running.length > 0)
    output.info(
      `Still running: ${running.join(', ')}. ` +
        `The winners ${oneOrMany(running.length, 'it records', 'they record')} stay, and count ` +
        `against ${oneOrMany(running.length, 'its prize', 'their prizes')}.`,
    );
}
