import {
  DeleteCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { WinnerDetail } from '../core/draw';
import type { WinnerClaim } from '../core/pool';
import pMap from 'p-map';
import { isConditionalCheckFailed, scanAll } from './dynamo';

/**
 * One item of Lottery-Winners: a person claimed by a running draw, or who has won. Rows written by
 * the workshop's Record Winners hold only employee_id: they are past winners all the same.
 */
export interface WinnerRecord extends WinnerClaim, Partial<Omit<WinnerDetail, 'employee_id'>> {
  prize?: string | null;
  claimed_at?: string;
  won_at?: string;
  /** On a forfeited row: why, when, and the draw that replaces the person. */
  forfeit_reason?: string;
  forfeited_at?: string;
  replaced_by?: string;
  /** Set by `lottery announce` when the announcement was sent after the draw. */
  announcement_id?: string;
}

/**
 * Every row, read consistently: reset, prizes load and doctor count what a draw recorded a moment
 * before against the prize plan.
 */
export function scanWinners(doc: DynamoDBDocumentClient, table: string): Promise<WinnerRecord[]> {
  return scanAll<WinnerRecord>(doc, { TableName: table, ConsistentRead: true });
}

export function scanClaims(doc: DynamoDBDocumentClient, table: string): Promise<WinnerClaim[]> {
  return scanAll<WinnerClaim>(doc, {
    TableName: table,
    ProjectionExpression:
      'employee_id, draw_id, #status, lottery_serial, execution_arn, eligible_again',
    ExpressionAttributeNames: { '#status': 'status' },
  });
}

/** A conditional write: true when it was made, false when its condition did not hold. */
async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Claims a person for a draw. The condition makes the claim exclusive across concurrent draws and
 * lets a retried task claim again for its own draw. Returns false when another draw holds them.
 */
export function claimWinner(
  doc: DynamoDBDocumentClient,
  table: string,
  record: WinnerRecord & { draw_id: string },
): Promise<boolean> {
  return conditionally(
    doc.send(
      new PutCommand({
        TableName: table,
        Item: record,
        // A forfeit made eligible again leaves its row as a record, and its person free to win.
        ConditionExpression:
          'attribute_not_exists(employee_id) OR draw_id = :draw OR (#status = :forfeited AND eligible_again = :yes)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':draw': record.draw_id,
          ':forfeited': 'forfeited',
          ':yes': true,
        },
      }),
    ),
  );
}

/** Turns this draw's claim into a win. Returns false when the claim is no longer this draw's. */
export function commitWinner(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  employeeId: string,
  wonAt: string,
): Promise<boolean> {
  return conditionally(
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { employee_id: employeeId },
        UpdateExpression: 'SET #status = :won, won_at = if_not_exists(won_at, :at)',
        ConditionExpression: 'draw_id = :draw',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':won': 'won', ':at': wonAt, ':draw': drawId },
      }),
    ),
  );
}

/** Removes whatever this draw holds of these people; other draws' items are left alone. */
export async function releaseClaims(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  employeeIds: readonly string[],
): Promise<number> {
  return (await releaseRows(doc, table, drawId, employeeIds)).length;
}

/** As releaseClaims, and says whose rows it removed. */
export async function releaseRows(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  employeeIds: readonly string[],
): Promise<string[]> {
  const released = await Promise.all(
    employeeIds.map((employeeId) =>
      conditionally(
        doc.send(
          new DeleteCommand({
            TableName: table,
            Key: { employee_id: employeeId },
            ConditionExpression: 'draw_id = :draw',
            ExpressionAttributeValues: { ':draw': drawId },
          }),
        ),
      ),
    ),
  );
  return employeeIds.filter((_, index) => released[index]);
}

/** Rows removed at once: enough to keep the backend busy. */
const REMOVALS_IN_FLIGHT = 16;

/**
 * Removes these winners' rows, each only if it is still the row that was read (the same draw, or
 * still none): someone who was removed meanwhile and claimed by a new draw keeps that claim.
 * Returns how many were removed.
 */
export async function removeWinners(
  doc: DynamoDBDocumentClient,
  table: string,
  winners: readonly WinnerClaim[],
): Promise<number> {
  const removed = await pMap(
    winners,
    (winner) =>
      conditionally(
        doc.send(
          new DeleteCommand({
            TableName: table,
            Key: { employee_id: winner.employee_id },
            ...(winner.draw_id === undefined
              ? { ConditionExpression: 'attribute_not_exists(draw_id)' }
              : {
                  ConditionExpression: 'draw_id = :draw',
                  ExpressionAttributeValues: { ':draw': winner.draw_id },
                }),
          }),
        ),
      ),
    { concurrency: REMOVALS_IN_FLIGHT },
  );
  return removed.filter(Boolean).length;
}

/** Notes on a draw's winner records that its announcement went out late (`lottery announce`). */
export async function markAnnounced(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  employeeIds: readonly string[],
  messageId: string,
): Promise<void> {
  await Promise.all(
    employeeIds.map((employeeId) =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { employee_id: employeeId },
          UpdateExpression: 'SET announcement_id = :message',
          ConditionExpression: 'draw_id = :draw',
          ExpressionAttributeValues: { ':message': messageId, ':draw': drawId },
        }),
      ),
    ),
  );
}

/** Everything a draw holds in the winners table, claimed or won. */
export function rowsOfDraw(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
): Promise<WinnerRecord[]> {
  return scanAll<WinnerRecord>(doc, {
    TableName: table,
    FilterExpression: 'draw_id = :draw',
    ExpressionAttributeValues: { ':draw': drawId },
  });
}

/**
 * Keeps winners' rows in step with the employee table after a seed: a row's lottery_serial is the
 * person's serial now, or absent once the person is gone, because draws exclude serials by it.
 */
export async function updateWinnerSerials(
  doc: DynamoDBDocumentClient,
  table: string,
  serials: ReadonlyMap<string, number | undefined>,
): Promise<number> {
  if (serials.size === 0) return 0;
  const rows = (await scanClaims(doc, table)).filter(
    (row) => serials.has(row.employee_id) && row.lottery_serial !== serials.get(row.employee_id),
  );
  await Promise.all(
    rows.map((row) => {
      const serial = serials.get(row.employee_id);
      return doc
        .send(
          new UpdateCommand({
            TableName: table,
            Key: { employee_id: row.employee_id },
            ...(serial === undefined
              ? {
                  UpdateExpression: 'REMOVE lottery_serial',
                  ConditionExpression: 'attribute_exists(employee_id)',
                }
              : {
                  UpdateExpression: 'SET lottery_serial = :serial',
                  ConditionExpression: 'attribute_exists(employee_id)',
                  ExpressionAttributeValues: { ':serial': serial },
                }),
          }),
        )
        .catch((error: unknown) => {
          // The row went meanwhile (a draw gave it back): there is nothing to keep in step.
          if (!isConditionalCheckFailed(error)) throw error;
        });
    }),
  );
  return rows.length;
}

/**
 * Marks a winner's row forfeited (`lottery redraw`): it stays, with why, when and the replacement
 * draw, and keeps its person out of later draws unless they were made eligible again. False when
 * the row is not this draw's win any more (gone, or taken by a later win after eligible_again).
 */
export function markForfeited(
  doc: DynamoDBDocumentClient,
  table: string,
  forfeit: {
    draw_id: string;
    employee_id: string;
    reason: string;
    forfeited_at: string;
    eligible_again: boolean;
    replacement_draw_id: string;
  },
): Promise<boolean> {
  return conditionally(
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { employee_id: forfeit.employee_id },
        UpdateExpression:
          'SET #status = :forfeited, forfeit_reason = :reason, forfeited_at = :at, eligible_again = :again, replaced_by = :replacement',
        ConditionExpression: 'draw_id = :draw AND (#status = :won OR #status = :forfeited)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':forfeited': 'forfeited',
          ':won': 'won',
          ':reason': forfeit.reason,
          ':at': forfeit.forfeited_at,
          ':again': forfeit.eligible_again,
          ':replacement': forfeit.replacement_draw_id,
          ':draw': forfeit.draw_id,
        },
      }),
    ),
  );
}
