import { describe, expect, it } from 'vitest';
import { lotteryDefinition } from '../../src/core/definition';
import {
  claimsCheck,
  diagnose,
  resourcePrefix,
  summarize,
  topicArnFor,
  type Call,
  type DoctorCheck,
  type Service,
  type StackProbe,
  type StackState,
  type TableFacts,
  type TargetProbe,
} from '../../src/ops/doctor';
import type { StackFacts } from '../../src/ops/stack';
import { classifyCallError, type CallError } from '../../src/core/failures';

const URL = 'http://127.0.0.1:4566';
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Lottery';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:Lottery-Notification';

const ok = <T>(service: Service, action: string, value: T): Call<T> => ({
  service,
  action,
  url: URL,
  result: { ok: true, value },
});
const fail = (service: Service, action: string, error: CallError): Call<never> => ({
  service,
  action,
  url: URL,
  result: { ok: false, error },
});

const employeeTable = (): TableFacts => ({
  status: 'ACTIVE',
  keySchema: [{ name: 'employee_id', type: 'HASH' }],
  attributes: { employee_id: 'S', lottery_serial: 'N' },
  indexes: [
    {
      name: 'lottery_serial-index',
      status: 'ACTIVE',
      keySchema: [{ name: 'lottery_serial', type: 'HASH' }],
    },
  ],
});
const winnersTable = (): TableFacts => ({
  status: 'ACTIVE',
  keySchema: [{ name: 'employee_id', type: 'HASH' }],
  attributes: { employee_id: 'S' },
  indexes: [],
});
const drawsTable = (): TableFacts => ({
  status: 'ACTIVE',
  keySchema: [
    { name: 'pk', type: 'HASH' },
    { name: 'sk', type: 'RANGE' },
  ],
  attributes: { pk: 'S', sk: 'S' },
  indexes: [],
});

// Errors as the SDK reports them, reduced by src/aws/probe.ts (the integration tests see the real
// ones).
const ERRORS = {
  tableNotFound: {
    name: 'ResourceNotFoundException',
    message: 'Requested resource not found',
    status: 400,
    serviceCode: 'ResourceNotFoundException',
  },
  /** A DynamoDB endpoint asked a Step Functions operation. */
  unknownOperation: {
    name: 'UnknownOperationException',
    message: 'UnknownError',
    status: 400,
    serviceCode: 'UnknownOperationException',
  },
  /**
   * A DynamoDB endpoint asked an SNS action: 404 with no SNS error in it, named by the SDK from the
   * status.
   */
  snsAtDynamo: { name: 'NotFoundException', message: 'Unknown', status: 404 },
  /** What SNS itself answers for a missing topic. */
  topicNotFound: {
    name: 'NotFoundException',
    message: 'Topic does not exist',
    status: 404,
    serviceCode: 'NotFound',
  },
  /** A web server's page where JSON was expected. */
  webPage: {
    name: 'SyntaxError',
    message: `Unexpected token '<', "<html>" is not valid JSON`,
    status: 200,
  },
  refused: {
    name: 'Error',
    message: 'connect ECONNREFUSED 127.0.0.1:4566',
    networkCode: 'ECONNREFUSED',
  },
  timeout: { name: 'TimeoutError', message: 'no answer within 5 s' },
  noCredentials: {
    name: 'CredentialsProviderError',
    message: 'Could not load credentials from any providers',
  },
  badSignature: {
    name: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
    status: 400,
    serviceCode: 'UnrecognizedClientException',
  },
  denied: {
    name: 'AccessDeniedException',
    message: 'User is not authorized',
    status: 400,
    serviceCode: 'AccessDeniedException',
  },
  throttled: {
    name: 'ThrottlingException',
    message: 'Rate exceeded',
    status: 400,
    serviceCode: 'ThrottlingException',
  },
  badGateway: { name: 'Error', message: 'Bad Gateway', status: 502 },
} satisfies Record<string, CallError>;

/**
 * The definition as DescribeStateMachine returns it: the real one, or one from before prize plans.
 */
const DEFINITION = JSON.stringify(lotteryDefinition());
const OLD_DEFINITION = JSON.stringify({
  ...lotteryDefinition(),
  States: Object.fromEntries(
    Object.entries(lotteryDefinition().States).filter(([name]) => name !== 'Reserve Prize'),
  ),
});

/** A deployed stack as AWS would describe it, with `changes` applied. */
function awsProbe(changes: Partial<TargetProbe> = {}): TargetProbe {
  return {
    target: 'aws',
    region: 'eu-west-1',
    employees: {
      name: 'Lottery-Employee',
      call: ok('DynamoDB', 'dynamodb:DescribeTable', employeeTable()),
    },
    winners: {
      name: 'Lottery-Winners',
      call: ok('DynamoDB', 'dynamodb:DescribeTable', winnersTable()),
    },
    draws: { name: 'Lottery-Draws', call: ok('DynamoDB', 'dynamodb:DescribeTable', drawsTable()) },
    stateMachine: {
      name: 'Lottery',
      call: ok('Step Functions', 'states:ListStateMachines', {
        arn: STATE_MACHINE_ARN,
        definition: DEFINITION,
      }),
    },
    topic: {
      name: 'Lottery-Notification',
      arn: TOPIC_ARN,
      call: ok('SNS', 'sns:GetTopicAttributes', {
        arn: TOPIC_ARN,
        subscriptionsConfirmed: 1,
        subscriptionsPending: 0,
      }),
    },
    ...changes,
  };
}

function check(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((candidate) => candidate.name === name);
  if (!found)
    throw new Error(
      `no check named ${name} in ${checks.map((candidate) => candidate.name).join(', ')}`,
    );
  return found;
}

const statuses = (checks: DoctorCheck[]) =>
  Object.fromEntries(checks.map((candidate) => [candidate.name, candidate.status]));

describe('classifyCallError', () => {
  it.each([
    [
      'a DynamoDB endpoint asked a Step Functions operation',
      ERRORS.unknownOperation,
      'unsupported',
    ],
    ['a 404 that carries no SNS error code', ERRORS.snsAtDynamo, 'unsupported'],
    ['an answer that does not parse', ERRORS.webPage, 'unsupported'],
    ['SNS saying the topic does not exist', ERRORS.topicNotFound, 'not-found'],
    ['DynamoDB saying the table does not exist', ERRORS.tableNotFound, 'not-found'],
    ['a refused connection', ERRORS.refused, 'unreachable'],
    ['a timeout', ERRORS.timeout, 'unreachable'],
    ['no credentials anywhere', ERRORS.noCredentials, 'credentials'],
    ['a signature the service rejects', ERRORS.badSignature, 'credentials'],
    ['a missing permission', ERRORS.denied, 'denied'],
    ['throttling', ERRORS.throttled, 'error'],
    ['a 5xx without a code', ERRORS.badGateway, 'error'],
    [
      'an SNS action the endpoint does not know',
      { name: 'InvalidAction', message: 'x', status: 400, serviceCode: 'InvalidAction' },
      'unsupported',
    ],
    [
      'an error that never reached the network',
      { name: 'Error', message: 'Invalid region in client config' },
      'error',
    ],
  ] as const)('%s → %s', (_, error, kind) => {
    expect(classifyCallError(error)).toBe(kind);
  });
});

describe('topicArnFor and resourcePrefix', () => {
  it("builds the topic's ARN from the state machine's partition, region and account", () => {
    expect(topicArnFor(STATE_MACHINE_ARN)).toBe(TOPIC_ARN);
    expect(
      topicArnFor('arn:aws-us-gov:states:us-gov-west-1:123456789012:stateMachine:Lottery'),
    ).toBe('arn:aws-us-gov:sns:us-gov-west-1:123456789012:Lottery-Notification');
  });

  it('keeps the ResourcePrefix the stack was deployed with', () => {
    expect(topicArnFor('arn:aws:states:eu-west-1:123456789012:stateMachine:test-Lottery')).toBe(
      'arn:aws:sns:eu-west-1:123456789012:test-Lottery-Notification',
    );
    expect(resourcePrefix('test-Lottery', 'Lottery')).toBe('test-');
    expect(resourcePrefix('Lottery', 'Lottery')).toBe('');
    expect(resourcePrefix('Raffle', 'Lottery')).toBe('');
  });

  it('gives nothing for what is not a state machine ARN', () => {
    expect(topicArnFor('arn:aws:lambda:eu-west-1:123456789012:function:Lottery')).toBeUndefined();
    expect(topicArnFor('Lottery')).toBeUndefined();
    // As the stateMachineArn setting has it: the ARN of the machine itself, nothing around it.
    expect(topicArnFor(`x${STATE_MACHINE_ARN}`)).toBeUndefined();
    expect(topicArnFor(`${STATE_MACHINE_ARN}:1`)).toBeUndefined();
  });
});

describe('diagnose: the prize plan', () => {
  it('fails a state machine deployed before prize plans, and warns when its definition cannot be read', () => {
    const machine = (definition?: string) => ({
      name: 'Lottery',
      call: ok('Step Functions', 'states:ListStateMachines', {
        arn: STATE_MACHINE_ARN,
        definition,
      }),
    });
    expect(check(diagnose(awsProbe()), 'prize plan')).toEqual({
      name: 'prize plan',
      status: 'ok',
      message: 'the state machine holds each prize to its count (Reserve Prize)',
    });
    expect(
      check(diagnose(awsProbe({ stateMachine: machine(OLD_DEFINITION) })), 'prize plan'),
    ).toMatchObject({
      status: 'fail',
      message:
        "the state machine has no Reserve Prize state: it predates prize plans, and a plan's prizes could award more than their counts",
      fix: expect.stringContaining('(docs/aws.md)'),
    });
    expect(
      check(diagnose(awsProbe({ stateMachine: machine(undefined) })), 'prize plan'),
    ).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('states:DescribeStateMachine'),
    });
  });
});

describe('diagnose', () => {
  it('passes a complete deployment, in a fixed order', () => {
    const checks = diagnose(awsProbe());
    expect(checks.map((candidate) => candidate.name)).toEqual([
      'region',
      'credentials',
      'employee table',
      'serial index',
      'winners table',
      'draws table',
      'state machine',
      'prize plan',
      'topic',
    ]);
    expect(
      checks.every((candidate) => candidate.status === 'ok' && candidate.fix === undefined),
    ).toBe(true);
    expect(check(checks, 'state machine').message).toBe(STATE_MACHINE_ARN);
    expect(check(checks, 'credentials').message).toBe(`accepted by DynamoDB at ${URL}`);
    expect(summarize(checks)).toEqual({ ok: true, problems: 0, warnings: 0 });
  });

  it('passes the embedded backend, whose topic has no subscribers because announcements go to the outbox', () => {
    const localArn = 'arn:aws:sns:local:000000000000:Lottery-Notification';
    const checks = diagnose(
      awsProbe({
        target: 'local',
        region: 'local',
        topic: {
          name: 'Lottery-Notification',
          arn: localArn,
          call: ok('SNS', 'sns:GetTopicAttributes', { arn: localArn, subscriptionsConfirmed: 0 }),
        },
      }),
    );
    expect(summarize(checks)).toEqual({ ok: true, problems: 0, warnings: 0 });
    expect(check(checks, 'topic').message).toContain('outbox');
  });

  it('reports every missing part of an empty endpoint that speaks only DynamoDB, each with its fix', () => {
    const checks = diagnose(
      awsProbe({
        region: 'us-east-1',
        endpoint: URL,
        employees: {
          name: 'Lottery-Employee',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.tableNotFound),
        },
        winners: {
          name: 'Lottery-Winners',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.tableNotFound),
        },
        draws: {
          name: 'Lottery-Draws',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.tableNotFound),
        },
        stateMachine: {
          name: 'Lottery',
          call: fail('Step Functions', 'states:ListStateMachines', ERRORS.unknownOperation),
        },
        topic: {
          name: 'Lottery-Notification',
          call: fail('SNS', 'sns:ListTopics', ERRORS.snsAtDynamo),
        },
      }),
    );
    expect(statuses(checks)).toEqual({
      region: 'ok',
      credentials: 'ok',
      'employee table': 'fail',
      'serial index': 'warn',
      'winners table': 'fail',
      'draws table': 'fail',
      'state machine': 'fail',
      'prize plan': 'warn',
      topic: 'fail',
    });
    expect(check(checks, 'employee table')).toMatchObject({
      message: `table Lottery-Employee does not exist at ${URL}`,
      fix: expect.stringContaining('(docs/aws.md)'),
    });
    expect(check(checks, 'employee table').fix).toContain('LOTTERY_EMPLOYEE_TABLE');
    expect(check(checks, 'winners table').fix).toContain('LOTTERY_WINNERS_TABLE');
    expect(check(checks, 'serial index').message).toBe(
      'not checked: table Lottery-Employee does not exist',
    );
    expect(check(checks, 'state machine').message).toBe(
      `${URL} does not serve Step Functions: it answered UnknownOperationException`,
    );
    expect(check(checks, 'topic').message).toBe(
      `${URL} does not serve SNS: it answered HTTP 404, not in SNS's format`,
    );
    for (const name of ['state machine', 'topic'])
      expect(check(checks, name).fix).toContain(
        '--endpoint-url sends DynamoDB, Step Functions and SNS to one URL',
      );
    expect(check(checks, 'draws table').fix).toContain('LOTTERY_DRAWS_TABLE');
    expect(summarize(checks)).toEqual({ ok: false, problems: 5, warnings: 2 });
  });

  it('without a region reports that alone, and checks nothing else', () => {
    const bare = awsProbe({ region: undefined });
    const checks = diagnose({
      ...bare,
      employees: { name: 'Lottery-Employee' },
      winners: { name: 'Lottery-Winners' },
      draws: { name: 'Lottery-Draws' },
      stateMachine: { name: 'Lottery' },
      topic: { name: 'Lottery-Notification' },
    });
    expect(check(checks, 'region')).toEqual({
      name: 'region',
      status: 'fail',
      message: 'no AWS region is set',
      fix: 'pass --region, set AWS_REGION, or add a region to your profile in ~/.aws/config',
    });
    expect(
      checks
        .filter((candidate) => !['region', 'prize plan'].includes(candidate.name))
        .every(
          (candidate) =>
            candidate.status === 'warn' && candidate.message === 'not checked: no region',
        ),
    ).toBe(true);
    expect(check(checks, 'prize plan')).toMatchObject({
      status: 'warn',
      message: 'not checked: no state machine',
    });
    expect(summarize(checks)).toMatchObject({ ok: false, problems: 1 });
  });

  it('says what the SDK said about the region when it is more than "missing"', () => {
    const checks = diagnose({
      ...awsProbe({ region: undefined, regionError: 'Profile nope could not be found' }),
    });
    expect(check(checks, 'region').message).toBe(
      'no AWS region is set: Profile nope could not be found',
    );
  });

  it('reports missing credentials once, and leaves the parts they hide unchecked rather than missing', () => {
    const call = (service: Service, action: string) => fail(service, action, ERRORS.noCredentials);
    const checks = diagnose(
      awsProbe({
        employees: { name: 'Lottery-Employee', call: call('DynamoDB', 'dynamodb:DescribeTable') },
        winners: { name: 'Lottery-Winners', call: call('DynamoDB', 'dynamodb:DescribeTable') },
        stateMachine: { name: 'Lottery', call: call('Step Functions', 'states:ListStateMachines') },
        topic: {
          name: 'Lottery-Notification',
          arn: TOPIC_ARN,
          call: call('SNS', 'sns:GetTopicAttributes'),
        },
      }),
    );
    expect(check(checks, 'credentials')).toMatchObject({
      status: 'fail',
      message: 'no AWS credentials were found: Could not load credentials from any providers',
      fix: expect.stringContaining('aws configure'),
    });
    expect(check(checks, 'employee table')).toMatchObject({
      status: 'warn',
      message: 'not checked: no usable credentials',
    });
    expect(check(checks, 'serial index')).toMatchObject({
      status: 'warn',
      message: 'not checked: no usable credentials',
    });
    expect(summarize(checks)).toMatchObject({ problems: 1 });
  });

  it('names the service that refused the credentials', () => {
    const checks = diagnose(
      awsProbe({
        employees: {
          name: 'Lottery-Employee',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.badSignature),
        },
      }),
    );
    expect(check(checks, 'credentials')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^DynamoDB refused the credentials: UnrecognizedClientException/,
      ),
    });
  });

  it('leaves the credentials unjudged when nothing answered', () => {
    const unreachable = (service: Service, action: string) => fail(service, action, ERRORS.timeout);
    const checks = diagnose(
      awsProbe({
        employees: {
          name: 'Lottery-Employee',
          call: unreachable('DynamoDB', 'dynamodb:DescribeTable'),
        },
        winners: {
          name: 'Lottery-Winners',
          call: unreachable('DynamoDB', 'dynamodb:DescribeTable'),
        },
        draws: { name: 'Lottery-Draws', call: unreachable('DynamoDB', 'dynamodb:DescribeTable') },
        stateMachine: {
          name: 'Lottery',
          call: unreachable('Step Functions', 'states:ListStateMachines'),
        },
        topic: { name: 'Lottery-Notification', call: unreachable('SNS', 'sns:ListTopics') },
      }),
    );
    expect(check(checks, 'credentials')).toMatchObject({
      status: 'warn',
      message: 'not checked: no service answered',
    });
    expect(check(checks, 'employee table')).toMatchObject({
      status: 'fail',
      message: `cannot reach DynamoDB at ${URL}: no answer within 5 s`,
      fix: expect.stringContaining('network'),
    });
    expect(check(checks, 'serial index')).toMatchObject({
      status: 'warn',
      message: 'not checked: table Lottery-Employee could not be read',
    });
  });

  it('points at --endpoint-url when an endpoint given there does not answer', () => {
    const checks = diagnose(
      awsProbe({
        endpoint: URL,
        winners: {
          name: 'Lottery-Winners',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.refused),
        },
      }),
    );
    expect(check(checks, 'winners table')).toMatchObject({
      status: 'fail',
      fix: 'check --endpoint-url, and that the server there is running',
    });
  });

  it('reads a web page where DynamoDB was expected as DynamoDB not being there', () => {
    const checks = diagnose(
      awsProbe({
        employees: {
          name: 'Lottery-Employee',
          call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.webPage),
        },
      }),
    );
    expect(check(checks, 'employee table')).toMatchObject({
      status: 'fail',
      message: `${URL} does not serve DynamoDB: it answered HTTP 200, not in DynamoDB's format`,
    });
  });

  describe('the serial index', () => {
    const withTable = (table: TableFacts) =>
      diagnose(
        awsProbe({
          employees: {
            name: 'Lottery-Employee',
            call: ok('DynamoDB', 'dynamodb:DescribeTable', table),
          },
        }),
      );

    it('fails when the employee table has no index, with the command that adds it', () => {
      const checks = withTable({
        ...employeeTable(),
        attributes: { employee_id: 'S' },
        indexes: [],
      });
      expect(check(checks, 'serial index')).toMatchObject({
        status: 'fail',
        message: 'Lottery-Employee has no index lottery_serial-index',
      });
      expect(check(checks, 'serial index').fix).toContain(
        'aws dynamodb update-table --table-name Lottery-Employee --attribute-definitions AttributeName=lottery_serial,AttributeType=N',
      );
      expect(check(checks, 'employee table').status).toBe('ok');
      expect(check(checks, 'winners table').status).toBe('ok');
    });

    it('fails when lottery_serial is not a number', () => {
      const checks = withTable({
        ...employeeTable(),
        attributes: { employee_id: 'S', lottery_serial: 'S' },
      });
      expect(check(checks, 'serial index')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('lottery_serial is declared as S'),
      });
      expect(check(checks, 'serial index').fix).toMatch(/^delete the index/);
    });

    it('fails when the index is keyed on something else', () => {
      const checks = withTable({
        ...employeeTable(),
        indexes: [
          {
            name: 'lottery_serial-index',
            status: 'ACTIVE',
            keySchema: [
              { name: 'lottery_serial', type: 'HASH' },
              { name: 'employee_id', type: 'RANGE' },
            ],
          },
        ],
      });
      expect(check(checks, 'serial index')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('keyed on lottery_serial (HASH), employee_id (RANGE)'),
      });
    });

    it('asks to wait while the index is being built', () => {
      const checks = withTable({
        ...employeeTable(),
        indexes: [
          {
            name: 'lottery_serial-index',
            status: 'CREATING',
            keySchema: [{ name: 'lottery_serial', type: 'HASH' }],
          },
        ],
      });
      expect(check(checks, 'serial index')).toMatchObject({
        status: 'warn',
        message: 'index lottery_serial-index is CREATING',
      });
    });
  });

  describe('the tables', () => {
    it('fails a table keyed on something other than employee_id (S)', () => {
      const checks = diagnose(
        awsProbe({
          winners: {
            name: 'Lottery-Winners',
            call: ok('DynamoDB', 'dynamodb:DescribeTable', {
              ...winnersTable(),
              keySchema: [{ name: 'id', type: 'HASH' }],
              attributes: { id: 'N' },
            }),
          },
        }),
      );
      expect(check(checks, 'winners table')).toMatchObject({
        status: 'fail',
        message:
          'Lottery-Winners is keyed on id (N, HASH); the lottery needs employee_id (S, HASH)',
      });
    });

    it('fails a draws table without its sort key', () => {
      const checks = diagnose(
        awsProbe({
          draws: {
            name: 'Lottery-Draws',
            call: ok('DynamoDB', 'dynamodb:DescribeTable', {
              ...drawsTable(),
              keySchema: [{ name: 'pk', type: 'HASH' }],
            }),
          },
        }),
      );
      expect(check(checks, 'draws table')).toMatchObject({
        status: 'fail',
        message:
          'Lottery-Draws is keyed on pk (S, HASH); the lottery needs pk (S, HASH), sk (S, RANGE)',
      });
    });

    it('fails an employee_id that is a number', () => {
      const checks = diagnose(
        awsProbe({
          winners: {
            name: 'Lottery-Winners',
            call: ok('DynamoDB', 'dynamodb:DescribeTable', {
              ...winnersTable(),
              attributes: { employee_id: 'N' },
            }),
          },
        }),
      );
      expect(check(checks, 'winners table').status).toBe('fail');
    });

    it('warns while a table is being created and fails one being deleted', () => {
      const at = (status: string) =>
        diagnose(
          awsProbe({
            winners: {
              name: 'Lottery-Winners',
              call: ok('DynamoDB', 'dynamodb:DescribeTable', { ...winnersTable(), status }),
            },
          }),
        );
      expect(check(at('CREATING'), 'winners table')).toMatchObject({
        status: 'warn',
        message: 'table Lottery-Winners is CREATING',
      });
      expect(check(at('DELETING'), 'winners table')).toMatchObject({
        status: 'fail',
        message: 'table Lottery-Winners is being deleted',
      });
      expect(check(at('INACCESSIBLE_ENCRYPTION_CREDENTIALS'), 'winners table').status).toBe('fail');
    });

    it('only warns when DescribeTable is denied: the lottery itself never calls it', () => {
      const checks = diagnose(
        awsProbe({
          winners: {
            name: 'Lottery-Winners',
            call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.denied),
          },
        }),
      );
      expect(check(checks, 'winners table')).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('dynamodb:DescribeTable'),
      });
      expect(summarize(checks).ok).toBe(true);
    });

    it('reports other service errors with what the service said', () => {
      const checks = diagnose(
        awsProbe({
          winners: {
            name: 'Lottery-Winners',
            call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.throttled),
          },
        }),
      );
      expect(check(checks, 'winners table')).toMatchObject({
        status: 'fail',
        message: 'DynamoDB answered ThrottlingException: Rate exceeded',
      });
    });
  });

  describe('the state machine', () => {
    it('fails when none is named Lottery, pointing at the deployment and --state-machine-arn', () => {
      const checks = diagnose(
        awsProbe({
          stateMachine: {
            name: 'Lottery',
            call: ok('Step Functions', 'states:ListStateMachines', undefined),
          },
        }),
      );
      expect(check(checks, 'state machine')).toMatchObject({
        status: 'fail',
        message: 'no state machine named Lottery in eu-west-1',
        fix: expect.stringContaining('--state-machine-arn'),
      });
    });

    it('fails when listing state machines is denied: the lottery needs it to find the machine', () => {
      const checks = diagnose(
        awsProbe({
          stateMachine: {
            name: 'Lottery',
            call: fail('Step Functions', 'states:ListStateMachines', ERRORS.denied),
          },
        }),
      );
      expect(check(checks, 'state machine')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('--state-machine-arn'),
      });
    });

    it('names where a configured ARN that does not exist came from', () => {
      const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:test-Lottery';
      const checks = diagnose(
        awsProbe({
          stateMachine: {
            name: 'Lottery',
            configuredArn: arn,
            origin: 'LOTTERY_STATE_MACHINE_ARN',
            call: fail('Step Functions', 'states:DescribeStateMachine', {
              name: 'StateMachineDoesNotExist',
              message: 'x',
              status: 400,
              serviceCode: 'StateMachineDoesNotExist',
            }),
          },
        }),
      );
      expect(check(checks, 'state machine')).toMatchObject({
        status: 'fail',
        message: `no state machine ${arn} in eu-west-1`,
        fix: expect.stringMatching(/^check LOTTERY_STATE_MACHINE_ARN/),
      });
    });

    it('catches a configured ARN in another region than the one the SDK asks', () => {
      const arn = 'arn:aws:states:us-west-2:123456789012:stateMachine:Lottery';
      const checks = diagnose(
        awsProbe({
          stateMachine: {
            name: 'Lottery',
            configuredArn: arn,
            origin: '--state-machine-arn',
            call: ok('Step Functions', 'states:DescribeStateMachine', { arn, status: 'ACTIVE' }),
          },
        }),
      );
      expect(check(checks, 'state machine')).toMatchObject({
        status: 'fail',
        message:
          '--state-machine-arn names a state machine in us-west-2, but the region is eu-west-1',
        fix: 'pass --region us-west-2, or check --state-machine-arn',
      });
    });

    it('does not compare regions behind an endpoint, where they mean nothing', () => {
      const arn = 'arn:aws:states:local:000000000000:stateMachine:Lottery';
      const checks = diagnose(
        awsProbe({
          endpoint: URL,
          stateMachine: {
            name: 'Lottery',
            configuredArn: arn,
            call: ok('Step Functions', 'states:DescribeStateMachine', { arn, status: 'ACTIVE' }),
          },
        }),
      );
      expect(check(checks, 'state machine')).toMatchObject({ status: 'ok', message: arn });
    });

    it('fails a machine being deleted', () => {
      const checks = diagnose(
        awsProbe({
          stateMachine: {
            name: 'Lottery',
            configuredArn: STATE_MACHINE_ARN,
            call: ok('Step Functions', 'states:DescribeStateMachine', {
              arn: STATE_MACHINE_ARN,
              status: 'DELETING',
            }),
          },
        }),
      );
      expect(check(checks, 'state machine').status).toBe('fail');
    });
  });

  describe('the topic', () => {
    const withTopic = (subscriptionsConfirmed: number | undefined, subscriptionsPending = 0) =>
      check(
        diagnose(
          awsProbe({
            topic: {
              name: 'Lottery-Notification',
              arn: TOPIC_ARN,
              call: ok('SNS', 'sns:GetTopicAttributes', {
                arn: TOPIC_ARN,
                subscriptionsConfirmed,
                subscriptionsPending,
              }),
            },
          }),
        ),
        'topic',
      );

    it('counts the subscriptions', () => {
      expect(withTopic(2)).toEqual({
        name: 'topic',
        status: 'ok',
        message: `${TOPIC_ARN} (2 subscriptions)`,
      });
      expect(withTopic(undefined)).toEqual({ name: 'topic', status: 'ok', message: TOPIC_ARN });
    });

    it('warns that announcements reach nobody without a confirmed subscription', () => {
      expect(withTopic(0)).toMatchObject({
        status: 'warn',
        fix: expect.stringContaining('lottery deploy --notification-email'),
      });
      expect(withTopic(0, 1)).toMatchObject({
        status: 'warn',
        message: expect.stringContaining('1 waiting for confirmation'),
        fix: 'confirm the subscription from the e-mail SNS sent',
      });
    });

    it('fails a topic that does not exist, by ARN or by name', () => {
      const byArn = diagnose(
        awsProbe({
          topic: {
            name: 'Lottery-Notification',
            arn: TOPIC_ARN,
            call: fail('SNS', 'sns:GetTopicAttributes', ERRORS.topicNotFound),
          },
        }),
      );
      expect(check(byArn, 'topic')).toMatchObject({
        status: 'fail',
        message: `topic ${TOPIC_ARN} does not exist`,
        fix: expect.stringContaining('(docs/aws.md)'),
      });
      const byName = diagnose(
        awsProbe({
          topic: { name: 'Lottery-Notification', call: ok('SNS', 'sns:ListTopics', undefined) },
        }),
      );
      expect(check(byName, 'topic')).toMatchObject({
        status: 'fail',
        message: 'no topic named Lottery-Notification in eu-west-1',
      });
    });
  });
});

describe('diagnose: the stack (AWS only)', () => {
  const facts = (status: string, extra: Partial<StackFacts> = {}): StackFacts => ({
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/lottery/1',
    name: 'lottery',
    status,
    description: 'lottery: prize draws on AWS Serverless.',
    parameters: {},
    outputs: {},
    ...extra,
  });
  const withStack = (call: StackProbe['call']) =>
    diagnose(awsProbe({ stack: { name: 'lottery', call } }));
  const stackCall = (state: StackState | undefined) =>
    ok('CloudFormation', 'cloudformation:DescribeStacks', state);

  it('comes right after the credentials, and passes a stack that runs this version', () => {
    const checks = withStack(stackCall({ facts: facts('UPDATE_COMPLETE'), differences: [] }));
    expect(checks.map((candidate) => candidate.name).slice(0, 3)).toEqual([
      'region',
      'credentials',
      'stack',
    ]);
    expect(check(checks, 'stack')).toEqual({
      name: 'stack',
      status: 'ok',
      message: "lottery: UPDATE_COMPLETE, with this version's template and functions",
    });
  });

  it('says an update is due, and what it would change', () => {
    expect(
      check(
        withStack(
          stackCall({
            facts: facts('CREATE_COMPLETE'),
            differences: ['code of Lottery-RecordWinners'],
          }),
        ),
        'stack',
      ),
    ).toEqual({
      name: 'stack',
      status: 'warn',
      message: 'lottery: CREATE_COMPLETE; an update is due: code of Lottery-RecordWinners',
      fix: '`lottery deploy` updates it to this version',
    });
  });

  it('only warns about a missing stack or an endpoint without CloudFormation: draws do not need one', () => {
    const missing = check(withStack(stackCall(undefined)), 'stack');
    expect(missing).toMatchObject({ status: 'warn', message: 'no stack lottery in eu-west-1' });
    expect(missing.fix).toContain('LOTTERY_STACK_NAME');
    const elsewhere = check(
      withStack(
        fail('CloudFormation', 'cloudformation:DescribeStacks', {
          name: 'Error',
          message: 'x',
          status: 400,
        }),
      ),
      'stack',
    );
    expect(elsewhere).toMatchObject({
      status: 'warn',
      fix: 'only deploy, destroy and this check use CloudFormation: draws do not need it',
    });
    expect(summarize(withStack(stackCall(undefined))).ok).toBe(true);
  });

  it('warns about a stack that only ever had a change set', () => {
    expect(check(withStack(stackCall({ facts: facts('REVIEW_IN_PROGRESS') })), 'stack')).toEqual({
      name: 'stack',
      status: 'warn',
      message: 'lottery: REVIEW_IN_PROGRESS: a change set was never applied',
      fix: '`lottery deploy` creates the stack',
    });
  });

  it('fails a stack in a failed state, with its reason and the way out', () => {
    const rolledBack = check(
      withStack(
        stackCall({
          facts: facts('ROLLBACK_COMPLETE', {
            statusReason: 'The following resource(s) failed to create: [WinnersTable].',
          }),
        }),
      ),
      'stack',
    );
    expect(rolledBack).toMatchObject({
      status: 'fail',
      message:
        'lottery: ROLLBACK_COMPLETE (The following resource(s) failed to create: [WinnersTable].)',
    });
    expect(rolledBack.fix).toContain('`lottery deploy`');
    expect(
      check(withStack(stackCall({ facts: facts('UPDATE_ROLLBACK_FAILED') })), 'stack').fix,
    ).toContain('continue-update-rollback');
    expect(
      check(withStack(stackCall({ facts: facts('UPDATE_IN_PROGRESS') })), 'stack'),
    ).toMatchObject({ status: 'warn', message: 'lottery: UPDATE_IN_PROGRESS' });
  });

  it('warns about a stack of that name that deploy did not make', () => {
    expect(
      check(
        withStack(stackCall({ facts: facts('CREATE_COMPLETE', { description: 'the website' }) })),
        'stack',
      ),
    ).toMatchObject({
      status: 'warn',
      message: 'lottery: CREATE_COMPLETE, not a stack made by `lottery deploy`',
    });
  });
});

describe('the embedded backend: region and credentials are its own', () => {
  it.each<[string | undefined, string]>([
    ['local', 'local'],
    ['eu-north-1', 'eu-north-1'],
    [undefined, 'local'],
  ])('region %s', (region, shown) => {
    const checks = diagnose(awsProbe({ target: 'local', region }));
    expect(check(checks, 'region')).toEqual({
      name: 'region',
      status: 'ok',
      message: `${shown} (the embedded backend's own)`,
    });
  });

  it('passes the credentials without asking AWS', () => {
    expect(check(diagnose(awsProbe({ target: 'local', region: 'local' })), 'credentials')).toEqual({
      name: 'credentials',
      status: 'ok',
      message: "the embedded backend's own",
    });
  });
});

describe('claimsCheck: people held by draws that are over', () => {
  it('passes when nobody is held', () => {
    expect(claimsCheck({ draws: [], released: false })).toEqual({
      name: 'claims',
      status: 'ok',
      message: 'no one is held by a draw that is over',
    });
  });

  it('warns about the people held, adding up the draws, with the fix', () => {
    expect(
      claimsCheck({
        draws: [
          { drawId: 'draw-1', status: 'ABORTED', held: 2 },
          { drawId: 'draw-2', status: 'TIMED_OUT', held: 3 },
        ],
        released: false,
      }),
    ).toEqual({
      name: 'claims',
      status: 'warn',
      message: '5 people held by draws that are over: draw-1 (aborted), draw-2 (timed_out)',
      fix: '`lottery doctor --fix` gives them back (so does the next draw)',
    });
  });

  it('says what --fix gave back, one person in the singular', () => {
    expect(
      claimsCheck({ draws: [{ drawId: 'draw-1', status: 'FAILED', held: 1 }], released: true }),
    ).toEqual({
      name: 'claims',
      status: 'ok',
      message: 'gave back 1 person held by draws that were over: draw-1 (failed)',
    });
  });
});

/** The fix of every part the lottery's stack provides, on AWS. */
const DEPLOY = 'deploy the stack with `lottery deploy` (docs/aws.md)';
const LOCAL_FIX = (what: string) =>
  `the embedded backend creates the ${what} when it starts: run \`lottery doctor\` again, and report a bug if it is still missing`;

describe('diagnose: each finding, word for word', () => {
  const table = (name: string, facts: TableFacts) => ({
    name,
    call: ok('DynamoDB', 'dynamodb:DescribeTable', facts),
  });
  const missingTable = (name: string) => ({
    name,
    call: fail('DynamoDB', 'dynamodb:DescribeTable', ERRORS.tableNotFound),
  });

  describe('the embedded backend, where nothing is to be deployed', () => {
    const localProbe = (changes: Partial<TargetProbe>) =>
      diagnose(awsProbe({ target: 'local', region: 'local', ...changes }));

    it('says the backend makes a missing table, state machine or topic itself', () => {
      const checks = localProbe({
        employees: missingTable('Lottery-Employee'),
        stateMachine: {
          name: 'Lottery',
          call: ok('Step Functions', 'states:ListStateMachines', undefined),
        },
        topic: { name: 'Lottery-Notification', call: ok('SNS', 'sns:ListTopics', undefined) },
      });
      expect(check(checks, 'employee table')).toEqual({
        name: 'employee table',
        status: 'fail',
        message: 'table Lottery-Employee does not exist in the embedded backend',
        fix: LOCAL_FIX('table'),
      });
      expect(check(checks, 'state machine')).toEqual({
        name: 'state machine',
        status: 'fail',
        message: 'no state machine named Lottery in the embedded backend',
        fix: LOCAL_FIX('state machine'),
      });
      expect(check(checks, 'topic')).toEqual({
        name: 'topic',
        status: 'fail',
        message: 'no topic named Lottery-Notification in the embedded backend',
        fix: LOCAL_FIX('topic'),
      });
    });

    it('says the same of a table being deleted and of a state machine without Reserve Prize', () => {
      const checks = localProbe({
        winners: table('Lottery-Winners', { ...winnersTable(), status: 'DELETING' }),
        stateMachine: {
          name: 'Lottery',
          call: ok('Step Functions', 'states:ListStateMachines', {
            arn: STATE_MACHINE_ARN,
            definition: OLD_DEFINITION,
          }),
        },
      });
      expect(check(checks, 'winners table')).toEqual({
        name: 'winners table',
        status: 'fail',
        message: 'table Lottery-Winners is being deleted',
        fix: LOCAL_FIX('table'),
      });
      expect(check(checks, 'prize plan')).toMatchObject({
        status: 'fail',
        fix: LOCAL_FIX('state machine'),
      });
    });

    it('passes its topic, whose announcements go to the outbox', () => {
      expect(check(localProbe({}), 'topic')).toEqual({
        name: 'topic',
        status: 'ok',
        message: `${TOPIC_ARN} (announcements go to outbox.jsonl in the data directory)`,
      });
    });

    it('does not compare a configured ARN’s region with its own', () => {
      const arn = 'arn:aws:states:us-west-2:123456789012:stateMachine:Lottery';
      expect(
        check(
          localProbe({
            stateMachine: {
              name: 'Lottery',
              configuredArn: arn,
              call: ok('Step Functions', 'states:DescribeStateMachine', {
                arn,
                definition: DEFINITION,
              }),
            },
          }),
          'state machine',
        ),
      ).toEqual({
        name: 'state machine',
        status: 'ok',
        message: arn,
      });
    });
  });

  describe('region and credentials', () => {
    it('names the endpoint next to the region', () => {
      expect(check(diagnose(awsProbe({ endpoint: URL })), 'region')).toEqual({
        name: 'region',
        status: 'ok',
        message: `eu-west-1, endpoint ${URL}`,
      });
    });

    it('leaves out what the SDK said when it only said the region is missing', () => {
      expect(
        check(diagnose(awsProbe({ region: undefined, regionError: 'Region is missing' })), 'region')
          .message,
      ).toBe('no AWS region is set');
    });

    it('names the error of credentials a service refused, and how to fix them', () => {
      const expired = {
        name: 'ExpiredToken',
        message: 'The security token included in the request is expired',
        status: 403,
      };
      expect(
        check(
          diagnose(
            awsProbe({
              employees: {
                name: 'Lottery-Employee',
                call: fail('DynamoDB', 'dynamodb:DescribeTable', expired),
              },
            }),
          ),
          'credentials',
        ),
      ).toEqual({
        name: 'credentials',
        status: 'fail',
        message:
          'DynamoDB refused the credentials: ExpiredToken: The security token included in the request is expired',
        fix: 'check the keys or the profile in use (--profile, AWS_PROFILE); an expired SSO session needs `aws sso login`',
      });
    });

    const everyCall = (error: CallError, url: string | undefined): Partial<TargetProbe> => {
      const call = (service: Service, action: string): Call<never> => ({
        service,
        action,
        ...(url ? { url } : {}),
        result: { ok: false, error },
      });
      return {
        employees: { name: 'Lottery-Employee', call: call('DynamoDB', 'dynamodb:DescribeTable') },
        winners: { name: 'Lottery-Winners', call: call('DynamoDB', 'dynamodb:DescribeTable') },
        draws: { name: 'Lottery-Draws', call: call('DynamoDB', 'dynamodb:DescribeTable') },
        stateMachine: { name: 'Lottery', call: call('Step Functions', 'states:ListStateMachines') },
        topic: { name: 'Lottery-Notification', call: call('SNS', 'sns:ListTopics') },
      };
    };

    it.each<[string, CallError, string | undefined, DoctorCheck]>([
      [
        'a service that says the table is missing',
        ERRORS.tableNotFound,
        URL,
        { name: 'credentials', status: 'ok', message: `accepted by DynamoDB at ${URL}` },
      ],
      [
        'a service that denies an action',
        ERRORS.denied,
        URL,
        { name: 'credentials', status: 'ok', message: `accepted by DynamoDB at ${URL}` },
      ],
      [
        'a service that throttles',
        ERRORS.throttled,
        URL,
        { name: 'credentials', status: 'ok', message: `accepted by DynamoDB at ${URL}` },
      ],
      [
        'a service whose address is not known',
        ERRORS.tableNotFound,
        undefined,
        { name: 'credentials', status: 'ok', message: 'accepted by DynamoDB' },
      ],
      [
        'errors that never reached a service',
        { name: 'Error', message: 'Invalid region in client config' },
        URL,
        {
          name: 'credentials',
          status: 'warn',
          message: 'not checked: no service answered',
          fix: 'fix the findings below first',
        },
      ],
      [
        'answers of something that is not the service',
        ERRORS.webPage,
        URL,
        {
          name: 'credentials',
          status: 'warn',
          message: 'not checked: no service answered',
          fix: 'fix the findings below first',
        },
      ],
    ])('judges them by %s', (_what, error, url, expected) => {
      expect(check(diagnose(awsProbe(everyCall(error, url))), 'credentials')).toEqual(expected);
    });
  });

  describe('a call that failed', () => {
    const winnersFailing = (
      error: CallError,
      changes: Partial<TargetProbe>,
      url: string | undefined,
    ) =>
      check(
        diagnose(
          awsProbe({
            ...changes,
            winners: {
              name: 'Lottery-Winners',
              call: {
                service: 'DynamoDB',
                action: 'dynamodb:DescribeTable',
                ...(url ? { url } : {}),
                result: { ok: false, error },
              },
            },
          }),
        ),
        'winners table',
      );

    it.each<[string, CallError, Partial<TargetProbe>, string | undefined, DoctorCheck]>([
      [
        'not the service, with no endpoint given: the endpoint settings',
        ERRORS.webPage,
        {},
        URL,
        {
          name: 'winners table',
          status: 'fail',
          message: `${URL} does not serve DynamoDB: it answered HTTP 200, not in DynamoDB's format`,
          fix: `check the endpoint settings (AWS_ENDPOINT_URL and its per-service forms): ${URL} does not serve DynamoDB`,
        },
      ],
      [
        'no answer from an address the SDK did not say',
        ERRORS.timeout,
        {},
        undefined,
        {
          name: 'winners table',
          status: 'fail',
          message: 'cannot reach DynamoDB at its endpoint: no answer within 5 s',
          fix: 'check the network connection, --region and any proxy settings',
        },
      ],
      [
        'no answer, with --endpoint-url',
        ERRORS.timeout,
        { endpoint: URL },
        undefined,
        {
          name: 'winners table',
          status: 'fail',
          message: `cannot reach DynamoDB at ${URL}: no answer within 5 s`,
          fix: 'check --endpoint-url, and that the server there is running',
        },
      ],
      [
        'an action denied that the lottery itself does not need',
        ERRORS.denied,
        {},
        URL,
        {
          name: 'winners table',
          status: 'warn',
          message:
            'could not check: the credentials may not call dynamodb:DescribeTable (User is not authorized)',
          fix: 'the lottery itself does not need dynamodb:DescribeTable; allow it to let doctor check this',
        },
      ],
      [
        'a service error without a code',
        ERRORS.badGateway,
        {},
        URL,
        {
          name: 'winners table',
          status: 'fail',
          message: 'DynamoDB answered Error: Bad Gateway',
          fix: 'try again in a moment (throttling and service errors pass); if it persists, the message says what the service objects to',
        },
      ],
    ])('%s', (_what, error, changes, url, expected) => {
      expect(winnersFailing(error, changes, url)).toEqual(expected);
    });

    it('fails when listing state machines is denied, with the way around it', () => {
      expect(
        check(
          diagnose(
            awsProbe({
              stateMachine: {
                name: 'Lottery',
                call: fail('Step Functions', 'states:ListStateMachines', ERRORS.denied),
              },
            }),
          ),
          'state machine',
        ),
      ).toEqual({
        name: 'state machine',
        status: 'fail',
        message:
          'could not check: the credentials may not call states:ListStateMachines (User is not authorized)',
        fix: 'the lottery finds its state machine with states:ListStateMachines: allow it, or pass --state-machine-arn',
      });
    });
  });

  describe('the tables', () => {
    it('tells how to point the lottery at a table the stack made under another name', () => {
      expect(
        check(diagnose(awsProbe({ winners: missingTable('Lottery-Winners') })), 'winners table'),
      ).toEqual({
        name: 'winners table',
        status: 'fail',
        message: 'table Lottery-Winners does not exist in eu-west-1',
        fix: `${DEPLOY}, or set LOTTERY_WINNERS_TABLE (or "winnersTable" in a config file) to the stack's WinnersTableName output`,
      });
    });

    it.each<[string, Partial<TableFacts>, string]>([
      [
        'an attribute it does not declare',
        { keySchema: [{ name: 'id', type: 'HASH' }], attributes: {} },
        'Lottery-Winners is keyed on id (?, HASH); the lottery needs employee_id (S, HASH)',
      ],
      [
        'no key at all',
        { keySchema: [], attributes: {} },
        'Lottery-Winners is keyed on nothing; the lottery needs employee_id (S, HASH)',
      ],
    ])('fails a table keyed on %s, saying what to do', (_what, facts, message) => {
      expect(
        check(
          diagnose(
            awsProbe({ winners: table('Lottery-Winners', { ...winnersTable(), ...facts }) }),
          ),
          'winners table',
        ),
      ).toEqual({
        name: 'winners table',
        status: 'fail',
        message,
        fix: 'point LOTTERY_WINNERS_TABLE at the table the stack created (its WinnersTableName output), or create this one again as infra/template.yaml declares it',
      });
    });

    it.each<[string | undefined, DoctorCheck]>([
      [
        'ACTIVE',
        {
          name: 'winners table',
          status: 'ok',
          message: 'Lottery-Winners: ACTIVE, key employee_id (S, HASH)',
        },
      ],
      [
        undefined,
        {
          name: 'winners table',
          status: 'ok',
          message: 'Lottery-Winners: ACTIVE, key employee_id (S, HASH)',
        },
      ],
      [
        'CREATING',
        {
          name: 'winners table',
          status: 'warn',
          message: 'table Lottery-Winners is CREATING',
          fix: 'wait a minute, then run `lottery doctor` again',
        },
      ],
      [
        'UPDATING',
        {
          name: 'winners table',
          status: 'warn',
          message: 'table Lottery-Winners is UPDATING',
          fix: 'wait a minute, then run `lottery doctor` again',
        },
      ],
      [
        'DELETING',
        {
          name: 'winners table',
          status: 'fail',
          message: 'table Lottery-Winners is being deleted',
          fix: `${DEPLOY} again once it is gone`,
        },
      ],
      [
        'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        {
          name: 'winners table',
          status: 'fail',
          message: 'table Lottery-Winners is INACCESSIBLE_ENCRYPTION_CREDENTIALS',
          fix: 'see it in the AWS console: the lottery cannot use it while it is INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        },
      ],
    ])('a table that is %s', (status, expected) => {
      const { status: _active, ...facts } = winnersTable();
      expect(
        check(
          diagnose(
            awsProbe({
              winners: table(
                'Lottery-Winners',
                status === undefined ? facts : { ...facts, status },
              ),
            }),
          ),
          'winners table',
        ),
      ).toEqual(expected);
    });
  });

  describe('the serial index', () => {
    const CREATE = `aws dynamodb update-table --table-name Lottery-Employee --attribute-definitions AttributeName=lottery_serial,AttributeType=N --global-secondary-index-updates '[{"Create":{"IndexName":"lottery_serial-index","KeySchema":[{"AttributeName":"lottery_serial","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]'`;
    const RECREATE = `delete the index (aws dynamodb update-table --table-name Lottery-Employee --global-secondary-index-updates '[{"Delete":{"IndexName":"lottery_serial-index"}}]'), then, once it is gone, add it again: ${CREATE}`;
    const index = (keySchema: TableFacts['indexes'][number]['keySchema'], status = 'ACTIVE') => ({
      name: 'lottery_serial-index',
      status,
      keySchema,
    });
    const serialIndex = (facts: Partial<TableFacts>) =>
      check(
        diagnose(
          awsProbe({ employees: table('Lottery-Employee', { ...employeeTable(), ...facts }) }),
        ),
        'serial index',
      );

    it.each<[string, Partial<TableFacts>, DoctorCheck]>([
      [
        'among other indexes',
        {
          indexes: [
            { name: 'department-index', keySchema: [{ name: 'department', type: 'HASH' }] },
            index([{ name: 'lottery_serial', type: 'HASH' }]),
          ],
        },
        {
          name: 'serial index',
          status: 'ok',
          message: 'lottery_serial-index on lottery_serial (N)',
        },
      ],
      [
        'keyed on nothing',
        { indexes: [index([])] },
        {
          name: 'serial index',
          status: 'fail',
          message:
            'lottery_serial-index is keyed on nothing; the lottery needs lottery_serial (N) as its only key',
          fix: RECREATE,
        },
      ],
      [
        'keyed on another attribute',
        { indexes: [index([{ name: 'employee_id', type: 'HASH' }])] },
        {
          name: 'serial index',
          status: 'fail',
          message:
            'lottery_serial-index is keyed on employee_id (HASH); the lottery needs lottery_serial (N) as its only key',
          fix: RECREATE,
        },
      ],
      [
        'with lottery_serial as its sort key',
        { indexes: [index([{ name: 'lottery_serial', type: 'RANGE' }])] },
        {
          name: 'serial index',
          status: 'fail',
          message:
            'lottery_serial-index is keyed on lottery_serial (RANGE); the lottery needs lottery_serial (N) as its only key',
          fix: RECREATE,
        },
      ],
      [
        'without lottery_serial declared',
        { attributes: { employee_id: 'S' } },
        {
          name: 'serial index',
          status: 'fail',
          message:
            'lottery_serial is declared as nothing, but serials are numbers: the index needs it as N',
          fix: RECREATE,
        },
      ],
      [
        'being deleted',
        { indexes: [index([{ name: 'lottery_serial', type: 'HASH' }], 'DELETING')] },
        {
          name: 'serial index',
          status: 'fail',
          message: 'index lottery_serial-index is being deleted',
          fix: `once it is gone, add it again: ${CREATE}`,
        },
      ],
    ])('an index %s', (_what, facts, expected) => {
      expect(serialIndex(facts)).toEqual(expected);
    });
  });

  describe('the state machine', () => {
    const machine = (changes: Partial<TargetProbe['stateMachine']>) =>
      check(diagnose(awsProbe({ stateMachine: { name: 'Lottery', ...changes } })), 'state machine');

    it('fails when none is named Lottery, with the fix for a prefixed stack', () => {
      expect(
        machine({ call: ok('Step Functions', 'states:ListStateMachines', undefined) }),
      ).toEqual({
        name: 'state machine',
        status: 'fail',
        message: 'no state machine named Lottery in eu-west-1',
        fix: `${DEPLOY}; for a stack deployed with a ResourcePrefix, pass --state-machine-arn`,
      });
    });

    it.each<[string, string | undefined, string]>([
      ['found by name', undefined, `${DEPLOY} again`],
      ['configured', STATE_MACHINE_ARN, `${DEPLOY} again, and update --state-machine-arn`],
    ])('fails a machine being deleted, %s', (_what, configuredArn, fix) => {
      expect(
        machine({
          ...(configuredArn ? { configuredArn } : {}),
          call: ok('Step Functions', 'states:DescribeStateMachine', {
            arn: STATE_MACHINE_ARN,
            status: 'DELETING',
          }),
        }),
      ).toEqual({
        name: 'state machine',
        status: 'fail',
        message: `state machine ${STATE_MACHINE_ARN} is being deleted`,
        fix,
      });
    });

    it('says that an ARN without a region names none, rather than to pass an empty --region', () => {
      const arn = 'arn:aws:states::123456789012:stateMachine:Lottery';
      expect(
        machine({
          configuredArn: arn,
          origin: 'LOTTERY_STATE_MACHINE_ARN',
          call: ok('Step Functions', 'states:DescribeStateMachine', { arn }),
        }),
      ).toEqual({
        name: 'state machine',
        status: 'fail',
        message:
          'LOTTERY_STATE_MACHINE_ARN names a state machine in no region, but the region is eu-west-1',
        fix: "check LOTTERY_STATE_MACHINE_ARN: it must be the stack's StateMachineArn output, which names its region",
      });
    });

    it('leaves a configured ARN unchecked without a region, rather than comparing it with none', () => {
      expect(
        check(
          diagnose(
            awsProbe({
              region: undefined,
              stateMachine: { name: 'Lottery', configuredArn: STATE_MACHINE_ARN },
            }),
          ),
          'state machine',
        ),
      ).toEqual({
        name: 'state machine',
        status: 'warn',
        message: 'not checked: no region',
      });
    });

    it('names --state-machine-arn for an ARN in another region when no origin is known', () => {
      const arn = 'arn:aws:states:us-west-2:123456789012:stateMachine:Lottery';
      expect(
        machine({
          configuredArn: arn,
          call: ok('Step Functions', 'states:DescribeStateMachine', { arn }),
        }),
      ).toMatchObject({
        message:
          '--state-machine-arn names a state machine in us-west-2, but the region is eu-west-1',
      });
    });
  });

  describe('the prize plan', () => {
    it.each<[string, string]>([
      ['a definition that is not JSON', '<not json>'],
      ['States that are not an object', '{"States": "Reserve Prize"}'],
      ['States that are null', '{"States": null}'],
    ])('fails %s', (_what, definition) => {
      expect(
        check(
          diagnose(
            awsProbe({
              stateMachine: {
                name: 'Lottery',
                call: ok('Step Functions', 'states:ListStateMachines', {
                  arn: STATE_MACHINE_ARN,
                  definition,
                }),
              },
            }),
          ),
          'prize plan',
        ),
      ).toEqual({
        name: 'prize plan',
        status: 'fail',
        message:
          "the state machine has no Reserve Prize state: it predates prize plans, and a plan's prizes could award more than their counts",
        fix: `${DEPLOY} again: the stack's definition (infra/statemachine/lottery.asl.json) has it`,
      });
    });
  });

  describe('the topic', () => {
    const withTopic = (facts: { subscriptionsConfirmed?: number; subscriptionsPending?: number }) =>
      check(
        diagnose(
          awsProbe({
            topic: {
              name: 'Lottery-Notification',
              arn: TOPIC_ARN,
              call: ok('SNS', 'sns:GetTopicAttributes', { arn: TOPIC_ARN, ...facts }),
            },
          }),
        ),
        'topic',
      );

    it.each<
      [string, { subscriptionsConfirmed?: number; subscriptionsPending?: number }, DoctorCheck]
    >([
      [
        'one subscription',
        { subscriptionsConfirmed: 1 },
        { name: 'topic', status: 'ok', message: `${TOPIC_ARN} (1 subscription)` },
      ],
      [
        'none, and none pending',
        { subscriptionsConfirmed: 0, subscriptionsPending: 0 },
        {
          name: 'topic',
          status: 'warn',
          message: `${TOPIC_ARN} has no confirmed subscriptions: announcements reach nobody`,
          fix: `subscribe someone: lottery deploy --notification-email you@example.com, or aws sns subscribe --topic-arn ${TOPIC_ARN} --protocol email --notification-endpoint you@example.com`,
        },
      ],
      [
        'none, and pending unknown',
        { subscriptionsConfirmed: 0 },
        {
          name: 'topic',
          status: 'warn',
          message: `${TOPIC_ARN} has no confirmed subscriptions: announcements reach nobody`,
          fix: expect.stringMatching(/^subscribe someone/) as string,
        },
      ],
      [
        'none, two pending',
        { subscriptionsConfirmed: 0, subscriptionsPending: 2 },
        {
          name: 'topic',
          status: 'warn',
          message: `${TOPIC_ARN} has no confirmed subscriptions: announcements reach nobody (2 waiting for confirmation)`,
          fix: 'confirm the subscription from the e-mail SNS sent',
        },
      ],
    ])('%s', (_what, facts, expected) => {
      expect(withTopic(facts)).toEqual(expected);
    });

    it('fails a topic that does not exist, pointing at the deployment', () => {
      expect(
        check(
          diagnose(
            awsProbe({
              topic: { name: 'Lottery-Notification', call: ok('SNS', 'sns:ListTopics', undefined) },
            }),
          ),
          'topic',
        ),
      ).toEqual({
        name: 'topic',
        status: 'fail',
        message: 'no topic named Lottery-Notification in eu-west-1',
        fix: DEPLOY,
      });
    });
  });
});

describe('diagnose: the stack, word for word', () => {
  const facts = (status: string, extra: Partial<StackFacts> = {}): StackFacts => ({
    stackId: 'id',
    name: 'lottery',
    status,
    description: 'lottery: prize draws on AWS Serverless.',
    parameters: {},
    outputs: {},
    ...extra,
  });
  const stackFinding = (call: StackProbe['call']) =>
    check(diagnose(awsProbe({ stack: { name: 'lottery', ...(call ? { call } : {}) } })), 'stack');
  const described = (state: StackState | undefined) =>
    ok('CloudFormation', 'cloudformation:DescribeStacks', state);

  it.each<[string, StackState, DoctorCheck]>([
    [
      'this version',
      { facts: facts('CREATE_COMPLETE') },
      {
        name: 'stack',
        status: 'ok',
        message: "lottery: CREATE_COMPLETE, with this version's template and functions",
      },
    ],
    [
      'an update due',
      {
        facts: facts('UPDATE_COMPLETE'),
        differences: ['code of Lottery-RecordWinners', 'parameters NotificationEmail'],
      },
      {
        name: 'stack',
        status: 'warn',
        message:
          'lottery: UPDATE_COMPLETE; an update is due: code of Lottery-RecordWinners; parameters NotificationEmail',
        fix: '`lottery deploy` updates it to this version',
      },
    ],
    [
      'busy',
      { facts: facts('UPDATE_IN_PROGRESS') },
      {
        name: 'stack',
        status: 'warn',
        message: 'lottery: UPDATE_IN_PROGRESS',
        fix: 'wait until it is done, then run `lottery doctor` again',
      },
    ],
    [
      'not made by deploy',
      { facts: facts('CREATE_COMPLETE', { description: 'the website' }) },
      {
        name: 'stack',
        status: 'warn',
        message: 'lottery: CREATE_COMPLETE, not a stack made by `lottery deploy`',
        fix: 'check LOTTERY_STACK_NAME (or "stackName" in a config file)',
      },
    ],
    [
      'rolled back after its creation failed',
      { facts: facts('ROLLBACK_COMPLETE') },
      {
        name: 'stack',
        status: 'fail',
        message: 'lottery: ROLLBACK_COMPLETE',
        fix: '`lottery deploy` (a stack whose creation failed is deleted and made again)',
      },
    ],
    [
      'failed to create',
      { facts: facts('CREATE_FAILED', { statusReason: 'Role is invalid' }) },
      {
        name: 'stack',
        status: 'fail',
        message: 'lottery: CREATE_FAILED (Role is invalid)',
        fix: '`lottery deploy` (a stack whose creation failed is deleted and made again)',
      },
    ],
    [
      'stuck in a rollback',
      { facts: facts('UPDATE_ROLLBACK_FAILED') },
      {
        name: 'stack',
        status: 'fail',
        message: 'lottery: UPDATE_ROLLBACK_FAILED',
        fix: 'continue the rollback (CloudFormation console, or aws cloudformation continue-update-rollback), then `lottery deploy`',
      },
    ],
    [
      'failed to delete',
      { facts: facts('DELETE_FAILED') },
      {
        name: 'stack',
        status: 'fail',
        message: 'lottery: DELETE_FAILED',
        fix: '`lottery destroy` again once the resource in the way is gone',
      },
    ],
  ])('%s', (_what, state, expected) => {
    expect(stackFinding(described(state))).toEqual(expected);
  });

  it('is not checked without a region', () => {
    expect(stackFinding(undefined)).toEqual({
      name: 'stack',
      status: 'warn',
      message: 'not checked: no region',
    });
  });

  it('only warns when CloudFormation fails to answer: draws do not need it', () => {
    expect(
      stackFinding(fail('CloudFormation', 'cloudformation:DescribeStacks', ERRORS.throttled)),
    ).toEqual({
      name: 'stack',
      status: 'warn',
      message: 'CloudFormation answered ThrottlingException: Rate exceeded',
      fix: 'try again in a moment (throttling and service errors pass); if it persists, the message says what the service objects to',
    });
  });
});
