import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createDocumentClient, type StaticCredentials } from '../aws/clients';
import { createAuthenticator, healthProof, type Refusal, type RefusalKind } from './auth';
import { LOCAL_ARNS, LOCAL_REGION } from './constants';
import { localCredentials } from './credentials';
import type { LocalStepFunctions } from './executions';
import { homePaths } from './paths';
import { createSfnApi } from './sfn-api';
import type { TableNames } from './tables';
import { delay, FaultInjector, type FaultPlan } from './faults';
import { createSnsApi, snsError } from './sns-api';

/**
 * Signed GET with a `challenge` query parameter: answered with the server's home, pid and proof
 * that it holds the secret.
 */
export const HEALTH_PATH = '/lottery/health';
const SFN_TARGET_PREFIX = 'AWSStepFunctions.';
const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
/** dynalite's own limit on a request body. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface LocalServer {
  url: string;
  /** What clients sign their requests with: the data directory's credentials. */
  credentials: StaticCredentials;
  /** Requests answered so far, by operation: for benchmarks and tests that count calls. */
  stats(): Record<string, number>;
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

/** The body, or undefined when it is larger than any request the backend takes. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

/** The request again, body and all, for dynalite's handler, which reads the body itself. */
function replay(request: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from(body.length > 0 ? [body] : []), {
    method: request.method,
    url: request.url,
    headers: request.headers,
  }) as unknown as IncomingMessage;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/x-amz-json-1.0',
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * dynalite takes ~55 ms to load: a command can start loading it while it waits for the data
 * directory's lock.
 */
export const loadDynalite = () => import('dynalite');

/**
 * AWS's words for a refused request, in the JSON protocols (DynamoDB, Step Functions) and the Query
 * protocol (SNS).
 */
const REFUSALS: Record<RefusalKind, { json: [number, string]; query: [number, string] }> = {
  denied: { json: [403, 'AccessDeniedException'], query: [403, 'AccessDenied'] },
  missing: {
    json: [400, 'MissingAuthenticationTokenException'],
    query: [403, 'MissingAuthenticationToken'],
  },
  incomplete: { json: [400, 'IncompleteSignatureException'], query: [400, 'IncompleteSignature'] },
  unknownKey: { json: [400, 'UnrecognizedClientException'], query: [403, 'InvalidClientTokenId'] },
  signature: { json: [400, 'InvalidSignatureException'], query: [403, 'SignatureDoesNotMatch'] },
};

const isQueryProtocol = (request: IncomingMessage) =>
  String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

function refuse(request: IncomingMessage, response: ServerResponse, refusal: Refusal) {
  // A body still on its way is let through unread, so that the client gets to read the answer.
  request.resume();
  if (isQueryProtocol(request)) {
    const [status, xml] = snsError(...REFUSALS[refusal.kind].query, refusal.message);
    response.writeHead(status, {
      'Content-Type': 'text/xml',
      'Content-Length': Buffer.byteLength(xml),
    });
    response.end(xml);
  } else {
    const [status, type] = REFUSALS[refusal.kind].json;
    sendJson(response, status, {
      __type: `com.amazon.coral.service#${type}`,
      message: refusal.message,
    });
  }
}

/**
 * The embedded backend on one loopback port, as one AWS endpoint: DynamoDB requests go to dynalite
 * (on disk under the data directory), Step Functions requests to the local engine, SNS requests
 * to the outbox. Routing is by the X-Amz-Target header (and, for SNS's Query protocol, the form
 * body), so `--endpoint-url` can point every SDK client at it. Every request must be signed with
 * the data directory's credentials (src/local/auth.ts).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const paths = homePaths(options.home);
  mkdirSync(paths.dynamodb, { recursive: true });
  const credentials = localCredentials(paths.credentials);
  const { default: dynalite } = await loadDynalite();
  const server = dynalite({
    path: paths.dynamodb,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const dynamoHandler = server.listeners('request')[0] as Handler;
  server.removeAllListeners('request');

  let url = '';
  let ownHosts: string[] = [];
  const authenticate = createAuthenticator(credentials, () => ownHosts);
  const faults = new FaultInjector(options.faults);
  const stats: Record<string, number> = {};
  const count = (operation: string) => (stats[operation] = (stats[operation] ?? 0) + 1);
  // The engine is loaded on the first Step Functions request: `winners list` never needs it.
  let stepFunctions:
    Promise<{ api: ReturnType<typeof createSfnApi>; executions: LocalStepFunctions }> | undefined;
  const loadStepFunctions = () =>
    (stepFunctions ??= import('./engine')
      .then(({ createLocalStepFunctions }) =>
        createLocalStepFunctions(url, credentials, paths, options.tables, faults),
      )
      .then(({ executions, info }) => ({ executions, api: createSfnApi(info, executions) })));

  const sns = createSnsApi(LOCAL_ARNS.topic, paths.outbox);

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const screened = authenticate(request);
    if ('kind' in screened) return refuse(request, response, screened);
    const body = await readBody(request);
    if (!body)
      return sendJson(response, 413, {
        __type: 'com.amazon.coral.service#RequestEntityTooLarge',
        message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
      });
    const refusal = await screened.verify(body);
    if (refusal) return refuse(request, response, refusal);

    const requestUrl = new URL(request.url ?? '/', url);
    if (request.method === 'GET' && requestUrl.pathname === HEALTH_PATH) {
      const challenge = requestUrl.searchParams.get('challenge') ?? '';
      const proof = healthProof(credentials, challenge, options.home, process.pid);
      return sendJson(
        response,
        200,
        { service: 'lottery-local', home: options.home, pid: process.pid, proof },
        'application/json',
      );
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      count(target);
      const fault = faults.request('dynamodb', target.slice(DYNAMODB_TARGET_PREFIX.length));
      await delay(fault?.delayMs);
      if (fault?.error) {
        sendJson(response, fault.error === 'InternalServerError' ? 500 : 400, {
          __type: `com.amazonaws.dynamodb.v20120810#${fault.error}`,
          message: 'injected by LOTTERY_FAULTS',
        });
      } else {
        dynamoHandler(replay(request, body), response);
      }
      return;
    }
    if (target.startsWith(SFN_TARGET_PREFIX)) {
      count(target);
      const { api } = await loadStepFunctions();
      const [status, answer] = api(target.slice(SFN_TARGET_PREFIX.length), body.toString('utf8'));
      sendJson(response, status, answer);
      return;
    }
    if (request.method === 'POST' && isQueryProtocol(request)) {
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      count(`SNS.${action}`);
      const fault = faults.request('sns', action);
      await delay(fault?.delayMs);
      const [status, xml] = fault?.error
        ? snsError(500, fault.error, 'injected by LOTTERY_FAULTS')
        : await sns(params);
      response.writeHead(status, {
        'Content-Type': 'text/xml',
        'Content-Length': Buffer.byteLength(xml),
      });
      response.end(xml);
      return;
    }
    // Anything else gets dynalite's answer to an unknown request.
    dynamoHandler(replay(request, body), response);
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, {
          __type: 'InternalFailure',
          message: error instanceof Error ? error.message : String(error),
        });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  ownHosts = [`127.0.0.1:${port}`, `localhost:${port}`];

  // The tables are made once per store: a note of them inside the store's own directory (gone
  // with it) spares every later command the requests, and a fast start matters to a CLI.
  const tablesNote = join(paths.dynamodb, 'lottery-tables.json');
  const wanted = JSON.stringify(options.tables);
  if (!existsSync(tablesNote) || readFileSync(tablesNote, 'utf8') !== wanted) {
    const [{ ensureTables }, { dynamodb }] = await Promise.all([
      import('./tables'),
      createDocumentClient({ endpoint: url, region: LOCAL_REGION, credentials }),
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
    credentials,
    stats: () => ({ ...stats }),
    async close() {
      if (stepFunctions) await (await stepFunctions).executions.idle();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
