import { hasWon, type WinnerClaim } from './pool';

// What draws that are over leave in the winners table. A draw that fails gives back what it holds
// itself (Release Winners); one stopped from outside (StopExecution, a timeout, a killed local
// process) cannot: its claims stay, and its Record Winner Queue, which may still be running when
// the stop comes, may even record its wins after it. Whoever looks next — the next draw, `lottery
// doctor --fix` — asks how each such draw ended and removes what it should not have left.

/** The rows a draw holds, by person. */
export interface DrawRows {
  /** The execution that made them, when the rows say. */
  executionArn?: string;
  claimed: string[];
  won: string[];
}

/** Executions that ended without succeeding: nothing they recorded is a win. */
const UNSUCCESSFUL = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

export const endedWithoutSuccess = (status: string | undefined): boolean =>
  status !== undefined && UNSUCCESSFUL.has(status);

/** The rows of each draw but `exceptDraw`; rows that name no draw (the workshop's) are left out. */
export function rowsByDraw(
  claims: readonly WinnerClaim[],
  exceptDraw?: string,
): Map<string, DrawRows> {
  const draws = new Map<string, DrawRows>();
  for (const claim of claims) {
    if (claim.draw_id === undefined || claim.draw_id === exceptDraw) continue;
    // A forfeit holds nobody: its row stays with the event's record (src/core/forfeits.ts).
    if (claim.status === 'forfeited') continue;
    let rows = draws.get(claim.draw_id);
    if (!rows) {
      rows = { claimed: [], won: [] };
      draws.set(claim.draw_id, rows);
    }
    if (claim.execution_arn !== undefined) rows.executionArn = claim.execution_arn;
    (hasWon(claim) ? rows.won : rows.claimed).push(claim.employee_id);
  }
  return draws;
}

/**
 * Who of a draw's rows to remove, given how its execution stands (undefined: there is no such
 * execution). A draw still running, or one that succeeded, keeps everything. Claims of any other
 * go: nobody is held by a draw that is over. Wins go only when the execution is known to have ended
 * without success: the wins of a draw nobody knows (Step Functions forgets executions after 90
 * days; or a row written by hand) are not ours to remove, and `lottery doctor` reports them.
 */
export function leftovers(rows: DrawRows, status: string | undefined): string[] {
  if (status === 'RUNNING' || status === 'SUCCEEDED') return [];
  return endedWithoutSuccess(status) ? [...rows.claimed, ...rows.won] : [...rows.claimed];
}
