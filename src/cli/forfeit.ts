import { randomBytes } from 'node:crypto';
import type { DrawRequest, DrawResult } from '../core/draw';
import { LotteryError } from '../core/errors';
import type { Forfeit } from '../core/forfeits';
import { getForfeit, putForfeit } from '../aws/event-records';
import { markForfeited, rowsOfDraw } from '../aws/winners-table';
import { succeededDraw } from './past-draw';
import type { Session } from './session';

// `lottery redraw` and the stage's `x` key: a winner who is not there forfeits, and one person is
// drawn in their place. The writes are ordered so that a command killed at any point can be run
// again to complete, and so that the prize plan is credited once:
//
//   1. the forfeit, with a write that succeeds once (of two hosts, one writes it; the other reads
//      it back and is told which replacement draw it names);
//   2. the winner's row marked forfeited (idempotent);
//   3. the replacement started under the name the forfeit holds (Step Functions starts a name
//      once), with a request that names what it replaces. Its Reserve Prize hands the place back
//      to the plan in the same write that reserves it, once per forfeit.

export interface ForfeitAsk {
  /** The draw the winner won, by id or execution ARN. */
  draw: string;
  employeeId: string;
  reason: string;
  eligibleAgain: boolean;
  /** The replacement's execution name; a fresh `redraw-…` name otherwise. */
  replacementName?: string;
}

export interface RecordedForfeit {
  forfeit: Forfeit;
  /** False when the forfeit was recorded before (by another host, or a run that was stopped). */
  written: boolean;
  /** The draw the forfeited person won. */
  original: DrawResult;
}

/** A readable, sortable name for a replacement draw: redraw-20261126-134501-3f2a. */
export function newReplacementName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `redraw-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Records the forfeit and marks the winner's row (steps 1 and 2), or finds them recorded. */
export async function recordForfeit(session: Session, ask: ForfeitAsk): Promise<RecordedForfeit> {
  const { doc } = session.clients;
  const { drawsTable, winnersTable } = session.config;
  const { result: original } = await succeededDraw(session, ask.draw, 'forfeit');
  const winner = original.winners.find((each) => each.employee_id === ask.employeeId);
  if (!winner)
    throw new LotteryError(
      'usage',
      `${ask.employeeId} is not a winner of draw ${original.draw_id} (its winners: ${original.winners.map((each) => each.employee_id).join(', ')})`,
      { hint: 'see who won what with `lottery winners list`' },
    );
  const replaces = { draw_id: original.draw_id, employee_id: winner.employee_id };
  let recorded = await getForfeit(doc, drawsTable, winnersTable, replaces);
  let written = false;
  if (!recorded) {
    const row = (await rowsOfDraw(doc, winnersTable, original.draw_id)).find(
      (each) => each.employee_id === winner.employee_id,
    );
    // 'forfeited': another host recorded the forfeit since we looked; putForfeit returns theirs.
    if (row?.status !== 'won' && row?.status !== 'forfeited')
      throw new LotteryError(
        'failed',
        `${winner.employee_id}'s win in draw ${original.draw_id} is no longer recorded (the winners were reset since): there is nothing to forfeit`,
        { hint: 'draw again with `lottery draw`' },
      );
    const draft: Forfeit = {
      ...replaces,
      employee_name: winner.employee_name,
      ...(winner.lottery_serial === undefined ? {} : { lottery_serial: winner.lottery_serial }),
      prize: original.prize,
      reason: ask.reason,
      forfeited_at: new Date().toISOString(),
      eligible_again: ask.eligibleAgain,
      replacement_draw_id: ask.replacementName ?? newReplacementName(),
    };
    ({ forfeit: recorded, written } = await putForfeit(doc, drawsTable, winnersTable, draft));
  }
  await markForfeited(doc, winnersTable, recorded);
  return { forfeit: recorded, written, original };
}

/** The replacement's request: one winner of the same prize, naming what it replaces. */
export function replacementRequest(forfeit: Forfeit, beacon: boolean): DrawRequest {
  return {
    input: 1,
    prize: forfeit.prize,
    replaces: { draw_id: forfeit.draw_id, employee_id: forfeit.employee_id },
    ...(beacon ? { beacon: true } : {}),
  };
}

/** What to tell whoever asks for a forfeit that is recorded already. */
export function alreadyForfeited(forfeit: Forfeit, askedReason: string): string {
  const reason =
    forfeit.reason === askedReason
      ? `"${forfeit.reason}"`
      : `"${forfeit.reason}", not "${askedReason}"`;
  return `${forfeit.employee_id} forfeited draw ${forfeit.draw_id} already, at ${forfeit.forfeited_at} (${reason}); its replacement is draw ${forfeit.replacement_draw_id}`;
}
