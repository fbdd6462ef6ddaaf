import type { SelectionRecord } from './audit';
import { drawRequestSchema, type DrawResult } from './draw';
import { checkJson } from './parse';
import {
  exclusionDifferences,
  loadExclusions,
  type Exclusion,
  type KeptVersion,
} from './exclusions';
import { forfeitChanges, forfeitKey, forfeitsSince, type Forfeit, type Replaces } from './forfeits';
import { countAtMost, type CandidateSpace } from './selection';

// What `lottery verify` checks of the event around a draw (v3 records): that the people excluded
// from the event and those who forfeited were kept out of its candidates, that both are what the
// backend kept before the draw and still keeps, and, for a replacement draw, that its forfeit was
// recorded before it started and that it left out the person it replaces and the other winners of
// the draw it replaces.

export interface CheckOutcome {
  ok: boolean;
  warning?: boolean;
  detail: string;
}

/** Whether a serial was among a draw's candidates. */
export function isCandidate(space: CandidateSpace, serial: number): boolean {
  if (space.mode === 'serial-list') return space.serials.includes(serial);
  const below = countAtMost(space.excluded, serial) - countAtMost(space.excluded, serial - 1);
  return serial >= 1 && serial <= space.serialSpace && below === 0;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Problems with people who should not have been in the running, by serial and by win. */
function leftOut<T extends { employee_id: string; lottery_serial?: number }>(
  people: readonly T[],
  space: CandidateSpace,
  winners: readonly { employee_id: string }[],
  what: (person: T) => string,
): string[] {
  const won = new Set(winners.map((winner) => winner.employee_id));
  return people.flatMap((person) => {
    if (won.has(person.employee_id)) return [`${what(person)}, but won this draw`];
    // No candidate is serial 0: someone who has left the pool has no serial to leave out.
    if (isCandidate(space, person.lottery_serial ?? 0))
      return [`${what(person)}, but serial ${person.lottery_serial} was among the candidates`];
    return [];
  });
}

/**
 * The people excluded from the event when the draw ran: none among its candidates or winners, and
 * the version of the exclusions it used still as it was, with no later one dated before the draw.
 * Undefined for a record made before exclusions existed.
 */
export function checkExclusions(
  record: SelectionRecord,
  space: CandidateSpace,
  versions: readonly KeptVersion[] | undefined,
): CheckOutcome | undefined {
  const stored = record.pool.exclusions;
  if (stored === undefined) return undefined;
  let recorded: Exclusion[];
  try {
    recorded = loadExclusions(stored);
  } catch (error) {
    return {
      ok: false,
      detail: `the record's exclusions cannot be read: ${(error as Error).message}`,
    };
  }
  const problems = leftOut(
    recorded,
    space,
    record.winners,
    (person) => `${person.employee_id} was excluded (${JSON.stringify(person.reason)})`,
  );
  if (versions !== undefined)
    problems.push(
      ...exclusionDifferences(
        { version: stored.version, exclusions: recorded },
        versions,
        record.selected_at,
      ),
    );
  if (problems.length > 0) return { ok: false, detail: problems.join('; ') };
  const kept = versions === undefined ? '' : ', as the backend still keeps them';
  if (recorded.length === 0)
    return {
      ok: true,
      detail: `nobody was excluded from the event when the draw ran (version ${stored.version} of the exclusions${kept})`,
    };
  const reasons = [...new Set(recorded.map((exclusion) => JSON.stringify(exclusion.reason)))];
  const shown = reasons.length > 3 ? `${reasons.slice(0, 3).join(', ')} …` : reasons.join(', ');
  return {
    ok: true,
    detail: `${recorded.length} ${recorded.length === 1 ? 'person' : 'people'} excluded (${shown}), none among the candidates; version ${stored.version} of the exclusions${kept}`,
  };
}

/** The `replaces` of the execution input, as the caller started the draw. */
function requestedReplacement(input: string): Replaces | undefined {
  const request = checkJson(drawRequestSchema, input);
  return request.ok ? request.value.replaces : undefined;
}

export interface ForfeitEvidence {
  input: string;
  /** Every forfeit the backend keeps; undefined when they were not read. */
  forfeits?: readonly Forfeit[];
  resets: readonly { at: string }[];
  /** When Step Functions started this draw's execution, by its own clock. */
  startedAt?: Date;
  /** For a replacement draw: the draw it replaces, as Step Functions returned it. */
  replaced?: DrawResult;
}

function who(forfeit: Forfeit): string {
  return `${forfeit.employee_id} (forfeited ${JSON.stringify(forfeit.reason)} in draw ${forfeit.draw_id})`;
}

/** The replacement's own rules: what it replaces was forfeited, first, and left out. */
function replacementProblems(
  record: SelectionRecord,
  space: CandidateSpace,
  evidence: ForfeitEvidence,
  replaced: Forfeit,
): { problems: string[]; note: string; warning: boolean } {
  const problems: string[] = [];
  const requested = requestedReplacement(evidence.input);
  if (requested === undefined || forfeitKey(requested) !== forfeitKey(replaced))
    problems.push(
      `the record says the draw replaces ${replaced.employee_id} of draw ${replaced.draw_id}, but it was started ${requested ? `to replace ${requested.employee_id} of draw ${requested.draw_id}` : 'as an ordinary draw'}`,
    );
  const now = evidence.forfeits?.find((each) => forfeitKey(each) === forfeitKey(replaced));
  if (evidence.forfeits !== undefined && !now)
    problems.push(`the forfeit it replaces, ${who(replaced)}, was removed after the draw`);
  if (now && forfeitChanges(replaced, now).length > 0)
    problems.push(
      `the forfeit it replaces, ${who(replaced)}, was changed after the draw: ${forfeitChanges(replaced, now).join(', ')}`,
    );
  if (replaced.replacement_draw_id !== record.draw_id)
    problems.push(
      `the forfeit of ${replaced.employee_id} names draw ${replaced.replacement_draw_id} as its replacement, not this one`,
    );
  problems.push(
    ...leftOut(
      [replaced],
      space,
      record.winners,
      (person) => `${person.employee_id} is the winner this draw replaces`,
    ),
  );
  const original = evidence.replaced;
  if (original) {
    if (!original.winners.some((winner) => winner.employee_id === replaced.employee_id))
      problems.push(`${replaced.employee_id} is not a winner of draw ${replaced.draw_id}`);
    problems.push(
      ...leftOut(
        original.winners.filter((winner) => winner.employee_id !== replaced.employee_id),
        space,
        record.winners,
        (person) => `${person.employee_id} had won draw ${original.draw_id}`,
      ),
    );
  }
  const started = evidence.startedAt;
  if (started && Date.parse(replaced.forfeited_at) >= started.getTime())
    problems.push(
      `the forfeit of ${replaced.employee_id} is dated ${replaced.forfeited_at}, not before this draw started (${started.toISOString()} by Step Functions' clock)`,
    );
  const ahead = started ? started.getTime() - Date.parse(replaced.forfeited_at) : 0;
  const lead = started
    ? `${ahead < 1000 ? `${ahead} ms` : `${Math.round(ahead / 100) / 10} s`} before this draw started (Step Functions' clock)`
    : `at ${replaced.forfeited_at}; the execution's start time was not read`;
  return {
    problems,
    note: `replaces ${replaced.employee_id} (${replaced.employee_name}) of draw ${replaced.draw_id}, who forfeited ${JSON.stringify(replaced.reason)}, recorded ${lead}`,
    warning: started === undefined,
  };
}

/**
 * Forfeits: those the draw recorded as in force are still kept as they were, none of the people
 * who may not win again was in the running, no forfeit dated before the draw is missing from it,
 * and no forfeit names it as a replacement unless it was started as one. A replacement draw's own
 * rules are in replacementProblems. Undefined for a record made before forfeits existed that no
 * forfeit names.
 */
export function checkForfeits(
  record: SelectionRecord,
  space: CandidateSpace,
  evidence: ForfeitEvidence,
): CheckOutcome | undefined {
  const recorded = record.pool.forfeits;
  const naming =
    evidence.forfeits === undefined
      ? []
      : evidence.forfeits.filter((forfeit) => forfeit.replacement_draw_id === record.draw_id);
  const problems = naming
    .filter((forfeit) => !record.replaces || forfeitKey(forfeit) !== forfeitKey(record.replaces))
    .map(
      (forfeit) =>
        `the forfeit of ${forfeit.employee_id} in draw ${forfeit.draw_id} names this draw as its replacement, but the draw did not replace them: the forfeit was recorded after the fact`,
    );
  if (recorded === undefined) {
    if (problems.length > 0) return { ok: false, detail: problems.join('; ') };
    return undefined;
  }
  problems.push(
    ...leftOut(
      recorded.filter((forfeit) => !forfeit.eligible_again),
      space,
      record.winners,
      (person) => `${person.employee_id} had forfeited and may not win again`,
    ),
  );
  if (evidence.forfeits !== undefined) {
    const kept = new Map(evidence.forfeits.map((forfeit) => [forfeitKey(forfeit), forfeit]));
    for (const forfeit of recorded) {
      const now = kept.get(forfeitKey(forfeit));
      if (!now) problems.push(`the forfeit of ${who(forfeit)} was removed after the draw`);
      else if (forfeitChanges(forfeit, now).length > 0)
        problems.push(
          `the forfeit of ${who(forfeit)} was changed after the draw: ${forfeitChanges(forfeit, now).join(', ')}`,
        );
    }
    const inRecord = new Set(recorded.map(forfeitKey));
    for (const forfeit of forfeitsSince(evidence.forfeits, evidence.resets, record.selected_at))
      if (!inRecord.has(forfeitKey(forfeit)))
        problems.push(
          `the forfeit of ${who(forfeit)} is dated ${forfeit.forfeited_at}, before the draw, but the draw did not have it: it was recorded after the fact`,
        );
  }
  const replacement = record.replaces
    ? replacementProblems(record, space, evidence, record.replaces)
    : undefined;
  if (!record.replaces && requestedReplacement(evidence.input))
    problems.push(
      'the draw was started as a replacement, but its record replaces nobody: the forfeit was not found when it drew',
    );
  problems.push(...(replacement?.problems ?? []));
  if (problems.length > 0) return { ok: false, detail: problems.join('; ') };
  const inForce =
    recorded.length === 0
      ? 'no forfeits in force'
      : `${plural(recorded.length, 'forfeit')} in force, ${recorded.filter((forfeit) => !forfeit.eligible_again).length} of them kept out of the candidates`;
  return {
    ok: true,
    ...(replacement?.warning ? { warning: true } : {}),
    detail: replacement ? `${replacement.note}; ${inForce}` : inForce,
  };
}
