import type { RecordedBeacon } from '../core/beacon';
import type { DrawBody } from '../core/draw';
import { askRelay, readRoundFile, type SourceAnswer } from '../aws/beacon-relays';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

type Deps = Pick<HandlerDeps, 'beacon' | 'roundFileWaitMs' | 'now' | 'sleep'>;

const FILE_POLL_MS = 500;

/** The first valid answer of all the relays, asked at once; or every answer, when none is valid. */
async function askRelays(deps: Deps, round: number): Promise<SourceAnswer[]> {
  const settings = deps.beacon();
  const answers: SourceAnswer[] = [];
  return new Promise((resolve) => {
    if (settings.relays.length === 0) resolve(answers);
    for (const relay of settings.relays) {
      void askRelay(settings, relay, round).then((answer) => {
        answers.push(answer);
        if (answer.kind === 'valid') resolve([answer]);
        else if (answers.length === settings.relays.length) resolve(answers);
      });
    }
  });
}

/** Reads the round file until it holds the round, or the wait is over. */
async function watchRoundFile(deps: Deps, body: DrawBody, path: string): Promise<SourceAnswer> {
  const commitment = body.beacon?.commitment;
  if (!commitment) throw new Error('no commitment');
  const deadline = Date.parse(commitment.round_time) + (deps.roundFileWaitMs ?? 0);
  for (;;) {
    const answer = await readRoundFile(commitment.chain, path, commitment.round);
    if (answer.kind !== 'unavailable' || deps.now().getTime() >= deadline) return answer;
    await deps.sleep(FILE_POLL_MS);
  }
}

/**
 * Fetch Beacon Round: once round R is due, gets it from the relays (or, on the embedded backend,
 * the round file), verifies its signature against the chain's public key, and makes its
 * randomness the seed. What a source serves is never taken on trust: a round that does not
 * verify is refused, whoever served it.
 */
export function createFetchBeaconRound(deps: Deps) {
  return async (body: DrawBody): Promise<{ body: DrawBody }> => {
    const commitment = body.beacon?.commitment;
    if (!commitment) throw new Error('the draw reached Fetch Beacon Round without a commitment');
    let answers = await askRelays(deps, commitment.round);
    const roundFile = body.beacon?.round_file;
    if (answers[0]?.kind !== 'valid' && roundFile !== undefined)
      answers = [...answers, await watchRoundFile(deps, body, roundFile)];
    const valid = answers.find((answer) => answer.kind === 'valid');
    if (!valid || valid.kind !== 'valid') {
      const tried = answers
        .map((answer) => `${answer.source}: ${answer.kind === 'valid' ? 'valid' : answer.reason}`)
        .join('; ');
      const allInvalid = answers.length > 0 && answers.every((answer) => answer.kind === 'invalid');
      const chain = commitment.chain.beacon_id || commitment.chain.hash.slice(0, 12);
      throw new WorkflowError(
        allInvalid ? 'BeaconRoundInvalid' : 'BeaconRoundUnavailable',
        `${allInvalid ? 'no source served a valid' : 'no source had'} round ${commitment.round} ` +
          `of chain ${chain} (${tried || 'no relays are configured'})`,
      );
    }
    const round: RecordedBeacon = {
      ...valid.round,
      chain: commitment.chain.hash,
      commitment_digest: commitment.digest,
      source: valid.source,
    };
    return { body: { ...body, seed: valid.randomness, beacon: { ...body.beacon, round } } };
  };
}

export const handler = lambdaHandler(createFetchBeaconRound);
