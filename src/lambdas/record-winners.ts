import type { DrawBody, RecordedDraw } from '../core/draw';
import { STATES } from '../core/names';
import { lostHold } from '../core/prizes';
import { getPrizePlan } from '../aws/prize-plan';
import { logRollback } from '../aws/draws-table';
import { commitWinner, releaseRows } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

type Deps = Pick<HandlerDeps, 'doc' | 'winnersTable' | 'drawsTable' | 'now' | 'executionStatus'>;

/**
 * A draw stopped from outside (StopExecution, a timeout) while this task ran: nothing runs after
 * it, so the task takes back what it recorded itself, and logs it for `lottery verify`. A stop
 * that comes after this look is the next draw's (or `lottery doctor --fix`'s) to clean up.
 */
async function takeBackIfStopped(deps: Deps, body: DrawBody, ids: string[]): Promise<void> {
  const status = await deps.executionStatus(body.execution_arn);
  // Undefined: an execution Step Functions does not know, as in a test of the handler alone.
  if (status === undefined || status === 'RUNNING') return;
  const removed = await releaseRows(deps.doc, deps.winnersTable, body.draw_id, ids);
  if (removed.length > 0)
    await logRollback(deps.doc, deps.drawsTable, {
      draw_id: body.draw_id,
      at: deps.now().toISOString(),
      status,
      by: STATES.record,
      removed,
    });
  throw new WorkflowError(
    'DrawStopped',
    `the draw was stopped (${status}) while its winners were being recorded: they were taken back`,
  );
}

/**
 * Record Winner Queue: turns the draw's claims into wins. Each write is conditional on the claim
 * being this draw's, so a retried task records nobody twice; if the task fails for good, the
 * workflow's Release Winners removes what it wrote, so a draw is recorded whole or not at all.
 */
export function createRecordWinners(deps: Deps) {
  return async (body: DrawBody): Promise<RecordedDraw> => {
    const winners = body.winner_details ?? [];
    const recordedAt = deps.now().toISOString();
    const committed = await Promise.all(
      winners.map((winner) =>
        commitWinner(deps.doc, deps.winnersTable, body.draw_id, winner.employee_id, recordedAt),
      ),
    );
    const gone = winners
      .filter((_, index) => !committed[index])
      .map((winner) => winner.employee_id);
    if (gone.length > 0) {
      throw new WorkflowError(
        'ClaimLost',
        `the claims on ${gone.join(', ')} were removed while the draw was running (was the pool reset?)`,
      );
    }
    await takeBackIfStopped(
      deps,
      body,
      winners.map((winner) => winner.employee_id),
    );
    // Looked at after the writes: whoever changes the plan after this look finds the wins.
    const lost = lostHold(await getPrizePlan(deps.doc, deps.drawsTable, deps.winnersTable), {
      draw_id: body.draw_id,
      prize: body.prize,
      reserved: body.prize_hold !== undefined,
    });
    if (lost) throw new WorkflowError('PrizeHoldLost', lost);
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
