import { bytesToHex } from '@noble/hashes/utils';
import {
  commitmentDigest,
  drandChainName,
  firstRoundAtOrAfter,
  rfc3339,
  roundTime,
  verifyRound,
} from './beacon';
import { judgeProposal } from './pool';
import { ID_HASH_BYTES, idHash, PoolChain, POOL_DIGEST_ALGORITHM } from './pool-members';
import {
  decodePool,
  indexOfSerial,
  RECORD_FORMAT,
  type DrawRecordFile,
  type PoolEntries,
  type RecordDraw,
} from './record-format';
import {
  candidateSpaceDigest,
  MAX_TICKETS,
  ProposalStream,
  SELECTION_ALGORITHM,
  type CandidateSpace,
} from './selection';

// Checks a draw's record with nothing but the record: `lottery verify --record` and the record
// page run this same module (the page's copy is bundled into the file, and a reader who doubts it
// runs the CLI or the Python reference instead). No Node-only module here.

export interface RecordCheck {
  name: string;
  ok: boolean;
  warning?: boolean;
  detail: string;
}

export interface DrawVerdict {
  draw_id: string;
  prize: string | null;
  ok: boolean;
  checks: RecordCheck[];
}

export interface RecordVerdict {
  ok: boolean;
  /** The record as a whole: its format and the pool's digest. */
  checks: RecordCheck[];
  draws: DrawVerdict[];
}

const short = (hex: string) => `${String(hex).slice(0, 12)}…`;
const plural = (count: number, word: string) =>
  `${count} ${count === 1 ? word : word === 'person' ? 'people' : `${word}s`}`;
const isHex = (value: unknown, bytes: number) =>
  typeof value === 'string' && new RegExp(`^[0-9a-f]{${2 * bytes}}$`).test(value);

/** What the record says, decoded; undefined with the reason when it cannot be read. */
function readPool(record: DrawRecordFile): { entries: PoolEntries } | { problem: string } {
  try {
    if (record.pool.algorithm !== POOL_DIGEST_ALGORITHM)
      return { problem: `the pool's digest is ${String(record.pool.algorithm)}` };
    if (!isHex(record.pool.salt, 16)) return { problem: "the pool's salt is not 16 bytes of hex" };
    return { entries: decodePool(record.pool) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** The hash chain over the listed people, against the digest the pool claims. */
function checkPoolDigest(record: DrawRecordFile, entries: PoolEntries): RecordCheck {
  const chain = new PoolChain(record.pool.salt);
  try {
    entries.serials.forEach((serial, index) =>
      chain.add(
        serial,
        entries.hashes.subarray(index * ID_HASH_BYTES, (index + 1) * ID_HASH_BYTES),
        entries.tickets?.[index] ?? 1,
      ),
    );
  } catch (error) {
    return { name: 'pool', ok: false, detail: `the pool's list: ${(error as Error).message}` };
  }
  const made = chain.members();
  if (made.digest !== record.pool.digest || made.count !== record.pool.count)
    return {
      name: 'pool',
      ok: false,
      detail: `the ${plural(made.count, 'person')} listed give digest ${short(made.digest)}, but the pool's digest is ${short(record.pool.digest)} over ${record.pool.count}: someone was added, removed or moved`,
    };
  return {
    name: 'pool',
    ok: true,
    detail: `${plural(made.count, 'person')} in serial order reproduce the pool's digest ${short(made.digest)}`,
  };
}

/** The candidates of a draw, from the record's excluded serials (and the pool, for a list). */
function spaceOf(draw: RecordDraw, entries: PoolEntries): CandidateSpace {
  if (draw.candidates.mode === 'serial-space')
    return {
      mode: 'serial-space',
      serialSpace: draw.candidates.serial_space,
      excluded: draw.excluded,
    };
  const excluded = new Set(draw.excluded);
  return {
    mode: 'serial-list',
    serials: entries.serials.filter((serial) => !excluded.has(serial)),
  };
}

function checkCommitment(draw: RecordDraw): RecordCheck {
  const fail = (detail: string): RecordCheck => ({ name: 'commitment', ok: false, detail });
  const beacon = draw.beacon;
  if (!beacon)
    return fail('the draw was seeded by a beacon round, but the record holds no commitment');
  const { commitment } = beacon;
  const digest = commitmentDigest(commitment);
  if (digest !== beacon.commitment_digest)
    return fail(
      `the commitment's digest is ${short(digest)}, but the draw recorded ${short(beacon.commitment_digest)}: the commitment was changed`,
    );
  if (commitment.draw_id !== draw.draw_id)
    return fail(`the commitment is draw ${commitment.draw_id}'s`);
  if (commitment.winners !== draw.winners.length || commitment.prize !== draw.prize)
    return fail(
      `the commitment is for ${plural(commitment.winners, 'winner')} of ${JSON.stringify(commitment.prize)}, but the record has ${draw.winners.length} of ${JSON.stringify(draw.prize)}`,
    );
  if (commitment.pool.digest !== draw.candidates_digest)
    return fail(
      `the draw picked from candidates ${short(draw.candidates_digest)}, not the committed ${short(commitment.pool.digest)}`,
    );
  const members = commitment.pool.members;
  if (!members || members.digest !== draw.members.digest)
    return fail(
      `the commitment fixes pool ${members ? short(members.digest) : '(none)'}, not the record's ${short(draw.members.digest)}`,
    );
  if (commitment.pool.max_tickets !== draw.max_tickets)
    return fail(
      `the commitment says the largest ticket count is ${String(commitment.pool.max_tickets)}, the record ${draw.max_tickets}`,
    );
  if (!(commitment.margin_seconds > 0))
    return fail(
      `the commitment's margin is ${commitment.margin_seconds} s: its round may have existed`,
    );
  const committedAt = Date.parse(commitment.committed_at) / 1000;
  const first = firstRoundAtOrAfter(commitment.chain, committedAt + commitment.margin_seconds);
  if (commitment.round !== first)
    return fail(
      `round ${commitment.round} is not the first round ${commitment.margin_seconds} s after the commitment (${commitment.committed_at}): that is round ${first}`,
    );
  const due = rfc3339(roundTime(commitment.chain, commitment.round));
  if (commitment.round_time !== due)
    return fail(
      `the commitment says round ${commitment.round} is due ${commitment.round_time}, but the chain has it due ${due}`,
    );
  return {
    name: 'commitment',
    ok: true,
    detail: `digest ${short(digest)}, made ${commitment.committed_at}, ${commitment.margin_seconds} s or more before round ${commitment.round} (${due}); it fixes the pool, the candidates, the prize and ${plural(commitment.winners, 'winner')}`,
  };
}

function checkBeacon(draw: RecordDraw): RecordCheck {
  const fail = (detail: string): RecordCheck => ({ name: 'beacon', ok: false, detail });
  const beacon = draw.beacon;
  if (!beacon) return fail('there is no round to check');
  const { commitment, round } = beacon;
  if (round.round !== commitment.round)
    return fail(`the draw used round ${round.round}, but committed to round ${commitment.round}`);
  const verified = verifyRound(commitment.chain, round);
  if (!verified.ok) return fail(`round ${round.round}: ${verified.error}`);
  if (verified.randomness !== draw.seed)
    return fail(
      `round ${round.round}'s randomness is ${short(verified.randomness)}, but the draw used seed ${short(draw.seed)}`,
    );
  const chain = drandChainName(commitment.chain);
  return chain
    ? {
        name: 'beacon',
        ok: true,
        detail: `round ${round.round}'s BLS signature is valid for drand's ${chain} chain; the seed is its randomness`,
      }
    : {
        name: 'beacon',
        ok: true,
        warning: true,
        detail: `round ${round.round} is validly signed, but by chain ${short(commitment.chain.hash)}, not a drand chain this version knows`,
      };
}

function checkSeed(draw: RecordDraw): RecordCheck {
  if (!isHex(draw.seed, 32))
    return { name: 'seed', ok: false, detail: 'the seed is not 32 bytes of hexadecimal' };
  if (draw.seed_source === 'beacon')
    return {
      name: 'seed',
      ok: true,
      detail: `${short(draw.seed)}, a drand round's randomness (below)`,
    };
  return {
    name: 'seed',
    ok: true,
    warning: true,
    detail:
      draw.seed_source === 'caller'
        ? `${short(draw.seed)} was chosen by whoever started the draw: they could have chosen the outcome`
        : `${short(draw.seed)} came from the backend's random source: this record cannot show it was not chosen (a beacon draw can)`,
  };
}

/** Proposals a replay makes at most: far above any real draw's, a bound on a forged record. */
const MAX_PROPOSALS = 10_000_000;

/**
 * The draw replayed from its seed over the pool's list (src/core/selection.ts, steps 4 to 6):
 * the serials of its winners, in order.
 */
export function replayDraw(draw: RecordDraw, entries: PoolEntries): number[] | string {
  if (!(
    Number.isInteger(draw.max_tickets) &&
    draw.max_tickets >= 1 &&
    draw.max_tickets <= MAX_TICKETS
  ))
    return `the largest ticket count is ${String(draw.max_tickets)}: it must be from 1 to ${MAX_TICKETS}`;
  const space = spaceOf(draw, entries);
  const stream = new ProposalStream(space, draw.seed, draw.attempt, draw.max_tickets);
  const taken = new Set(draw.taken);
  const chosen = new Set<string>();
  const winners: number[] = [];
  const seen = new Set<number>();
  // People seen who could still be taken: once every candidate is seen and none is, the draw ends.
  let open = 0;
  for (let proposals = 0; winners.length < draw.winners.length; proposals++) {
    const proposal = stream.next();
    if (!proposal || proposals >= MAX_PROPOSALS || (seen.size >= stream.size && open === 0))
      return `the seed gives only ${plural(winners.length, 'winner')} from these candidates`;
    const index = indexOfSerial(entries.serials, proposal.serial);
    if (!seen.has(proposal.serial) && index >= 0 && !taken.has(proposal.serial)) open++;
    seen.add(proposal.serial);
    const person =
      index < 0
        ? undefined
        : { employee_id: String(index), tickets: entries.tickets?.[index] ?? 1 };
    if (person && person.tickets > draw.max_tickets)
      return `serial ${proposal.serial} has ${person.tickets} tickets, more than the draw's largest, ${draw.max_tickets}`;
    // Nobody holds no tickets: a forged record giving someone none would make the replay
    // propose them until MAX_PROPOSALS, never to accept them.
    if (person && !(Number.isInteger(person.tickets) && person.tickets >= 1))
      return `serial ${proposal.serial} has ${person.tickets} tickets: a count is a whole number from 1 to ${draw.max_tickets}`;
    const judged = judgeProposal(proposal, person, taken.has(proposal.serial), chosen);
    if (person && !judged.skipped) {
      chosen.add(person.employee_id);
      winners.push(proposal.serial);
      open--;
    }
  }
  return winners;
}

const hashAt = (entries: PoolEntries, index: number) =>
  bytesToHex(entries.hashes.subarray(index * ID_HASH_BYTES, (index + 1) * ID_HASH_BYTES));

function checkSelection(
  record: DrawRecordFile,
  draw: RecordDraw,
  entries: PoolEntries,
): RecordCheck[] {
  const space = spaceOf(draw, entries);
  const digest = candidateSpaceDigest(space);
  const candidates: RecordCheck =
    digest === draw.candidates_digest
      ? {
          name: 'candidates',
          ok: true,
          detail: `${space.mode === 'serial-space' ? `serials 1..${space.serialSpace}` : `the pool's ${entries.serials.length} serials`} less ${draw.excluded.length} who could not win (${draw.event_excluded.length} excluded from the event), digest ${short(digest)}`,
        }
      : {
          name: 'candidates',
          ok: false,
          detail: `the candidates listed have digest ${short(digest)}, but the draw recorded ${short(draw.candidates_digest)}`,
        };
  const members =
    draw.members.digest === record.pool.digest && draw.members.salt === record.pool.salt
      ? undefined
      : `the draw fixed pool ${short(draw.members.digest)}, but the record lists pool ${short(record.pool.digest)}`;
  if (members) return [candidates, { name: 'selection', ok: false, detail: members }];
  const replayed = replayDraw(draw, entries);
  if (typeof replayed === 'string')
    return [candidates, { name: 'selection', ok: false, detail: replayed }];
  const named = draw.winners.map((winner) => winner.lottery_serial);
  const firstDifference = replayed.findIndex((serial, index) => named[index] !== serial);
  if (firstDifference >= 0)
    return [
      candidates,
      {
        name: 'selection',
        ok: false,
        detail: `winner ${firstDifference + 1} of the seed is at serial ${replayed[firstDifference]}, but the record names ${draw.winners[firstDifference]?.employee_id ?? '?'} at serial ${named[firstDifference]}`,
      },
    ];
  const wrongName = draw.winners.find((winner) => {
    const index = indexOfSerial(entries.serials, winner.lottery_serial);
    return (
      index < 0 ||
      bytesToHex(idHash(record.pool.salt, winner.employee_id)) !== hashAt(entries, index)
    );
  });
  if (wrongName)
    return [
      candidates,
      {
        name: 'winners',
        ok: false,
        detail: `the record names ${wrongName.employee_id} at serial ${wrongName.lottery_serial}, but the pool's hash at that serial is someone else's`,
      },
    ];
  return [
    candidates,
    {
      name: 'selection',
      ok: true,
      detail: `the seed picks serials ${replayed.join(', ')} (attempt ${draw.attempt}), and each winner's id hashes to the pool's entry there`,
    },
  ];
}

/**
 * People passed over as taken must have been won by another draw of the record: otherwise the
 * record cannot show why they were skipped.
 */
function checkTaken(record: DrawRecordFile, draw: RecordDraw): RecordCheck | undefined {
  if (draw.taken.length === 0) return undefined;
  const wonElsewhere = new Set(
    record.draws
      .filter((other) => other.draw_id !== draw.draw_id)
      .flatMap((other) => other.winners.map((winner) => winner.lottery_serial)),
  );
  const unexplained = draw.taken.filter((serial) => !wonElsewhere.has(serial));
  return {
    name: 'taken',
    ok: true,
    warning: unexplained.length > 0,
    detail:
      unexplained.length > 0
        ? `${plural(unexplained.length, 'person')} passed over as taken by other draws not in this record (serials ${unexplained.join(', ')})`
        : `${plural(draw.taken.length, 'person')} passed over because other draws of this record won them first`,
  };
}

/** A replacement draw's forfeit: in the record, of a winner of the record, before it drew. */
function checkReplaces(record: DrawRecordFile, draw: RecordDraw): RecordCheck | undefined {
  const replaces = draw.replaces;
  if (!replaces) return undefined;
  const fail = (detail: string): RecordCheck => ({ name: 'forfeit', ok: false, detail });
  const forfeit = record.forfeits.find(
    (each) => each.draw_id === replaces.draw_id && each.employee_id === replaces.employee_id,
  );
  if (!forfeit)
    return fail(
      `the draw replaces ${replaces.employee_id} of ${replaces.draw_id}, but the record holds no such forfeit: it was removed`,
    );
  if (forfeit.replacement_draw_id !== draw.draw_id)
    return fail(
      `the forfeit of ${forfeit.employee_id} names ${forfeit.replacement_draw_id} as its replacement`,
    );
  if (!(forfeit.forfeited_at < draw.selected_at))
    return fail(
      `${forfeit.employee_id}'s forfeit is dated ${forfeit.forfeited_at}, not before this draw picked (${draw.selected_at})`,
    );
  const won = record.draws
    .find((other) => other.draw_id === forfeit.draw_id)
    ?.winners.find((winner) => winner.employee_id === forfeit.employee_id);
  if (!won)
    return fail(`${forfeit.employee_id} is not a winner of ${forfeit.draw_id} in this record`);
  if (!draw.excluded.includes(won.lottery_serial))
    return fail(
      `the replacement could draw ${forfeit.employee_id} again: serial ${won.lottery_serial} is not left out`,
    );
  return {
    name: 'forfeit',
    ok: true,
    detail: `replaces ${forfeit.employee_name} of ${forfeit.draw_id}, forfeited ${forfeit.forfeited_at}: ${forfeit.reason}`,
  };
}

/** Every forfeit names a winner of the record, and a replacement the record holds. */
function checkForfeits(record: DrawRecordFile): RecordCheck[] {
  return record.forfeits.map((forfeit) => {
    const name = 'forfeits';
    const won = record.draws
      .find((draw) => draw.draw_id === forfeit.draw_id)
      ?.winners.some((winner) => winner.employee_id === forfeit.employee_id);
    if (!won)
      return {
        name,
        ok: false,
        detail: `${forfeit.employee_id} forfeited a win of ${forfeit.draw_id} that the record does not hold`,
      };
    const replacement = record.draws.find((draw) => draw.draw_id === forfeit.replacement_draw_id);
    return replacement
      ? {
          name,
          ok: true,
          detail: `${forfeit.employee_name} (${forfeit.draw_id}), ${forfeit.reason}: replaced by ${replacement.draw_id}`,
        }
      : {
          name,
          ok: true,
          warning: true,
          detail: `${forfeit.employee_name} (${forfeit.draw_id}), ${forfeit.reason}: the replacement ${forfeit.replacement_draw_id} is not in this record`,
        };
  });
}

function verifyOne(record: DrawRecordFile, draw: RecordDraw, entries: PoolEntries): DrawVerdict {
  const checks: RecordCheck[] = [];
  if (draw.algorithm !== SELECTION_ALGORITHM)
    checks.push({
      name: 'algorithm',
      ok: false,
      detail: `the draw used ${draw.algorithm}; records check ${SELECTION_ALGORITHM}`,
    });
  else {
    checks.push(checkSeed(draw));
    if (draw.seed_source === 'beacon' || draw.beacon)
      checks.push(checkCommitment(draw), checkBeacon(draw));
    checks.push(...checkSelection(record, draw, entries));
    const taken = checkTaken(record, draw);
    if (taken) checks.push(taken);
    const replaces = checkReplaces(record, draw);
    if (replaces) checks.push(replaces);
  }
  return {
    draw_id: draw.draw_id,
    prize: draw.prize,
    ok: checks.every((check) => check.ok),
    checks,
  };
}

function guarded(draw: RecordDraw, run: () => DrawVerdict): DrawVerdict {
  try {
    return run();
  } catch (error) {
    return {
      draw_id: String(draw?.draw_id),
      prize: draw?.prize ?? null,
      ok: false,
      checks: [
        {
          name: 'record',
          ok: false,
          detail: `the draw cannot be read: ${(error as Error).message}`,
        },
      ],
    };
  }
}

/** Every check a record allows, with nothing but the record. Never throws. */
export function verifyRecord(record: DrawRecordFile): RecordVerdict {
  const refuse = (detail: string): RecordVerdict => ({
    ok: false,
    checks: [{ name: 'record', ok: false, detail }],
    draws: [],
  });
  if (typeof record !== 'object' || record === null || record.format !== RECORD_FORMAT)
    return refuse(`this is not a ${RECORD_FORMAT} record`);
  if (!Array.isArray(record.draws) || !Array.isArray(record.forfeits) || !record.pool)
    return refuse('the record has no pool, draws or forfeits');
  const pool = readPool(record);
  if ('problem' in pool) return refuse(`the pool cannot be read: ${pool.problem}`);
  let checks: RecordCheck[];
  try {
    checks = [checkPoolDigest(record, pool.entries), ...checkForfeits(record)];
  } catch (error) {
    return refuse(`the record cannot be read: ${(error as Error).message}`);
  }
  const draws = record.draws.map((draw) =>
    guarded(draw, () => verifyOne(record, draw, pool.entries)),
  );
  return {
    ok: checks.every((check) => check.ok) && draws.length > 0 && draws.every((draw) => draw.ok),
    checks,
    draws,
  };
}

/** What the record says of one person, by their employee id: the page's id box. */
export interface PersonAnswer {
  inPool: boolean;
  serial?: number;
  tickets?: number;
  draws: { draw_id: string; prize: string | null; status: PersonStatus }[];
}

export type PersonStatus = 'won' | 'forfeited' | 'excluded' | 'could not win' | 'entered';

export function lookUpPerson(record: DrawRecordFile, employeeId: string): PersonAnswer {
  const entries = decodePool(record.pool);
  const wanted = bytesToHex(idHash(record.pool.salt, employeeId.trim()));
  let index = -1;
  for (let i = 0; i < entries.serials.length && index < 0; i++)
    if (hashAt(entries, i) === wanted) index = i;
  if (index < 0) return { inPool: false, draws: [] };
  const serial = entries.serials[index] as number;
  const status = (draw: RecordDraw): PersonStatus => {
    const won = draw.winners.some((winner) => winner.lottery_serial === serial);
    const forfeited = record.forfeits.some(
      (forfeit) =>
        forfeit.draw_id === draw.draw_id && won && forfeit.employee_id === employeeId.trim(),
    );
    if (forfeited) return 'forfeited';
    if (won) return 'won';
    if (draw.event_excluded.includes(serial)) return 'excluded';
    if (draw.excluded.includes(serial)) return 'could not win';
    return 'entered';
  };
  return {
    inPool: true,
    serial,
    tickets: entries.tickets?.[index] ?? 1,
    draws: record.draws.map((draw) => ({
      draw_id: draw.draw_id,
      prize: draw.prize,
      status: status(draw),
    })),
  };
}
