import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ClassicLevel } from 'classic-level';
import { LotteryError } from '../core/errors';
import { createDocumentClient, type StaticCredentials } from '../aws/clients';
import { createAuthenticator, healthProof, type Refusal, type RefusalKind } from './auth';
import { LOCAL_ARNS, LOCAL_REGION } from './constants';
import { localCredentials } from './credentials';
import type { LocalStepFunctions } from './executions';
import {
  DAMAGED_STORE_HINT,
  homePaths,
  PRIVATE_DIRECTORY,
  PRIVATE_FILE,
  readDataFile,
  type HomePaths,
} from './paths';
import { isQueryProtocol, routeOf, type Route } from './routes';
import { createSfnApi } from './sfn-api';
import type { TableNames } from './tables';
import { delay, FaultInjector, type FaultPlan } from './faults';
import { createSnsApi, snsError } from './sns-api';

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

function refuse(request: IncomingMessage, response: ServerResponse, refusal: Refusal) {
  // A body still on its way is let through unread, so that the client gets to read the answer.
  request.resume();
  if (isQueryProtocol(request)) {
    sendXml(response, snsError(...REFUSALS[refusal.kind].query, refusal.message));
  } else {
    const [status, type] = REFUSALS[refusal.kind].json;
    sendJson(response, status, {
      __type: `com.amazon.coral.service#${type}`,
      message: refusal.message,
    });
  }
}

/** Text that SNS's Query protocol answers with (XML), status and all. */
function sendXml(response: ServerResponse, [status, xml]: [number, string]) {
  response.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(xml),
  });
  response.end(xml);
}

/** The services behind the one endpoint, each answering the requests routed to it. */
class Services {
  private readonly faults: FaultInjector;
  private readonly counts: Record<string, number> = {};
  private readonly sns: ReturnType<typeof createSnsApi>;
  // The engine is loaded on the first Step Functions request: `winners list` never needs it.
  private stepFunctions:
    Promise<{ api: ReturnType<typeof createSfnApi>; executions: LocalStepFunctions }> | undefined;

  constructor(
    private readonly options: LocalServerOptions,
    private readonly store: { paths: HomePaths; credentials: StaticCredentials; dynamo: Handler },
    /** The server's URL, known once it listens: the engine's handlers call back to it. */
    private readonly url: () => string,
  ) {
    this.faults = new FaultInjector(options.faults);
    this.sns = createSnsApi(LOCAL_ARNS.topic, store.paths.outbox);
  }

  /** Answers a request whose route was decided, its body read and its signature checked. */
  async answer(route: Route, request: IncomingMessage, body: Buffer, response: ServerResponse) {
    switch (route.kind) {
      case 'health': {
        const { home } = this.options;
        const proof = healthProof(this.store.credentials, route.challenge, home, process.pid);
        const health = { service: 'lottery-local', home, pid: process.pid, proof };
        return sendJson(response, 200, health, 'application/json');
      }
      case 'dynamodb':
        return this.dynamodb(route, replay(request, body), response);
      case 'sfn': {
        this.count(route.target);
        const { api } = await this.loadStepFunctions();
        const [status, answer] = api(route.operation, body.toString('utf8'));
        return sendJson(response, status, answer);
      }
      case 'sns':
        return sendXml(response, await this.snsAnswer(new URLSearchParams(body.toString('utf8'))));
      case 'unknown':
        // dynalite's answer to an unknown request.
        return this.store.dynamo(replay(request, body), response);
    }
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  /** Finishes the running executions, when the engine was ever loaded. */
  async idle(): Promise<void> {
    if (this.stepFunctions) await (await this.stepFunctions).executions.idle();
  }

  private count(operation: string) {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
  }

  private async dynamodb(
    route: { target: string; operation: string },
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    this.count(route.target);
    const fault = this.faults.request('dynamodb', route.operation);
    await delay(fault?.delayMs);
    if (!fault?.error) return this.store.dynamo(request, response);
    sendJson(response, fault.error === 'InternalServerError' ? 500 : 400, {
      __type: `com.amazonaws.dynamodb.v20120810#${fault.error}`,
      message: 'injected by LOTTERY_FAULTS',
    });
  }

  private async snsAnswer(params: URLSearchParams): Promise<[number, string]> {
    const action = params.get('Action') ?? '';
    this.count(`SNS.${action}`);
    const fault = this.faults.request('sns', action);
    await delay(fault?.delayMs);
    return fault?.error
      ? snsError(500, fault.error, 'injected by LOTTERY_FAULTS')
      : await this.sns(params);
  }

  private loadStepFunctions() {
    const { paths, credentials } = this.store;
    return (this.stepFunctions ??= import('./engine')
      .then(({ createLocalStepFunctions }) =>
        createLocalStepFunctions(this.url(), credentials, paths, this.options.tables, this.faults),
      )
      .then(({ executions, info }) => ({ executions, api: createSfnApi(info, executions) })));
  }
}

/**
 * Refuses a store that LevelDB finds damaged (a file truncated or overwritten): dynalite would only
 * say "Database is closed" at its first request, which reads as a bug of ours. Opened and closed
 * again first, as dynalite then opens it; other failures (a read-only or full disk) are left to it.
 */
async function checkStore(path: string): Promise<void> {
  const store = new ClassicLevel(path);
  try {
    await store.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause?.code !== 'LEVEL_CORRUPTION') return;
    throw new LotteryError(
      'environment',
      `the embedded backend's store ${path} is damaged: ${String(cause.message)}`,
      { hint: DAMAGED_STORE_HINT, cause: error },
    );
  }
  await store.close();
}

/** dynalite on the data directory's store, its request handler taken off its own server. */
async function openDynalite(paths: HomePaths): Promise<{ server: Server; handler: Handler }> {
  const { default: dynalite } = await loadDynalite();
  const server = dynalite({
    path: paths.dynamodb,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const handler = server.listeners('request')[0] as Handler;
  server.removeAllListeners('request');
  return { server, handler };
}

/**
 * The tables are made once per store: a note of them inside the store's own directory (gone with
 * it) spares every later command the requests, and a fast start matters to a CLI.
 */
async function ensureTablesOnce(
  url: string,
  credentials: StaticCredentials,
  paths: HomePaths,
  tables: TableNames,
): Promise<void> {
  const tablesNote = join(paths.dynamodb, 'lottery-tables.json');
  const wanted = JSON.stringify(tables);
  if (existsSync(tablesNote) && readDataFile(tablesNote) === wanted) return;
  const [{ ensureTables }, { dynamodb }] = await Promise.all([
    import('./tables'),
    createDocumentClient({ endpoint: url, region: LOCAL_REGION, credentials }),
  ]);
  try {
    await ensureTables(dynamodb, tables);
    writeFileSync(tablesNote, wanted, PRIVATE_FILE);
  } finally {
    dynamodb.destroy();
  }
}

/**
 * The embedded backend on one loopback port, as one AWS endpoint: DynamoDB requests go to dynalite
 * (on disk under the data directory), Step Functions requests to the local engine, SNS requests
 * to the outbox. Routing is by the X-Amz-Target header (and, for SNS's Query protocol, the form
 * body), so `--endpoint-url` can point every SDK client at it (src/local/routes.ts). Every request
 * must be signed with the data directory's credentials (src/local/auth.ts).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const paths = homePaths(options.home);
  mkdirSync(paths.dynamodb, PRIVATE_DIRECTORY);
  const credentials = localCredentials(paths.credentials);
  await checkStore(paths.dynamodb);
  const { server, handler } = await openDynalite(paths);
  let url = '';
  let ownHosts: string[] = [];
  const authenticate = createAuthenticator(credentials, () => ownHosts);
  const services = new Services(options, { paths, credentials, dynamo: handler }, () => url);

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
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
    await services.answer(routeOf(request), request, body, response);
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, {
          __type: 'InternalFailure',
          message: error instanceof Error ? error.message : String(error),
        });
    });
  });

  const port = await listen(server, options.port ?? 0);
  url = `http://127.0.0.1:${port}`;
  ownHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  await ensureTablesOnce(url, credentials, paths, options.tables);

  return {
    url,
    credentials,
    stats: () => services.stats(),
    async close() {
      await services.idle();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Listens on the loopback interface; the port it got (a free one for port 0). */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
