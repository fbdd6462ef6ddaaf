// lottery doctor in process (runMain): on the embedded backend, on a `local serve` started in this
// process (reached as itself and as an AWS endpoint), and on endpoints that are not AWS.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import dynalite from 'dynalite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnose, type DoctorCheck } from '../../src/ops/doctor';
import { DRAWS_TABLE, EMPLOYEE_TABLE, WINNERS_TABLE } from '../../src/core/names';
import { probeTarget } from '../../src/aws/probe';
import { tableDefinitions } from '../../src/local/tables';
import { serveInProcess } from '../helpers/backend';
import { ANSI, tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

interface DoctorReport {
  ok: boolean;
  target: string;
  checks: DoctorCheck[];
}

let home: string;
let cleanup: () => void;
const servers: Server[] = [];
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  cleanup();
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A plain DynamoDB API and nothing else: no tables, no Step Functions, no SNS. */
const emptyEndpoint = () => listen(dynalite({ createTableMs: 0 }));

/**
 * The AWS target with test keys, and nothing from this machine's AWS setup: no profile, no
 * config files, no instance metadata, no endpoint or lottery settings from the environment.
 */
function awsEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const empty = join(home, 'empty-aws-config');
  writeFileSync(empty, '');
  return {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: undefined,
    AWS_ENDPOINT_URL_SFN: undefined,
    AWS_ENDPOINT_URL_SNS: undefined,
    LOTTERY_TARGET: undefined,
    LOTTERY_STATE_MACHINE_ARN: undefined,
    LOTTERY_EMPLOYEE_TABLE: undefined,
    LOTTERY_WINNERS_TABLE: undefined,
    ...overrides,
  };
}

/** Runs `lottery` away from any lottery.config.json: settings come from flags and `env` alone. */
const lottery = (args: string[], env: Record<string, string | undefined> = {}) =>
  runMain(args, {
    home,
    cwd: home,
    env: { LOTTERY_CONFIG: join(home, 'no-user-config.json'), ...env },
  });

const doctorAt = (endpoint: string, ...extra: string[]) =>
  lottery(['--target', 'aws', '--endpoint-url', endpoint, 'doctor', ...extra], awsEnv());

function parseReport(stdout: string): DoctorReport {
  return JSON.parse(stdout) as DoctorReport;
}

const statuses = (report: DoctorReport) =>
  Object.fromEntries(report.checks.map((check) => [check.name, check.status]));
const find = (report: DoctorReport, name: string) =>
  report.checks.find((check) => check.name === name);

describe('lottery doctor on the embedded backend', () => {
  it('passes every check after `lottery seed`, with JSON alone on stdout and no colour codes when piped', async () => {
    expect((await lottery(['seed'])).code).toBe(0);

    const shown = await lottery(['doctor']);
    expect(shown.code).toBe(0);
    for (const name of [
      'region',
      'credentials',
      'employee table',
      'serial index',
      'winners table',
      'draws table',
      'state machine',
      'prize plan',
      'topic',
      'pool',
      'claims',
      'winners',
      'prizes',
    ]) {
      expect(shown.stdout).toMatch(new RegExp(`^  ✔ ${name}\\s+\\S`, 'm'));
    }
    expect(shown.stdout).not.toMatch(/[!✖]/);
    expect(shown.stdout).toContain('Everything is in place.');
    expect(shown.stderr).toContain(`Target: local embedded backend (data in ${home})`);

    const json = await lottery(['doctor', '--json']);
    expect(json.code).toBe(0);
    const report = parseReport(json.stdout);
    expect(report).toMatchObject({ ok: true, target: 'local' });
    expect(report.checks).toHaveLength(13);
    expect(report.checks.every((check) => check.status === 'ok' && check.fix === undefined)).toBe(
      true,
    );
    expect(find(report, 'state machine')?.message).toBe(
      'arn:aws:states:local:000000000000:stateMachine:Lottery',
    );

    for (const output of [shown.stdout, shown.stderr, json.stdout, json.stderr])
      expect(output).not.toMatch(ANSI);
  });
});

describe('lottery --target aws doctor', () => {
  it('reports each missing part of an empty endpoint that only speaks DynamoDB, and exits 253', async () => {
    const endpoint = await emptyEndpoint();
    const shown = await doctorAt(endpoint);
    expect(shown.code).toBe(253);
    expect(shown.stdout).toMatch(/✔ region\s+us-east-1/);
    expect(shown.stdout).toMatch(
      new RegExp(`✖ employee table\\s+table Lottery-Employee does not exist at ${endpoint}`),
    );
    expect(shown.stdout).toMatch(
      new RegExp(`✖ winners table\\s+table Lottery-Winners does not exist at ${endpoint}`),
    );
    expect(shown.stdout).toMatch(
      new RegExp(`✖ draws table\\s+table Lottery-Draws does not exist at ${endpoint}`),
    );
    expect(shown.stdout).toContain('fix: deploy the stack with `lottery deploy` (docs/aws.md)');
    expect(shown.stdout).toMatch(
      new RegExp(
        `✖ state machine\\s+${endpoint} does not serve Step Functions: it answered UnknownOperationException`,
      ),
    );
    expect(shown.stdout).toMatch(new RegExp(`✖ topic\\s+${endpoint} does not serve SNS`));
    expect(shown.stdout).toContain(
      'fix: --endpoint-url sends DynamoDB, Step Functions and SNS to one URL',
    );
    expect(shown.stdout).toMatch(
      new RegExp(`! stack\\s+${endpoint} does not serve CloudFormation`),
    );
    expect(shown.stderr).toContain('error: 5 problems found');
    expect(shown.stderr).toContain(`Target: AWS (region us-east-1, endpoint ${endpoint})`);
    expect(shown.stdout + shown.stderr).not.toMatch(ANSI);

    const json = await doctorAt(endpoint, '--json');
    expect(json.code).toBe(253);
    const report = parseReport(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.target).toBe('aws');
    expect(statuses(report)).toEqual({
      region: 'ok',
      credentials: 'ok',
      // The lottery runs without a stack (tables and a state machine made by hand): only a warning.
      stack: 'warn',
      'employee table': 'fail',
      'serial index': 'warn',
      'winners table': 'fail',
      'draws table': 'fail',
      'state machine': 'fail',
      'prize plan': 'warn',
      topic: 'fail',
    });
    for (const check of report.checks.filter((candidate) => candidate.status === 'fail'))
      expect(check.fix).toBeTruthy();
  });

  it('fails the serial index of an employee table created without it, and passes the tables themselves', async () => {
    const endpoint = await emptyEndpoint();
    const dynamodb = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const [employees, winners] = tableDefinitions({
        employees: EMPLOYEE_TABLE,
        winners: WINNERS_TABLE,
        draws: DRAWS_TABLE,
      });
      if (!employees || !winners) throw new Error('tableDefinitions gave fewer than two tables');
      const { GlobalSecondaryIndexes: _index, ...withoutIndex } = employees;
      await dynamodb.send(
        new CreateTableCommand({
          ...withoutIndex,
          AttributeDefinitions: [{ AttributeName: 'employee_id', AttributeType: 'S' }],
        }),
      );
      await dynamodb.send(new CreateTableCommand(winners));
    } finally {
      dynamodb.destroy();
    }

    const result = await doctorAt(endpoint, '--json');
    expect(result.code).toBe(253);
    const report = parseReport(result.stdout);
    expect(statuses(report)).toMatchObject({
      'employee table': 'ok',
      'serial index': 'fail',
      'winners table': 'ok',
    });
    expect(find(report, 'serial index')).toMatchObject({
      message: 'Lottery-Employee has no index lottery_serial-index',
      fix: expect.stringContaining('aws dynamodb update-table --table-name Lottery-Employee'),
    });
    expect(find(report, 'employee table')?.message).toBe(
      'Lottery-Employee: ACTIVE, key employee_id (S, HASH)',
    );
  });

  it('reports a missing region with its fix, and checks nothing else', async () => {
    const result = await lottery(['--target', 'aws', 'doctor'], awsEnv({ AWS_REGION: undefined }));
    expect(result.code).toBe(253);
    expect(result.stdout).toMatch(/✖ region\s+no AWS region is set/);
    expect(result.stdout).toContain(
      'fix: pass --region, set AWS_REGION, or add a region to your profile in ~/.aws/config',
    );
    expect(result.stdout).toMatch(/! state machine\s+not checked: no region/);
    expect(result.stderr).toContain('error: 1 problem found');
  });

  it('reports missing credentials from the first calls, without an STS client', async () => {
    const endpoint = await emptyEndpoint();
    const result = await lottery(
      ['--target', 'aws', '--endpoint-url', endpoint, 'doctor', '--json'],
      awsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
    );
    expect(result.code).toBe(253);
    const report = parseReport(result.stdout);
    expect(find(report, 'credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('no AWS credentials were found'),
      fix: expect.stringContaining('aws configure'),
    });
    expect(find(report, 'employee table')).toMatchObject({
      status: 'warn',
      message: 'not checked: no usable credentials',
    });
    expect(report.checks.filter((check) => check.status === 'fail')).toHaveLength(1);
  });

  it('finds the people held by a draw stopped before it could give them back, and --fix gives them back', async () => {
    const served = tempHome();
    const server = await serveInProcess(served.home, {
      // Validate Winners claims its people, then waits: a stop then leaves them claimed.
      tasks: [{ state: 'Validate Winners', delayMs: 10_000, after: true }],
    });
    try {
      expect((await runMain(['seed'], { home: served.home })).code).toBe(0);
      const credentials = JSON.parse(
        (await runMain(['local', 'env', '--json'], { home: served.home })).stdout,
      ) as Record<string, string>;
      const sfn = new SFNClient({
        endpoint: server.url,
        region: 'local',
        credentials: {
          accessKeyId: credentials.AWS_ACCESS_KEY_ID as string,
          secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY as string,
        },
      });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:Lottery',
          name: 'stopped-draw',
          input: '{"input": 3}',
        }),
      );
      // Stopped while Validate Winners waits: as StopExecution on AWS, Release Winners never
      // runs. A busy machine may take seconds to get there: wait for the claims, however long the
      // test allows.
      let waiting = false;
      while (!waiting) {
        const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
        const events = history.events ?? [];
        if (
          events.some(
            (event) => event.type !== 'ExecutionStarted' && event.type?.startsWith('Execution'),
          )
        )
          throw new Error(`the draw ended before Validate Winners: ${events.at(-1)?.type}`);
        waiting =
          events.some((event) => event.stateEnteredEventDetails?.name === 'Validate Winners') &&
          (
            JSON.parse(
              (await runMain(['employees', 'count', '--json'], { home: served.home })).stdout,
            ) as { held_by_running_draws: number }
          ).held_by_running_draws === 3;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await sfn.send(new StopExecutionCommand({ executionArn }));
      sfn.destroy();

      const before = parseReport(
        (await runMain(['doctor', '--json'], { home: served.home })).stdout,
      );
      expect(find(before, 'claims')).toEqual({
        name: 'claims',
        status: 'warn',
        message: '3 people held by draws that are over: stopped-draw (aborted)',
        fix: '`lottery doctor --fix` gives them back (so does the next draw)',
      });
      const fixed = await runMain(['doctor', '--fix'], { home: served.home });
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain(
        'gave back 3 people held by draws that were over: stopped-draw (aborted)',
      );
      const counts = JSON.parse(
        (await runMain(['employees', 'count', '--json'], { home: served.home })).stdout,
      ) as { eligible: number; held_by_running_draws: number };
      expect(counts).toMatchObject({ eligible: 10, held_by_running_draws: 0 });
    } finally {
      await server.stop();
      served.cleanup();
    }
  });

  it('passes `lottery local serve` reached as an AWS endpoint, finding the topic from the state machine ARN', async () => {
    const served = tempHome();
    const server = await serveInProcess(served.home);
    try {
      // The server answers only requests signed with its data directory's credentials.
      const credentials = JSON.parse(
        (await runMain(['local', 'env', '--json'], { home: served.home })).stdout,
      ) as Record<string, string>;
      const keys = {
        AWS_ACCESS_KEY_ID: credentials.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: credentials.AWS_SECRET_ACCESS_KEY,
      };
      const result = await lottery(
        ['--target', 'aws', '--endpoint-url', server.url, 'doctor', '--json'],
        awsEnv(keys),
      );
      const report = parseReport(result.stdout);
      expect(result.code).toBe(0);
      expect(report.ok).toBe(true);
      expect(find(report, 'state machine')).toMatchObject({
        status: 'ok',
        message: 'arn:aws:states:local:000000000000:stateMachine:Lottery',
      });
      // The embedded backend's topic has no subscribers (announcements go to its outbox): on AWS
      // that is worth a warning.
      expect(find(report, 'topic')).toMatchObject({
        status: 'warn',
        message: expect.stringContaining(
          'arn:aws:sns:local:000000000000:Lottery-Notification has no confirmed subscriptions',
        ),
      });
    } finally {
      await server.stop();
      served.cleanup();
    }
  });
});

describe('probeTarget against endpoints that are not AWS', () => {
  it('turns a web page, a silent server and a 404 into findings within its timeout, without throwing', async () => {
    // DynamoDB requests get a web page, Step Functions requests no answer at all, SNS requests a
    // 404 page.
    const endpoint = await listen(
      createServer((request, response) => {
        const target = String(request.headers['x-amz-target'] ?? '');
        if (target.startsWith('AWSStepFunctions.')) return;
        response.writeHead(target ? 200 : 404, { 'Content-Type': 'text/html' });
        response.end('<html><body>hello</body></html>');
      }),
    );
    const started = Date.now();
    const probe = await probeTarget({
      target: 'aws',
      client: {
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
      tables: { employees: EMPLOYEE_TABLE, winners: WINNERS_TABLE, draws: DRAWS_TABLE },
      timeoutMs: 300,
    });
    const elapsed = Date.now() - started;
    // The silent Step Functions call waits out its timeout; the topic, looked for by name after it,
    // answers at once.
    expect(elapsed).toBeLessThan(3000);
    const checks = Object.fromEntries(diagnose(probe).map((check) => [check.name, check]));
    expect(checks['employee table']).toMatchObject({
      status: 'fail',
      message: `${endpoint} does not serve DynamoDB: it answered HTTP 200, not in DynamoDB's format`,
    });
    expect(checks['state machine']).toMatchObject({
      status: 'fail',
      message: `cannot reach Step Functions at ${endpoint}: no answer within 0.3 s`,
    });
    expect(checks.topic).toMatchObject({
      status: 'fail',
      message: `${endpoint} does not serve SNS: it answered HTTP 404, not in SNS's format`,
    });
    expect(checks.credentials).toMatchObject({
      status: 'warn',
      message: 'not checked: no service answered',
    });
  });
});
