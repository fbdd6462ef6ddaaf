import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

export const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 10;
const BASE_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 5_000;

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

export function isThrottling(error: unknown): boolean {
  const name = errorName(error);
  return name !== undefined && THROTTLING_ERRORS.has(name);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff, as AWS's architecture blog recommends. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
}

export async function* scanPages<T>(doc: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<T[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    yield (page.Items ?? []) as T[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export async function scanAll<T>(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<T[]> {
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
  /** Stops taking new batches; batches already sent finish. */
  signal?: AbortSignal;
}

/**
 * Writes requests as they come, in batches of 25 with at most `concurrency` BatchWriteItem calls
 * in flight: `add()` waits while that many are busy, so a caller streaming a large file holds at
 * most concurrency × 25 requests. UnprocessedItems and throttling are retried with backoff; a
 * batch that still fails makes the next `add()` or `flush()` throw.
 */
export class BatchWriter {
  private batch: WriteRequest[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: BatchWriteOptions = {},
  ) {}

  async add(request: WriteRequest): Promise<void> {
    this.batch.push(request);
    if (this.batch.length >= BATCH_WRITE_LIMIT) await this.send();
  }

  private async send(): Promise<void> {
    while (this.inFlight.size >= (this.options.concurrency ?? 4)) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const call = writeBatch(this.doc, this.table, batch).then(
      () => this.options.onWritten?.(batch.length),
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    const tracked = call.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Sends what is left and waits for every call. */
  async flush(): Promise<void> {
    await this.send();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }
}

/** Writes all requests; stops taking new batches when `signal` aborts (batches sent finish). */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[], options: BatchWriteOptions = {}): Promise<void> {
  const writer = new BatchWriter(doc, table, options);
  for (const request of requests) {
    if (options.signal?.aborted) break;
    await writer.add(request);
  }
  await writer.flush();
}

async function writeBatch(doc: DynamoDBDocumentClient, table: string, batch: WriteRequest[]): Promise<void> {
  let pending = batch;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      if (pending.length === 0) return;
    } catch (error) {
      if (!isThrottling(error) || attempt >= MAX_BATCH_RETRIES) throw error;
    }
    if (attempt >= MAX_BATCH_RETRIES) {
      throw new Error(`DynamoDB left ${pending.length} items of ${table} unprocessed after ${MAX_BATCH_RETRIES} retries`);
    }
    await sleep(backoffMs(attempt));
  }
}
