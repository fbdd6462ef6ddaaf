import type { DrawBody } from '../core/draw';
import { decideSelection, eligiblePool, winnerDetail } from '../core/pool';
import { SELECTION_ALGORITHM, selectWinners } from '../core/selection';
import { scanEmployees } from '../aws/employees-table';
import { scanClaims } from '../aws/winners-table';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

/** How long to wait for running draws to finish or give back their claims before giving up. */
const CLAIM_WAITS = 20;
const CLAIM_WAIT_MS = 100;

/**
 * Random Select Winners: reads the pool once, leaves out everyone who has won or is claimed by
 * another draw, and samples from the rest. Its cost does not depend on how many have won.
 */
export function createRandomSelectWinners(deps: Pick<HandlerDeps, 'doc' | 'employeeTable' | 'winnersTable' | 'sleep'>) {
  return async (body: DrawBody): Promise<{ body: DrawBody }> => {
    const attempt = body.attempt + 1;
    for (let waitsLeft = CLAIM_WAITS; ; waitsLeft--) {
      const [employees, claims] = await Promise.all([
        scanEmployees(deps.doc, deps.employeeTable),
        scanClaims(deps.doc, deps.winnersTable),
      ]);
      const pool = eligiblePool(employees, claims, body.draw_id);
      const decision = decideSelection(pool, body.num_of_winners, waitsLeft);
      if (decision.kind === 'fail') throw new WorkflowError('NotEnoughEligible', decision.message);
      if (decision.kind === 'wait') {
        await deps.sleep(CLAIM_WAIT_MS * (0.5 + Math.random()));
        continue;
      }
      const selection = selectWinners(pool.eligible, body.num_of_winners, body.seed, attempt);
      return {
        body: {
          ...body,
          attempt,
          winner_details: selection.winners.map(winnerDetail),
          pool: { size: selection.poolSize, digest: selection.poolDigest, algorithm: SELECTION_ALGORITHM },
        },
      };
    }
  };
}

export const handler = lambdaHandler(createRandomSelectWinners);
