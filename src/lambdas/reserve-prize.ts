import type { DrawBody } from '../core/draw';
import { holdingDraws, reservePrize, settleHolds, type PlannedPrize } from '../core/prizes';
import { forfeitFilledBy, forfeitKey } from '../core/forfeits';
import { changePrizePlan } from '../aws/prize-plan';
import { getForfeit } from '../aws/event-records';
import { lambdaHandler, type HandlerDeps } from './deps';
import { WorkflowError } from './errors';

/** What the draw view shows of a reservation. */
export interface ReservationNote {
  prize: string;
  winners: number;
  count: number;
  remaining: number;
  /** A replacement draw: whom it replaces (their forfeited place is the one taken). */
  replacing?: string;
}

export interface ReservePrizeResult {
  body: DrawBody;
  reservation?: ReservationNote;
}

/**
 * Reserve Prize: for a draw of a prize in the plan, takes its winners out of the prize's remaining
 * count before anyone is picked, with a write conditional on the plan's version
 * (src/aws/prize-plan.ts), so that a prize never awards more than its count. Holds of draws that
 * have ended are settled on the way. A draw without a prize, or any prize when there is no plan,
 * passes through untouched.
 */
export function createReservePrize(
  deps: Pick<HandlerDeps, 'doc' | 'drawsTable' | 'winnersTable' | 'executionStatus' | 'now'>,
) {
  return async (body: DrawBody): Promise<ReservePrizeResult> => {
    // A replacement's forfeit is recorded before it starts: the place it hands back is real.
    if (body.replaces) {
      const forfeit = await getForfeit(deps.doc, deps.drawsTable, deps.winnersTable, body.replaces);
      const found = forfeitFilledBy(body.replaces, body.draw_id, forfeit ? [forfeit] : []);
      if ('problem' in found) throw new WorkflowError('ForfeitNotRecorded', found.problem);
    }
    const prize = body.prize;
    if (prize === null) return { body };
    const reserved = await changePrizePlan<PlannedPrize | undefined>(
      deps.doc,
      deps.drawsTable,
      deps.winnersTable,
      async (plan) => {
        if (!plan) return { value: undefined };
        const now = deps.now().toISOString();
        const others = [...holdingDraws(plan)].filter(([drawId]) => drawId !== body.draw_id);
        const statuses = new Map(
          await Promise.all(
            others.map(async ([drawId, arn]) => [drawId, await deps.executionStatus(arn)] as const),
          ),
        );
        const reservation = reservePrize(
          settleHolds(plan, statuses, now) ?? plan,
          prize,
          {
            draw_id: body.draw_id,
            execution_arn: body.execution_arn,
            winners: body.num_of_winners,
            ...(body.replaces ? { replaces: forfeitKey(body.replaces) } : {}),
          },
          now,
        );
        switch (reservation.kind) {
          case 'not-in-plan':
            throw new WorkflowError('PrizeNotInPlan', reservation.message);
          case 'refused':
            throw new WorkflowError('PrizeExhausted', reservation.message);
          case 'already':
            return { value: reservation.prize };
          case 'reserved':
            return { next: reservation.plan, value: reservation.prize };
        }
      },
    );
    if (!reserved) return { body };
    // The plan's spelling of the prize is what the winners are recorded and announced with.
    return {
      body: { ...body, prize: reserved.name, prize_hold: body.num_of_winners },
      reservation: {
        prize: reserved.name,
        winners: body.num_of_winners,
        count: reserved.count,
        remaining: reserved.remaining,
        ...(body.replaces ? { replacing: body.replaces.employee_id } : {}),
      },
    };
  };
}

export const handler = lambdaHandler(createReservePrize);
