import { recordDigest, type SelectionRecord } from './audit';
import { loadCandidateSpace } from './candidates';
import {
  commitmentDigest,
  drandChainName,
  firstRoundAtOrAfter,
  rfc3339,
  roundTime,
  verifyRound,
  type BeaconCommitment,
} from './beacon';
import { winnersCountSchema, type DrawResult, type WinnerDetail } from './draw';
import type { Employee } from './employees';
import { checkExclusions, checkForfeits, type ForfeitEvidence } from './event-checks';
import type { KeptVersion } from './exclusions';
import { check, isObject } from './parse';
import {
  hasWon,
  judgeProposal,
  type Candidate,
  type CandidateSkip,
  type WinnerClaim,
} from './pool';
import {
  CandidateOrder,
  candidateSpaceDigest,
  compareIds,
  MAX_TICKETS,
  ProposalStream,
  SELECTION_ALGORITHM,
  SHUFFLE_ALGORITHM,
  type CandidateSpace,
  type Proposal,
} from './selection';
import { oneOrMany, plural } from './plural';

// Re-checks a past draw from its audit record (written when it drew, kept in Lottery-Draws), its
// execution (what it was asked and what it returned) and the tables as they are now. The
// procedure is docs/fairness.md's, done by the machine.

export type VerifyCheckName =
  | 'algorithm'
  | 'record'
  | 'seed'
  | 'commitment'
  | 'beacon'
  | 'pool'
  | 'selection'
  | 'people'
  | 'exclusions'
  | 'forfeits'
  | 'records';

export interface VerifyCheck {
  name: VerifyCheckName;
  ok: boolean;
  /** A caution that does not make the draw wrong, such as a seed chosen by the caller. */
  warning?: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  checks: VerifyCheck[];
  /** The candidates as the record defines them, for checking by hand. */
  space?: CandidateSpace;
  /** The winners recomputed from the seed and the candidates, when those could be read. */
  recomputed?: string[];
}

export interface VerifyEvidence extends Omit<ForfeitEvidence, 'input'> {
  /** The execution's input, as Step Functions kept it: says whether the caller chose the seed. */
  input: string;
  /**
   * Every version of the exclusions the backend keeps, with the list of the one the draw used;
   * undefined when not read.
   */
  exclusions?: readonly KeptVersion[];
  result: DrawResult;
  /** The audit records of the draw's attempts. */
  records: ReadonlyMap<number, SelectionRecord>;
  /** The draw's rows in the winners table now. */
  rows: readonly (WinnerClaim & { employee_name?: string; prize?: string | null })[];
  /** When `lottery reset` ran, and the draws whose winners it removed. */
  resets: readonly { at: string; draws: readonly string[] }[];
  /** Who has each candidate's serial now. */
  peopleBySerial: ReadonlyMap<number, Employee>;
  /** The winners' employee records now, by id; a winner who is gone is missing. */
  winnersNow: ReadonlyMap<string, Employee>;
  /** The version of the pool statistics now. */
  statsVersion: number | undefined;
  /** A beacon draw's commitment, as the draws table keeps it. */
  commitment?: BeaconCommitment;
  /**
   * When Step Functions recorded Commit Draw's end (its own clock, not the backend's); unknown once
   * the history has expired.
   */
  commitmentSeenAt?: Date;
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const ids = (people: readonly { employee_id: string }[]) =>
  people.map((person) => person.employee_id);
const list = (values: readonly string[]) => (values.length === 0 ? 'nobody' : values.join(', '));
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * The seed the caller gave in the execution input, if any, and whether a beacon was asked for:
 * where the seed came from is read here, not taken on trust.
 */
function requestedSeed(input: string): { seed?: string; beacon?: boolean; readable: boolean } {
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed !== 'object' || parsed === null) return { readable: false };
    const { seed, beacon } = parsed as { seed?: unknown; beacon?: unknown };
    return {
      seed: typeof seed === 'string' ? seed.trim().toLowerCase() : undefined,
      beacon: beacon === true,
      readable: true,
    };
  } catch {
    return { readable: false };
  }
}

function checkSeed(evidence: VerifyEvidence, record: SelectionRecord): VerifyCheck {
  const { audit } = evidence.result;
  const requested = requestedSeed(evidence.input);
  if (!requested.readable)
    return {
      name: 'seed',
      ok: false,
      detail: 'the execution input is not a JSON object: where the seed came from cannot be told',
    };
  if (record.seed !== audit.seed)
    return {
      name: 'seed',
      ok: false,
      detail: `the draw returned seed ${short(audit.seed)} but its audit record says ${short(record.seed)}`,
    };
  const source = requested.beacon
    ? 'beacon'
    : requested.seed !== undefined
      ? 'caller'
      : 'generated';
  const claimed = [audit.seed_source, record.seed_source].filter((claim) => claim !== source);
  if (claimed.length > 0) {
    return {
      name: 'seed',
      ok: false,
      detail:
        source === 'caller'
          ? `the draw was started with a seed of the caller's choosing, but its records say the seed was ${claimed[0]}`
          : source === 'beacon'
            ? `the draw was started as a beacon draw, but its records say the seed was ${claimed[0]}`
            : claimed[0] === 'caller'
              ? `the records say the caller chose the seed, but the draw was started without one`
              : `the records say the seed came from a beacon round, but the draw was started without a beacon`,
    };
  }
  if (source === 'beacon') {
    if (!record.beacon)
      return {
        name: 'seed',
        ok: false,
        detail:
          'the records say the seed came from a beacon round, but the audit record holds no round',
      };
    return {
      name: 'seed',
      ok: true,
      detail: `${short(record.seed)}, the randomness of drand round ${record.beacon.round} (checked below)`,
    };
  }
  if (source === 'caller') {
    if (requested.seed !== record.seed)
      return {
        name: 'seed',
        ok: false,
        detail: `the draw was started with seed ${short(requested.seed ?? '')}, but drew with ${short(record.seed)}`,
      };
    return {
      name: 'seed',
      ok: true,
      warning: true,
      detail:
        `${short(record.seed)} was chosen by whoever started the draw, not by the workflow: ` +
        'they could have chosen the outcome',
    };
  }
  return {
    name: 'seed',
    ok: true,
    detail: `${short(record.seed)}, drawn by the workflow from the system's secure random source`,
  };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * A beacon draw's commitment: intact, made for this draw, naming the round that is the first at
 * least its margin after it, and binding the candidates, the prize and the count the draw used.
 */
function checkCommitment(
  evidence: VerifyEvidence,
  record: SelectionRecord,
  commitment: BeaconCommitment | undefined,
): VerifyCheck {
  const fail = (detail: string): VerifyCheck => ({ name: 'commitment', ok: false, detail });
  if (!commitment)
    return fail(
      'the draw was seeded by a beacon round, but the draws table holds no commitment for it',
    );
  const problem =
    commitmentMismatch(evidence, record, commitment) ?? commitmentTooLate(evidence, commitment);
  if (problem) return fail(problem);
  const committedAt = Date.parse(commitment.committed_at);
  const dueAt = roundTime(commitment.chain, commitment.round) * 1000;
  const seenAt = evidence.commitmentSeenAt?.getTime();
  const taken = record.candidates.filter((candidate) => candidate.skipped === 'taken').length;
  const prize = commitment.prize ? ` of ${commitment.prize}` : '';
  const what =
    `binds candidates ${short(commitment.pool.digest)}, ` +
    `${plural(commitment.winners, 'winner')}${prize} and round ${commitment.round}`;
  if (seenAt === undefined) {
    return {
      name: 'commitment',
      ok: true,
      warning: true,
      detail:
        `made ${commitment.committed_at} by the backend's clock, ` +
        `${seconds(dueAt - committedAt)} before the round; ` +
        `the execution history that would confirm the time is gone; ${what}`,
    };
  }
  const skipped =
    taken > 0
      ? `; ${plural(taken, 'committed candidate')} ${oneOrMany(taken, 'was', 'were')} ` +
        'drawn by other draws before this one picked, and skipped'
      : '';
  return {
    name: 'commitment',
    ok: true,
    warning: taken > 0,
    detail:
      `recorded by Step Functions ${seconds(dueAt - seenAt)} before round ${commitment.round} ` +
      `was due; ${what}${skipped}`,
  };
}

/** The commitment against the draw: the same digest, draw, count, prize and candidates. */
function commitmentMismatch(
  evidence: VerifyEvidence,
  record: SelectionRecord,
  commitment: BeaconCommitment,
): string | undefined {
  const { result } = evidence;
  const digest = commitmentDigest(commitment);
  const claimed = [record.beacon?.commitment_digest, result.audit.beacon?.commitment_digest];
  const changed = claimed.find((each) => each !== digest);
  if (claimed.some((each) => each !== digest))
    return (
      `the commitment's digest is ${short(digest)}, but the draw recorded ${short(changed ?? '')}` +
      ': one of them was changed'
    );
  if (commitment.draw_id !== result.draw_id)
    return `the commitment is draw ${commitment.draw_id}'s`;
  if (commitment.winners !== result.winners.length || commitment.prize !== result.prize) {
    return (
      `the commitment is for ${commitment.winners} winner(s) of ${JSON.stringify(commitment.prize)}, ` +
      `but the draw gave ${result.winners.length} of ${JSON.stringify(result.prize)}`
    );
  }
  const { pool } = commitment;
  if (pool.digest !== record.pool.digest || pool.stats_version !== record.pool.stats_version) {
    return (
      `the draw picked from candidates ${short(record.pool.digest)} ` +
      `(statistics version ${record.pool.stats_version}), ` +
      `not the committed ${short(pool.digest)} (version ${pool.stats_version})`
    );
  }
  return undefined;
}

/**
 * The commitment's round against its time: at least its margin after it, the first such, due when
 * it says, and the commitment seen by Step Functions before it was due.
 */
function commitmentTooLate(
  evidence: VerifyEvidence,
  commitment: BeaconCommitment,
): string | undefined {
  const { round, committed_at: committedAt, margin_seconds: margin } = commitment;
  const dueAt = roundTime(commitment.chain, round) * 1000;
  const firstAllowed = firstRoundAtOrAfter(
    commitment.chain,
    Date.parse(committedAt) / 1000 + margin,
  );
  if (!(margin > 0))
    return (
      `the commitment's margin is ${margin} s: round ${round} may have existed ` +
      `when it was made (${committedAt})`
    );
  if (round !== firstAllowed)
    return (
      `round ${round} is not the first round ${margin} s after the commitment (${committedAt}): ` +
      `that is round ${firstAllowed}`
    );
  if (commitment.round_time !== rfc3339(dueAt / 1000))
    return (
      `the commitment says round ${round} is due ${commitment.round_time}, ` +
      `but the chain has it due ${rfc3339(dueAt / 1000)}`
    );
  const seenAt = evidence.commitmentSeenAt?.getTime();
  if (seenAt !== undefined && seenAt >= dueAt)
    return (
      `Step Functions recorded the commitment at ${new Date(seenAt).toISOString()}, ` +
      `after round ${round} was due (${commitment.round_time})`
    );
  return undefined;
}

/**
 * A beacon draw's round: the committed one, signed by the chain, and its randomness is the seed.
 */
function checkBeaconRound(
  record: SelectionRecord,
  commitment: BeaconCommitment | undefined,
): VerifyCheck {
  const fail = (detail: string): VerifyCheck => ({ name: 'beacon', ok: false, detail });
  const round = record.beacon;
  if (!round || !commitment) return fail('there is no committed round to check');
  if (round.round !== commitment.round || round.chain !== commitment.chain.hash)
    return fail(
      `the draw used round ${round.round} of chain ${short(round.chain)}, ` +
        `but committed to round ${commitment.round} of ${short(commitment.chain.hash)}`,
    );
  const verified = verifyRound(commitment.chain, round);
  if (!verified.ok) return fail(`round ${round.round}: ${verified.error}`);
  if (verified.randomness !== record.seed)
    return fail(
      `round ${round.round}'s randomness is ${short(verified.randomness)}, ` +
        `but the draw used seed ${short(record.seed)}`,
    );
  const name = drandChainName(commitment.chain);
  if (!name) {
    return {
      name: 'beacon',
      ok: true,
      warning: true,
      detail:
        `round ${round.round} is validly signed, but by chain ${short(commitment.chain.hash)}, ` +
        'which is not a drand chain this version knows: whoever holds its key could sign any round',
    };
  }
  return {
    name: 'beacon',
    ok: true,
    detail:
      `round ${round.round}'s BLS signature is valid for drand's ${name} chain; ` +
      'the seed is its randomness (SHA-256 of the signature)',
  };
}

/**
 * How many winners the execution asked for: a record cut short after one of its winners is
 * otherwise a whole draw. Undefined when the input does not say (another tool may have started it).
 */
function askedCount(input: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return undefined;
  }
  const asked = isObject(parsed) ? check(winnersCountSchema, parsed.input) : undefined;
  return asked?.ok ? asked.value : undefined;
}

/** v2: the serials the seed's shuffle gives, against those the record says it looked at. */
function replayShuffle(record: SelectionRecord, space: CandidateSpace): string | undefined {
  const serials = new CandidateOrder(space, record.seed, record.attempt).take(
    record.candidates.length,
  );
  const recorded = record.candidates.map((candidate) => candidate.serial);
  const firstDifference = recorded.findIndex((serial, index) => serials[index] !== serial);
  if (firstDifference < 0 && serials.length === recorded.length) return undefined;
  const at = firstDifference >= 0 ? firstDifference : serials.length;
  return `candidate ${at + 1} of the seed is serial ${serials[at] ?? '(none: the candidates ran out)'}, but the record says serial ${recorded[at]}`;
}

const OUTCOMES: Record<CandidateSkip | 'won', string> = {
  won: 'a win',
  hole: 'an unused serial',
  taken: 'someone taken by another draw',
  repeat: 'someone this draw had taken already',
  rejected: 'a ticket number not below their tickets',
};
const outcome = (candidate: Candidate) => OUTCOMES[candidate.skipped ?? 'won'];
const proposalText = (proposal: Proposal | undefined) =>
  proposal
    ? `serial ${proposal.serial} with ticket number ${proposal.ticket}`
    : '(none: there are no candidates)';

/**
 * v3: the proposals the seed gives, against those the record lists, and what the rule makes of
 * each (step 5 of src/core/selection.ts) given who the record says had each serial and their
 * tickets.
 */
function replayProposals(record: SelectionRecord, space: CandidateSpace): string | undefined {
  const maxTickets = record.pool.max_tickets ?? 0;
  if (!Number.isInteger(maxTickets) || maxTickets < 1 || maxTickets > MAX_TICKETS)
    return `the record's largest ticket count is ${String(record.pool.max_tickets)}: it must be a whole number from 1 to ${MAX_TICKETS}`;
  const stream = new ProposalStream(space, record.seed, record.attempt, maxTickets);
  const chosen = new Set<string>();
  for (const [index, candidate] of record.candidates.entries()) {
    const proposal = stream.next();
    if (proposal?.serial !== candidate.serial || proposal.ticket !== candidate.ticket)
      return `proposal ${index + 1} of the seed is ${proposalText(proposal)}, but the record says ${proposalText(candidate as Proposal)}`;
    const { employee_id: id, tickets } = candidate;
    if (
      tickets !== undefined &&
      !(Number.isInteger(tickets) && tickets >= 1 && tickets <= maxTickets)
    )
      return `${id ?? '?'} had ${tickets} tickets in proposal ${index + 1}: a count from 1 to the draw's largest, ${maxTickets}, is the rule, so their chance was not their share`;
    const person = id === undefined ? undefined : { employee_id: id, tickets };
    const judged = judgeProposal(proposal, person, candidate.skipped === 'taken', chosen);
    if (judged.skipped !== candidate.skipped)
      return `proposal ${index + 1} (${proposalText(proposal)}: ${id ?? 'nobody'}${tickets === undefined ? '' : `, ${tickets} ticket${tickets === 1 ? '' : 's'}`}) is ${outcome(judged)} by the rule, but the record says ${outcome(candidate)}`;
    if (id !== undefined && !judged.skipped) chosen.add(id);
  }
  return undefined;
}

const SKIPPED_WORDS: Record<CandidateSkip, [string, string]> = {
  hole: ['unused serial', 'unused serials'],
  taken: ['already taken', 'already taken'],
  repeat: ['proposed again', 'proposed again'],
  rejected: [
    'whose ticket number was not below their tickets',
    'whose ticket numbers were not below their tickets',
  ],
};

/** What a draw passed over on the way to its winners, in words. */
function skippedText(record: SelectionRecord): string {
  const parts = (Object.keys(SKIPPED_WORDS) as CandidateSkip[]).flatMap((kind) => {
    const count = record.candidates.filter((candidate) => candidate.skipped === kind).length;
    const [one, many] = SKIPPED_WORDS[kind];
    return count > 0 ? [`${count} ${count === 1 ? one : many}`] : [];
  });
  if (parts.length === 0) return '';
  const verb = record.algorithm === SHUFFLE_ALGORITHM ? 'skipping' : 'passing over';
  const joined =
    parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return `, after ${verb} ${joined}`;
}

/**
 * The candidates the seed gives, compared with what the record says it looked at and what the draw
 * was asked for.
 */
function checkSelection(
  record: SelectionRecord,
  space: CandidateSpace,
  drawn: readonly WinnerDetail[],
  asked: number | undefined,
): { check: VerifyCheck; recomputed: string[] } {
  const recomputed = record.candidates
    .filter((candidate) => !candidate.skipped)
    .map((candidate) => candidate.employee_id ?? '?');
  const fail = (detail: string) => ({
    check: { name: 'selection' as const, ok: false, detail },
    recomputed,
  });
  const replayed =
    record.algorithm === SHUFFLE_ALGORITHM
      ? replayShuffle(record, space)
      : replayProposals(record, space);
  if (replayed !== undefined) return fail(replayed);
  const last = record.candidates.at(-1);
  if (last?.skipped)
    return fail(`the record goes on past its last winner, to serial ${last.serial}`);
  if (!sameList(recomputed, ids(record.winners)))
    return fail(
      `the candidates give ${list(recomputed)}, but the record says ${list(ids(record.winners))} won`,
    );
  if (!sameList(recomputed, ids(drawn)))
    return fail(
      `the seed and the candidates give ${list(recomputed)} (attempt ${record.attempt}), ` +
        `but the draw says ${list(ids(drawn))}`,
    );
  if (asked !== undefined && recomputed.length !== asked)
    return fail(
      `the draw was asked for ${plural(asked, 'winner')}, but its record has ${recomputed.length}: ${list(recomputed)}`,
    );
  return {
    check: {
      name: 'selection',
      ok: true,
      detail: `seed and candidates give ${list(recomputed)} (attempt ${record.attempt})${skippedText(record)}, as drawn`,
    },
    recomputed,
  };
}

/**
 * What each candidate was when the draw looked, against who has its serial now and what the records
 * call the winners.
 */
function checkPeople(evidence: VerifyEvidence, record: SelectionRecord): VerifyCheck {
  const problems: string[] = [];
  const changes: string[] = [];
  const reseeded =
    record.pool.stats_version === null || record.pool.stats_version !== evidence.statsVersion;
  const describe = (candidate: Candidate) =>
    candidate.employee_id === undefined ? 'nobody' : candidate.employee_id;
  for (const candidate of record.candidates) {
    const person = evidence.peopleBySerial.get(candidate.serial);
    const now = person?.employee_id;
    const change =
      now !== candidate.employee_id
        ? `serial ${candidate.serial} was ${describe(candidate)}'s at the draw and is ${now ?? 'nobody'}'s now`
        : candidate.tickets !== undefined && (person?.tickets ?? 1) !== candidate.tickets
          ? `${now ?? '?'} had ${candidate.tickets} ticket${candidate.tickets === 1 ? '' : 's'} at the draw and has ${person?.tickets ?? 1} now`
          : undefined;
    if (change !== undefined) (reseeded ? changes : problems).push(change);
  }
  for (const winner of record.winners) {
    const names = new Map<string, string>([['the audit record', winner.employee_name]]);
    const returned = evidence.result.winners.find(
      (drawn) => drawn.employee_id === winner.employee_id,
    )?.employee_name;
    if (returned !== undefined) names.set("the draw's output", returned);
    const row = evidence.rows.find(
      (each) => each.employee_id === winner.employee_id,
    )?.employee_name;
    if (row !== undefined) names.set('the winners table', row);
    const current = evidence.winnersNow.get(winner.employee_id)?.employee_name;
    if (current !== undefined) names.set('the employee table', current);
    const distinct = new Set(names.values());
    if (distinct.size > 1) {
      const named = [...names].map(([where, name]) => `${JSON.stringify(name)} in ${where}`);
      problems.push(`${winner.employee_id} is named ${named.join(', ')}`);
    }
  }
  const once = (lines: readonly string[]) => [...new Set(lines)].join('; ');
  if (problems.length > 0) return { name: 'people', ok: false, detail: once(problems) };
  if (changes.length > 0)
    return {
      name: 'people',
      ok: true,
      warning: true,
      detail: `the pool was loaded again since the draw: ${once(changes)}`,
    };
  const serials = new Set(record.candidates.map((candidate) => candidate.serial)).size;
  const tickets = record.algorithm === SHUFFLE_ALGORITHM ? '' : ', their tickets';
  return {
    name: 'people',
    ok: true,
    detail: `the ${plural(serials, 'candidate serial')}${tickets} and the winners' names are as the draw saw them`,
  };
}

/**
 * This draw's winners who forfeited: a forfeit recorded in the backend accounts for its row being
 * marked forfeited (or taken over by a later win, once eligible again); a row marked forfeited
 * without a forfeit is an edit, and a forfeit whose row still says won is a redraw left unfinished.
 */
function forfeitedWinners(evidence: VerifyEvidence): {
  forfeited: string[];
  problems: string[];
  unfinished: string[];
} {
  const forfeited = (evidence.forfeits ?? [])
    .filter((forfeit) => forfeit.draw_id === evidence.result.draw_id)
    .map((forfeit) => forfeit.employee_id);
  const marked = evidence.rows
    .filter((row) => row.status === 'forfeited')
    .map((row) => row.employee_id);
  const won = evidence.rows.filter(hasWon).map((row) => row.employee_id);
  const unmarked = marked.filter((id) => !forfeited.includes(id));
  return {
    forfeited,
    problems:
      unmarked.length > 0
        ? [`marked forfeited in the winners table, but no forfeit is recorded: ${list(unmarked)}`]
        : [],
    unfinished: won.filter((id) => forfeited.includes(id)),
  };
}

/**
 * What a winner's row says against what the draw recorded: its prize, and its serial, which draws
 * exclude past winners by. A serial may have moved with a later seed, to the one the person has
 * now; any other is an edit, and takes someone else out of later draws.
 */
function rowDifferences(evidence: VerifyEvidence): string[] {
  const { result } = evidence;
  const differences: string[] = [];
  const named = (prize: string | null | undefined) => (prize == null ? 'no prize' : prize);
  for (const row of evidence.rows.filter(hasWon)) {
    const drawn = result.winners.find((winner) => winner.employee_id === row.employee_id);
    if (!drawn) continue;
    const id = row.employee_id;
    if ((row.prize ?? null) !== result.prize)
      differences.push(
        `${id} is recorded for ${named(row.prize)}, but the draw was of ${named(result.prize)}`,
      );
    const now = evidence.winnersNow.get(id)?.lottery_serial;
    const serial = row.lottery_serial;
    if (serial !== undefined && serial !== drawn.lottery_serial && serial !== now)
      differences.push(
        `the winners table gives ${id} serial ${serial}, but the draw picked serial ${drawn.lottery_serial}${now !== undefined && now !== drawn.lottery_serial ? ` and the employee table has ${now}` : ''}`,
      );
  }
  return differences;
}

function checkRecords(evidence: VerifyEvidence): VerifyCheck {
  const { result } = evidence;
  const won = evidence.rows.filter(hasWon).map((row) => row.employee_id);
  const drawnIds = ids(result.winners);
  const gone = forfeitedWinners(evidence);
  const notRecorded = drawnIds.filter((id) => !won.includes(id) && !gone.forfeited.includes(id));
  const notDrawn = won.filter((id) => !drawnIds.includes(id));
  const differences = rowDifferences(evidence);
  const problems = [...gone.problems, ...differences];
  if (notRecorded.length === 0 && notDrawn.length === 0 && problems.length === 0) {
    const kept = won.filter((id) => !gone.forfeited.includes(id)).length;
    const forfeited =
      gone.forfeited.length > 0 ? `, and ${list(gone.forfeited)} who forfeited` : '';
    const unfinished =
      gone.unfinished.length > 0
        ? `; the forfeit of ${list(gone.unfinished)} is recorded but the table still shows them as winners: run the same \`lottery redraw\` again to finish it`
        : '';
    return {
      name: 'records',
      ok: true,
      ...(unfinished ? { warning: true } : {}),
      detail: `the winners table holds exactly these ${plural(kept, 'winner')} for this draw, with its prize and their serials${forfeited}${unfinished}`,
    };
  }
  const reset = evidence.resets.find(
    (entry) => entry.at >= result.recorded_at && entry.draws.includes(result.draw_id),
  );
  if (reset && notDrawn.length === 0 && problems.length === 0) {
    return {
      name: 'records',
      ok: true,
      warning: true,
      detail: `\`lottery reset\` removed this draw's winners from the winners table at ${reset.at}`,
    };
  }
  return {
    name: 'records',
    ok: false,
    detail: [
      notDrawn.length > 0
        ? `recorded as winners of this draw but not drawn: ${list(notDrawn)}`
        : '',
      notRecorded.length > 0 ? `drawn but not recorded: ${list(notRecorded)}` : '',
      ...problems,
    ]
      .filter(Boolean)
      .join('; '),
  };
}

export function verifyDraw(evidence: VerifyEvidence): Verification {
  const { result } = evidence;
  const { audit } = result;
  const checks: VerifyCheck[] = [];
  const done = (extra: Omit<Verification, 'ok' | 'checks'> = {}): Verification => ({
    ok: checks.every((check) => check.ok),
    checks,
    ...extra,
  });

  const record = evidence.records.get(audit.attempt);
  if (!record) {
    checks.push({
      name: 'record',
      ok: false,
      detail: `the draws table has no audit record of attempt ${audit.attempt} of this draw`,
    });
    return done();
  }
  const algorithm = [audit.pool.algorithm, record.algorithm].find(
    (used) => used !== SELECTION_ALGORITHM && used !== SHUFFLE_ALGORITHM,
  );
  if (algorithm !== undefined || audit.pool.algorithm !== record.algorithm) {
    checks.push({
      name: 'algorithm',
      ok: false,
      detail:
        algorithm !== undefined
          ? `the draw used ${algorithm}; this version checks ${SELECTION_ALGORITHM} and ${SHUFFLE_ALGORITHM}`
          : `the draw's output says ${audit.pool.algorithm}, but its audit record says ${record.algorithm}`,
    });
    return done();
  }
  checks.push(checkRecord(result, record), checkSeed(evidence, record));
  if (record.seed_source === 'beacon' || evidence.commitment || audit.beacon) {
    checks.push(
      checkCommitment(evidence, record, evidence.commitment),
      checkBeaconRound(record, evidence.commitment),
    );
  }
  const pool = checkPool(result, record);
  checks.push(pool.check);
  if (!pool.space) return done();
  const selection = checkSelection(record, pool.space, result.winners, askedCount(evidence.input));
  checks.push(selection.check, checkPeople(evidence, record));
  const excluded = checkExclusions(record, pool.space, evidence.exclusions);
  if (excluded) checks.push({ name: 'exclusions', ...excluded });
  const forfeits = checkForfeits(record, pool.space, evidence);
  if (forfeits) checks.push({ name: 'forfeits', ...forfeits });
  checks.push(checkRecords(evidence));
  return done({ space: pool.space, recomputed: selection.recomputed });
}

/** The audit record is the one the draw returned: the same digest, of this draw. */
function checkRecord(result: DrawResult, record: SelectionRecord): VerifyCheck {
  const digest = recordDigest(record);
  if (digest !== result.audit.record_digest)
    return {
      name: 'record',
      ok: false,
      detail:
        `the audit record's digest is ${short(digest)}, ` +
        `but the draw returned ${short(result.audit.record_digest)}: one of them was changed`,
    };
  if (record.draw_id !== result.draw_id)
    return {
      name: 'record',
      ok: false,
      detail: `the audit record is of draw ${record.draw_id}, not of ${result.draw_id}`,
    };
  return {
    name: 'record',
    ok: true,
    detail: `audit record of attempt ${record.attempt}, digest ${short(digest)} as the draw returned it`,
  };
}

/** The candidates the record defines, read, and their digest the one the draw returned. */
function checkPool(
  result: DrawResult,
  record: SelectionRecord,
): { check: VerifyCheck; space?: CandidateSpace } {
  let space: CandidateSpace;
  try {
    space = loadCandidateSpace(record.pool.candidates);
  } catch (error) {
    const detail = `the audit record's candidates cannot be read: ${(error as Error).message}`;
    return { check: { name: 'pool', ok: false, detail } };
  }
  const digest = candidateSpaceDigest(space);
  const reason = record.pool.list_reason ? ` (${record.pool.list_reason})` : '';
  const leftOut =
    record.algorithm === SHUFFLE_ALGORITHM
      ? 'taken'
      : 'left out (won, held, forfeited or excluded)';
  const described =
    space.mode === 'serial-space'
      ? `serials 1..${space.serialSpace} less ${space.excluded.length} ${leftOut}`
      : `the ${space.serials.length} serials in use that were not taken${reason}`;
  if (digest === record.pool.digest && digest === result.audit.pool.digest) {
    const { eligible, total } = record.pool;
    const detail = `${eligible} of ${total} eligible; candidates ${described}, digest ${short(digest)}`;
    return { check: { name: 'pool', ok: true, detail }, space };
  }
  const detail =
    `the candidates recorded (${described}) have digest ${short(digest)}, ` +
    `but the draw recorded ${short(result.audit.pool.digest)}`;
  return { check: { name: 'pool', ok: false, detail }, space };
}

/** What is known of a draw that did not succeed: its rows now, and the wins taken back since. */
export interface UnsucceededEvidence {
  drawId: string;
  /** FAILED, ABORTED, TIMED_OUT, or RUNNING for one that has not ended. */
  status: string;
  rows: readonly WinnerClaim[];
  rollbacks: readonly { at: string; by: string; removed: readonly string[] }[];
}

export interface UnsucceededVerdict {
  /** People the winners table still has as this draw's winners: none of them won. */
  recorded: string[];
  /** People it still holds. */
  held: string[];
  /** Wins taken back after the draw ended, and when and by whom. */
  takenBack: { at: string; by: string; ids: string[] }[];
  message: string;
  hint?: string;
}

/**
 * A draw that did not succeed has no winners to check, but it may have recorded some before it
 * was stopped: whether any are still in the winners table, or were taken back and when, is what a
 * person checking it needs to know.
 */
export function unsucceededVerdict(evidence: UnsucceededEvidence): UnsucceededVerdict {
  const { drawId } = evidence;
  const recorded = evidence.rows
    .filter(hasWon)
    .map((row) => row.employee_id)
    .sort(compareIds);
  const held = evidence.rows
    .filter((row) => !hasWon(row))
    .map((row) => row.employee_id)
    .sort(compareIds);
  const takenBack = evidence.rollbacks.map((entry) => ({
    at: entry.at,
    by: entry.by,
    ids: [...entry.removed].sort(compareIds),
  }));
  const verdict = { recorded, held, takenBack };
  if (evidence.status === 'RUNNING')
    return { ...verdict, message: `draw ${drawId} is still running: check it once it has ended` };
  const ended = `draw ${drawId} did not succeed (${evidence.status})`;
  const back = takenBack.map(
    (entry) =>
      `the wins it recorded of ${list(entry.ids)} were taken back at ${entry.at} by ${entry.by}`,
  );
  if (recorded.length > 0 || held.length > 0) {
    const still = [
      recorded.length > 0
        ? `yet the winners table has ${list(recorded)} as its winner${recorded.length === 1 ? '' : 's'}, who did not win`
        : '',
      held.length > 0 ? `it still holds ${list(held)}` : '',
      ...back,
    ].filter(Boolean);
    return {
      ...verdict,
      message: `${ended}, ${still.join('; ')}`,
      hint: '`lottery doctor --fix` removes them (so does the next draw)',
    };
  }
  if (back.length > 0) return { ...verdict, message: `${ended}: ${back.join('; ')}` };
  return { ...verdict, message: `${ended}: it recorded no winners, and has none to check` };
}
