import type { SelectionRecord } from './audit';
import { publicCommitment, type BeaconCommitment } from './beacon';
import { loadCandidateSpace } from './candidates';
import type { DrawResult } from './draw';
import { LotteryError } from './errors';
import { excludedSerials, loadExclusions } from './exclusions';
import type { Forfeit } from './forfeits';
import { idHash, poolMembers, type PoolMember, type PoolMembers } from './pool-members';
import {
  encodePool,
  RECORD_FORMAT,
  type DrawRecordFile,
  type RecordDraw,
  type RecordForfeit,
} from './record-format';
import { SELECTION_ALGORITHM } from './selection';

// Makes a draw's record (src/core/record-format.ts) from what the backend keeps: each draw's
// audit record and commitment, the employee table read once, and the forfeits. Everything but the
// winners' names is reduced to serials and salted hashes here.

export interface RecordedDraw {
  result: DrawResult;
  record: SelectionRecord;
  commitment?: BeaconCommitment;
}

const cannot = (message: string, hint: string) => new LotteryError('failed', message, { hint });

/** The one pool every draw fixed. */
function commonMembers(draws: readonly RecordedDraw[]): PoolMembers {
  const first = draws[0];
  if (!first) throw cannot('there is no draw to record', 'name a draw, or use --event');
  for (const { record } of draws) {
    if (record.algorithm !== SELECTION_ALGORITHM)
      throw cannot(
        `draw ${record.draw_id} was made with ${record.algorithm}: a record covers draws made with ${SELECTION_ALGORITHM}`,
        'check older draws with `lottery verify`',
      );
    if (!record.pool.members)
      throw cannot(
        `draw ${record.draw_id} was made before pools were committed: its record could not show who sat at each serial`,
        'load the pool with `lottery seed` from this version, then draw; check this one with `lottery verify`',
      );
  }
  const members = first.record.pool.members as PoolMembers;
  const other = draws.find(({ record }) => record.pool.members?.digest !== members.digest);
  if (other)
    throw cannot(
      `draws ${first.record.draw_id} and ${other.record.draw_id} were made from different pools (it was loaded again between them)`,
      'record them separately',
    );
  return members;
}

function recordDraw(
  { result, record, commitment }: RecordedDraw,
  poolSerials: readonly number[],
): RecordDraw {
  const space = loadCandidateSpace(record.pool.candidates);
  let excluded: number[];
  if (space.mode === 'serial-space') excluded = [...space.excluded];
  else {
    const listed = new Set(space.serials);
    excluded = poolSerials.filter((serial) => !listed.has(serial));
  }
  const left = new Set(excluded);
  const eventExcluded = record.pool.exclusions
    ? excludedSerials(loadExclusions(record.pool.exclusions)).filter((serial) => left.has(serial))
    : [];
  const won = record.candidates.filter((candidate) => !candidate.skipped);
  const draw: RecordDraw = {
    draw_id: record.draw_id,
    prize: record.prize,
    attempt: record.attempt,
    algorithm: record.algorithm,
    seed: record.seed,
    seed_source: record.seed_source,
    selected_at: record.selected_at,
    recorded_at: result.recorded_at,
    candidates:
      space.mode === 'serial-space'
        ? { mode: 'serial-space', serial_space: space.serialSpace }
        : { mode: 'serial-list' },
    excluded,
    event_excluded: [...new Set(eventExcluded)].sort((a, b) => a - b),
    candidates_digest: record.pool.digest,
    max_tickets: record.pool.max_tickets ?? 1,
    members: record.pool.members as PoolMembers,
    taken: record.candidates
      .filter((candidate) => candidate.skipped === 'taken')
      .map((candidate) => candidate.serial),
    winners: record.winners.map((winner, index) => ({
      employee_id: winner.employee_id,
      employee_name: winner.employee_name,
      lottery_serial: winner.lottery_serial ?? (won[index]?.serial as number),
    })),
  };
  if (record.replaces)
    draw.replaces = { draw_id: record.replaces.draw_id, employee_id: record.replaces.employee_id };
  if (record.beacon && commitment) {
    const { round, signature, previous_signature } = record.beacon;
    draw.beacon = {
      commitment: publicCommitment(commitment),
      commitment_digest: record.beacon.commitment_digest,
      round: { round, signature, ...(previous_signature ? { previous_signature } : {}) },
    };
  }
  return draw;
}

function recordForfeit(forfeit: Forfeit): RecordForfeit {
  return {
    draw_id: forfeit.draw_id,
    employee_id: forfeit.employee_id,
    employee_name: forfeit.employee_name,
    prize: forfeit.prize,
    reason: forfeit.reason,
    forfeited_at: forfeit.forfeited_at,
    eligible_again: forfeit.eligible_again,
    replacement_draw_id: forfeit.replacement_draw_id,
  };
}

export function buildRecord(input: {
  title: string;
  madeAt: string;
  draws: readonly RecordedDraw[];
  /** The employee table now: it must still be the pool the draws fixed. */
  people: readonly PoolMember[];
  forfeits: readonly Forfeit[];
}): DrawRecordFile {
  const members = commonMembers(input.draws);
  const now = poolMembers(members.salt, input.people);
  if (now.digest !== members.digest)
    throw cannot(
      `the employee table is no longer the pool ${input.draws[0]?.record.draw_id} was drawn from (${now.count} people now, ${members.count} then): it was loaded again since`,
      'a record can be made only while the pool is as the draws saw it; check the draws with `lottery verify`',
    );
  const entries = [...input.people]
    .sort((a, b) => a.lottery_serial - b.lottery_serial)
    .map((person) => ({
      serial: person.lottery_serial,
      hash: idHash(members.salt, person.employee_id),
      tickets: person.tickets ?? 1,
    }));
  const serials = entries.map((entry) => entry.serial);
  const draws = [...input.draws]
    .sort((a, b) => a.record.selected_at.localeCompare(b.record.selected_at))
    .map((draw) => recordDraw(draw, serials));
  const ids = new Set(draws.map((draw) => draw.draw_id));
  return {
    format: RECORD_FORMAT,
    made_at: input.madeAt,
    title: input.title,
    pool: encodePool(members, entries),
    draws,
    forfeits: input.forfeits
      .filter((forfeit) => ids.has(forfeit.draw_id) || ids.has(forfeit.replacement_draw_id))
      .map(recordForfeit),
  };
}
