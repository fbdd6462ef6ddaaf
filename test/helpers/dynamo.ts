import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { createDocumentClient } from '../../src/aws/clients';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../src/core/names';
import { ensureTables } from '../../src/local/tables';

/** A real DynamoDB API (dynalite, in memory) with the lottery's tables, for handler tests. */
export async function startTestDynamo() {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { dynamodb, doc } = await createDocumentClient({ endpoint, region: 'local', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await ensureTables(dynamodb, { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE });
  let tablesMade = 0;
  return {
    endpoint,
    dynamodb,
    doc,
    /** A new pair of empty tables, so that tests do not see each other's rows. */
    freshTables: async () => {
      const suffix = `${process.pid}-${++tablesMade}`;
      const names = { employees: `${EMPLOYEE_TABLE}-${suffix}`, winners: `${WINNERS_TABLE}-${suffix}`, draws: `${DRAWS_TABLE}-${suffix}` };
      await ensureTables(dynamodb, names);
      return names;
    },
    close: async () => {
      dynamodb.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
