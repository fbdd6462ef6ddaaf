import type { SelectionRecord } from './audit';
import type { DrawResult } from './draw';
import { isCandidate } from './event-checks';
import { forfeitKey, type Forfeit } from './forfeits';
import type { CandidateSpace } from './selection';
import type { Verification, VerifyCheck } from './verify';

// `lottery verify --event`: every draw since the last reset, each verified on its own, then what
// only the event as a whole shows — that no draw let in someone an earlier draw had made a
// winner, and what became of every forfeit: its reason, and the replacement that filled it.

export interface EventDraw {
  result: DrawResult;
  /** The attempt's audit record the draw returned; undefined when it is missing. */
  record?: SelectionRecord;
  verification: Verification;
  /** When Step Functions started it. */
  startedAt: Date;
}

export interface ForfeitOutcome {
  forfeit: Forfeit;
  /** The replacement's status: SUCCEEDED, FAILED, RUNNING…; undefined when it never started. */
  replacementStatus?: string;
  /** Who the replacement drew, once it succeeded. */
  replacedBy?: string;
}

export interface EventVerification {
  ok: boolean;
  draws: { draw_id: string; prize: string | null; ok: boolean; failed: VerifyCheck[] }[];
  forfeits: (ForfeitOutcome & { ok: boolean; detail: string })[];
  checks: VerifyCheck[];
}

interface Win {
  employee_id: string;
  lottery_serial?: number;
  draw_id: string;
  at: string;
}

/**
 * Every winner of a draw recorded before `draw` selected is out of its running, unless they
 * forfeited and were made eligible again before it.
 */
function earlierWinnersLetIn(
  draw: EventDraw,
  space: CandidateSpace,
  wins: readonly Win[],
  forfeits: readonly Forfeit[],
): string[] {
  const record = draw.record as SelectionRecord;
  const freed = new Set(
    forfeits
      .filter((forfeit) => forfeit.eligible_again && forfeit.forfeited_at < record.selected_at)
      .map(forfeitKey),
  );
  const winners = new Set(draw.result.winners.map((winner) => winner.employee_id));
  return wins
    .filter((win) => win.draw_id !== draw.result.draw_id && win.at < record.selected_at)
    .filter((win) => !freed.has(forfeitKey(win)))
    .flatMap((win) => {
      if (winners.has(win.employee_id))
        return [
          `${win.employee_id} won draw ${win.draw_id}, and again draw ${draw.result.draw_id}`,
        ];
      if (isCandidate(space, win.lottery_serial ?? 0))
        return [
          `${win.employee_id}, a winner of draw ${win.draw_id}, was among the candidates of draw ${draw.result.draw_id} (serial ${win.lottery_serial})`,
        ];
      return [];
    });
}

function forfeitOutcome(
  outcome: ForfeitOutcome,
  draws: readonly EventDraw[],
): ForfeitOutcome & { ok: boolean; detail: string } {
  const { forfeit } = outcome;
  const why = `${forfeit.employee_id} (${forfeit.employee_name}) forfeited draw ${forfeit.draw_id} at ${forfeit.forfeited_at}: ${JSON.stringify(forfeit.reason)}${forfeit.eligible_again ? ', may win again' : ''}`;
  const replacement = draws.find((draw) => draw.result.draw_id === forfeit.replacement_draw_id);
  const status = outcome.replacementStatus;
  if (replacement) {
    const names = replacement.record?.replaces;
    if (!names || forfeitKey(names) !== forfeitKey(forfeit))
      return {
        ...outcome,
        ok: false,
        detail: `${why}; its replacement, draw ${forfeit.replacement_draw_id}, does not replace them`,
      };
    const winner = replacement.result.winners.map((each) => each.employee_id).join(', ');
    return {
      ...outcome,
      replacedBy: winner,
      ok: replacement.verification.ok,
      detail: `${why}; replaced by ${winner} in draw ${forfeit.replacement_draw_id}${replacement.verification.ok ? ', which verifies' : ', which does not verify'}`,
    };
  }
  const what =
    status === undefined
      ? 'never started: run the same `lottery redraw` again to draw it'
      : status === 'RUNNING'
        ? 'is still running'
        : `ended ${status}: the place went back to the prize`;
  return {
    ...outcome,
    ok: true,
    detail: `${why}; its replacement, draw ${forfeit.replacement_draw_id}, ${what}`,
  };
}

/** The event's draws and forfeits, as `lottery verify --event` reports them. */
export function verifyEvent(
  draws: readonly EventDraw[],
  forfeits: readonly ForfeitOutcome[],
): EventVerification {
  const ordered = [...draws].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const wins: Win[] = ordered.flatMap((draw) =>
    draw.result.winners.map((winner) => ({
      employee_id: winner.employee_id,
      ...(winner.lottery_serial === undefined ? {} : { lottery_serial: winner.lottery_serial }),
      draw_id: draw.result.draw_id,
      at: draw.result.recorded_at,
    })),
  );
  const recorded = forfeits.map((outcome) => outcome.forfeit);
  const letIn = ordered.flatMap((draw) =>
    draw.record && draw.verification.space
      ? earlierWinnersLetIn(draw, draw.verification.space, wins, recorded)
      : // A draw whose record is missing or unreadable fails its own checks already.
        [],
  );
  const checks: VerifyCheck[] = [
    letIn.length > 0
      ? { name: 'records', ok: false, detail: letIn.join('; ') }
      : {
          name: 'records',
          ok: true,
          detail: `no draw let in someone an earlier draw had made a winner (${wins.length} wins in ${ordered.length} draws)`,
        },
  ];
  const outcomes = forfeits.map((outcome) => forfeitOutcome(outcome, ordered));
  const summaries = ordered.map((draw) => ({
    draw_id: draw.result.draw_id,
    prize: draw.result.prize,
    ok: draw.verification.ok,
    failed: draw.verification.checks.filter((check) => !check.ok),
  }));
  return {
    ok:
      summaries.every((draw) => draw.ok) &&
      outcomes.every((outcome) => outcome.ok) &&
      letIn.length === 0,
    draws: summaries,
    forfeits: outcomes,
    checks,
  };
}
