import {
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';

const BATCH_WRITE_LIMIT = 25;
/**
 * Passes over a batch's UnprocessedItems; throttling and network errors are the SDK's own retries
 * (maxAttempts).
 */
const MAX_UNPROCESSED_PASSES = 10;
const BASE_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 5_000;

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String(error.name)
    : undefined;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Full-jitter exponential backoff, as AWS's architecture blog recommends: for items a batch call
 * left unprocessed.
 */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
}

export async function* scanPages<T>(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
): AsyncGenerator<T[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    yield (page.Items ?? []) as T[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export async function scanAll<T>(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of scanPages<T>(doc, input)) items.push(...page);
  return items;
}

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
  /** Called with the number of requests each time a batch is fully written. */
  onWritten?: (count: number) => void;
  /** Stops taking new requests; batches already sent finish. */
  signal?: AbortSignal;
}

async function* batchesOf(
  requests: Iterable<WriteRequest> | AsyncIterable<WriteRequest>,
  signal: AbortSignal | undefined,
): AsyncGenerator<WriteRequest[]> {
  let batch: WriteRequest[] = [];
  for await (const request of requests) {
    if (signal?.aborted) break;
    batch.push(request);
    if (batch.length === BATCH_WRITE_LIMIT) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Writes requests as they come, in batches of 25 with at most `concurrency` BatchWriteItem calls
 * in flight; p-map reads the next batch only when a call ends, so a caller streaming a large file
 * holds at most concurrency × 25 requests. The first batch that fails stops the rest and is thrown.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: Iterable<WriteRequest> | AsyncIterable<WriteRequest>,
  options: BatchWriteOptions = {},
): Promise<void> {
  await pMap(
    batchesOf(requests, options.signal),
    async (batch) => {
      await writeBatch(doc, table, batch);
      options.onWritten?.(batch.length);
    },
    { concurrency: options.concurrency ?? 4 },
  );
}

/** One batch, and again what DynamoDB leaves unprocessed (under load it may), with backoff. */
async function writeBatch(
  doc: DynamoDBDocumentClient,
  table: string,
  batch: WriteRequest[],
): Promise<void> {
  let pending = batch;
  for (let pass = 0; ; pass++) {
    const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    if (pending.length === 0) return;
    if (pass >= MAX_UNPROCESSED_PASSES)
      throw new Error(
        `DynamoDB left ${pending.length} items of ${table} unprocessed after ${MAX_UNPROCESSED_PASSES} retries`,
      );
    await sleep(backoffMs(pass));
  }
}

const isMissingTable = (error: unknown) => (error as Error).name === 'ResourceNotFoundException';

/** Those of the tables that exist. */
export async function existingTables(
  dynamodb: DynamoDBClient,
  names: readonly string[],
): Promise<string[]> {
  const found = await Promise.all(
    names.map(async (name) => {
      try {
        await dynamodb.send(new DescribeTableCommand({ TableName: name }));
        return name;
      } catch (error) {
        if (isMissingTable(error)) return undefined;
        throw error;
      }
    }),
  );
  return found.filter((name): name is string => name !== undefined);
}

/** Deletes the tables one by one; returns those it deleted (a table already gone is not one). */
export async function deleteTables(
  dynamodb: DynamoDBClient,
  names: readonly string[],
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of names) {
    try {
      await dynamodb.send(new DeleteTableCommand({ TableName: name }));
      deleted.push(name);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
  }
  return deleted;
}
