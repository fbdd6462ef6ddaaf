import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient, createSfnClient } from '../../src/aws/clients';
import { serveInProcess } from './backend';
import { tempHome } from './cli';

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
 * A `lottery local serve` started in this process (serveInProcess) for a fresh data directory,
 * with `faults` as LOTTERY_FAULTS would give them, and SDK clients of its own: commands run
 * through runMain() find it as they would the process.
 */
export async function serveFresh(faults?: object): Promise<Served> {
  const { home, cleanup } = tempHome();
  const server = await serveInProcess(home, faults);
  const target = { endpoint: server.url, region: 'local', credentials: server.credentials };
  const [{ doc, dynamodb }, sfn] = await Promise.all([
    createDocumentClient(target),
    createSfnClient(target),
  ]);
  return {
    home,
    url: server.url,
    credentials: server.credentials,
    doc,
    dynamodb,
    sfn,
    stop: async () => {
      sfn.destroy();
      dynamodb.destroy();
      await server.stop();
      cleanup();
    },
  };
}
