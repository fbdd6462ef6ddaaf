import { drawRequestSchema, type DrawBody } from '../core/draw';
import { check } from '../core/parse';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

export interface InputWinnersEvent {
  request: unknown;
  execution_name: string;
  execution_arn: string;
  started_at: string;
}

/** Input Lottery Winners: checks the request and fixes the draw's id, time and seed. */
export function createInputWinners(deps: Pick<HandlerDeps, 'newSeed'>) {
  return async (event: InputWinnersEvent): Promise<{ body: DrawBody }> => {
    const checked = check(drawRequestSchema, event.request);
    if (!checked.ok) throw new WorkflowError('InvalidDrawInput', checked.error);
    const {
      input: winners,
      prize = null,
      seed,
      beacon,
      beacon_round_file,
      replaces,
    } = checked.value;
    return {
      body: {
        draw_id: event.execution_name,
        execution_arn: event.execution_arn,
        num_of_winners: winners,
        prize,
        // A beacon draw's seed does not exist yet: Fetch Beacon Round sets it.
        seed: seed ?? (beacon ? '' : deps.newSeed()),
        seed_source: beacon ? 'beacon' : seed ? 'caller' : 'generated',
        requested_at: event.started_at,
        attempt: 0,
        ...(beacon
          ? { beacon: beacon_round_file === undefined ? {} : { round_file: beacon_round_file } }
          : {}),
        ...(replaces ? { replaces } : {}),
      },
    };
  };
}

export const handler = lambdaHandler(createInputWinners);
