import type { DrawBody, RecordedDraw } from '../core/draw';
import { commitWinner } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

/**
 * Record Winner Queue: turns the draw's claims into wins. Each write is conditional on the claim
 * being this draw's, so a retried task records nobody twice; if the task fails for good, the
 * workflow's Release Winners removes what it wrote, so a draw is recorded whole or not at all.
 */
export function createRecordWinners(deps: Pick<HandlerDeps, 'doc' | 'winnersTable' | 'now'>) {
  return async (body: DrawBody): Promise<RecordedDraw> => {
    const winners = body.winner_details ?? [];
    const recordedAt = deps.now().toISOString();
    const committed = await Promise.all(
      winners.map((winner) =>
        commitWinner(deps.doc, deps.winnersTable, body.draw_id, winner.employee_id, recordedAt),
      ),
    );
    const lost = winners
      .filter((_, index) => !committed[index])
      .map((winner) => winner.employee_id);
    if (lost.length > 0) {
      throw new WorkflowError(
        'ClaimLost',
        `the claims on ${lost.join(', ')} were removed while the draw was running (was the pool reset?)`,
      );
    }
    if (!body.pool || !body.record_digest)
      throw new Error('the draw reached Record Winner Queue without a selection');
    const audit: RecordedDraw['audit'] = {
      seed: body.seed,
      seed_source: body.seed_source,
      attempt: body.attempt,
      pool: body.pool,
      record_digest: body.record_digest,
    };
    const round = body.beacon?.round;
    if (round)
      audit.beacon = {
        chain: round.chain,
        round: round.round,
        commitment_digest: round.commitment_digest,
      };
    const replaces = body.replaces && 'reason' in body.replaces ? body.replaces : undefined;
    return {
      draw_id: body.draw_id,
      prize: body.prize,
      winners,
      recorded_at: recordedAt,
      audit,
      // Always there, so that the state machine's ResultSelector finds it: null for a draw that
      // replaces nobody.
      replaces: replaces ?? null,
    };
  };
}

export const handler = lambdaHandler(createRecordWinners);
