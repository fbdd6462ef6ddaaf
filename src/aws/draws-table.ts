import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { SelectionRecord } from '../core/audit';
import type { BeaconCommitment } from '../core/beacon';
import type { PoolStats } from '../core/pool';
import { isConditionalCheckFailed } from './dynamo';

// Lottery-Draws: what draws keep beyond their winners, one partition per kind of thing:
//
//   pk "pool", sk "<employee table>": the pool's statistics, kept by `lottery seed`; also the seeds
//     writing now (seeding: id → start) and the highest serial they claimed (claimed_serial), with
//     a revision that every write raises (src/core/seeding.ts, src/aws/pool-state.ts)
//   pk "draw#<id>", sk "attempt#0001"[#part#0002]: each attempt's audit record (SelectionRecord)
//   pk "draw#<id>", sk "commitment"[#part#0002]: a beacon draw's commitment, written once, before
//     its round exists
//   pk "reset", sk "<time>#<random>": every `lottery reset`, so verify can tell a reset from an
//     edit; `finished` is false until the reset has removed its winners and counted the plan again,
//     so that doctor can tell one that was cut short
//   pk "draw#<id>", sk "rollback#<time>": winners of a draw that did not succeed, removed after it
//     ended (by its own Record Winner Queue, the next draw or `doctor --fix`), so that verify can
//     say what became of them
//   pk "plan", sk "<winners table>": the prize plan, one item (src/aws/prize-plan.ts): its prizes
//     in drawing order with count, remaining and the holds of running draws
//   pk "draw#<id>", sk "reveal": how many of the draw's winners `draw --stage` has revealed, for
//     the room's screen (`lottery show`); written by the host's terminal, never by the workflow

/**
 * Statistics are kept per employee table: configurations that share a draws table keep their pools
 * apart.
 */
const statsKey = (employeeTable: string) => ({ pk: 'pool', sk: employeeTable });
/** DynamoDB items hold at most 400 KB: a record is split into parts well below that. */
const PART_CHARS = 300_000;

const drawKey = (drawId: string) => `draw#${drawId}`;
const attemptKey = (attempt: number) => `attempt#${String(attempt).padStart(4, '0')}`;

export async function getPoolStats(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
): Promise<PoolStats | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: statsKey(employeeTable), ConsistentRead: true }),
  );
  // A first seed lists itself before it has counted anyone: no statistics yet.
  if (typeof Item?.count !== 'number') return undefined;
  const { count, max_serial, version, updated_at, max_tickets, tickets_total, members } =
    Item as PoolStats;
  return {
    count,
    max_serial,
    version,
    updated_at,
    ...(max_tickets === undefined ? {} : { max_tickets, tickets_total }),
    ...(members === undefined ? {} : { members }),
  };
}

/**
 * Saves the statistics if nobody changed them since `previous` was read; false when somebody
 * did (another seed ran at the same time), so that the caller counts again.
 */
export async function putPoolStats(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  stats: PoolStats,
  previous: PoolStats | undefined,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...statsKey(employeeTable), ...stats },
        ...(previous
          ? {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': previous.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Writes a record in parts when it is large (a pool of a million sparse serials); `head` goes last,
 * so a reader that finds it finds everything it names.
 */
async function putInParts(
  doc: DynamoDBDocumentClient,
  table: string,
  key: { pk: string; sk: string },
  text: string,
  head: Record<string, unknown>,
  onlyOnce = false,
): Promise<boolean> {
  const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
  for (let part = 2; part <= parts; part++) {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: key.pk,
          sk: `${key.sk}#part#${String(part).padStart(4, '0')}`,
          record: text.slice((part - 1) * PART_CHARS, part * PART_CHARS),
        },
      }),
    );
  }
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...key, ...head, parts, record: text.slice(0, PART_CHARS) },
        ...(onlyOnce ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (onlyOnce && isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Writes an attempt's audit record. */
export async function putSelectionRecord(
  doc: DynamoDBDocumentClient,
  table: string,
  record: SelectionRecord,
): Promise<void> {
  await putInParts(
    doc,
    table,
    { pk: drawKey(record.draw_id), sk: attemptKey(record.attempt) },
    JSON.stringify(record),
    { kind: 'selection', attempt: record.attempt },
  );
}

const COMMITMENT_SK = 'commitment';

/**
 * Writes a beacon draw's commitment unless the draw has one already (a retried task): false then.
 */
export async function putCommitment(
  doc: DynamoDBDocumentClient,
  table: string,
  commitment: BeaconCommitment,
): Promise<boolean> {
  return putInParts(
    doc,
    table,
    { pk: drawKey(commitment.draw_id), sk: COMMITMENT_SK },
    JSON.stringify(commitment),
    { kind: 'commitment' },
    true,
  );
}

interface StoredPiece {
  sk: string;
  parts?: number;
  record: string;
}

async function drawPieces(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  skPrefix: string,
): Promise<StoredPiece[]> {
  const pieces: StoredPiece[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': drawKey(drawId), ':sk': skPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    pieces.push(...((page.Items ?? []) as StoredPiece[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return pieces;
}

/** The records whose heads are among `pieces`, each put together from its parts. */
function assemble(pieces: readonly StoredPiece[], table: string, drawId: string): unknown[] {
  return pieces
    .filter((piece) => piece.parts !== undefined)
    .map((head) => {
      const rest = pieces
        .filter((piece) => piece.sk.startsWith(`${head.sk}#part#`))
        .sort((a, b) => (a.sk < b.sk ? -1 : 1));
      if (rest.length !== (head.parts ?? 1) - 1)
        throw new Error(`the record ${drawKey(drawId)} ${head.sk} is missing parts in ${table}`);
      return JSON.parse(head.record + rest.map((piece) => piece.record).join('')) as unknown;
    });
}

/**
 * Every attempt's audit record of a draw, by attempt number. Items that do not parse are reported,
 * not skipped.
 */
export async function getSelectionRecords(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
): Promise<Map<number, SelectionRecord>> {
  const records = assemble(
    await drawPieces(doc, table, drawId, 'attempt#'),
    table,
    drawId,
  ) as SelectionRecord[];
  return new Map(records.map((record) => [record.attempt, record]));
}

/** A beacon draw's commitment; undefined for a draw that made none. */
export async function getCommitment(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
): Promise<BeaconCommitment | undefined> {
  return assemble(await drawPieces(doc, table, drawId, COMMITMENT_SK), table, drawId)[0] as
    BeaconCommitment | undefined;
}

export interface ResetEntry {
  at: string;
  removed: number;
  /** The draws whose winners the reset removed. */
  draws: string[];
  /**
   * False from the moment a reset begins until it has removed its winners and counted the plan
   * again; entries written before resets were tracked have no flag, and count as finished.
   */
  finished?: boolean;
}

const resetKey = (sk: string) => ({ pk: 'reset', sk });

/** Writes the entry of a reset that begins; returns its key, for markResetsFinished. */
export async function logReset(
  doc: DynamoDBDocumentClient,
  table: string,
  entry: ResetEntry,
): Promise<string> {
  const sk = `${entry.at}#${Math.random().toString(36).slice(2, 8)}`;
  await doc.send(new PutCommand({ TableName: table, Item: { ...resetKey(sk), ...entry } }));
  return sk;
}

export async function markResetsFinished(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly string[],
  finishedAt: string,
): Promise<void> {
  await Promise.all(
    keys.map((sk) =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: resetKey(sk),
          UpdateExpression: 'SET finished = :true, finished_at = :at',
          ExpressionAttributeValues: { ':true': true, ':at': finishedAt },
        }),
      ),
    ),
  );
}

export async function listResets(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<(ResetEntry & { sk: string })[]> {
  const entries: (ResetEntry & { sk: string })[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'reset' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? [])
      entries.push({
        sk: String(item.sk),
        at: String(item.at),
        removed: Number(item.removed),
        draws: (item.draws as string[] | undefined) ?? [],
        finished: item.finished !== false,
      });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return entries;
}

/** How far the host's terminal (`draw --stage`) has revealed a draw's winners. */
export interface RevealProgress {
  revealed: number;
  /** The show is over: whatever is left unrevealed is shown at once. */
  done: boolean;
  updated_at: string;
}

const REVEAL_SK = 'reveal';

export async function putRevealProgress(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
  progress: RevealProgress,
): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: { pk: drawKey(drawId), sk: REVEAL_SK, kind: 'reveal', ...progress },
    }),
  );
}

/** undefined when no terminal shows the draw on stage (or has not said so yet). */
export async function getRevealProgress(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
): Promise<RevealProgress | undefined> {
  const { Item } = await doc.send(
    new GetCommand({
      TableName: table,
      Key: { pk: drawKey(drawId), sk: REVEAL_SK },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  return {
    revealed: Number(Item.revealed) || 0,
    done: Item.done === true,
    updated_at: String(Item.updated_at),
  };
}

/** Winners of a draw that did not succeed, removed once it had ended. */
export interface RollbackEntry {
  draw_id: string;
  at: string;
  /** How the draw's execution ended. */
  status: string;
  /** Who removed them: "Record Winner Queue", "draw <id>", "lottery doctor --fix". */
  by: string;
  removed: string[];
}

export async function logRollback(
  doc: DynamoDBDocumentClient,
  table: string,
  entry: RollbackEntry,
): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        pk: drawKey(entry.draw_id),
        sk: `rollback#${entry.at}#${Math.random().toString(36).slice(2, 8)}`,
        ...entry,
      },
    }),
  );
}

export async function listRollbacks(
  doc: DynamoDBDocumentClient,
  table: string,
  drawId: string,
): Promise<RollbackEntry[]> {
  const { Items } = await doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': drawKey(drawId), ':sk': 'rollback#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => ({
    draw_id: String(item.draw_id),
    at: String(item.at),
    status: String(item.status),
    by: String(item.by),
    removed: (item.removed as string[] | undefined) ?? [],
  }));
}
