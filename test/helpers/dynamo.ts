import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { beaconSettingsFromEnv } from '../../src/aws/beacon-relays';
import { createDocumentClient } from '../../src/aws/clients';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../src/core/names';
import type { HandlerDeps } from '../../src/lambdas/deps';
import { ensureTables } from '../../src/local/tables';

/** A real DynamoDB API (dynalite, in memory) with the lottery's tables, for handler tests. */
export async function startTestDynamo() {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { dynamodb, doc } = await createDocumentClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await ensureTables(dynamodb, {
    employees: EMPLOYEE_TABLE,
    winners: WINNERS_TABLE,
    draws: DRAWS_TABLE,
  });
  let tablesMade = 0;
  /** A new set of empty tables, so that tests do not see each other's rows. */
  const freshTables = async () => {
    const suffix = `${process.pid}-${++tablesMade}`;
    const names = {
      employees: `${EMPLOYEE_TABLE}-${suffix}`,
      winners: `${WINNERS_TABLE}-${suffix}`,
      draws: `${DRAWS_TABLE}-${suffix}`,
    };
    await ensureTables(dynamodb, names);
    return names;
  };
  return {
    endpoint,
    dynamodb,
    doc,
    freshTables,
    /**
     * What the handlers are given, over fresh tables: every draw running, no waits, no beacon
     * configured, and `overrides`.
     */
    freshDeps: async (overrides: Partial<HandlerDeps> = {}): Promise<HandlerDeps> => {
      const tables = await freshTables();
      return {
        doc,
        employeeTable: tables.employees,
        winnersTable: tables.winners,
        drawsTable: tables.draws,
        executionStatus: async () => 'RUNNING',
        indexLagMs: 0,
        now: () => new Date('2026-11-26T12:00:00.000Z'),
        newSeed: () => 'ab'.repeat(32),
        sleep: async () => {},
        beacon: () => beaconSettingsFromEnv({}),
        ...overrides,
      };
    },
    close: async () => {
      dynamodb.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
