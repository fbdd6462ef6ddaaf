import {
  BatchGetCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Employee } from '../core/employees';
import { SERIAL_INDEX } from '../core/names';
import { batchWrite, scanAll, scanPages, sleep, backoffMs, type BatchWriteOptions } from './dynamo';

const EMPLOYEE_ATTRIBUTES = [
  'employee_id',
  'employee_name',
  'lottery_serial',
  'tickets',
  'employee_entry_date',
  'department',
  'email',
];
const projection = {
  ProjectionExpression: EMPLOYEE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(
    EMPLOYEE_ATTRIBUTES.map((name, i) => [`#a${i}`, name]),
  ),
};
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_ROUNDS = 10;

export function scanEmployees(doc: DynamoDBDocumentClient, table: string): Promise<Employee[]> {
  return scanAll<Employee>(doc, { TableName: table, ...projection });
}

export function putEmployees(
  doc: DynamoDBDocumentClient,
  table: string,
  employees: readonly Employee[],
  options?: BatchWriteOptions,
) {
  return batchWrite(
    doc,
    table,
    employees.map((employee) => ({ PutRequest: { Item: { ...employee } } })),
    options,
  );
}

/**
 * The person with each serial, through lottery_serial-index: one small query per serial, all at
 * once.
 */
export async function employeesBySerial(
  doc: DynamoDBDocumentClient,
  table: string,
  serials: readonly number[],
): Promise<Map<number, Employee>> {
  const found = await Promise.all(
    serials.map(async (serial) => {
      const { Items } = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: SERIAL_INDEX,
          KeyConditionExpression: 'lottery_serial = :serial',
          ExpressionAttributeValues: { ':serial': serial },
          ...projection,
        }),
      );
      return [serial, Items?.[0] as Employee | undefined] as const;
    }),
  );
  return new Map(
    found.filter((entry): entry is readonly [number, Employee] => entry[1] !== undefined),
  );
}

/** Everyone with this serial, by id: more than one only when something went wrong. */
export async function idsWithSerial(
  doc: DynamoDBDocumentClient,
  table: string,
  serial: number,
): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: SERIAL_INDEX,
        KeyConditionExpression: 'lottery_serial = :serial',
        ExpressionAttributeValues: { ':serial': serial },
        ProjectionExpression: 'employee_id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.employee_id));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids.sort();
}

/** Whether anybody has this serial. */
export async function serialInUse(
  doc: DynamoDBDocumentClient,
  table: string,
  serial: number,
): Promise<boolean> {
  const { Count } = await doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: SERIAL_INDEX,
      KeyConditionExpression: 'lottery_serial = :serial',
      ExpressionAttributeValues: { ':serial': serial },
      Select: 'COUNT',
    }),
  );
  return (Count ?? 0) > 0;
}

/**
 * Every serial in use, ascending: the index's keys only, a few dozen bytes a person read and
 * eight kept, so that a million serials fit in a small function.
 */
export async function scanSerials(doc: DynamoDBDocumentClient, table: string): Promise<number[]> {
  const serials: number[] = [];
  for await (const page of scanPages<{ lottery_serial: number }>(doc, {
    TableName: table,
    IndexName: SERIAL_INDEX,
    ProjectionExpression: 'lottery_serial',
  })) {
    for (const item of page) serials.push(item.lottery_serial);
  }
  return serials.sort((a, b) => a - b);
}

/**
 * The index's serials in ascending order, and everyone's tickets (undefined: one): what the pool's
 * statistics keep, counted.
 */
export async function scanSerialsAndTickets(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<{ serials: number[]; tickets: (number | undefined)[] }> {
  const serials: number[] = [];
  const tickets: (number | undefined)[] = [];
  for await (const page of scanPages<{ lottery_serial: number; tickets?: number }>(doc, {
    TableName: table,
    IndexName: SERIAL_INDEX,
    ProjectionExpression: 'lottery_serial, tickets',
  })) {
    for (const item of page) {
      serials.push(item.lottery_serial);
      tickets.push(item.tickets);
    }
  }
  return { serials: serials.sort((a, b) => a - b), tickets };
}

/** Employees by id; ids nobody has are left out. */
export async function getEmployees(
  doc: DynamoDBDocumentClient,
  table: string,
  ids: readonly string[],
): Promise<Employee[]> {
  const employees: Employee[] = [];
  for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] = [
      ...new Set(ids.slice(start, start + BATCH_GET_LIMIT)),
    ].map((employee_id) => ({ employee_id }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > MAX_UNPROCESSED_ROUNDS)
        throw new Error(
          `DynamoDB left ${keys.length} keys of ${table} unprocessed after ${MAX_UNPROCESSED_ROUNDS} retries`,
        );
      if (attempt > 0) await sleep(backoffMs(attempt));
      const result = await doc.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ...projection } } }),
      );
      employees.push(...((result.Responses?.[table] ?? []) as Employee[]));
      keys = result.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return employees;
}

/**
 * Names of up to `limit` people, from one page of the table: a bounded read, whatever the table's
 * size.
 */
export async function someEmployeeNames(
  doc: DynamoDBDocumentClient,
  table: string,
  limit: number,
): Promise<string[]> {
  const { Items } = await doc.send(
    new ScanCommand({ TableName: table, Limit: limit, ProjectionExpression: 'employee_name' }),
  );
  return (Items ?? []).flatMap((item) =>
    typeof item.employee_name === 'string' ? [item.employee_name] : [],
  );
}
