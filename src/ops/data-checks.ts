import { endedWithoutSuccess } from '../core/leftovers';
import { hasWon, type PoolStats, type WinnerClaim } from '../core/pool';
import type { PrizeMismatch } from '../core/prizes';
import { plural } from '../core/plural';
import type { DoctorCheck } from './doctor';

// `lottery doctor`'s checks of what the tables hold, as opposed to whether the parts exist: the
// pool's statistics against the employee table's keys, and (below) the winners table against the
// draws that account for its rows. What the tables say is gathered by the CLI (src/cli/
// data-checks.ts); nothing here does I/O.

/** Some of a list, and how many more. */
export function someOf(items: readonly string[], shown = 5): string {
  return items.length > shown
    ? `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`
    : items.join(', ');
}

export interface PoolFacts {
  /** The statistics as kept; undefined when no seed has counted the pool. */
  stats?: PoolStats;
  /** Seeds listed as writing: their id → when they began. */
  seeding: Record<string, string>;
  /** The employee table as its index's keys say. */
  counted: { count: number; maxSerial: number };
  /** Serials held by more than one person, with who holds each. */
  repeated: { serial: number; ids: string[] }[];
  /** True when `lottery doctor --fix` counted the pool again and cleared the list of seeds. */
  recounted: boolean;
}

const FIX_COUNT = '`lottery doctor --fix` counts the pool again';

/**
 * The statistics draws pick from: a serial held twice gives two people one chance, and statistics
 * that miss people leave them out of draws.
 */
export function poolCheck(facts: PoolFacts): DoctorCheck {
  const name = 'pool';
  const { counted, stats } = facts;
  if (facts.repeated.length > 0) {
    const held = facts.repeated.map(
      (each) => `serial ${each.serial} is held by ${each.ids.join(' and ')}`,
    );
    return {
      name,
      status: 'fail',
      message: `${someOf(held, 3)}: each pair shares one chance, and one of them can never win`,
      fix: 'give each of them a serial of their own in your file (or none, to have one assigned) and seed it again',
    };
  }
  const unused = counted.maxSerial - counted.count;
  const serials =
    counted.count === 0
      ? 'no employees yet'
      : `${plural(counted.count, 'employee')}, serials ${unused === 0 ? `1..${counted.maxSerial}` : `up to ${counted.maxSerial} (${unused} unused)`}, each held once`;
  if (facts.recounted) return { name, status: 'ok', message: `counted the pool again: ${serials}` };
  const writing = Object.values(facts.seeding).sort();
  if (writing.length > 0)
    return {
      name,
      status: 'warn',
      message: `${writing.length === 1 ? 'a seed' : `${writing.length} seeds`} began at ${someOf(writing, 3)} and did not finish (stopped half-way, or still writing): the statistics may not count everyone; the table holds ${serials}`,
      fix: `once no seed is running, ${FIX_COUNT}`,
    };
  if (!stats)
    return counted.count === 0
      ? { name, status: 'ok', message: serials }
      : {
          name,
          status: 'warn',
          message: `the pool has no statistics (it was not loaded with \`lottery seed\`): every draw reads all the serials; the table holds ${serials}`,
          fix: FIX_COUNT,
        };
  if (stats.count !== counted.count || stats.max_serial !== counted.maxSerial)
    return {
      name,
      status: 'fail',
      message: `the statistics say ${plural(stats.count, 'employee')} up to serial ${stats.max_serial}, but the table holds ${serials}: draws would leave people out`,
      fix: FIX_COUNT,
    };
  return { name, status: 'ok', message: serials };
}

/** How a draw that recorded winners stands, as its execution says. */
export interface DrawOutcome {
  /** RUNNING, SUCCEEDED, ABORTED…; undefined when Step Functions knows no such execution. */
  status: string | undefined;
  /** A succeeded draw's result: who won, and which prize. */
  result?: { prize: string | null; winners: readonly { employee_id: string }[] };
}

/** A winner row as far as these checks go. */
export type WinnerRow = WinnerClaim & { prize?: string | null };

export interface WinnerRowFindings {
  /** Winner rows that a succeeded draw accounts for. */
  accounted: number;
  /** Rows written by the workshop's Record Winners: they name no draw. */
  workshop: number;
  /** Draws that ended without succeeding, yet have winners recorded: who, by draw. */
  unsucceeded: { drawId: string; status: string; ids: string[] }[];
  /** Rows that no draw accounts for, each with why. */
  unaccounted: string[];
  /** Rows whose serial is not the person's in the employee table: draws exclude by it. */
  serials: { id: string; row: number; now: number | undefined }[];
}

/**
 * Every winner row against the draw it names: a succeeded draw that returned that person as a
 * winner of that prize accounts for it. `serialsNow` has the serial of everyone in the employee
 * table; a person missing from it is gone.
 */
export function winnerRowFindings(
  rows: readonly WinnerRow[],
  outcomes: ReadonlyMap<string, DrawOutcome>,
  serialsNow: ReadonlyMap<string, number>,
): WinnerRowFindings {
  const findings: WinnerRowFindings = {
    accounted: 0,
    workshop: 0,
    unsucceeded: [],
    unaccounted: [],
    serials: [],
  };
  const unsucceeded = new Map<string, { drawId: string; status: string; ids: string[] }>();
  for (const row of rows.filter(hasWon)) {
    const now = serialsNow.get(row.employee_id);
    if (row.lottery_serial !== undefined && row.lottery_serial !== now)
      findings.serials.push({ id: row.employee_id, row: row.lottery_serial, now });
    if (row.draw_id === undefined) {
      findings.workshop++;
      continue;
    }
    const outcome = outcomes.get(row.draw_id);
    const status = outcome?.status;
    if (status === 'RUNNING') continue;
    if (endedWithoutSuccess(status)) {
      const entry = unsucceeded.get(row.draw_id) ?? {
        drawId: row.draw_id,
        status: status as string,
        ids: [],
      };
      entry.ids.push(row.employee_id);
      unsucceeded.set(row.draw_id, entry);
      continue;
    }
    const why = unaccountedWhy(row, row.draw_id, outcome);
    if (why === undefined) findings.accounted++;
    else findings.unaccounted.push(`${row.employee_id} (${why})`);
  }
  findings.unsucceeded = [...unsucceeded.values()];
  return findings;
}

function unaccountedWhy(
  row: WinnerRow,
  drawId: string,
  outcome: DrawOutcome | undefined,
): string | undefined {
  if (outcome?.status === undefined) return `draw ${drawId} does not exist`;
  const { result } = outcome;
  if (outcome.status !== 'SUCCEEDED') return `draw ${drawId} is ${outcome.status.toLowerCase()}`;
  if (!result) return `the output of draw ${drawId} is not a draw result`;
  if (!result.winners.some((winner) => winner.employee_id === row.employee_id))
    return `not among the winners of draw ${drawId}`;
  if ((row.prize ?? null) !== result.prize)
    return `recorded for ${row.prize ?? 'no prize'}, but draw ${drawId} was of ${result.prize ?? 'no prize'}`;
  return undefined;
}

export interface WinnersRepair {
  /** `lottery doctor --fix` removed the wins of draws that did not succeed. */
  removed: boolean;
  /** `lottery doctor --fix` set the rows' serials as the employee table has them. */
  serialsSet: boolean;
}

/**
 * The winners table: every winner someone drew, in a draw that succeeded. Draws exclude past
 * winners by their rows, so a row nobody drew takes a person out of every later draw, and a row
 * with a wrong serial takes out someone else.
 */
export function winnersCheck(findings: WinnerRowFindings, repair: WinnersRepair): DoctorCheck {
  const name = 'winners';
  const problems: { status: 'warn' | 'fail'; message: string; fix: string }[] = [];
  const notes: string[] = [];
  if (findings.unaccounted.length > 0)
    problems.push({
      status: 'fail',
      message: `${plural(findings.unaccounted.length, 'winner row')} no draw accounts for: ${someOf(findings.unaccounted, 3)}; each is kept out of every later draw`,
      fix: 'someone edited the winners table: remove the rows nobody drew (`lottery verify DRAW` checks a draw whose rows were changed)',
    });
  const serials = findings.serials.map(
    (each) =>
      `${each.id} has serial ${each.row} there and ${each.now === undefined ? 'is gone from the employee table' : `${each.now} in the employee table`}`,
  );
  if (serials.length > 0 && repair.serialsSet)
    notes.push(
      `set the serials of ${plural(serials.length, 'winner')} as the employee table has them`,
    );
  else if (serials.length > 0)
    problems.push({
      status: 'fail',
      message: `${someOf(serials, 3)}: draws exclude past winners by that serial, so someone else is left out`,
      fix: '`lottery doctor --fix` sets them as the employee table has them',
    });
  const people = findings.unsucceeded.reduce((sum, draw) => sum + draw.ids.length, 0);
  const which = findings.unsucceeded
    .map((draw) => `${draw.drawId} (${draw.status.toLowerCase()})`)
    .join(', ');
  if (people > 0 && repair.removed)
    notes.push(`removed ${plural(people, 'winner')} of draws that did not succeed: ${which}`);
  else if (people > 0)
    problems.push({
      status: 'warn',
      message: `${plural(people, 'person', 'people')} recorded as winners by draws that did not succeed: ${which}`,
      fix: '`lottery doctor --fix` removes them (so does the next draw)',
    });
  if (problems.length > 0)
    return {
      name,
      status: problems.some((problem) => problem.status === 'fail') ? 'fail' : 'warn',
      message: [...problems.map((problem) => problem.message), ...notes].join('; '),
      fix: problems.map((problem) => problem.fix).join('; '),
    };
  const workshop =
    findings.workshop > 0
      ? `, and ${plural(findings.workshop, 'row')} of the workshop's Record Winners, which name no draw`
      : '';
  const counted = `${plural(findings.accounted, 'winner')}, each accounted for by the draw that recorded it${workshop}`;
  return { name, status: 'ok', message: [...notes, counted].join('; ') };
}

export interface PrizesFacts {
  /** Whether there is a prize plan. */
  plan: boolean;
  mismatches: PrizeMismatch[];
  /** When each reset that did not finish began. */
  unfinishedResets: string[];
}

const FIX_RESET = 'run `lottery reset` again: it finishes what was left';

/**
 * The prize plan against the winners table: a prize whose plan counts more drawn than are
 * recorded has lost winners (a reset cut short, rows removed by hand), and one with more recorded
 * than the plan counts has been awarded outside it.
 */
export function prizesCheck(facts: PrizesFacts): DoctorCheck {
  const name = 'prizes';
  const problems: { status: 'warn' | 'fail'; message: string; fix: string }[] = [];
  const resets = facts.unfinishedResets.sort();
  if (resets.length > 0)
    problems.push({
      status: 'warn',
      message: `${resets.length === 1 ? 'a reset' : `${resets.length} resets`} began at ${someOf(resets, 3)} and did not finish`,
      fix: FIX_RESET,
    });
  const lost = facts.mismatches.filter((prize) => prize.drawn > prize.recorded);
  if (lost.length > 0)
    problems.push({
      status: 'fail',
      message: `the plan counts more winners drawn than are recorded: ${someOf(
        lost.map((prize) => `${prize.prize} ${prize.drawn} drawn, ${prize.recorded} recorded`),
        3,
      )}`,
      fix: `if a reset was cut short, ${FIX_RESET}; if winners were removed by hand, \`lottery reset\` counts every prize again from what is recorded`,
    });
  const over = facts.mismatches.filter((prize) => prize.recorded > prize.drawn);
  if (over.length > 0)
    problems.push({
      status: 'fail',
      message: `more winners are recorded than the plan counts: ${someOf(
        over.map(
          (prize) =>
            `${prize.prize} ${prize.recorded} recorded, ${prize.drawn} drawn${prize.recorded > prize.count ? `, more than its count of ${prize.count}` : ''}`,
        ),
        3,
      )}`,
      fix: 'the "winners" finding says which rows no successful draw accounts for; `lottery doctor --fix` removes those of draws that did not succeed',
    });
  if (problems.length > 0)
    return {
      name,
      status: problems.some((problem) => problem.status === 'fail') ? 'fail' : 'warn',
      message: problems.map((problem) => problem.message).join('; '),
      fix: problems.map((problem) => problem.fix).join('; '),
    };
  return {
    name,
    status: 'ok',
    message: facts.plan
      ? "every prize's drawn count is its recorded winners"
      : 'no prize plan; no reset left unfinished',
  };
}
