import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SelectionRecord } from '../core/audit';
import type { PoolStats } from '../core/pool';
import { isConditionalCheckFailed } from './dynamo';

// Lottery-Draws: what draws keep beyond their winners, one partition per kind of thing —
//   pk "pool",         sk "<employee table>"           the pool's statistics, kept by `lottery seed`
//   pk "draw#<id>",    sk "attempt#0001"[#part#0002]    each attempt's audit record (SelectionRecord)
//   pk "reset",        sk "<time>#<random>"             every `lottery reset`, so verify can tell a reset from an edit
//   pk "plan",         sk "<winners table>"             the prize plan, one item (src/aws/prize-plan.ts): its prizes in
//                                                       drawing order with count, remaining and the holds of running draws

/** Statistics are kept per employee table: configurations that share a draws table keep their pools apart. */
const statsKey = (employeeTable: string) => ({ pk: 'pool', sk: employeeTable });
/** DynamoDB items hold at most 400 KB: a record is split into parts well below that. */
const PART_CHARS = 300_000;

const drawKey = (drawId: string) => `draw#${drawId}`;
const attemptKey = (attempt: number) => `attempt#${String(attempt).padStart(4, '0')}`;

export async function getPoolStats(doc: DynamoDBDocumentClient, table: string, employeeTable: string): Promise<PoolStats | undefined> {
  const { Item } = await doc.send(new GetCommand({ TableName: table, Key: statsKey(employeeTable), ConsistentRead: true }));
  if (!Item) return undefined;
  const { count, max_serial, version, updated_at } = Item as PoolStats;
  return { count, max_serial, version, updated_at };
}

/**
 * Saves the statistics if nobody changed them since `previous` was read; false when somebody
 * did (another seed ran at the same time), so that the caller counts again.
 */
export async function putPoolStats(doc: DynamoDBDocumentClient, table: string, employeeTable: string, stats: PoolStats, previous: PoolStats | undefined): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...statsKey(employeeTable), ...stats },
        ...(previous
          ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Writes an attempt's audit record, in parts when it is large (a pool of a million sparse serials). */
export async function putSelectionRecord(doc: DynamoDBDocumentClient, table: string, record: SelectionRecord): Promise<void> {
  const text = JSON.stringify(record);
  const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
  const pk = drawKey(record.draw_id);
  const sk = attemptKey(record.attempt);
  // The parts go first: a reader that finds the head finds everything it names.
  for (let part = 2; part <= parts; part++) {
    await doc.send(new PutCommand({ TableName: table, Item: { pk, sk: `${sk}#part#${String(part).padStart(4, '0')}`, record: text.slice((part - 1) * PART_CHARS, part * PART_CHARS) } }));
  }
  await doc.send(new PutCommand({ TableName: table, Item: { pk, sk, kind: 'selection', attempt: record.attempt, parts, record: text.slice(0, PART_CHARS) } }));
}

interface StoredPiece {
  sk: string;
  parts?: number;
  record: string;
}

/** Every attempt's audit record of a draw, by attempt number. Items that do not parse are reported, not skipped. */
export async function getSelectionRecords(doc: DynamoDBDocumentClient, table: string, drawId: string): Promise<Map<number, SelectionRecord>> {
  const pieces: StoredPiece[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': drawKey(drawId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    pieces.push(...((page.Items ?? []) as StoredPiece[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const records = new Map<number, SelectionRecord>();
  for (const head of pieces.filter((piece) => piece.parts !== undefined)) {
    const rest = pieces.filter((piece) => piece.sk.startsWith(`${head.sk}#part#`)).sort((a, b) => (a.sk < b.sk ? -1 : 1));
    if (rest.length !== (head.parts ?? 1) - 1) throw new Error(`the audit record ${drawKey(drawId)} ${head.sk} is missing parts in ${table}`);
    const record = JSON.parse(head.record + rest.map((piece) => piece.record).join('')) as SelectionRecord;
    records.set(record.attempt, record);
  }
  return records;
}

export interface ResetEntry {
  at: string;
  removed: number;
  /** The draws whose winners the reset removed. */
  draws: string[];
}

export async function logReset(doc: DynamoDBDocumentClient, table: string, entry: ResetEntry): Promise<void> {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'reset', sk: `${entry.at}#${Math.random().toString(36).slice(2, 8)}`, ...entry } }));
}

export async function listResets(doc: DynamoDBDocumentClient, table: string): Promise<ResetEntry[]> {
  const entries: ResetEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'reset' }, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) entries.push({ at: String(item.at), removed: Number(item.removed), draws: (item.draws as string[] | undefined) ?? [] });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries;
}
