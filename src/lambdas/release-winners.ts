import type { DrawBody } from '../core/draw';
import { releaseClaims } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';

/** Release Winners: on the way to Failed, removes everything this draw claimed or recorded. */
export function createReleaseWinners(deps: Pick<HandlerDeps, 'doc' | 'winnersTable'>) {
  return async (event: { draw: DrawBody }): Promise<{ released: number }> => {
    const ids = (event.draw.winner_details ?? []).map((winner) => winner.employee_id);
    return { released: await releaseClaims(deps.doc, deps.winnersTable, event.draw.draw_id, ids) };
  };
}

export const handler = lambdaHandler(createReleaseWinners);
