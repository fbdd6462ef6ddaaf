import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient, createSfnClient } from '../../src/aws/clients';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../src/core/names';
import { serveLocalBackend } from '../../src/local/backend';
import type { FaultPlan } from '../../src/local/faults';
import { tempHome } from './cli';

export const TABLES = { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE };

export interface Served {
  home: string;
  url: string;
  /** The credentials it answers to, for a process of the test's own (a bundled handler). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** SDK clients signed for this data directory, for what no command does (an edit by hand). */
  doc: DynamoDBDocumentClient;
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
  /** Stops the server and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * A `lottery local serve` started in this process for a fresh data directory, with `faults`:
 * commands run through runMain() find it as they would the process.
 */
export async function serveInProcess(faults?: FaultPlan): Promise<Served> {
  const { home, cleanup } = tempHome();
  const backend = await serveLocalBackend(home, TABLES, undefined, faults);
  const target = { endpoint: backend.url, region: 'local', credentials: backend.credentials };
  const [{ doc, dynamodb }, sfn] = await Promise.all([
    createDocumentClient(target),
    createSfnClient(target),
  ]);
  return {
    home,
    url: backend.url,
    credentials: backend.credentials,
    doc,
    dynamodb,
    sfn,
    stop: async () => {
      sfn.destroy();
      dynamodb.destroy();
      await backend.close();
      cleanup();
    },
  };
}
