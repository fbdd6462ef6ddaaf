import { chmodSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import type { StaticCredentials } from '../../../src/aws/clients';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LotteryError } from '../../../src/core/errors';
import { LOCAL_REGION } from '../../../src/local/constants';
import { startLocalServer } from '../../../src/local/server';
import { openBackend, rejectionOf, seedEmployees, TABLES, type Backend } from './support';

// Who the embedded backend's server answers: requests signed with its data directory's
// credentials, addressed to it, from anything but a web page. Everything here goes through the
// real SDK clients, whose requests are changed after (or before) the SDK signs them, as an
// attacker would change them; the errors are the ones the SDK shows.

interface HttpLike {
  headers: Record<string, string>;
  body?: unknown;
}
type Change = (request: HttpLike) => void;
type AnyClient = DynamoDBClient | SFNClient | SNSClient;

/** Changes each request just after the SDK signed it, or just before. */
function changeRequests(client: AnyClient, change: Change, relation: 'before' | 'after' = 'after') {
  const middleware =
    (next: (args: { request: unknown }) => Promise<unknown>) =>
    async (args: { request: unknown }) => {
      change(args.request as HttpLike);
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware as never, {
    relation,
    toMiddleware: 'httpSigningMiddleware',
    name: `change-${relation}`,
  });
}

interface Options {
  credentials?: StaticCredentials;
  systemClockOffset?: number;
  after?: Change;
  before?: Change;
}

/** One request to each API the server speaks: DynamoDB and Step Functions (JSON), SNS (Query). */
function callEach(backend: Backend, options: Options = {}) {
  const config = {
    endpoint: backend.server.url,
    region: LOCAL_REGION,
    credentials: options.credentials ?? backend.credentials,
    maxAttempts: 1,
    systemClockOffset: options.systemClockOffset,
  };
  const clients: AnyClient[] = [
    new DynamoDBClient(config),
    new SFNClient(config),
    new SNSClient(config),
  ];
  for (const client of clients) {
    if (options.after) changeRequests(client, options.after, 'after');
    if (options.before) changeRequests(client, options.before, 'before');
  }
  const [dynamodb, sfn, sns] = clients as [DynamoDBClient, SFNClient, SNSClient];
  const settle = <T>(promise: Promise<T>) =>
    promise.then(
      (value) => ({ value }),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ error }),
    );
  return Promise.all([
    settle(dynamodb.send(new ScanCommand({ TableName: TABLES.employees }))),
    settle(sfn.send(new ListStateMachinesCommand({}))),
    settle(sns.send(new ListTopicsCommand({}))),
  ]).finally(() => clients.forEach((client) => client.destroy()));
}

/** The error names the SDK gives for each API's refusal, and the HTTP statuses. */
async function refusals(backend: Backend, options: Options) {
  const results = await callEach(backend, options);
  return results.map((result) =>
    'error' in result
      ? `${result.error.name} ${result.error.$metadata?.httpStatusCode}`
      : 'answered',
  );
}

const signatureRefused = [
  'InvalidSignatureException 400',
  'InvalidSignatureException 400',
  'SignatureDoesNotMatch 403',
];
const denied = ['AccessDeniedException 403', 'AccessDeniedException 403', 'AccessDenied 403'];

function rawRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: options.method, headers: options.headers },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('the embedded backend answers only signed requests of its data directory', () => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await openBackend();
    await seedEmployees(backend, 3);
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  test('requests signed with the credentials of the data directory are answered, by every API', async () => {
    const [scan, machines, topics] = await callEach(backend);
    expect(scan).toMatchObject({ value: { Count: 3 } });
    expect(machines).toMatchObject({ value: { stateMachines: [{ name: 'Lottery' }] } });
    expect(topics).toMatchObject({ value: { Topics: [{}] } });
  });

  test('the credentials are made per data directory, in a file only its user can read', () => {
    const file = statSync(join(backend.home, 'credentials.json'));
    expect(file.mode & 0o777).toBe(0o600);
    expect(file.uid).toBe(process.getuid?.());
    expect(backend.credentials.secretAccessKey.length).toBeGreaterThanOrEqual(40);
  });

  test('a wrong secret is refused', async () => {
    const credentials = {
      ...backend.credentials,
      secretAccessKey: `${backend.credentials.secretAccessKey}x`,
    };
    expect(await refusals(backend, { credentials })).toEqual(signatureRefused);
  });

  test('another access key is refused as an invalid security token', async () => {
    expect(
      await refusals(backend, {
        credentials: { accessKeyId: 'lottery-local', secretAccessKey: 'lottery-local' },
      }),
    ).toEqual([
      'UnrecognizedClientException 400',
      'UnrecognizedClientException 400',
      'InvalidClientTokenId 403',
    ]);
  });

  test('a forged signature is refused', async () => {
    const forge: Change = (request) => {
      request.headers.authorization =
        request.headers.authorization?.replace(
          /Signature=[0-9a-f]{64}/,
          `Signature=${'0'.repeat(64)}`,
        ) ?? '';
    };
    expect(await refusals(backend, { after: forge })).toEqual(signatureRefused);
  });

  test('a body changed after signing is refused', async () => {
    // Its last character becomes a space: the same length, so Content-Length still holds.
    const tamper: Change = (request) => {
      const body =
        typeof request.body === 'string'
          ? request.body
          : new TextDecoder().decode(request.body as Uint8Array);
      request.body = `${body.slice(0, -1)} `;
    };
    expect(await refusals(backend, { after: tamper })).toEqual(signatureRefused);
  });

  test('a payload hash that is not the body’s is refused, even when it is signed', async () => {
    const stateWrongHash: Change = (request) => {
      request.headers['x-amz-content-sha256'] =
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    };
    expect(await refusals(backend, { before: stateWrongHash })).toEqual(signatureRefused);
  });

  test('an unsigned request is refused as missing its authentication token', async () => {
    const strip: Change = (request) => {
      delete request.headers.authorization;
    };
    expect(await refusals(backend, { after: strip })).toEqual([
      'MissingAuthenticationTokenException 400',
      'MissingAuthenticationTokenException 400',
      'MissingAuthenticationToken 403',
    ]);
  });

  test('a signature made more than five minutes ago is refused as expired', async () => {
    const results = await callEach(backend, { systemClockOffset: -10 * 60 * 1000 });
    for (const result of results) {
      expect(result).toHaveProperty('error');
      if ('error' in result)
        expect(result.error.message).toMatch(
          /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
        );
    }
  });

  test('a request from a web page (Origin, Sec-Fetch-Site) is refused, signed or not', async () => {
    const fromPage: Change = (request) => {
      request.headers.origin = 'https://example.com';
    };
    expect(await refusals(backend, { before: fromPage })).toEqual(denied);
    const fetchedByBrowser: Change = (request) => {
      request.headers['sec-fetch-site'] = 'cross-site';
    };
    expect(await refusals(backend, { after: fetchedByBrowser })).toEqual(denied);
  });

  test('a request addressed to another host name is refused, even when signed (DNS rebinding)', async () => {
    const port = new URL(backend.server.url).port;
    const rebound: Change = (request) => {
      request.headers.host = `attacker.example:${port}`;
    };
    expect(await refusals(backend, { before: rebound })).toEqual(denied);
    const viaLocalhost: Change = (request) => {
      request.headers.host = `localhost:${port}`;
    };
    expect(await refusals(backend, { before: viaLocalhost })).toEqual([
      'answered',
      'answered',
      'answered',
    ]);
  });

  test('a CORS preflight and a browser’s simple POST get no CORS headers', async () => {
    const preflight = await rawRequest(backend.server.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-amz-target,content-type',
      },
    });
    const simplePost = await rawRequest(backend.server.url, {
      method: 'POST',
      headers: {
        origin: 'https://example.com',
        'content-type': 'text/plain',
        'x-amz-target': 'DynamoDB_20120810.Scan',
      },
      body: JSON.stringify({ TableName: TABLES.employees }),
    });
    for (const answer of [preflight, simplePost]) {
      expect(answer.status).toBe(403);
      expect(
        Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
      expect(answer.body).not.toContain('Person');
    }
  });

  test('the health check tells an unsigned caller nothing', async () => {
    const answer = await rawRequest(`${backend.server.url}/lottery/health`, {
      method: 'GET',
      headers: {},
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: expect.stringContaining('Request is missing Authentication Token'),
    });
    expect(answer.body).not.toContain(backend.home);
    expect(answer.body).not.toContain(String(process.pid));
  });

  test('a credentials file that others can read is refused, with what to do', async () => {
    const file = join(backend.home, 'credentials.json');
    chmodSync(file, 0o644);
    try {
      const error = await rejectionOf(startLocalServer({ home: backend.home, tables: TABLES }));
      expect(error).toBeInstanceOf(LotteryError);
      expect(error.message).toBe(`${file} can be read by other users (mode 644)`);
      expect((error as LotteryError).hint).toContain('remove it, and a new one is made');
    } finally {
      chmodSync(file, 0o600);
    }
  });
});
