import {
  arrayRecords,
  isJson,
  readCsvRecords,
  readJsonTree,
  repeatedColumns,
} from './employee-file';
import { INVISIBLE, type RawRecord } from './employees';
import { CONTROL_CHARS, describeControl } from './printable';
import { MAX_PRIZE_LENGTH, MAX_WINNERS_PER_DRAW } from './draw';
import type { Issue } from './issues';
import { plural } from './plural';
import { hasWon, type WinnerClaim } from './pool';

// The prize plan: the prizes of an event in drawing order, each with how many people win it. It is
// kept in the backend (src/aws/prize-plan.ts), so that every operator and the HTTPS API see the
// same plan, and the workflow's Reserve Prize state takes a draw's winners out of a prize's
// remaining count before anyone is picked: a prize never awards more than its count, however
// many draws run at once. Everything here is pure: the plan in, the next plan out.

export const MAX_PRIZES = 200;
export const MAX_PRIZE_COUNT = 100_000;

/** A prize as a plan file gives it. */
export interface PrizeInput {
  name: string;
  count: number;
  /** How many a draw of this prize takes when the operator does not say. */
  per_draw?: number;
}

/** Winners of a prize taken by a draw that has not ended yet (or had not, when last looked at). */
export interface PrizeHold {
  winners: number;
  execution_arn: string;
  held_at: string;
}

export interface PlannedPrize extends PrizeInput {
  /** Winners not yet drawn nor held by a running draw: count − drawn − held. */
  remaining: number;
  /** By draw id. */
  holds: Record<string, PrizeHold>;
  /**
   * The forfeits (src/core/forfeits.ts, forfeitKey) whose winner's place has been handed back to
   * the prize: each once, by the Reserve Prize of its first replacement draw.
   */
  forfeits?: string[];
}

export interface PrizePlan {
  /** Every change writes version + 1, on the condition that nobody wrote since it was read. */
  version: number;
  updated_at: string;
  /** In drawing order. */
  prizes: PlannedPrize[];
}

/** What `lottery prizes` shows of a prize. */
export interface PrizeStatus {
  order: number;
  prize: string;
  count: number;
  per_draw: number | null;
  drawn: number;
  in_progress: number;
  remaining: number;
  /** Winners who forfeited and whose places came back to the prize. */
  forfeited: number;
}

/** Prize names are matched as people type them: case, outer and repeated spaces aside. */
/**
 * What makes two prize names one prize: case, spacing, and what only looks different (a full-width
 * "Ｆ", a ligature, a zero-width space: NFKC, invisible format characters dropped).
 */
export function prizeKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

export function findPrize(plan: PrizePlan, name: string): PlannedPrize | undefined {
  const key = prizeKey(name);
  return plan.prizes.find((prize) => prizeKey(prize.name) === key);
}

const held = (prize: PlannedPrize) =>
  Object.values(prize.holds).reduce((sum, hold) => sum + hold.winners, 0);

export function prizeStatus(prize: PlannedPrize, order: number): PrizeStatus {
  const inProgress = held(prize);
  return {
    order,
    prize: prize.name,
    count: prize.count,
    per_draw: prize.per_draw ?? null,
    drawn: prize.count - prize.remaining - inProgress,
    in_progress: inProgress,
    remaining: prize.remaining,
    forfeited: prize.forfeits?.length ?? 0,
  };
}

export const planStatus = (plan: PrizePlan): PrizeStatus[] =>
  plan.prizes.map((prize, index) => prizeStatus(prize, index + 1));

/** The first prize in plan order that has winners left. */
export function nextPrize(plan: PrizePlan): PlannedPrize | undefined {
  return plan.prizes.find((prize) => prize.remaining > 0);
}

export type SizeDecision =
  { ok: true; winners: number } | { ok: false; reason: 'exhausted' | 'too-many'; message: string };

/**
 * How many winners a draw of this prize takes: what was asked, else the per-draw count, else all
 * that are left; never more than are left.
 */
export function drawSize(prize: PlannedPrize, asked?: number): SizeDecision {
  const inProgress = held(prize);
  if (prize.remaining === 0) {
    const running = inProgress > 0 ? ` (${inProgress} of them by a draw still running)` : '';
    return {
      ok: false,
      reason: 'exhausted',
      message: `every one of the ${plural(prize.count, 'winner')} of ${prize.name} has been drawn${running}`,
    };
  }
  const winners = asked ?? Math.min(prize.per_draw ?? prize.remaining, prize.remaining);
  if (winners > prize.remaining) {
    return {
      ok: false,
      reason: 'too-many',
      message: `${prize.name} has ${prize.remaining} of its ${plural(prize.count, 'winner')} left; asked for ${winners}`,
    };
  }
  return { ok: true, winners };
}

export function notInPlanMessage(plan: PrizePlan, name: string): string {
  const names = plan.prizes.map((prize) => prize.name);
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} …` : names.join(', ');
  return `${name} is not in the prize plan (${shown})`;
}

export type Reservation =
  | { kind: 'reserved'; plan: PrizePlan; prize: PlannedPrize }
  /** The draw holds its winners already: a retried task. */
  | { kind: 'already'; prize: PlannedPrize }
  | { kind: 'not-in-plan'; message: string }
  | { kind: 'refused'; message: string };

function withPrize(
  plan: PrizePlan,
  name: string,
  change: (prize: PlannedPrize) => PlannedPrize,
  now: string,
): PrizePlan {
  return {
    version: plan.version + 1,
    updated_at: now,
    prizes: plan.prizes.map((prize) => (prize.name === name ? change(prize) : prize)),
  };
}

/**
 * A replacement draw's prize with the forfeited winner's place handed back, the first time the
 * forfeit asks: a forfeit whose place came back already (its first replacement failed and gave
 * the place to the plan) draws from what is left like any draw. A prize with nothing drawn (a
 * reset since) has no place to give back.
 */
function withForfeitCredited(prize: PlannedPrize, forfeit: string | undefined): PlannedPrize {
  const credited = prize.forfeits ?? [];
  if (forfeit === undefined || credited.includes(forfeit)) return prize;
  if (prizeStatus(prize, 0).drawn < 1) return prize;
  return { ...prize, remaining: prize.remaining + 1, forfeits: [...credited, forfeit] };
}

/**
 * Takes `winners` of a prize's remaining count for a draw, or says why it cannot. A replacement
 * draw (`replaces`: the forfeit's key) first hands the forfeited winner's place back, in the same
 * write: never twice for one forfeit, and no other draw can take the place in between.
 */
export function reservePrize(
  plan: PrizePlan,
  name: string,
  draw: { draw_id: string; execution_arn: string; winners: number; replaces?: string },
  now: string,
): Reservation {
  const found = findPrize(plan, name);
  if (!found) return { kind: 'not-in-plan', message: notInPlanMessage(plan, name) };
  if (found.holds[draw.draw_id]) return { kind: 'already', prize: found };
  const prize = withForfeitCredited(found, draw.replaces);
  const size = drawSize(prize, draw.winners);
  if (!size.ok) return { kind: 'refused', message: size.message };
  const hold: PrizeHold = {
    winners: draw.winners,
    execution_arn: draw.execution_arn,
    held_at: now,
  };
  const next = withPrize(
    plan,
    prize.name,
    () => ({
      ...prize,
      remaining: prize.remaining - draw.winners,
      holds: { ...prize.holds, [draw.draw_id]: hold },
    }),
    now,
  );
  return { kind: 'reserved', plan: next, prize: findPrize(next, prize.name) as PlannedPrize };
}

/**
 * Gives back what a draw holds; undefined when it holds nothing (released already, or never held).
 */
export function releasePrize(plan: PrizePlan, drawId: string, now: string): PrizePlan | undefined {
  const prize = plan.prizes.find((candidate) => candidate.holds[drawId]);
  if (!prize) return undefined;
  const hold = prize.holds[drawId] as PrizeHold;
  return withPrize(
    plan,
    prize.name,
    (current) => ({
      ...current,
      remaining: current.remaining + hold.winners,
      holds: withoutKey(current.holds, drawId),
    }),
    now,
  );
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

/**
 * The draws that hold winners, with their executions: whoever settles the plan asks about these.
 */
export function holdingDraws(plan: PrizePlan): Map<string, string> {
  return new Map(
    plan.prizes.flatMap((prize) =>
      Object.entries(prize.holds).map(([drawId, hold]) => [drawId, hold.execution_arn] as const),
    ),
  );
}

/**
 * Settles the holds of draws that have ended: a draw that succeeded has drawn its winners (the
 * hold goes, the remaining count stays down); one that failed, was stopped or is unknown gives
 * them back. Draws still running keep theirs. Undefined when nothing changes.
 */
export function settleHolds(
  plan: PrizePlan,
  statuses: ReadonlyMap<string, string | undefined>,
  now: string,
): PrizePlan | undefined {
  let changed = false;
  const prizes = plan.prizes.map((prize) => {
    let { remaining } = prize;
    const holds: Record<string, PrizeHold> = {};
    for (const [drawId, hold] of Object.entries(prize.holds)) {
      const status = statuses.has(drawId) ? statuses.get(drawId) : 'RUNNING';
      if (status === 'RUNNING') {
        holds[drawId] = hold;
        continue;
      }
      changed = true;
      if (status !== 'SUCCEEDED') remaining += hold.winners;
    }
    return { ...prize, remaining, holds };
  });
  return changed ? { version: plan.version + 1, updated_at: now, prizes } : undefined;
}

/**
 * The plan a file makes, over the plan in place: a prize kept keeps what was drawn of it and
 * what running draws hold; a new prize counts the winners already recorded under its name
 * (`won`, by prizeKey). A count below what is drawn, or a drawn prize left out, is refused.
 */
export function replacePlan(
  existing: PrizePlan | undefined,
  inputs: readonly (PrizeInput & { line?: number; item?: number })[],
  won: ReadonlyMap<string, number>,
  file: string,
  now: string,
): { plan: PrizePlan } | { issues: Issue[] } {
  const issues: Issue[] = [];
  const prizes = inputs.map((input): PlannedPrize => {
    const before = existing && findPrize(existing, input.name);
    const status = before ? prizeStatus(before, 0) : undefined;
    const drawn = status ? status.drawn : (won.get(prizeKey(input.name)) ?? 0);
    const inProgress = status?.in_progress ?? 0;
    if (input.count < drawn + inProgress) {
      const running = inProgress > 0 ? ` and ${inProgress} being drawn` : '';
      issues.push({
        file,
        line: input.line,
        item: input.item,
        field: 'count',
        message: `${input.count} is below the ${drawn} already drawn${running} of ${input.name}`,
        hint: `make it at least ${drawn + inProgress}, or run \`lottery reset\` first`,
      });
    }
    return {
      name: input.name,
      count: input.count,
      ...(input.per_draw !== undefined ? { per_draw: input.per_draw } : {}),
      remaining: input.count - drawn - inProgress,
      holds: before?.holds ?? {},
      ...(before?.forfeits ? { forfeits: before.forfeits } : {}),
    };
  });
  for (const prize of existing?.prizes ?? []) {
    const status = prizeStatus(prize, 0);
    if (
      status.drawn + status.in_progress > 0 &&
      !inputs.some((input) => prizeKey(input.name) === prizeKey(prize.name))
    ) {
      const running = status.in_progress > 0 ? ` and ${status.in_progress} being drawn` : '';
      issues.push({
        file,
        message: `${prize.name} is in the plan with ${status.drawn} drawn${running}, but not in the file`,
        hint: 'keep it in the file, or run `lottery reset` or `lottery prizes clear` first',
      });
    }
  }
  if (issues.length > 0) return { issues };
  return { plan: { version: (existing?.version ?? 0) + 1, updated_at: now, prizes } };
}

// ---------------------------------------------------------------- plan files

const FIELD_ALIASES: Record<string, keyof PrizeInput> = {
  prize: 'name',
  name: 'name',
  prize_name: 'name',
  title: 'name',
  count: 'count',
  winners: 'count',
  quantity: 'count',
  qty: 'count',
  per_draw: 'per_draw',
  winners_per_draw: 'per_draw',
  draw_size: 'per_draw',
};

function canonicalField(name: string): keyof PrizeInput | undefined {
  return FIELD_ALIASES[
    name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
  ];
}

function wholeNumber(value: unknown): number | undefined {
  const raw = typeof value === 'string' ? value.trim() : value;
  const number = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

function checkRecord(
  record: RawRecord,
  file: string,
  issues: Issue[],
): (PrizeInput & { line?: number; item?: number }) | undefined {
  const at = { file, line: record.line, item: record.item };
  const fields: Partial<Record<keyof PrizeInput, unknown>> = {};
  for (const [key, value] of Object.entries(record.value)) {
    const field = canonicalField(key);
    if (field) fields[field] = value;
  }
  const before = issues.length;
  const rawName = fields.name;
  const name =
    typeof rawName === 'string'
      ? rawName.trim()
      : typeof rawName === 'number'
        ? String(rawName)
        : undefined;
  if (name === undefined || name === '') {
    issues.push({
      ...at,
      field: 'prize',
      message:
        rawName === undefined || name === ''
          ? 'is missing'
          : `must be text, got ${JSON.stringify(rawName)}`,
      hint: 'every line names a prize',
    });
  } else if (CONTROL_CHARS.test(name)) {
    // The same refusal as --prize's and seed's: a bidi override would reorder what every later
    // screen and export shows.
    issues.push({
      ...at,
      field: 'prize',
      message: `contains a control character (${describeControl(name)})`,
      hint: 'remove it: it would act on the terminal or the spreadsheet that shows it',
    });
  } else if (name.replace(INVISIBLE, '') === '') {
    issues.push({
      ...at,
      field: 'prize',
      message: 'holds only invisible characters',
      hint: 'every line names a prize',
    });
  } else if (name.length > MAX_PRIZE_LENGTH) {
    issues.push({
      ...at,
      field: 'prize',
      message: `is ${name.length} characters long`,
      hint: `keep it to ${MAX_PRIZE_LENGTH}`,
    });
  }
  const count = wholeNumber(fields.count);
  if (count === undefined || count < 1 || count > MAX_PRIZE_COUNT) {
    const got =
      fields.count === undefined || fields.count === ''
        ? 'is missing'
        : `${JSON.stringify(fields.count)} is not a whole number from 1 to ${MAX_PRIZE_COUNT}`;
    issues.push({
      ...at,
      field: 'count',
      message: got,
      hint: 'say how many people win this prize',
    });
  }
  const emptyPerDraw =
    fields.per_draw === undefined || fields.per_draw === null || fields.per_draw === '';
  const perDraw = emptyPerDraw ? undefined : wholeNumber(fields.per_draw);
  if (!emptyPerDraw && (perDraw === undefined || perDraw < 1 || perDraw > MAX_WINNERS_PER_DRAW)) {
    issues.push({
      ...at,
      field: 'per_draw',
      message: `${JSON.stringify(fields.per_draw)} is not a whole number from 1 to ${MAX_WINNERS_PER_DRAW}`,
      hint: 'leave it empty to draw all the winners of the prize at once',
    });
  } else if (perDraw !== undefined && count !== undefined && perDraw > count) {
    issues.push({
      ...at,
      field: 'per_draw',
      message: `${perDraw} is more than the prize's count, ${count}`,
      hint: `make it at most ${count}`,
    });
  }
  if (issues.length > before) return undefined;
  return {
    name: name as string,
    count: count as number,
    ...(perDraw !== undefined ? { per_draw: perDraw } : {}),
    line: record.line,
    item: record.item,
  };
}

/**
 * Reads a plan file — CSV with a header row (prize, count, optional per_draw) or a JSON array of
 * such objects — and checks all of it: every problem is returned with its line, and a file with
 * any problem gives no prizes.
 */
export function parsePrizeFile(
  content: string,
  file: string,
): { prizes: (PrizeInput & { line?: number; item?: number })[]; issues: Issue[] } {
  const body = content.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    return {
      prizes: [],
      issues: [
        { file, message: 'the file is empty', hint: 'list the prizes, one a line: prize,count' },
      ],
    };
  let read: { records: RawRecord[]; issues: Issue[] };
  if (isJson(file, body)) {
    try {
      const tree = readJsonTree(body, file);
      if ('issue' in tree) return { prizes: [], issues: [tree.issue] };
      if (tree.tree.type !== 'array')
        return {
          prizes: [],
          issues: [
            {
              file,
              line: 1,
              message:
                'expected a JSON array of prizes such as [{"prize": "First prize", "count": 1}]',
            },
          ],
        };
      read = arrayRecords(tree.tree, file, tree.starts, {
        item: 'is not an object with a prize and a count',
        empty: 'the array holds no prizes',
      });
    } catch (error) {
      // A document nested thousands deep exhausts the parser's stack: no plan is like that.
      if (!(error instanceof RangeError)) throw error;
      return {
        prizes: [],
        issues: [{ file, line: 1, message: 'the JSON is nested too deeply to be a prize plan' }],
      };
    }
  } else {
    const header = (names: readonly string[]): Issue[] => {
      const repeated = repeatedColumns(names, canonicalField, file);
      if (repeated.length > 0) return repeated;
      const fields = names.map(canonicalField);
      return (['name', 'count'] as const)
        .filter((required) => !fields.includes(required))
        .map((required) => ({
          file,
          line: 1,
          message: `the header row has no ${required === 'name' ? 'prize' : 'count'} column`,
          hint: 'start the file with the header row prize,count (and per_draw, if you like)',
        }));
    };
    read = readCsvRecords(body, file, header, {
      file,
      message: 'the file has a header row but no prizes',
    });
  }
  const issues = [...read.issues];
  const prizes: (PrizeInput & { line?: number; item?: number })[] = [];
  const firstAt = new Map<string, number | undefined>();
  for (const record of read.records) {
    const prize = checkRecord(record, file, issues);
    if (!prize) continue;
    const key = prizeKey(prize.name);
    if (firstAt.has(key)) {
      const first = firstAt.get(key);
      issues.push({
        file,
        line: prize.line,
        item: prize.item,
        field: 'prize',
        message:
          `${JSON.stringify(prize.name)} appears again` +
          (first !== undefined ? ` (first on line ${first})` : ''),
        hint: 'list each prize once, with its whole count',
      });
      continue;
    }
    firstAt.set(key, prize.line);
    prizes.push(prize);
  }
  if (prizes.length > MAX_PRIZES)
    issues.push({
      file,
      message: `the plan has ${prizes.length} prizes`,
      hint: `keep it to ${MAX_PRIZES}`,
    });
  return issues.length > 0 ? { prizes: [], issues } : { prizes, issues };
}

// ---------------------------------------------------------------- the plan against the winners

/** A winner row as far as the plan goes. */
export type PrizeRow = WinnerClaim & { prize?: string | null };

/**
 * Winners recorded of each prize of the plan, by prizeKey. The rows of draws that hold places are
 * left out: their holds count them until they end.
 */
export function recordedByPrize(rows: readonly PrizeRow[], plan: PrizePlan): Map<string, number> {
  const holding = holdingDraws(plan);
  const recorded = new Map<string, number>();
  for (const row of rows) {
    if (!hasWon(row) || typeof row.prize !== 'string') continue;
    if (row.draw_id !== undefined && holding.has(row.draw_id)) continue;
    const key = prizeKey(row.prize);
    recorded.set(key, (recorded.get(key) ?? 0) + 1);
  }
  return recorded;
}

/**
 * The plan counted again from the winners table (`lottery reset`, once it has removed the winners):
 * each prize has left its count, less what running draws hold and the winners still recorded of it.
 */
export function recountPlan(
  plan: PrizePlan,
  recorded: ReadonlyMap<string, number>,
  now: string,
): PrizePlan {
  return {
    version: plan.version + 1,
    updated_at: now,
    // The forfeits go with the winners they replaced: their places are counted again here.
    prizes: plan.prizes.map(({ forfeits: _forfeits, ...prize }) => ({
      ...prize,
      remaining: Math.max(0, prize.count - held(prize) - (recorded.get(prizeKey(prize.name)) ?? 0)),
    })),
  };
}

/** The draws that hold places of the plan's prizes: who `lottery prizes clear` waits for. */
export function runningHolds(
  plan: PrizePlan,
): { drawId: string; prize: string; winners: number }[] {
  return plan.prizes.flatMap((prize) =>
    Object.entries(prize.holds).map(([drawId, hold]) => ({
      drawId,
      prize: prize.name,
      winners: hold.winners,
    })),
  );
}

/**
 * Whether a draw may keep the winners it has just recorded: a draw that reserved places must still
 * hold them, and one that did not (there was no plan when it started) must not be of a prize a plan
 * loaded since has. Undefined when it may; otherwise why not.
 */
export function lostHold(
  plan: PrizePlan | undefined,
  draw: { draw_id: string; prize: string | null; reserved: boolean },
): string | undefined {
  if (draw.prize === null) return undefined;
  const prize = plan && findPrize(plan, draw.prize);
  if (draw.reserved) {
    if (prize?.holds[draw.draw_id]) return undefined;
    return `the places this draw held of ${draw.prize} are gone from the prize plan (was the plan cleared or loaded again?)`;
  }
  if (!prize) return undefined;
  return `a prize plan with ${prize.name} was loaded while this draw ran, and holds no places for it: draw the prize again from the plan`;
}

/** A prize whose plan and winners disagree, for `lottery doctor`. */
export interface PrizeMismatch {
  prize: string;
  count: number;
  /** What the plan counts as drawn: count − remaining − held. */
  drawn: number;
  /** Winners recorded of it, outside running draws. */
  recorded: number;
}

/** The prizes whose drawn count is not the number of their recorded winners. */
export function planMismatches(
  plan: PrizePlan,
  recorded: ReadonlyMap<string, number>,
): PrizeMismatch[] {
  return planStatus(plan).flatMap((status) => {
    const count = recorded.get(prizeKey(status.prize)) ?? 0;
    return count === status.drawn
      ? []
      : [{ prize: status.prize, count: status.count, drawn: status.drawn, recorded: count }];
  });
}
