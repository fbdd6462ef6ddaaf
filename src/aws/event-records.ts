import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  loadExclusions,
  noExclusions,
  storeExclusions,
  type ExclusionSet,
  type KeptVersion,
} from '../core/exclusions';
import { forfeitKey, type Forfeit, type Replaces } from '../core/forfeits';
import { backoffMs, isConditionalCheckFailed, sleep } from './dynamo';

// The event's flows in Lottery-Draws, each kind in a partition of its own:
//
//   pk "exclusions#<employee table>", sk "v<version, 10 digits>": one version of the exclusions
//     in force (src/core/exclusions.ts), written once and never changed; a draw reads the latest
//     (one item, whatever the number excluded), verify any of them. A large list goes in parts
//     (pk "exclusions#<employee table>#part", sk "v…#0002").
//   pk "forfeit#<winners table>", sk "<draw_id>#<employee_id>": a forfeit (src/core/forfeits.ts),
//     written once with a conditional put: of two hosts forfeiting the same winner at once, one
//     writes it and the other reads it back, with the replacement draw it names.

const exclusionsPk = (employeeTable: string) => `exclusions#${employeeTable}`;
const partsPk = (employeeTable: string) => `exclusions#${employeeTable}#part`;
const versionSk = (version: number) => `v${String(version).padStart(10, '0')}`;
const forfeitPk = (winnersTable: string) => `forfeit#${winnersTable}`;
/** DynamoDB items hold at most 400 KB. */
const PART_CHARS = 300_000;
/** Writers changing the exclusions at once retry; a few operators at a party are far below this. */
const EXCLUSION_WRITE_ATTEMPTS = 25;

async function queryAll<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
  extra: { prefix?: string; newestFirst?: boolean; limit?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression:
          extra.prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(extra.prefix === undefined ? {} : { ':prefix': extra.prefix }),
        },
        ConsistentRead: true,
        ScanIndexForward: !extra.newestFirst,
        ...(extra.limit ? { Limit: extra.limit } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = extra.limit && items.length >= extra.limit ? undefined : page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

interface VersionItem {
  version: number;
  updated_at: string;
  change: string;
  count: number;
  encoding: 'json-deflate-base64';
  data: string;
  parts: number;
}

async function setOf(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  head: VersionItem,
): Promise<ExclusionSet> {
  let data = head.data;
  if (head.parts > 1) {
    const rest = await queryAll<{ sk: string; data: string }>(doc, table, partsPk(employeeTable), {
      prefix: `${versionSk(head.version)}#`,
    });
    if (rest.length !== head.parts - 1)
      throw new Error(`version ${head.version} of the exclusions is missing parts in ${table}`);
    data += rest.map((part) => part.data).join('');
  }
  const stored = { version: head.version, count: head.count, encoding: head.encoding, data };
  return {
    version: head.version,
    updated_at: head.updated_at,
    change: head.change,
    exclusions: loadExclusions(stored),
    stored,
  };
}

/** The exclusions in force: the latest version (version 0, empty, before any). */
export async function getExclusions(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
): Promise<ExclusionSet> {
  const [head] = await queryAll<VersionItem>(doc, table, exclusionsPk(employeeTable), {
    newestFirst: true,
    limit: 1,
  });
  return head ? setOf(doc, table, employeeTable, head) : noExclusions();
}

/** Every version of the exclusions, oldest first; the list only of version `withList`. */
export async function listExclusionVersions(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  withList: number,
): Promise<KeptVersion[]> {
  const heads = await queryAll<VersionItem>(doc, table, exclusionsPk(employeeTable));
  return Promise.all(
    heads.map(async (head) =>
      head.version === withList
        ? setOf(doc, table, employeeTable, head)
        : { version: head.version, updated_at: head.updated_at, change: head.change },
    ),
  );
}

/** Writes a version once; false when that version exists already (another writer was first). */
async function putVersion(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  set: ExclusionSet,
): Promise<boolean> {
  const stored = storeExclusions(set);
  const parts = Math.max(1, Math.ceil(stored.data.length / PART_CHARS));
  for (let part = 2; part <= parts; part++)
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: partsPk(employeeTable),
          sk: `${versionSk(set.version)}#${String(part).padStart(4, '0')}`,
          data: stored.data.slice((part - 1) * PART_CHARS, part * PART_CHARS),
        },
      }),
    );
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: exclusionsPk(employeeTable),
          sk: versionSk(set.version),
          version: set.version,
          updated_at: set.updated_at,
          change: set.change,
          count: stored.count,
          encoding: stored.encoding,
          data: stored.data.slice(0, PART_CHARS),
          parts,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Reads the exclusions in force, lets `change` decide the next version, and writes it as the
 * version after the one read; if another writer wrote that version first, reads and decides again.
 * Returns what `change` returned with the version written (or none, when nothing changed).
 */
export async function changeExclusions<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  change: (current: ExclusionSet) => { next?: ExclusionSet; value: T },
): Promise<T> {
  for (let attempt = 0; attempt < EXCLUSION_WRITE_ATTEMPTS; attempt++) {
    const { next, value } = change(await getExclusions(doc, table, employeeTable));
    if (!next || (await putVersion(doc, table, employeeTable, next))) return value;
    await sleep(backoffMs(attempt));
  }
  throw new Error(
    `the exclusions in ${table} kept changing under this write (${EXCLUSION_WRITE_ATTEMPTS} attempts)`,
  );
}

const FORFEIT_FIELDS = [
  'draw_id',
  'employee_id',
  'employee_name',
  'lottery_serial',
  'prize',
  'reason',
  'forfeited_at',
  'eligible_again',
  'replacement_draw_id',
] as const;

function forfeitOf(item: Record<string, unknown>): Forfeit {
  return Object.fromEntries(
    FORFEIT_FIELDS.filter((field) => item[field] !== undefined).map((field) => [
      field,
      item[field],
    ]),
  ) as unknown as Forfeit;
}

/** Every forfeit recorded against the winners table. */
export async function listForfeits(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
): Promise<Forfeit[]> {
  return (await queryAll<Record<string, unknown>>(doc, table, forfeitPk(winnersTable))).map(
    forfeitOf,
  );
}

export async function getForfeit(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
  replaces: Replaces,
): Promise<Forfeit | undefined> {
  const { Item } = await doc.send(
    new GetCommand({
      TableName: table,
      Key: { pk: forfeitPk(winnersTable), sk: forfeitKey(replaces) },
      ConsistentRead: true,
    }),
  );
  return Item ? forfeitOf(Item) : undefined;
}

/**
 * Records a forfeit unless that winner of that draw has forfeited already: then the one recorded
 * first is returned, and it stands.
 */
export async function putForfeit(
  doc: DynamoDBDocumentClient,
  table: string,
  winnersTable: string,
  forfeit: Forfeit,
): Promise<{ written: boolean; forfeit: Forfeit }> {
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: forfeitPk(winnersTable), sk: forfeitKey(forfeit), ...forfeit },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { written: true, forfeit };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const first = await getForfeit(doc, table, winnersTable, forfeit);
    if (!first) throw new Error(`the forfeit ${forfeitKey(forfeit)} was there, then gone`);
    return { written: false, forfeit: first };
  }
}
