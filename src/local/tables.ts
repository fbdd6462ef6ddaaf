import {
  CreateTableCommand,
  ListTablesCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SERIAL_INDEX } from '../core/names';

export interface TableNames {
  employees: string;
  winners: string;
  draws: string;
}

/** The tables as infra/template.yaml declares them (a test holds the two together). */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: names.employees,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'employee_id', AttributeType: 'S' },
        { AttributeName: 'lottery_serial', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'employee_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: SERIAL_INDEX,
          KeySchema: [{ AttributeName: 'lottery_serial', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      TableName: names.winners,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'employee_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'employee_id', KeyType: 'HASH' }],
    },
    {
      TableName: names.draws,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    },
  ];
}

/** Creates whichever of the tables is missing and waits until they are ACTIVE. */
export async function ensureTables(dynamodb: DynamoDBClient, names: TableNames): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  const missing = tableDefinitions(names).filter(
    (table) => !existing.has(table.TableName as string),
  );
  await Promise.all(missing.map((table) => dynamodb.send(new CreateTableCommand(table))));
  // dynalite makes a table ACTIVE at once (createTableMs: 0): poll in milliseconds, not the
  // waiter's default seconds.
  await Promise.all(
    missing.map((table) =>
      waitUntilTableExists(
        { client: dynamodb, minDelay: 0.01, maxDelay: 0.2, maxWaitTime: 10 },
        { TableName: table.TableName },
      ),
    ),
  );
}
