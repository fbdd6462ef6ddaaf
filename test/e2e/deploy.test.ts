// `lottery deploy` and `lottery destroy`, run as a user would, against moto's server standing in
// for AWS (test/helpers/moto.ts says what it adds to moto, and docs/aws.md what moto
// cannot check: IAM, the API's stage, running the workflow).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/core/names';
import { ANSI, BIN, ROOT, runCli, tempHome, type CliResult } from '../helpers/cli';
import { startMoto, type Moto } from '../helpers/moto';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const BUCKET = `lottery-artifacts-${ACCOUNT}-${REGION}`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let moto: Moto;
let home: string;
let cleanup: () => void;
let configFile: string;
let clients: {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
};

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  configFile = join(home, 'config', 'config.json');
  moto = await startMoto();
  const config = { endpoint: moto.url, region: REGION, credentials };
  clients = {
    cloudformation: new CloudFormationClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(config),
    sfn: new SFNClient(config),
  };
}, 60_000);

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.destroy();
  await moto?.stop();
  cleanup?.();
});

/**
 * `lottery` with test keys and nothing of this machine's AWS or lottery setup; `--endpoint-url`
 * goes to moto.
 */
function lottery(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const empty = join(home, 'empty-aws-config');
  writeFileSync(empty, '');
  return runCli(args, {
    home,
    cwd: home,
    timeoutMs: 60_000,
    env: {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SESSION_TOKEN: undefined,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: undefined,
      LOTTERY_TARGET: undefined,
      LOTTERY_STATE_MACHINE_ARN: undefined,
      LOTTERY_EMPLOYEE_TABLE: undefined,
      LOTTERY_WINNERS_TABLE: undefined,
      LOTTERY_STACK_NAME: undefined,
      LOTTERY_CONFIG: configFile,
      ...env,
    },
  });
}

const at = () => ['--endpoint-url', moto.url, '--region', REGION];
const savedConfig = () =>
  JSON.parse(readFileSync(configFile, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as Record<
    string,
    unknown
  >;

async function stackStatus(name: string): Promise<string | undefined> {
  try {
    return (await clients.cloudformation.send(new DescribeStacksCommand({ StackName: name })))
      .Stacks?.[0]?.StackStatus;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

async function tableExists(name: string): Promise<boolean> {
  try {
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/** Lines of a stack view: "  ✔ EmployeeTable   CREATE_COMPLETE …". */
const eventLine = (mark: string, resource: string, status: string) =>
  new RegExp(`^  ${mark} ${resource}\\s+${status}\\b`, 'm');

describe('lottery deploy, then the CLI on the deployed stack, then lottery destroy', () => {
  it('refuses without a terminal and without --yes, and leaves nothing behind', async () => {
    const result = await lottery(['deploy', ...at()]);
    expect(result.code).toBe(252);
    expect(result.stderr).toContain('error: refusing to create stack lottery without confirmation');
    expect(result.stderr).toContain(
      'hint: run it in a terminal to see the changes and be asked, or pass --yes',
    );
    expect(await stackStatus('lottery')).toBeUndefined();
    expect((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  it('creates the stack: uploads the bundles, lists the changes, follows each resource, prints the outputs, saves the settings', async () => {
    // A user config with a setting and a comment of its own, which deploy must keep.
    mkdirSync(join(home, 'config'));
    writeFileSync(configFile, '{\n  // polls of a draw on AWS\n  "pollIntervalMs": 500\n}\n');

    const result = await lottery(['deploy', ...at(), '--yes']);
    expect(result.code, result.stderr).toBe(0);
    const { stderr, stdout } = result;
    expect(stderr).toContain(`Target: AWS (region ${REGION}, endpoint ${moto.url})`);
    expect(stderr).toContain(`Created the artefact bucket ${BUCKET}`);
    // The change set, as CloudFormation lists it after the SAM transform.
    expect(stderr).toMatch(/│ Add\s+│ EmployeeTable\s+│ AWS::DynamoDB::Table/);
    expect(stderr).toMatch(/│ Add\s+│ RecordWinnersFunction\s+│ AWS::Lambda::Function/);
    // Live events, resource by resource, opened and closed by the stack's own.
    expect(stderr).toMatch(eventLine('…', 'lottery', 'CREATE_IN_PROGRESS'));
    for (const resource of [
      'EmployeeTable',
      'WinnersTable',
      'LotteryStateMachine',
      'NotificationTopic',
      'RecordWinnersFunction',
    ])
      expect(stderr).toMatch(eventLine('✔', resource, 'CREATE_COMPLETE'));
    expect(stderr.indexOf('CREATE_IN_PROGRESS')).toBeLessThan(
      stderr.search(eventLine('✔', 'lottery', 'CREATE_COMPLETE')),
    );
    expect(stderr).toContain('Stack lottery is created (CREATE_COMPLETE).');
    expect(stdout).toMatch(
      new RegExp(
        `│ StateMachineArn\\s+│ arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Lottery\\s+│`,
      ),
    );
    expect(stdout).toMatch(/│ EmployeeTableName\s+│ Lottery-Employee\s+│/);
    for (const output of [stdout, stderr]) expect(output).not.toMatch(ANSI);

    expect(await stackStatus('lottery')).toBe('CREATE_COMPLETE');
    expect(savedConfig()).toEqual({
      pollIntervalMs: 500,
      region: REGION,
      stackName: 'lottery',
      stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Lottery`,
      employeeTable: 'Lottery-Employee',
      winnersTable: 'Lottery-Winners',
      drawsTable: 'Lottery-Draws',
    });
    expect(readFileSync(configFile, 'utf8')).toContain('// polls of a draw on AWS');
  });

  it('made the bucket private and encrypted, and uploaded each bundle of dist/lambdas as index.mjs in a zip named by its content', async () => {
    const block = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const encryption = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ).toBe('AES256');

    const template = JSON.parse(
      (
        await clients.cloudformation.send(
          new GetTemplateCommand({ StackName: 'lottery', TemplateStage: 'Original' }),
        )
      ).TemplateBody ?? '',
    ) as {
      Resources: Record<
        string,
        {
          Type: string;
          Properties: { CodeUri?: { Bucket: string; Key: string }; Definition?: unknown };
        }
      >;
    };
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Serverless::Function',
    );
    expect(functions).toHaveLength(Object.keys(FUNCTIONS).length);
    for (const name of Object.values(FUNCTIONS)) {
      const bundle = readFileSync(join(ROOT, 'dist', 'lambdas', name, 'index.mjs'));
      const key = `lottery/functions/${name}/${createHash('sha256').update(bundle).digest('hex')}.zip`;
      expect(functions.map((resource) => resource.Properties.CodeUri)).toContainEqual({
        Bucket: BUCKET,
        Key: key,
      });
      const zip = await (
        await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body?.transformToByteArray();
      const files = unzipSync(zip ?? new Uint8Array());
      expect(Object.keys(files), name).toEqual(['index.mjs']);
      expect(Buffer.from(files['index.mjs'] ?? []).equals(bundle), name).toBe(true);
    }
    // The definition travels inline: the state machine holds the ASL file's states.
    const asl = JSON.parse(
      readFileSync(join(ROOT, 'infra', 'statemachine', 'lottery.asl.json'), 'utf8'),
    ) as { StartAt: string; States: object };
    const machine = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Serverless::StateMachine',
    );
    expect(machine?.Properties.Definition).toEqual(asl);
    const deployed = await clients.sfn.send(
      new DescribeStateMachineCommand({
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Lottery`,
      }),
    );
    const definition = JSON.parse(deployed.definition ?? '{}') as {
      StartAt: string;
      States: object;
    };
    expect(definition.StartAt).toBe(asl.StartAt);
    expect(Object.keys(definition.States).sort()).toEqual(Object.keys(asl.States).sort());
  });

  it('lets doctor, seed, employees count and draw find everything through the saved settings alone', async () => {
    const aws = ['--target', 'aws', '--endpoint-url', moto.url];
    const doctor = await lottery([...aws, 'doctor', '--json']);
    expect(doctor.code, doctor.stdout).toBe(0);
    const checks = Object.fromEntries(
      (
        JSON.parse(doctor.stdout) as { checks: { name: string; status: string; message: string }[] }
      ).checks.map((check) => [check.name, check]),
    );
    expect(checks.stack).toMatchObject({
      status: 'ok',
      message: "lottery: CREATE_COMPLETE, with this version's template and functions",
    });
    for (const name of [
      'region',
      'employee table',
      'serial index',
      'winners table',
      'state machine',
    ])
      expect(checks[name]?.status, name).toBe('ok');
    expect(checks['state machine']?.message).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Lottery`,
    );

    expect((await lottery([...aws, 'seed'])).code).toBe(0);
    const count = await lottery([...aws, 'employees', 'count', '--json']);
    expect(JSON.parse(count.stdout)).toMatchObject({ total: 10, eligible: 10, won: 0 });

    // moto cannot run the Lambda functions (that needs Docker): the draw starts an execution of
    // the deployed state machine, which is as far as it goes here.
    await lottery([...aws, 'draw', '-n', '2', '--name', 'first-draw']);
    const executions = await clients.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Lottery`,
      }),
    );
    expect(executions.executions?.map((execution) => execution.name)).toEqual(['first-draw']);
  });

  it('says so when nothing changed, exits 0 and makes no change set', async () => {
    const before = (
      await clients.cloudformation.send(new ListChangeSetsCommand({ StackName: 'lottery' }))
    ).Summaries?.length;
    const result = await lottery(['deploy', ...at()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "No change: stack lottery already runs this version's template and functions.",
    );
    expect(result.stderr).not.toContain('uploaded');
    expect(
      (await clients.cloudformation.send(new ListChangeSetsCommand({ StackName: 'lottery' })))
        .Summaries?.length,
    ).toBe(before);
  });

  it('updates a stack whose function code is not the bundled one, and doctor says the update is due until then', async () => {
    // Someone deployed other code for one function: the stack's template points elsewhere.
    const original =
      (
        await clients.cloudformation.send(
          new GetTemplateCommand({ StackName: 'lottery', TemplateStage: 'Original' }),
        )
      ).TemplateBody ?? '';
    const template = JSON.parse(original) as {
      Resources: Record<string, { Properties: { CodeUri?: { Key: string } } }>;
    };
    const record = template.Resources.RecordWinnersFunction?.Properties.CodeUri;
    if (!record) throw new Error('no RecordWinnersFunction code in the deployed template');
    const bundledKey = record.Key;
    record.Key = bundledKey.replace(/[0-9a-f]{64}/, '0'.repeat(64));
    const { Id } = await clients.cloudformation.send(
      new CreateChangeSetCommand({
        StackName: 'lottery',
        ChangeSetName: 'by-hand',
        ChangeSetType: 'UPDATE',
        TemplateBody: JSON.stringify(template),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
      }),
    );
    expect(
      (await clients.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: Id })))
        .Status,
    ).toBe('CREATE_COMPLETE');
    await clients.cloudformation.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));

    const doctor = await lottery(['--target', 'aws', '--endpoint-url', moto.url, 'doctor']);
    expect(doctor.stdout).toMatch(
      /! stack\s+lottery: UPDATE_COMPLETE; an update is due: code of Lottery-RecordWinners/,
    );
    expect(doctor.stdout).toContain('fix: `lottery deploy` updates it to this version');

    const result = await lottery(['deploy', ...at(), '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'Stack lottery (UPDATE_COMPLETE) differs in: code of Lottery-RecordWinners.',
    );
    expect(result.stderr).toMatch(/│ Modify\s+│ RecordWinnersFunction\s+│ AWS::Lambda::Function/);
    expect(result.stderr).toMatch(eventLine('✔', 'RecordWinnersFunction', 'UPDATE_COMPLETE'));
    // --json: the result alone on stdout.
    expect(JSON.parse(result.stdout)).toMatchObject({
      stack: 'lottery',
      region: REGION,
      status: 'UPDATE_COMPLETE',
      outcome: 'updated',
      configFile,
    });
    const deployed = JSON.parse(
      (
        await clients.cloudformation.send(
          new GetTemplateCommand({ StackName: 'lottery', TemplateStage: 'Original' }),
        )
      ).TemplateBody ?? '',
    ) as typeof template;
    expect(deployed.Resources.RecordWinnersFunction?.Properties.CodeUri?.Key).toBe(bundledKey);
  });

  it('keeps the other parameters when one changes', async () => {
    const result = await lottery([
      'deploy',
      ...at(),
      '--yes',
      '--notification-email',
      'party@example.com',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('differs in: parameters NotificationEmail');
    const parameters =
      (await clients.cloudformation.send(new DescribeStacksCommand({ StackName: 'lottery' })))
        .Stacks?.[0]?.Parameters ?? [];
    expect(
      Object.fromEntries(
        parameters.map((parameter) => [parameter.ParameterKey, String(parameter.ParameterValue)]),
      ),
    ).toMatchObject({ NotificationEmail: 'party@example.com', ResourcePrefix: '' });

    const bad = await lottery(['deploy', ...at(), '--yes', '--prefix', 'no spaces']);
    expect(bad.code).toBe(252);
    expect(bad.stderr).toContain(
      'error: --prefix "no spaces" is not allowed: up to 20 letters, digits or hyphens',
    );
    const badName = await lottery(['destroy', ...at(), '--yes', '--stack-name', '2026-party']);
    expect(badName.code).toBe(252);
    expect(badName.stderr).toContain('error: --stack-name "2026-party" must start with a letter');
  });

  it('destroys the stack after asking, follows it, keeps the tables with their data, and forgets the stack in the settings', async () => {
    const refused = await lottery(['destroy', ...at()]);
    expect(refused.code).toBe(252);
    expect(refused.stderr).toContain(
      `error: refusing to delete stack lottery (UPDATE_COMPLETE) in ${REGION} without confirmation`,
    );
    expect(await stackStatus('lottery')).toBe('UPDATE_COMPLETE');

    const result = await lottery(['destroy', ...at(), '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'The tables Lottery-Draws, Lottery-Employee and Lottery-Winners are kept, with their data.',
    );
    expect(result.stderr).toMatch(eventLine('…', 'lottery', 'DELETE_IN_PROGRESS'));
    expect(result.stderr).toMatch(eventLine('•', 'EmployeeTable', 'DELETE_SKIPPED'));
    expect(result.stderr).toMatch(eventLine('✔', 'RecordWinnersFunction', 'DELETE_COMPLETE'));
    expect(result.stderr).toMatch(eventLine('✔', 'lottery', 'DELETE_COMPLETE'));
    expect(result.stdout).toContain('Stack lottery is deleted.');
    expect(result.stdout).toContain(
      `To delete them: aws dynamodb delete-table --region ${REGION} --table-name Lottery-Draws && aws dynamodb delete-table --region ${REGION} --table-name Lottery-Employee && aws dynamodb delete-table --region ${REGION} --table-name Lottery-Winners`,
    );
    expect(await stackStatus('lottery')).toBeUndefined();

    // The data is still there, and the saved table names still find it.
    const count = await lottery([
      '--target',
      'aws',
      '--endpoint-url',
      moto.url,
      'employees',
      'count',
      '--json',
    ]);
    expect(JSON.parse(count.stdout)).toMatchObject({ total: 10 });
    expect(savedConfig()).toEqual({
      pollIntervalMs: 500,
      region: REGION,
      employeeTable: 'Lottery-Employee',
      winnersTable: 'Lottery-Winners',
      drawsTable: 'Lottery-Draws',
    });

    // A new stack cannot make tables that already exist: deploy says so before changing anything.
    const again = await lottery(['deploy', ...at(), '--yes']);
    expect(again.code).toBe(253);
    expect(again.stderr).toContain(
      'error: the tables Lottery-Employee, Lottery-Winners and Lottery-Draws already exist outside any stack',
    );
    expect(await stackStatus('lottery')).toBeUndefined();
  });
});

describe('a deploy that fails', () => {
  /** CloudWatch Logs' JSON API on moto, which reads no signature. */
  async function logs(action: string, logGroupName: string) {
    const response = await fetch(moto.url, {
      method: 'POST',
      headers: {
        Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/logs/aws4_request, SignedHeaders=host, Signature=0`,
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `Logs_20140328.${action}`,
      },
      body: JSON.stringify({ logGroupName }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  it("shows the failing resource's reason and the rollback, exits 1, and the next deploy starts over", async () => {
    // A log group the stack would make exists already (a function of that name ran before the
    // stack existed, say): CloudFormation cannot create it.
    await logs('CreateLogGroup', '/aws/lambda/broken-Lottery-RecordWinners');
    const args = [
      'deploy',
      ...at(),
      '--stack-name',
      'lottery-broken',
      '--prefix',
      'broken-',
      '--yes',
    ];
    const result = await lottery(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ {2}✖ RecordWinnersLogGroup\s+CREATE_FAILED\s.*already exists/m,
    );
    expect(result.stderr).toMatch(eventLine('↺', 'lottery-broken', 'ROLLBACK_IN_PROGRESS'));
    expect(result.stderr).toMatch(eventLine('↺', 'lottery-broken', 'ROLLBACK_COMPLETE'));
    expect(result.stderr).toContain(
      'error: Creating stack lottery-broken failed: it is ROLLBACK_COMPLETE',
    );
    expect(result.stderr).toMatch(/^ {2}RecordWinnersLogGroup: .*already exists/m);
    expect(result.stderr).toContain('hint: CloudFormation removed what it had made');
    // The rollback of a first creation removes the tables too (RetainExceptOnCreate).
    expect(await tableExists('broken-Lottery-Employee')).toBe(false);
    expect(await stackStatus('lottery-broken')).toBe('ROLLBACK_COMPLETE');

    // Once the log group in the way is gone, deploy deletes the failed stack and creates it again.
    await logs('DeleteLogGroup', '/aws/lambda/broken-Lottery-RecordWinners');
    const retried = await lottery(args);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toContain(
      'Stack lottery-broken is ROLLBACK_COMPLETE: its creation failed',
    );
    expect(retried.stderr).toMatch(eventLine('✔', 'lottery-broken', 'DELETE_COMPLETE'));
    expect(retried.stderr).toMatch(eventLine('✔', 'lottery-broken', 'CREATE_COMPLETE'));
    expect(await stackStatus('lottery-broken')).toBe('CREATE_COMPLETE');

    // Tidy up, and try --delete-tables on the way: the tables go too.
    const destroyed = await lottery([
      'destroy',
      ...at(),
      '--stack-name',
      'lottery-broken',
      '--delete-tables',
      '--yes',
      '--json',
    ]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(JSON.parse(destroyed.stdout)).toMatchObject({
      stack: 'lottery-broken',
      status: 'DELETE_COMPLETE',
      tablesDeleted: ['broken-Lottery-Draws', 'broken-Lottery-Employee', 'broken-Lottery-Winners'],
      tablesKept: [],
    });
    expect(await tableExists('broken-Lottery-Employee')).toBe(false);
    expect(await tableExists('broken-Lottery-Winners')).toBe(false);
    expect(await tableExists('broken-Lottery-Draws')).toBe(false);
  });

  it('refuses to destroy a stack that lottery deploy did not make', async () => {
    await clients.cloudformation
      .send(
        new CreateChangeSetCommand({
          StackName: 'someone-else',
          ChangeSetName: 'theirs',
          ChangeSetType: 'CREATE',
          TemplateBody: JSON.stringify({
            Description: 'not the lottery',
            Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
          }),
        }),
      )
      .then(({ Id }) =>
        clients.cloudformation.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })),
      );
    const result = await lottery(['destroy', ...at(), '--stack-name', 'someone-else', '--yes']);
    expect(result.code).toBe(252);
    expect(result.stderr).toContain(
      'error: stack someone-else was not made by `lottery deploy`: refusing to delete it',
    );
    expect(await stackStatus('someone-else')).toBe('CREATE_COMPLETE');
  });

  it('refuses a --bucket that is missing or in another region, before making anything', async () => {
    const missing = await lottery([
      'deploy',
      ...at(),
      '--stack-name',
      'lottery-bucket',
      '--prefix',
      'bucket-',
      '--bucket',
      'no-such-bucket',
      '--yes',
    ]);
    expect(missing.code).toBe(253);
    expect(missing.stderr).toContain('error: the bucket no-such-bucket does not exist');
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: 'artefacts-in-ireland',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const elsewhere = await lottery([
      'deploy',
      ...at(),
      '--stack-name',
      'lottery-bucket',
      '--prefix',
      'bucket-',
      '--bucket',
      'artefacts-in-ireland',
      '--yes',
    ]);
    expect(elsewhere.code).toBe(253);
    expect(elsewhere.stderr).toContain(
      'error: the bucket artefacts-in-ireland is in eu-west-1, but the stack is in us-east-1',
    );
    expect(await stackStatus('lottery-bucket')).toBeUndefined();
  });

  it('says there is no stack to destroy', async () => {
    const result = await lottery(['destroy', ...at(), '--stack-name', 'never-made', '--yes']);
    expect(result.code).toBe(253);
    expect(result.stderr).toContain(
      `error: there is no stack never-made in ${REGION} at ${moto.url}`,
    );
  });
});

describe('lottery deploy and destroy on a terminal', () => {
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

  /**
   * Runs `lottery ARGS` in a pseudo-terminal made by tmux, answers each prompt in turn, and returns
   * the screen.
   */
  async function atTerminal(
    args: string[],
    answers: { when: string; keys: string }[],
  ): Promise<string> {
    const session = `lottery-deploy-${process.pid}-${Date.now()}`;
    const empty = join(home, 'empty-aws-config');
    writeFileSync(empty, '');
    const env = `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_CONFIG_FILE=${empty} AWS_SHARED_CREDENTIALS_FILE=${empty} LOTTERY_CONFIG=${configFile} LOTTERY_HOME=${home} AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true TERM=xterm-256color`;
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '150',
      '-y',
      '100',
      `cd ${home} && env -u AWS_REGION -u AWS_PROFILE ${env} node ${BIN} ${args.join(' ')}; echo "EXIT=$?"; sleep 60`,
    );
    const pending = [...answers];
    try {
      for (let waited = 0; waited < 45_000; waited += 100) {
        const screen = tmux('capture-pane', '-p', '-t', session, '-S', '-300');
        if (screen.includes('EXIT=')) return screen;
        if (pending[0] && screen.includes(pending[0].when))
          tmux('send-keys', '-t', session, (pending.shift() as { keys: string }).keys, 'Enter');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(
        `lottery ${args.join(' ')} did not finish: ${tmux('capture-pane', '-p', '-t', session, '-S', '-300')}`,
      );
    } finally {
      tmux('kill-session', '-t', session);
    }
  }

  const args = () => ['deploy', ...at(), '--stack-name', 'lottery-tty', '--prefix', 'tty-'];

  it('shows the changes and asks; no changes nothing, not even an empty stack', async () => {
    const screen = await atTerminal(args(), [
      { when: 'Create stack lottery-tty in us-east-1?', keys: 'n' },
    ]);
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(/│ Add\s+│ EmployeeTable\s+│ AWS::DynamoDB::Table/);
    expect(screen).toContain('Nothing was changed.');
    expect(await stackStatus('lottery-tty')).toBeUndefined();
  });

  it('on yes, creates the stack with a line per resource that is done, and no animation left behind', async () => {
    const screen = await atTerminal(args(), [
      { when: 'Create stack lottery-tty in us-east-1?', keys: 'y' },
    ]);
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(eventLine('✔', 'EmployeeTable', 'CREATE_COMPLETE'));
    expect(screen).toMatch(eventLine('✔', 'lottery-tty', 'CREATE_COMPLETE'));
    // On a terminal the starts are in the animated line, not a line each.
    expect(screen).not.toMatch(eventLine('…', 'EmployeeTable', 'CREATE_IN_PROGRESS'));
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(screen).toContain('Stack lottery-tty is created (CREATE_COMPLETE).');
    expect(await stackStatus('lottery-tty')).toBe('CREATE_COMPLETE');

    const destroyed = await atTerminal(
      ['destroy', ...at(), '--stack-name', 'lottery-tty', '--delete-tables'],
      [
        {
          when: 'Delete stack lottery-tty and the tables tty-Lottery-Draws, tty-Lottery-Employee and tty-Lottery-Winners with all their data?',
          keys: 'y',
        },
      ],
    );
    expect(destroyed).toContain('EXIT=0');
    expect(destroyed).toContain('Stack lottery-tty is deleted.');
    expect(await stackStatus('lottery-tty')).toBeUndefined();
    expect(await tableExists('tty-Lottery-Employee')).toBe(false);
  });
});
