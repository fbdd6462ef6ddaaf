import { topicArnFor } from '../../ops/doctor';
import { LotteryError } from '../../core/errors';
import { hasWon } from '../../core/pool';
import { createSnsClient } from '../../aws/clients';
import { executionHistory } from '../../aws/executions';
import { announcementTopic, publishAnnouncement } from '../../aws/notifications';
import { markAnnounced, scanWinners } from '../../aws/winners-table';
import type { CommandContext } from '../context';
import { succeededDraw } from '../past-draw';
import type { AnnounceOptions } from '../options';
import { oneOrMany } from '../../core/plural';

/**
 * Sends a draw's announcement again, after it failed. It checks first that the people it names
 * are recorded as this draw's winners: an announcement never names someone who was not.
 */
export async function announce(options: AnnounceOptions, context: CommandContext): Promise<void> {
  const { output, config } = context;
  const session = await context.session();
  const { executionArn, result } = await succeededDraw(session, options.draw, 'announce');
  const records = (await scanWinners(session.clients.doc, config.winnersTable)).filter(
    (record) => record.draw_id === result.draw_id && hasWon(record),
  );
  const sent =
    result.announcement.status === 'SENT'
      ? result.announcement.message_id
      : records.find((record) => record.announcement_id)?.announcement_id;
  if (sent && !options.force) {
    throw new LotteryError(
      'usage',
      `draw ${result.draw_id} was announced already (message ${sent})`,
      { hint: 'pass --force to send it again' },
    );
  }

  const recorded = new Set(records.map((record) => record.employee_id));
  const missing = result.winners.filter((winner) => !recorded.has(winner.employee_id));
  if (missing.length > 0) {
    const ids = missing.map((winner) => winner.employee_id).join(', ');
    throw new LotteryError(
      'failed',
      `not announcing draw ${result.draw_id}: ` +
        `${ids} ${oneOrMany(missing.length, 'is', 'are')} no longer recorded as its winners`,
      { hint: 'see `lottery verify` for what changed' },
    );
  }

  // A draw interrupted before it announced has no announcement step: the topic is the stack's.
  const topicArn =
    announcementTopic(await executionHistory(await session.clients.sfn(), executionArn)) ??
    topicArnFor(await session.stateMachineArn());
  if (!topicArn)
    throw new LotteryError(
      'failed',
      `draw ${result.draw_id} has no announcement step in its history`,
    );
  const sns = await createSnsClient(session.target);
  try {
    const messageId = await publishAnnouncement(sns, topicArn, result.message);
    await markAnnounced(
      session.clients.doc,
      config.winnersTable,
      result.draw_id,
      [...recorded],
      messageId,
    );
    if (options.json)
      output.json({ draw_id: result.draw_id, message_id: messageId, message: result.message });
    else output.result(`Announced draw ${result.draw_id}: ${result.message}`);
  } finally {
    sns.destroy();
  }
}
