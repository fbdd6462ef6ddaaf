// The Lambda bundles `npm run build` writes to dist/lambdas/ (scripts/build-lambdas.mjs, also run
// alone by `npm run build:lambdas`): one self-contained ESM bundle per function, loadable by plain
// Node (20 and later) with nothing installed next to it, the AWS SDK inside.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../src/aws/clients';
import { FUNCTIONS } from '../../src/core/names';
import { LOCAL_ARNS } from '../../src/local/constants';
import { ensureTables } from '../../src/local/tables';
import { ROOT } from '../helpers/template';
import { serveFresh, type Served } from '../helpers/served';

const NAMES = Object.values(FUNCTIONS);
// The tests' global setup ran `npm run build` (test/helpers/build.ts): these are the bundles deploy
// uploads.
const outdir = join(ROOT, 'dist', 'lambdas');
const work = mkdtempSync(join(tmpdir(), 'lottery-lambdas-'));
// Each bundle is also copied where no node_modules can be found, as it is on Lambda.
const isolated = join(work, 'isolated');

const bundlePath = (name: string) => join(outdir, name, 'index.mjs');
const isolatedPath = (name: string) => join(isolated, name, 'index.mjs');

interface ChildResult {
  node: string;
  results: unknown[];
}

/**
 * Imports bundles in a fresh Node process (the one running the tests; CI runs Node 20) and calls
 * their handlers one after another: `calls` is a list of [function name, event].
 */
async function runBundles(
  calls: [string, unknown][],
  env: Record<string, string> = {},
): Promise<ChildResult> {
  const script = `
    const calls = JSON.parse(process.env.LOTTERY_TEST_CALLS);
    const results = [];
    for (const [url, event] of calls) {
      const module = await import(url);
      if (event === null) { results.push({ exports: Object.keys(module), handler: typeof module.handler }); continue; }
      try { results.push({ ok: await module.handler(event) }); }
      catch (error) { results.push({ error: error.name, message: error.message }); }
    }
    process.stdout.write(JSON.stringify({ node: process.versions.node, results }));
  `;
  // Asynchronous on purpose: the DynamoDB API the handlers call may be served by this process.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      cwd: isolated,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_CONFIG_FILE: join(work, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        EMPLOYEE_TABLE: 'unused-employees',
        WINNERS_TABLE: 'unused-winners',
        DRAWS_TABLE: 'unused-draws',
        ...env,
        LOTTERY_TEST_CALLS: JSON.stringify(
          calls.map(([name, event]) => [pathToFileURL(isolatedPath(name)).href, event]),
        ),
      },
    },
  );
  return JSON.parse(stdout) as ChildResult;
}

beforeAll(() => {
  for (const name of NAMES) {
    mkdirSync(join(isolated, name), { recursive: true });
    copyFileSync(bundlePath(name), isolatedPath(name));
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Lambda bundles of npm run build', () => {
  it('are in dist/lambdas: one directory per function of FUNCTIONS, each holding index.mjs', () => {
    expect(readdirSync(outdir).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(readdirSync(join(outdir, name))).toEqual(['index.mjs']);
  });

  it('are what `npm run build:lambdas` writes, byte for byte: a rebuild of the same sources deploys no change', () => {
    const again = join(work, 'again');
    execFileSync(process.execPath, ['scripts/build-lambdas.mjs', '--outdir', again], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    expect(readdirSync(again).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES)
      expect(
        readFileSync(join(again, name, 'index.mjs')).equals(readFileSync(bundlePath(name))),
        name,
      ).toBe(true);
  }, 120_000);

  it('bundles everything, the AWS SDK included: an ES module that imports only Node built-ins', async () => {
    for (const name of NAMES) {
      // esbuild reads the bundle back and lists what it imports, statically or with import().
      const { metafile } = await build({
        entryPoints: [bundlePath(name)],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        external: ['*'],
        logLevel: 'silent',
      });
      const [input] = Object.values(metafile.inputs);
      expect(input?.format, name).toBe('esm');
      const imports = input?.imports.map((entry) => entry.path) ?? [];
      expect(imports.length, name).toBeGreaterThan(0);
      expect(
        imports.filter((path) => !path.startsWith('node:')),
        name,
      ).toEqual([]);
      // The SDK client is in the file rather than taken from the Lambda runtime.
      expect(readFileSync(bundlePath(name), 'utf8'), name).toContain('DynamoDBClient');
    }
  });

  it('can be imported by Node (20 or later) on its own, and exports a handler function', async () => {
    const { node, results } = await runBundles(NAMES.map((name) => [name, null]));
    expect(Number(node.split('.')[0])).toBeGreaterThanOrEqual(20);
    for (const result of results) expect(result).toMatchObject({ handler: 'function' });
  });

  it('runs: Lottery-InputWinners checks a request as the workflow expects', async () => {
    const event = (request: unknown) => ({
      request,
      execution_name: 'draw-1',
      execution_arn: 'arn:aws:states:eu-west-1:123456789012:execution:Lottery:draw-1',
      started_at: '2024-05-01T10:00:00.000Z',
    });
    const { results } = await runBundles([
      [FUNCTIONS.InputWinnersFunctionArn, event({ input: 2, prize: 'Kettle' })],
      [FUNCTIONS.InputWinnersFunctionArn, event({ input: 0 })],
    ]);
    expect(results[0]).toMatchObject({
      ok: {
        body: {
          draw_id: 'draw-1',
          num_of_winners: 2,
          prize: 'Kettle',
          attempt: 0,
          seed_source: 'generated',
        },
      },
    });
    // The error's name is what the ASL file's Retry and Catch match on.
    expect(results[1]).toMatchObject({ error: 'InvalidDrawInput' });
  });
});

describe('the bundled handlers against a DynamoDB API (dynalite), through their own SDK', () => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const tables = { employees: 'Bundle-Employee', winners: 'Bundle-Winners', draws: 'Bundle-Draws' };
  let endpoint = '';
  // Record Winner Queue asks Step Functions whether its draw was stopped: the embedded backend's
  // Step Functions API answers, for a draw it never ran, as AWS does (ExecutionDoesNotExist).
  let stepFunctions: Served;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stepFunctions = await serveFresh();
  });

  afterAll(async () => {
    await stepFunctions.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('select, validate and record a draw, then release it', async () => {
    const { dynamodb, doc } = await createDocumentClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      await ensureTables(dynamodb, tables);
      for (const [index, name] of ['Rose', 'Jack', 'Mia'].entries()) {
        await doc.send(
          new PutCommand({
            TableName: tables.employees,
            Item: { employee_id: `00${index + 1}`, employee_name: name, lottery_serial: index + 1 },
          }),
        );
      }
      const env = {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL_SFN: stepFunctions.url,
        AWS_ACCESS_KEY_ID: stepFunctions.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: stepFunctions.credentials.secretAccessKey,
        EMPLOYEE_TABLE: tables.employees,
        WINNERS_TABLE: tables.winners,
        DRAWS_TABLE: tables.draws,
      };
      const body = {
        draw_id: 'bundle-draw',
        execution_arn: `${LOCAL_ARNS.executionPrefix}bundle-draw`,
        num_of_winners: 2,
        prize: 'Kettle',
        seed: '00112233445566778899aabbccddeeff',
        seed_source: 'caller',
        requested_at: '2024-05-01T10:00:00.000Z',
        attempt: 0,
      };
      const selected = (await runBundles([[FUNCTIONS.RandomSelectWinnersFunctionArn, body]], env))
        .results[0] as {
        ok: { body: typeof body & { winner_details: { employee_id: string }[] } };
      };
      expect(selected.ok?.body.winner_details, JSON.stringify(selected)).toHaveLength(2);
      const draw = selected.ok.body;

      const [validated, recorded] = (
        await runBundles(
          [
            [FUNCTIONS.ValidateWinnersFunctionArn, draw],
            [FUNCTIONS.RecordWinnersFunctionArn, draw],
          ],
          env,
        )
      ).results as [{ ok: { status: number } }, { ok: { winners: unknown[] } }];
      expect(validated.ok?.status, JSON.stringify(validated)).toBe(0);
      expect(recorded.ok?.winners, JSON.stringify(recorded)).toHaveLength(2);
      const winners = await doc.send(new ScanCommand({ TableName: tables.winners }));
      expect(
        winners.Items?.map((item) => [item.employee_id, item.status, item.draw_id]).sort(),
      ).toEqual(
        draw.winner_details.map((winner) => [winner.employee_id, 'won', 'bundle-draw']).sort(),
      );

      const released = (await runBundles([[FUNCTIONS.ReleaseWinnersFunctionArn, { draw }]], env))
        .results[0];
      expect(released).toEqual({ ok: { released: 2 } });
      expect((await doc.send(new ScanCommand({ TableName: tables.winners }))).Items).toEqual([]);
    } finally {
      dynamodb.destroy();
    }
  }, 60_000);
});
