import { commitmentDigest, committedRound, rfc3339, type BeaconCommitment } from '../core/beacon';
import type { DrawBody } from '../core/draw';
import { decideSelection } from '../core/pool';
import { SELECTION_ALGORITHM } from '../core/selection';
import { getCommitment, putCommitment } from '../aws/draws-table';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';
import {
  candidates,
  definitionOf,
  CLAIM_WAIT_MS,
  CLAIM_WAITS,
  type Deps as SelectDeps,
} from './random-select-winners';

type Deps = SelectDeps & Pick<HandlerDeps, 'beacon' | 'roundFileWaitMs'>;

/**
 * The pool as the draw will take it: waits while running draws' claims stand in the way, as Random
 * Select Winners does.
 */
async function poolToCommit(deps: Deps, body: DrawBody) {
  for (let waitsLeft = CLAIM_WAITS; ; waitsLeft--) {
    const pool = await candidates(deps, body);
    const decision = decideSelection(pool.counts, body.num_of_winners, waitsLeft);
    if (decision.kind === 'fail') throw new WorkflowError('NotEnoughEligible', decision.message);
    if (decision.kind === 'select') return pool;
    await deps.sleep(CLAIM_WAIT_MS * (0.5 + Math.random()));
  }
}

/**
 * Commit Draw (beacon draws): fixes, before the seed exists, everything the seed will decide
 * between — the candidates, the prize, how many win — and the drand round whose randomness will be
 * the seed: the first round at least the margin after now. The commitment is written once; a
 * retried task finds it and goes on with it.
 */
export function createCommitDraw(deps: Deps) {
  return async (body: DrawBody): Promise<{ body: DrawBody }> => {
    if (body.beacon?.round_file !== undefined && deps.roundFileWaitMs === undefined) {
      throw new WorkflowError(
        'InvalidDrawInput',
        'round files are read by the embedded backend only: on AWS the round comes from the relays',
      );
    }
    let commitment = await getCommitment(deps.doc, deps.drawsTable, body.draw_id);
    if (!commitment) {
      const settings = deps.beacon();
      const pool = await poolToCommit(deps, body);
      const now = deps.now();
      const { round, time } = committedRound(settings.chain, now.getTime(), settings.marginSeconds);
      const draft: BeaconCommitment = {
        draw_id: body.draw_id,
        committed_at: now.toISOString(),
        chain: settings.chain,
        round,
        round_time: rfc3339(time),
        margin_seconds: settings.marginSeconds,
        prize: body.prize,
        winners: body.num_of_winners,
        algorithm: SELECTION_ALGORITHM,
        pool: definitionOf(pool),
      };
      // Another attempt of this task may have written first: theirs stands.
      commitment = (await putCommitment(deps.doc, deps.drawsTable, draft))
        ? draft
        : await getCommitment(deps.doc, deps.drawsTable, body.draw_id);
      if (!commitment)
        throw new Error(
          `the commitment of draw ${body.draw_id} was written but cannot be read back`,
        );
    }
    const { pool } = commitment;
    return {
      body: {
        ...body,
        pool: {
          algorithm: commitment.algorithm,
          mode: pool.candidates.mode,
          size: pool.eligible,
          total: pool.total,
          digest: pool.digest,
        },
        beacon: {
          ...body.beacon,
          commitment: {
            chain: commitment.chain,
            round: commitment.round,
            round_time: commitment.round_time,
            committed_at: commitment.committed_at,
            digest: commitmentDigest(commitment),
          },
        },
      },
    };
  };
}

export const handler = lambdaHandler(createCommitDraw);
