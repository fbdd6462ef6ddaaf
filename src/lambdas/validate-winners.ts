import { announcementMessage, MAX_SELECTION_ATTEMPTS, type DrawBody } from '../core/draw';
import { compareIds } from '../core/selection';
import { claimWinner, releaseClaims } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

const CONFLICT_BACKOFF_MS = 40;

export interface ValidateWinnersResult {
  body: DrawBody;
  /** 0: every pick is claimed for this draw; 1: a pick was taken by another draw, draw again. */
  status: 0 | 1;
  sns: string;
}

/**
 * Validate Winners: claims every pick for this draw with a conditional write. Claims are taken in
 * id order, so two draws that want the same people cannot each block the other: one of them wins.
 * A draw that loses a race gives back what it claimed and asks for a re-draw.
 */
export function createValidateWinners(
  deps: Pick<HandlerDeps, 'doc' | 'winnersTable' | 'now' | 'sleep'>,
) {
  return async (body: DrawBody): Promise<ValidateWinnersResult> => {
    const picks = [...(body.winner_details ?? [])].sort((a, b) =>
      compareIds(a.employee_id, b.employee_id),
    );
    const claimedAt = deps.now().toISOString();
    const claimed: string[] = [];
    for (const pick of picks) {
      const record = {
        ...pick,
        draw_id: body.draw_id,
        execution_arn: body.execution_arn,
        prize: body.prize,
        status: 'claimed' as const,
        claimed_at: claimedAt,
      };
      if (await claimWinner(deps.doc, deps.winnersTable, record)) {
        claimed.push(pick.employee_id);
        continue;
      }
      await releaseClaims(deps.doc, deps.winnersTable, body.draw_id, claimed);
      if (body.attempt >= MAX_SELECTION_ATTEMPTS) {
        throw new WorkflowError(
          'DrawConflict',
          `gave up after ${body.attempt} attempts: other draws kept taking the same people`,
        );
      }
      // Draws that collided would otherwise all draw again at once and collide again: a random
      // pause, longer after each lost race, lets the winners of the race finish first.
      await deps.sleep(Math.random() * CONFLICT_BACKOFF_MS * 2 ** Math.min(body.attempt - 1, 4));
      return { body, status: 1, sns: '' };
    }
    return { body, status: 0, sns: announcementMessage(body.winner_details ?? [], body.prize) };
  };
}

export const handler = lambdaHandler(createValidateWinners);
