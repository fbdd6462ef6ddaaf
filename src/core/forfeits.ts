// A winner who is not in the room: `lottery redraw` (or the `x` key on stage) records a forfeit —
// the draw, the person, why, when, whether they may win again, and the replacement draw — with a
// write that succeeds once, then starts the replacement as a draw of its own (one winner, the same
// prize) whose request names what it replaces. The forfeit is kept in the backend before the
// replacement starts, so that `lottery verify` can show every forfeit and tell a redraw done in
// the open from one made up afterwards.

/** What a replacement draw replaces: one winner of one draw. */
export interface Replaces {
  draw_id: string;
  employee_id: string;
}

export interface Forfeit extends Replaces {
  employee_name: string;
  /** The person's serial when they won: a replacement draw must leave it out. */
  lottery_serial?: number;
  prize: string | null;
  reason: string;
  /** When the forfeit was recorded: before its replacement started. */
  forfeited_at: string;
  /** The person may win again in a later draw of the event (never in the replacement itself). */
  eligible_again: boolean;
  replacement_draw_id: string;
}

export function forfeitKey(replaces: Replaces): string {
  return `${replaces.draw_id}#${replaces.employee_id}`;
}

/**
 * The forfeits in force: those recorded since the last `lottery reset`, which puts everyone back
 * in the running.
 */
export function forfeitsSince(
  forfeits: readonly Forfeit[],
  resets: readonly { at: string }[],
  before?: string,
): Forfeit[] {
  const lastReset = resets
    .map((reset) => reset.at)
    .filter((at) => before === undefined || at <= before)
    .sort()
    .at(-1);
  return forfeits
    .filter(
      (forfeit) =>
        (lastReset === undefined || forfeit.forfeited_at > lastReset) &&
        (before === undefined || forfeit.forfeited_at <= before),
    )
    .sort(
      (a, b) =>
        a.forfeited_at.localeCompare(b.forfeited_at) || (forfeitKey(a) < forfeitKey(b) ? -1 : 1),
    );
}

/** The fields where a forfeit differs from what was recorded, in words; empty when none do. */
export function forfeitChanges(recorded: Forfeit, now: Forfeit): string[] {
  const fields: (keyof Forfeit)[] = [
    'draw_id',
    'employee_id',
    'employee_name',
    'lottery_serial',
    'prize',
    'reason',
    'forfeited_at',
    'eligible_again',
    'replacement_draw_id',
  ];
  return fields
    .filter((field) => recorded[field] !== now[field])
    .map(
      (field) =>
        `${field} was ${JSON.stringify(recorded[field])}, is ${JSON.stringify(now[field])}`,
    );
}

/**
 * The forfeit a replacement draw fills, or why it cannot fill it: it must be recorded, and name
 * this draw as its replacement.
 */
export function forfeitFilledBy(
  replaces: Replaces,
  drawId: string,
  forfeits: readonly Forfeit[],
): { forfeit: Forfeit } | { problem: string } {
  const forfeit = forfeits.find((each) => forfeitKey(each) === forfeitKey(replaces));
  if (!forfeit)
    return {
      problem: `no forfeit of ${replaces.employee_id} in draw ${replaces.draw_id} is recorded: a replacement draw starts after its forfeit (\`lottery redraw\`)`,
    };
  if (forfeit.replacement_draw_id !== drawId)
    return {
      problem: `the forfeit of ${replaces.employee_id} in draw ${replaces.draw_id} names draw ${forfeit.replacement_draw_id} as its replacement, not ${drawId}`,
    };
  return { forfeit };
}
