import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDocumentClient } from '../aws/clients';
import { LOCAL_ARNS, LOCAL_CREDENTIALS, LOCAL_REGION } from './constants';
import type { LocalStepFunctions } from './executions';
import { homePaths } from './paths';
import { createSfnApi } from './sfn-api';
import type { TableNames } from './tables';
import { delay, FaultInjector, type FaultPlan } from './faults';
import { createSnsApi, snsError } from './sns-api';

export const HEALTH_PATH = '/lottery/health';
/** Requests answered so far, by operation: for benchmarks and tests that count calls. */
export const STATS_PATH = '/lottery/stats';
const SFN_TARGET_PREFIX = 'AWSStepFunctions.';
const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

export interface LocalServer {
  url: string;
  /** Finishes the running executions, then closes the store. */
  close(): Promise<void>;
}

export interface LocalServerOptions {
  home: string;
  tables: TableNames;
  port?: number;
  /** Test-only faults (LOTTERY_FAULTS). */
  faults?: FaultPlan;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.0') {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * The embedded backend on one loopback port, as one AWS endpoint: DynamoDB requests go to dynalite
 * (on disk under the data directory), Step Functions requests to the local engine, SNS requests
 * to the outbox. Routing is by the X-Amz-Target header (and, for SNS's Query protocol, the form
 * body), so `--endpoint-url` can point every SDK client at it.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const paths = homePaths(options.home);
  mkdirSync(paths.dynamodb, { recursive: true });
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ path: paths.dynamodb, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoHandler = server.listeners('request')[0] as Handler;
  server.removeAllListeners('request');

  let url = '';
  const faults = new FaultInjector(options.faults);
  const stats: Record<string, number> = {};
  const count = (operation: string) => (stats[operation] = (stats[operation] ?? 0) + 1);
  // The engine is loaded on the first Step Functions request: `winners list` never needs it.
  let stepFunctions: Promise<{ api: ReturnType<typeof createSfnApi>; executions: LocalStepFunctions }> | undefined;
  const loadStepFunctions = () =>
    (stepFunctions ??= import('./engine')
      .then(({ createLocalStepFunctions }) => createLocalStepFunctions(url, paths, options.tables, faults))
      .then(({ executions, info }) => ({ executions, api: createSfnApi(info, executions) })));

  const sns = createSnsApi(LOCAL_ARNS.topic, paths.outbox);

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET' && request.url === HEALTH_PATH) {
      sendJson(response, 200, { service: 'lottery-local', home: options.home, pid: process.pid }, 'application/json');
      return;
    }
    if (request.method === 'GET' && request.url === STATS_PATH) {
      sendJson(response, 200, stats, 'application/json');
      return;
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      count(target);
      const fault = faults.request('dynamodb', target.slice(DYNAMODB_TARGET_PREFIX.length));
      // The request body waits, unread, while a fault delays the answer.
      await delay(fault?.delayMs);
      if (fault?.error) {
        request.resume();
        sendJson(response, fault.error === 'InternalServerError' ? 500 : 400, { __type: `com.amazonaws.dynamodb.v20120810#${fault.error}`, message: 'injected by LOTTERY_FAULTS' });
      } else {
        dynamoHandler(request, response);
      }
      return;
    }
    if (target.startsWith(SFN_TARGET_PREFIX)) {
      count(target);
      const [body, { api }] = await Promise.all([readBody(request), loadStepFunctions()]);
      const [status, answer] = api(target.slice(SFN_TARGET_PREFIX.length), body);
      sendJson(response, status, answer);
      return;
    }
    if (request.method === 'POST' && String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(await readBody(request));
      const action = params.get('Action') ?? '';
      count(`SNS.${action}`);
      const fault = faults.request('sns', action);
      await delay(fault?.delayMs);
      const [status, xml] = fault?.error ? snsError(500, fault.error, 'injected by LOTTERY_FAULTS') : await sns(params);
      response.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
      response.end(xml);
      return;
    }
    // Anything else gets dynalite's answer to an unknown request.
    dynamoHandler(request, response);
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The tables are made once per store: a note of them inside the store's own directory (gone
  // with it) spares every later command the requests, and a fast start matters to a CLI.
  const tablesNote = join(paths.dynamodb, 'lottery-tables.json');
  const wanted = JSON.stringify(options.tables);
  if (!existsSync(tablesNote) || readFileSync(tablesNote, 'utf8') !== wanted) {
    const [{ ensureTables }, { dynamodb }] = await Promise.all([
      import('./tables'),
      createDocumentClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    ]);
    try {
      await ensureTables(dynamodb, options.tables);
      writeFileSync(tablesNote, wanted);
    } finally {
      dynamodb.destroy();
    }
  }

  return {
    url,
    async close() {
      if (stepFunctions) await (await stepFunctions).executions.idle();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
