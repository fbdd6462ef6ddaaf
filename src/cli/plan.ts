import { LotteryError } from '../core/errors';
import {
  drawSize,
  findPrize,
  holdingDraws,
  nextPrize,
  notInPlanMessage,
  settleHolds,
  type PrizePlan,
} from '../core/prizes';
import { executionStatus } from '../aws/executions';
import { changePrizePlan, getPrizePlan, type PlanChange } from '../aws/prize-plan';
import type { Session } from './session';

/** The statuses of the draws that hold winners of the plan's prizes. */
async function holdStatuses(
  session: Session,
  plan: PrizePlan,
): Promise<Map<string, string | undefined>> {
  const holding = [...holdingDraws(plan)];
  if (holding.length === 0) return new Map();
  const sfn = await session.clients.sfn();
  return new Map(
    await Promise.all(
      holding.map(async ([drawId, arn]) => [drawId, await executionStatus(sfn, arn)] as const),
    ),
  );
}

/**
 * The plan as it stands: the holds of draws that have ended count as drawn or given back (in what
 * is returned; nothing is written).
 */
export async function currentPlan(session: Session): Promise<PrizePlan | undefined> {
  const { doc } = session.clients;
  const plan = await getPrizePlan(doc, session.config.drawsTable, session.config.winnersTable);
  return (
    plan && (settleHolds(plan, await holdStatuses(session, plan), new Date().toISOString()) ?? plan)
  );
}

/**
 * Changes the plan once the holds of draws that ended are settled, on the condition that nobody
 * changed it meanwhile.
 */
export function changeSettledPlan<T>(
  session: Session,
  change: (plan: PrizePlan | undefined, now: string) => PlanChange<T> | Promise<PlanChange<T>>,
): Promise<T> {
  const { doc } = session.clients;
  return changePrizePlan(
    doc,
    session.config.drawsTable,
    session.config.winnersTable,
    async (plan) => {
      const now = new Date().toISOString();
      const settled = plan && (settleHolds(plan, await holdStatuses(session, plan), now) ?? plan);
      return change(settled, now);
    },
  );
}

export interface PlannedDraw {
  /** The prize as the plan spells it. */
  prize: string;
  winners: number;
}

/**
 * What a draw of a prize of the plan asks for: the next prize with winners left (`--next`) or the
 * one named, and how many; undefined for a prize when there is no plan (it is then free text).
 * The workflow's Reserve Prize state decides again, atomically: this check only spares the
 * operator a draw that would fail, and says why in the plan's words.
 */
export async function plannedDraw(
  session: Session,
  options: { prize?: string; next?: boolean; winners?: number },
): Promise<PlannedDraw | undefined> {
  const plan = await currentPlan(session);
  const seePlan = '`lottery prizes` shows what is left of each prize';
  if (!plan) {
    if (options.next)
      throw new LotteryError(
        'usage',
        '--next draws the next prize of the prize plan, but there is no plan',
        { hint: 'load one with `lottery prizes load FILE`' },
      );
    return undefined;
  }
  const prize = options.next ? nextPrize(plan) : findPrize(plan, options.prize ?? '');
  if (!prize) {
    if (options.next)
      throw new LotteryError('failed', 'every prize of the plan has been drawn', {
        hint: `${seePlan}; \`lottery reset\` puts every prize back`,
      });
    throw new LotteryError('usage', `--prize: ${notInPlanMessage(plan, options.prize ?? '')}`, {
      hint: 'check the name with `lottery prizes`; with a plan loaded, only its prizes can be drawn (`lottery prizes clear` removes it)',
    });
  }
  const size = drawSize(prize, options.winners);
  if (!size.ok) throw new LotteryError('failed', size.message, { hint: seePlan });
  return { prize: prize.name, winners: size.winners };
}
