import type { DrawBody } from '../core/draw';
import { releasePrizeHold } from '../aws/prize-plan';
import { releaseClaims } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';

/**
 * Release Winners: on the way to Failed, removes everything this draw claimed or recorded, and
 * gives back the prize's winners it held.
 */
export function createReleaseWinners(
  deps: Pick<HandlerDeps, 'doc' | 'winnersTable' | 'drawsTable' | 'now'>,
) {
  return async (event: { draw: DrawBody }): Promise<{ released: number }> => {
    const ids = (event.draw.winner_details ?? []).map((winner) => winner.employee_id);
    const released = await releaseClaims(deps.doc, deps.winnersTable, event.draw.draw_id, ids);
    if (event.draw.prize !== null)
      await releasePrizeHold(
        deps.doc,
        deps.drawsTable,
        deps.winnersTable,
        event.draw.draw_id,
        deps.now,
      );
    return { released };
  };
}

export const handler = lambdaHandler(createReleaseWinners);
