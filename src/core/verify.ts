import { loadCandidateSpace, recordDigest, type SelectionRecord } from './audit';
import type { DrawResult, WinnerDetail } from './draw';
import type { Employee } from './employees';
import { hasWon, type Candidate, type WinnerClaim } from './pool';
import { CandidateOrder, candidateSpaceDigest, SELECTION_ALGORITHM, type CandidateSpace } from './selection';

// Re-checks a past draw from its audit record (written when it drew, kept in Lottery-Draws), its
// execution (what it was asked and what it returned) and the tables as they are now. The
// procedure is the README's "Fair draws, and checking one", done by the machine.

export type VerifyCheckName = 'algorithm' | 'record' | 'seed' | 'pool' | 'selection' | 'people' | 'records';

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

export interface VerifyEvidence {
  /** The execution's input, as Step Functions kept it: says whether the caller chose the seed. */
  input: string;
  result: DrawResult;
  /** The audit records of the draw's attempts. */
  records: ReadonlyMap<number, SelectionRecord>;
  /** The draw's rows in the winners table now. */
  rows: readonly (WinnerClaim & { employee_name?: string })[];
  /** When `lottery reset` ran, and the draws whose winners it removed. */
  resets: readonly { at: string; draws: readonly string[] }[];
  /** Who has each candidate's serial now. */
  peopleBySerial: ReadonlyMap<number, Employee>;
  /** The winners' employee records now, by id; a winner who is gone is missing. */
  winnersNow: ReadonlyMap<string, Employee>;
  /** The version of the pool statistics now. */
  statsVersion: number | undefined;
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const ids = (people: readonly { employee_id: string }[]) => people.map((person) => person.employee_id);
const list = (values: readonly string[]) => (values.length === 0 ? 'nobody' : values.join(', '));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);

/** The seed the caller gave in the execution input, if any: where the seed came from is read here, not taken on trust. */
function requestedSeed(input: string): { seed?: string; readable: boolean } {
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed !== 'object' || parsed === null) return { readable: false };
    const seed = (parsed as { seed?: unknown }).seed;
    return { seed: typeof seed === 'string' ? seed.trim().toLowerCase() : undefined, readable: true };
  } catch {
    return { readable: false };
  }
}

function checkSeed(evidence: VerifyEvidence, record: SelectionRecord): VerifyCheck {
  const { audit } = evidence.result;
  const requested = requestedSeed(evidence.input);
  if (!requested.readable) return { name: 'seed', ok: false, detail: 'the execution input is not a JSON object: where the seed came from cannot be told' };
  if (record.seed !== audit.seed) return { name: 'seed', ok: false, detail: `the draw returned seed ${short(audit.seed)} but its audit record says ${short(record.seed)}` };
  const source = requested.seed !== undefined ? 'caller' : 'generated';
  const claimed = [audit.seed_source, record.seed_source].filter((claim) => claim !== source);
  if (claimed.length > 0) {
    return {
      name: 'seed',
      ok: false,
      detail:
        source === 'caller'
          ? `the draw was started with a seed of the caller's choosing, but its records say the seed was ${claimed[0]}`
          : `the records say the caller chose the seed, but the draw was started without one`,
    };
  }
  if (source === 'caller') {
    if (requested.seed !== record.seed) return { name: 'seed', ok: false, detail: `the draw was started with seed ${short(requested.seed ?? '')}, but drew with ${short(record.seed)}` };
    return { name: 'seed', ok: true, warning: true, detail: `${short(record.seed)} was chosen by whoever started the draw, not by the workflow: they could have chosen the outcome` };
  }
  return { name: 'seed', ok: true, detail: `${short(record.seed)}, drawn by the workflow from the system's secure random source` };
}

/** The candidates the seed gives, compared with what the record says it looked at. */
function checkSelection(record: SelectionRecord, space: CandidateSpace, drawn: readonly WinnerDetail[]): { check: VerifyCheck; recomputed: string[] } {
  const order = new CandidateOrder(space, record.seed, record.attempt);
  const serials = order.take(record.candidates.length);
  const recorded = record.candidates.map((candidate) => candidate.serial);
  const firstDifference = recorded.findIndex((serial, index) => serials[index] !== serial);
  const recomputed = record.candidates.filter((candidate) => !candidate.skipped).map((candidate) => candidate.employee_id ?? '?');
  const fail = (detail: string) => ({ check: { name: 'selection' as const, ok: false, detail }, recomputed });
  if (firstDifference >= 0 || serials.length < recorded.length) {
    const at = firstDifference >= 0 ? firstDifference : serials.length;
    return fail(`candidate ${at + 1} of the seed is serial ${serials[at] ?? '(none: the candidates ran out)'}, but the record says serial ${recorded[at]}`);
  }
  const last = record.candidates.at(-1);
  if (last?.skipped) return fail(`the record goes on past its last winner, to serial ${last.serial}`);
  if (!sameList(recomputed, ids(record.winners))) return fail(`the candidates give ${list(recomputed)}, but the record says ${list(ids(record.winners))} won`);
  if (!sameList(recomputed, ids(drawn))) return fail(`the seed and the candidates give ${list(recomputed)} (attempt ${record.attempt}), but the draw says ${list(ids(drawn))}`);
  const holes = record.candidates.filter((candidate) => candidate.skipped === 'hole').length;
  const taken = record.candidates.filter((candidate) => candidate.skipped === 'taken').length;
  const skipped = holes + taken > 0 ? `, after skipping ${[holes > 0 ? `${holes} unused serial${holes === 1 ? '' : 's'}` : '', taken > 0 ? `${taken} already taken` : ''].filter(Boolean).join(' and ')}` : '';
  return { check: { name: 'selection', ok: true, detail: `seed and candidates give ${list(recomputed)} (attempt ${record.attempt})${skipped}, as drawn` }, recomputed };
}

/** What each candidate was when the draw looked, against who has its serial now and what the records call the winners. */
function checkPeople(evidence: VerifyEvidence, record: SelectionRecord): VerifyCheck {
  const problems: string[] = [];
  const changes: string[] = [];
  const reseeded = record.pool.stats_version === null || record.pool.stats_version !== evidence.statsVersion;
  const describe = (candidate: Candidate) => (candidate.employee_id === undefined ? 'nobody' : candidate.employee_id);
  for (const candidate of record.candidates) {
    const now = evidence.peopleBySerial.get(candidate.serial)?.employee_id;
    if (now === candidate.employee_id) continue;
    const change = `serial ${candidate.serial} was ${describe(candidate)}'s at the draw and is ${now ?? 'nobody'}'s now`;
    (reseeded ? changes : problems).push(change);
  }
  for (const winner of record.winners) {
    const names = new Map<string, string>([['the audit record', winner.employee_name]]);
    const returned = evidence.result.winners.find((drawn) => drawn.employee_id === winner.employee_id)?.employee_name;
    if (returned !== undefined) names.set("the draw's output", returned);
    const row = evidence.rows.find((each) => each.employee_id === winner.employee_id)?.employee_name;
    if (row !== undefined) names.set('the winners table', row);
    const current = evidence.winnersNow.get(winner.employee_id)?.employee_name;
    if (current !== undefined) names.set('the employee table', current);
    const distinct = new Set(names.values());
    if (distinct.size > 1) {
      problems.push(`${winner.employee_id} is named ${[...names].map(([where, name]) => `${JSON.stringify(name)} in ${where}`).join(', ')}`);
    }
  }
  if (problems.length > 0) return { name: 'people', ok: false, detail: problems.join('; ') };
  if (changes.length > 0) return { name: 'people', ok: true, warning: true, detail: `the pool was loaded again since the draw: ${changes.join('; ')}` };
  return { name: 'people', ok: true, detail: `the ${record.candidates.length} candidate serial${record.candidates.length === 1 ? '' : 's'} and the winners' names are as the draw saw them` };
}

function checkRecords(evidence: VerifyEvidence): VerifyCheck {
  const { result } = evidence;
  const won = evidence.rows.filter(hasWon).map((row) => row.employee_id);
  const drawnIds = ids(result.winners);
  const notRecorded = drawnIds.filter((id) => !won.includes(id));
  const notDrawn = won.filter((id) => !drawnIds.includes(id));
  if (notRecorded.length === 0 && notDrawn.length === 0) {
    return { name: 'records', ok: true, detail: `the winners table holds exactly these ${won.length} winners for this draw` };
  }
  const reset = evidence.resets.find((entry) => entry.at >= result.recorded_at && entry.draws.includes(result.draw_id));
  if (reset && notDrawn.length === 0) {
    return { name: 'records', ok: true, warning: true, detail: `\`lottery reset\` removed this draw's winners from the winners table at ${reset.at}` };
  }
  return {
    name: 'records',
    ok: false,
    detail: [notDrawn.length > 0 ? `recorded as winners of this draw but not drawn: ${list(notDrawn)}` : '', notRecorded.length > 0 ? `drawn but not recorded: ${list(notRecorded)}` : '']
      .filter(Boolean)
      .join('; '),
  };
}

export function verifyDraw(evidence: VerifyEvidence): Verification {
  const { result } = evidence;
  const { audit } = result;
  const checks: VerifyCheck[] = [];
  const done = (extra: Omit<Verification, 'ok' | 'checks'> = {}): Verification => ({ ok: checks.every((check) => check.ok), checks, ...extra });

  const record = evidence.records.get(audit.attempt);
  if (!record) {
    checks.push({ name: 'record', ok: false, detail: `the draws table has no audit record of attempt ${audit.attempt} of this draw` });
    return done();
  }
  const algorithm = [audit.pool.algorithm, record.algorithm].find((used) => used !== SELECTION_ALGORITHM);
  if (algorithm !== undefined) {
    checks.push({ name: 'algorithm', ok: false, detail: `the draw used ${algorithm}; this version checks ${SELECTION_ALGORITHM}` });
    return done();
  }
  const digest = recordDigest(record);
  checks.push(
    digest === audit.record_digest && record.draw_id === result.draw_id
      ? { name: 'record', ok: true, detail: `audit record of attempt ${record.attempt}, digest ${short(digest)} as the draw returned it` }
      : { name: 'record', ok: false, detail: `the audit record's digest is ${short(digest)}, but the draw returned ${short(audit.record_digest)}: one of them was changed` },
  );
  checks.push(checkSeed(evidence, record));

  let space: CandidateSpace;
  try {
    space = loadCandidateSpace(record.pool.candidates);
  } catch (error) {
    checks.push({ name: 'pool', ok: false, detail: `the audit record's candidates cannot be read: ${(error as Error).message}` });
    return done();
  }
  const spaceDigest = candidateSpaceDigest(space);
  const described =
    space.mode === 'serial-space'
      ? `serials 1..${space.serialSpace} less ${space.excluded.length} taken`
      : `the ${space.serials.length} serials in use that were not taken${record.pool.list_reason ? ` (${record.pool.list_reason})` : ''}`;
  checks.push(
    spaceDigest === record.pool.digest && spaceDigest === audit.pool.digest
      ? { name: 'pool', ok: true, detail: `${record.pool.eligible} of ${record.pool.total} eligible; candidates ${described}, digest ${short(spaceDigest)}` }
      : { name: 'pool', ok: false, detail: `the candidates recorded (${described}) have digest ${short(spaceDigest)}, but the draw recorded ${short(audit.pool.digest)}` },
  );

  const selection = checkSelection(record, space, result.winners);
  checks.push(selection.check, checkPeople(evidence, record), checkRecords(evidence));
  return done({ space, recomputed: selection.recomputed });
}
