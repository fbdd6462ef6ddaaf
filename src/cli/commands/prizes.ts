import { LotteryError } from '../../core/errors';
import { formatIssues, type Issue } from '../../core/issues';
import { hasWon } from '../../core/pool';
import {
  findPrize,
  nextPrize,
  parsePrizeFile,
  planStatus,
  prizeKey,
  replacePlan,
  runningHolds,
  type PlannedPrize,
  type PrizePlan,
} from '../../core/prizes';
import { scanWinners } from '../../aws/winners-table';
import { readRegularFile } from '../../aws/regular-file';
import type { CommandContext } from '../context';
import type { Session } from '../session';
import { cannotRead } from '../files';
import { changeSettledPlan, currentPlan } from '../plan';
import { confirm } from '../prompt';
import { printable } from '../../core/printable';
import type { PrizesClearOptions, PrizesListOptions, PrizesLoadOptions } from '../options';
import { renderTable, styled } from '../render/table';
import { oneOrMany, plural } from '../../core/plural';

function printPlan(context: CommandContext, plan: PrizePlan): void {
  const { output } = context;
  const statuses = planStatus(plan);
  const blankIfNone = (value: number | null) => (value === null || value === 0 ? '' : value);
  output.result(
    renderTable(
      output.out,
      ['#', 'Prize', 'Count', 'Per draw', 'Drawn', 'Being drawn', 'Remaining', 'Forfeited'],
      statuses.map((status) => [
        status.order,
        styled(status.prize, output.out.bold),
        status.count,
        blankIfNone(status.per_draw),
        status.drawn,
        blankIfNone(status.in_progress),
        status.remaining,
        blankIfNone(status.forfeited),
      ]),
    ),
  );
  const left = statuses.reduce((sum, status) => sum + status.remaining, 0);
  const total = statuses.reduce((sum, status) => sum + status.count, 0);
  const next = nextPrize(plan);
  const then = next
    ? `; next: ${printable(next.name)} (\`lottery draw --next\`)`
    : ': every prize has been drawn';
  output.info(`${left} of ${plural(total, 'winner')} left${then}`);
}

/**
 * `lottery prizes`: the plan, each prize with its count, how many are drawn and how many are left.
 */
export async function prizesList(
  options: PrizesListOptions,
  context: CommandContext,
): Promise<void> {
  const plan = await currentPlan(await context.session());
  if (options.json) context.output.json(plan ? planStatus(plan) : []);
  else if (!plan)
    context.output.info(
      'There is no prize plan. Load one with `lottery prizes load FILE` (docs/running-an-event.md, "A prize plan").',
    );
  else printPlan(context, plan);
}

function invalid(file: string, issues: readonly Issue[]): LotteryError {
  const count = oneOrMany(issues.length, 'a problem', `${issues.length} problems`);
  return new LotteryError('usage', `${file} has ${count}; nothing was written`, {
    hint: 'fix the lines above and load the plan again',
    details: formatIssues(issues),
  });
}

/** A plan of a few hundred prizes is a few kilobytes. */
const PRIZE_FILE = { what: 'a prize plan file', maxBytes: 1_000_000 };

/** Winners recorded of each prize name, by prizeKey. */
async function wonByPrize(session: Session): Promise<Map<string, number>> {
  const won = new Map<string, number>();
  for (const row of await scanWinners(session.clients.doc, session.config.winnersTable)) {
    if (hasWon(row) && typeof row.prize === 'string')
      won.set(prizeKey(row.prize), (won.get(prizeKey(row.prize)) ?? 0) + 1);
  }
  return won;
}

/**
 * A draw of a prize that was free text when it started holds no places in the plan: if it
 * recorded its winners between the first count and the plan's write, they are counted now. One
 * that records after this count finds the plan, and its Record Winner Queue rolls it back.
 */
async function countLateWinners(
  session: Session,
  added: readonly string[],
  counted: ReadonlyMap<string, number>,
): Promise<PrizePlan> {
  const won = await wonByPrize(session);
  return changeSettledPlan(session, (plan, now) => {
    if (!plan) throw new Error('the prize plan was removed while it was being loaded');
    const late = (prize: PlannedPrize) =>
      added.includes(prizeKey(prize.name))
        ? (won.get(prizeKey(prize.name)) ?? 0) - (counted.get(prizeKey(prize.name)) ?? 0)
        : 0;
    if (!plan.prizes.some((prize) => late(prize) > 0)) return { value: plan };
    const next: PrizePlan = {
      version: plan.version + 1,
      updated_at: now,
      prizes: plan.prizes.map((prize) => ({
        ...prize,
        remaining: Math.max(0, prize.remaining - Math.max(0, late(prize))),
      })),
    };
    return { next, value: next };
  });
}

/**
 * `lottery prizes load FILE`: the file becomes the plan. The whole file is checked first; a prize
 * the plan had keeps what was drawn of it, a new one counts the winners already recorded under
 * its name, and a prize cannot go below what is drawn of it.
 */
export async function prizesLoad(
  options: PrizesLoadOptions,
  context: CommandContext,
): Promise<void> {
  let content: string;
  try {
    content = (await readRegularFile(options.file, PRIZE_FILE)).toString('utf8');
  } catch (error) {
    throw cannotRead(
      options.file,
      error,
      'pass a CSV (prize,count,per_draw) or a JSON array of prizes',
    );
  }
  const parsed = parsePrizeFile(content, options.file);
  if (parsed.issues.length > 0) throw invalid(options.file, parsed.issues);

  const session = await context.session();
  const won = await wonByPrize(session);
  const loaded = await changeSettledPlan(session, (existing, now) => {
    const result = replacePlan(existing, parsed.prizes, won, options.file, now);
    if ('issues' in result) throw invalid(options.file, result.issues);
    const added = parsed.prizes.filter((prize) => !(existing && findPrize(existing, prize.name)));
    return { next: result.plan, value: added.map((prize) => prizeKey(prize.name)) };
  });
  const plan = await countLateWinners(session, loaded, won);
  if (options.json) {
    context.output.json(planStatus(plan));
    return;
  }
  printPlan(context, plan);
  context.output.info(`Loaded ${plural(plan.prizes.length, 'prize')} from ${options.file}.`);
}

function drawingNow(holding: ReturnType<typeof runningHolds>): LotteryError {
  const draws = holding.map(
    (hold) => `${hold.drawId} (${plural(hold.winners, 'winner')} of ${printable(hold.prize)})`,
  );
  const hold = oneOrMany(holding.length, 'a draw holds', 'draws hold');
  return new LotteryError(
    'failed',
    `refusing to remove the prize plan while ${hold} places in it: ${draws.join(', ')}`,
    {
      hint:
        `wait for ${oneOrMany(holding.length, 'it', 'them')} to end ` +
        `(\`lottery draw --attach ${holding[0]?.drawId}\` follows one), then clear the plan`,
    },
  );
}

/**
 * `lottery prizes clear`: removes the plan; winners stay recorded, and prizes are free text again.
 * Refused while a draw holds places in it.
 */
export async function prizesClear(
  options: PrizesClearOptions,
  context: CommandContext,
): Promise<void> {
  const { output } = context;
  const session = await context.session();
  const plan = await currentPlan(session);
  const report = (removed: number) => {
    if (options.json) output.json({ removed });
    else
      output.info(
        removed === 0
          ? 'There is no prize plan.'
          : `Removed the prize plan (${plural(removed, 'prize')}); the winners stay recorded.`,
      );
  };
  if (!plan) return report(0);
  if (!options.yes) {
    const what = `remove the prize plan (${plural(plan.prizes.length, 'prize')})`;
    if (!output.interactive)
      throw new LotteryError('usage', `refusing to ${what} without confirmation`, {
        hint: 'run it in a terminal to be asked, or pass --yes',
      });
    if (
      !(await confirm(
        context,
        `Remove the prize plan (${plural(plan.prizes.length, 'prize')})? The winners stay recorded.`,
      ))
    ) {
      output.info('Nothing was removed.');
      return;
    }
  }
  const removed = await changeSettledPlan(session, (current) => {
    // The plan is what running draws hold their places in: without it, their winners would count
    // against nothing, and a plan loaded after would let the prize be drawn in full again.
    const holding = current ? runningHolds(current) : [];
    if (holding.length > 0) throw drawingNow(holding);
    return { next: current ? null : undefined, value: current?.prizes.length ?? 0 };
  });
  report(removed);
}
