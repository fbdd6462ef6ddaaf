import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { leftovers, type DrawRows } from '../core/leftovers';
import { logRollback } from './draws-table';
import { releaseRows } from './winners-table';

// Removes what draws that are over left in the winners table (src/core/leftovers.ts), and logs
// every win it removes in the draws table, so that `lottery verify` can say what became of it.

export interface LeftoverTables {
  winners: string;
  draws: string;
}

/** What was removed of one draw. */
export interface RemovedLeftovers {
  drawId: string;
  /** How its execution ended; undefined when there is no such execution. */
  status: string | undefined;
  claims: string[];
  wins: string[];
}

/** The status of a draw's execution; undefined when there is no such execution. */
export type DrawStatus = (
  drawId: string,
  executionArn: string | undefined,
) => Promise<string | undefined>;

/**
 * Asks how each draw stands, one question per draw, and removes what it should not hold. `by` says
 * who removes them, in the log. Returns the draws that are over, each with what this call removed
 * of it (draws left alone are not listed): whoever read the rows before should read them again.
 */
export async function removeLeftovers(
  doc: DynamoDBDocumentClient,
  tables: LeftoverTables,
  draws: ReadonlyMap<string, DrawRows>,
  statusOf: DrawStatus,
  by: string,
): Promise<RemovedLeftovers[]> {
  const removed: RemovedLeftovers[] = [];
  for (const [drawId, rows] of draws) {
    const status = await statusOf(drawId, rows.executionArn);
    const ids = leftovers(rows, status);
    if (ids.length === 0) continue;
    // Some may be gone already (whoever ended the draw): what is listed is what this call removed.
    const gone = new Set(await releaseRows(doc, tables.winners, drawId, ids));
    const wins = rows.won.filter((id) => gone.has(id));
    if (wins.length > 0)
      await logRollback(doc, tables.draws, {
        draw_id: drawId,
        at: new Date().toISOString(),
        status: status ?? 'UNKNOWN',
        by,
        removed: wins,
      });
    removed.push({
      drawId,
      status,
      claims: rows.claimed.filter((id) => gone.has(id)),
      wins,
    });
  }
  return removed;
}
