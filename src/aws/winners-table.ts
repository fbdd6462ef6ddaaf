import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WinnerDetail } from '../core/draw';
import type { WinnerClaim } from '../core/pool';
import { batchWrite, isConditionalCheckFailed, scanAll } from './dynamo';

/** One item of Lottery-Winners: a person claimed by a running draw, or who has won. */
export interface WinnerRecord extends WinnerDetail, WinnerClaim {
  prize: string | null;
  claimed_at: string;
  won_at?: string;
  /** Set by `lottery announce` when the announcement was sent after the draw. */
  announcement_id?: string;
}

export function scanWinners(doc: DynamoDBDocumentClient, table: string): Promise<WinnerRecord[]> {
  return scanAll<WinnerRecord>(doc, { TableName: table });
}

export function scanClaims(doc: DynamoDBDocumentClient, table: string): Promise<WinnerClaim[]> {
  return scanAll<WinnerClaim>(doc, {
    TableName: table,
    ProjectionExpression: 'employee_id, draw_id, #status',
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
export function claimWinner(doc: DynamoDBDocumentClient, table: string, record: WinnerRecord): Promise<boolean> {
  return conditionally(
    doc.send(
      new PutCommand({
        TableName: table,
        Item: record,
        ConditionExpression: 'attribute_not_exists(employee_id) OR draw_id = :draw',
        ExpressionAttributeValues: { ':draw': record.draw_id },
      }),
    ),
  );
}

/** Turns this draw's claim into a win. Returns false when the claim is no longer this draw's. */
export function commitWinner(doc: DynamoDBDocumentClient, table: string, drawId: string, employeeId: string, wonAt: string): Promise<boolean> {
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
export async function releaseClaims(doc: DynamoDBDocumentClient, table: string, drawId: string, employeeIds: readonly string[]): Promise<number> {
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
  return released.filter(Boolean).length;
}

export async function deleteAllWinners(doc: DynamoDBDocumentClient, table: string): Promise<number> {
  const keys = await scanAll<{ employee_id: string }>(doc, { TableName: table, ProjectionExpression: 'employee_id' });
  await batchWrite(doc, table, keys.map((key) => ({ DeleteRequest: { Key: { employee_id: key.employee_id } } })));
  return keys.length;
}

/** Notes on a draw's winner records that its announcement went out late (`lottery announce`). */
export async function markAnnounced(doc: DynamoDBDocumentClient, table: string, drawId: string, employeeIds: readonly string[], messageId: string): Promise<void> {
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

/**
 * Cleans up after a draw that stopped half-way (its process was killed): if any of its people is
 * still only claimed, the draw never finished recording, so all of its rows go — a draw is
 * recorded whole or not at all. A draw whose rows are all won is left as it is.
 */
export async function releaseUnfinishedDraw(doc: DynamoDBDocumentClient, table: string, drawId: string): Promise<number> {
  const rows = await scanAll<WinnerClaim>(doc, {
    TableName: table,
    ProjectionExpression: 'employee_id, draw_id, #status',
    FilterExpression: 'draw_id = :draw',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':draw': drawId },
  });
  if (rows.every((row) => row.status === 'won')) return 0;
  return releaseClaims(doc, table, drawId, rows.map((row) => row.employee_id));
}
