import { describe, expect, it } from 'vitest';
import {
  defaultsLayer,
  envLayer,
  isStackName,
  resolveConfig,
  type ConfigLayer,
} from '../../src/core/config';

const HOME = '/home/me/.local/share/lottery';
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Lottery';

function flags(values: ConfigLayer['values']): ConfigLayer {
  const names: Record<string, string> = {
    target: '--target',
    region: '--region',
    profile: '--profile',
    endpointUrl: '--endpoint-url',
    stateMachineArn: '--state-machine-arn',
    home: '--home',
  };
  return {
    source: 'flags',
    values,
    sources: Object.fromEntries(Object.keys(values).map((key) => [key, names[key] ?? `--${key}`])),
  };
}

const file = (values: ConfigLayer['values']): ConfigLayer => ({
  source: '/home/me/.config/lottery/config.json',
  values,
});

describe('resolveConfig', () => {
  it('uses the defaults when nothing else is set', () => {
    const { config, origins, errors } = resolveConfig([envLayer({}), defaultsLayer(HOME)]);
    expect(errors).toEqual([]);
    expect(config).toEqual({
      target: 'local',
      home: HOME,
      employeeTable: 'Lottery-Employee',
      winnersTable: 'Lottery-Winners',
      drawsTable: 'Lottery-Draws',
      stackName: 'lottery',
      pollIntervalMs: 1000,
    });
    expect(origins).toEqual({
      target: 'default',
      home: 'default',
      employeeTable: 'default',
      winnersTable: 'default',
      drawsTable: 'default',
      stackName: 'default',
      pollIntervalMs: 'default',
    });
  });

  it('takes each key from the first layer that sets it: flags, then environment, then file, then defaults', () => {
    const { config, origins, errors } = resolveConfig([
      flags({ region: 'eu-west-1' }),
      envLayer({ LOTTERY_TARGET: 'aws', LOTTERY_EMPLOYEE_TABLE: 'Staff' }),
      file({
        target: 'local',
        region: 'us-east-1',
        employeeTable: 'Other',
        winnersTable: 'Prizes',
        stateMachineArn: ARN,
      }),
      defaultsLayer(HOME),
    ]);
    expect(errors).toEqual([]);
    expect(config).toMatchObject({
      region: 'eu-west-1',
      target: 'aws',
      employeeTable: 'Staff',
      winnersTable: 'Prizes',
      stateMachineArn: ARN,
      home: HOME,
      pollIntervalMs: 1000,
    });
    expect(origins).toMatchObject({
      region: '--region',
      target: 'LOTTERY_TARGET',
      employeeTable: 'LOTTERY_EMPLOYEE_TABLE',
      winnersTable: '/home/me/.config/lottery/config.json',
      stateMachineArn: '/home/me/.config/lottery/config.json',
      home: 'default',
    });
  });

  it('lets a flag override the environment', () => {
    const { config, origins } = resolveConfig([
      flags({ target: 'local' }),
      envLayer({ LOTTERY_TARGET: 'aws' }),
      defaultsLayer(HOME),
    ]);
    expect(config.target).toBe('local');
    expect(origins.target).toBe('--target');
  });

  it('names the layer when it has no per-key source', () => {
    const { origins } = resolveConfig([{ source: 'flags', values: { profile: 'dev' } }]);
    expect(origins.profile).toBe('flags');
  });

  it('leaves unset keys without value or origin', () => {
    const { config, origins } = resolveConfig([defaultsLayer(HOME)]);
    expect(config.region).toBeUndefined();
    expect(config.endpointUrl).toBeUndefined();
    expect('region' in origins).toBe(false);
  });

  it('parses and trims values', () => {
    const { config, errors } = resolveConfig([
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '250', LOTTERY_HOME: '  /data/lottery  ' }),
      file({ region: ' eu-central-1 ' }),
    ]);
    expect(errors).toEqual([]);
    expect(config.pollIntervalMs).toBe(250);
    expect(config.home).toBe('/data/lottery');
    expect(config.region).toBe('eu-central-1');
  });

  it.each<[string, ConfigLayer['values'], unknown]>([
    ['http endpoint', { endpointUrl: 'http://127.0.0.1:4566' }, 'http://127.0.0.1:4566'],
    [
      'https endpoint',
      { endpointUrl: 'https://states.eu-west-1.amazonaws.com' },
      'https://states.eu-west-1.amazonaws.com',
    ],
    ['state machine ARN', { stateMachineArn: ARN }, ARN],
    [
      'China partition ARN',
      { stateMachineArn: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Lottery' },
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Lottery',
    ],
    ['poll interval 10', { pollIntervalMs: 10 }, 10],
    ['poll interval 60000', { pollIntervalMs: '60000' }, 60000],
    ['target aws', { target: 'aws' }, 'aws'],
    ['stack name', { stackName: 'party-2026' }, 'party-2026'],
  ])('accepts a good %s', (_label, values, expected) => {
    const { config, errors } = resolveConfig([file(values)]);
    expect(errors).toEqual([]);
    expect(Object.values(config)).toEqual([expected]);
  });

  it.each<[ConfigLayer, string]>([
    [
      envLayer({ LOTTERY_TARGET: 'prod' }),
      'LOTTERY_TARGET: target must be "local" or "aws", got "prod"',
    ],
    [flags({ target: 'AWS' }), '--target: target must be "local" or "aws", got "AWS"'],
    [
      flags({ endpointUrl: 'localhost:4566' }),
      '--endpoint-url: endpointUrl must be an http:// or https:// URL, got "localhost:4566"',
    ],
    [
      flags({ endpointUrl: 'ftp://example.com' }),
      '--endpoint-url: endpointUrl must be an http:// or https:// URL, got "ftp://example.com"',
    ],
    [
      flags({ endpointUrl: 'not a url' }),
      '--endpoint-url: endpointUrl must be an http:// or https:// URL, got "not a url"',
    ],
    [
      envLayer({
        LOTTERY_STATE_MACHINE_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:Lottery',
      }),
      'LOTTERY_STATE_MACHINE_ARN: stateMachineArn must be a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), got "arn:aws:lambda:eu-west-1:123456789012:function:Lottery"',
    ],
    [
      flags({ stateMachineArn: 'Lottery' }),
      '--state-machine-arn: stateMachineArn must be a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), got "Lottery"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '5' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "5"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '60001' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "60001"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '1.5' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "1.5"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: 'soon' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "soon"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '0x20' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "0x20"',
    ],
    [
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '1e3' }),
      'LOTTERY_POLL_INTERVAL_MS: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got "1e3"',
    ],
    [
      file({ pollIntervalMs: 0 }),
      '/home/me/.config/lottery/config.json: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got 0',
    ],
    [
      file({ pollIntervalMs: [500] }),
      '/home/me/.config/lottery/config.json: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got [500]',
    ],
    [
      file({ endpointUrl: 'ftp://127.0.0.1:4566' }),
      '/home/me/.config/lottery/config.json: endpointUrl must be an http:// or https:// URL, got "ftp://127.0.0.1:4566"',
    ],
    [
      file({ endpointUrl: 'httpx://127.0.0.1:4566' }),
      '/home/me/.config/lottery/config.json: endpointUrl must be an http:// or https:// URL, got "httpx://127.0.0.1:4566"',
    ],
    [
      file({ region: '' }),
      '/home/me/.config/lottery/config.json: region must be an AWS region name such as eu-west-1 (lower-case letters, digits and hyphens), got ""',
    ],
    [
      file({ region: 'garbage region!!' }),
      '/home/me/.config/lottery/config.json: region must be an AWS region name such as eu-west-1 (lower-case letters, digits and hyphens), got "garbage region!!"',
    ],
    [
      file({ employeeTable: 42 }),
      '/home/me/.config/lottery/config.json: employeeTable must be a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or ".", got 42',
    ],
    ...['ab', 'Lottery Employee', 'x'.repeat(256), 'Lottery/Winners'].map(
      (name): [ConfigLayer, string] => [
        envLayer({ LOTTERY_WINNERS_TABLE: name }),
        `LOTTERY_WINNERS_TABLE: winnersTable must be a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or ".", got ${JSON.stringify(name)}`,
      ],
    ),
    [
      envLayer({ LOTTERY_STACK_NAME: '2026-party' }),
      'LOTTERY_STACK_NAME: stackName must start with a letter and hold only letters, digits and hyphens (at most 128), got "2026-party"',
    ],
    [
      file({ stackName: 'my_stack' }),
      '/home/me/.config/lottery/config.json: stackName must start with a letter and hold only letters, digits and hyphens (at most 128), got "my_stack"',
    ],
  ])('reports a bad value with where it came from: %#', (layer, error) => {
    const { errors } = resolveConfig([layer, defaultsLayer(HOME)]);
    expect(errors).toEqual([error]);
  });

  it('takes a table name as DynamoDB does: dots and underscores too, 3 to 255 characters', () => {
    const name = `a.b_c-${'x'.repeat(249)}`;
    const { config, errors } = resolveConfig([
      envLayer({ LOTTERY_DRAWS_TABLE: name, LOTTERY_EMPLOYEE_TABLE: 'abc' }),
      defaultsLayer(HOME),
    ]);
    expect(errors).toEqual([]);
    expect(config).toMatchObject({ drawsTable: name, employeeTable: 'abc' });
  });

  it('refuses two settings that name the same table, saying where each came from', () => {
    expect(
      resolveConfig([envLayer({ LOTTERY_WINNERS_TABLE: 'Lottery-Employee' }), defaultsLayer(HOME)])
        .errors,
    ).toEqual([
      'employeeTable (default) and winnersTable (LOTTERY_WINNERS_TABLE) both name the table "Lottery-Employee": each must name a table of its own',
    ]);
    expect(
      resolveConfig([
        flags({ drawsTable: 'Tab' }),
        file({ winnersTable: 'Tab', employeeTable: 'Tab' }),
        defaultsLayer(HOME),
      ]).errors,
    ).toEqual([
      'employeeTable (/home/me/.config/lottery/config.json) and winnersTable (/home/me/.config/lottery/config.json) both name the table "Tab": each must name a table of its own',
      'employeeTable (/home/me/.config/lottery/config.json) and drawsTable (--drawsTable) both name the table "Tab": each must name a table of its own',
      'winnersTable (/home/me/.config/lottery/config.json) and drawsTable (--drawsTable) both name the table "Tab": each must name a table of its own',
    ]);
  });

  it('does not fall back to a later layer when the first value is bad', () => {
    const { config, origins, errors } = resolveConfig([
      envLayer({ LOTTERY_TARGET: 'prod' }),
      defaultsLayer(HOME),
    ]);
    expect(errors).toHaveLength(1);
    expect(config.target).toBeUndefined();
    expect(origins.target).toBeUndefined();
  });

  it('reports every bad key', () => {
    const { errors } = resolveConfig([
      flags({ target: 'x', endpointUrl: 'y' }),
      envLayer({ LOTTERY_POLL_INTERVAL_MS: '1' }),
    ]);
    expect(errors).toHaveLength(3);
  });
});

describe('envLayer', () => {
  it('reads the LOTTERY_* variables, each named as its source', () => {
    const layer = envLayer({
      LOTTERY_TARGET: 'aws',
      LOTTERY_HOME: '/data',
      LOTTERY_STATE_MACHINE_ARN: ARN,
      LOTTERY_EMPLOYEE_TABLE: 'E',
      LOTTERY_WINNERS_TABLE: 'W',
      LOTTERY_STACK_NAME: 'party',
      LOTTERY_POLL_INTERVAL_MS: '500',
    });
    expect(layer).toEqual({
      source: 'environment',
      values: {
        target: 'aws',
        home: '/data',
        stateMachineArn: ARN,
        employeeTable: 'E',
        winnersTable: 'W',
        stackName: 'party',
        pollIntervalMs: '500',
      },
      sources: {
        target: 'LOTTERY_TARGET',
        home: 'LOTTERY_HOME',
        stateMachineArn: 'LOTTERY_STATE_MACHINE_ARN',
        employeeTable: 'LOTTERY_EMPLOYEE_TABLE',
        winnersTable: 'LOTTERY_WINNERS_TABLE',
        stackName: 'LOTTERY_STACK_NAME',
        pollIntervalMs: 'LOTTERY_POLL_INTERVAL_MS',
      },
    });
  });

  it('ignores empty variables, so that an exported empty value does not override the defaults', () => {
    const layer = envLayer({ LOTTERY_TARGET: '', LOTTERY_HOME: '/data' });
    expect(layer.values).toEqual({ home: '/data' });
    expect(layer.sources).toEqual({ home: 'LOTTERY_HOME' });
    const { config, errors } = resolveConfig([layer, defaultsLayer(HOME)]);
    expect(errors).toEqual([]);
    expect(config.target).toBe('local');
  });

  it("leaves AWS's own settings and unrelated variables to the SDK", () => {
    expect(
      envLayer({
        AWS_REGION: 'eu-west-1',
        AWS_PROFILE: 'dev',
        AWS_ENDPOINT_URL: 'http://x',
        PATH: '/bin',
      }).values,
    ).toEqual({});
  });
});

describe('settings at their edges', () => {
  it.each<[string, unknown, boolean]>([
    ['lottery', 'lottery', true],
    ['a name with spaces around it', ' party-2026 ', true],
    ['a name starting with a digit', '2026-party', false],
    ['an underscore', 'my_stack', false],
    ['129 characters', `a${'b'.repeat(128)}`, false],
    ['a number', 42, false],
    ['nothing', undefined, false],
  ])('isStackName: %s', (_what, value, expected) => {
    expect(isStackName(value)).toBe(expected);
  });

  it.each(['https://example.com', 'http://127.0.0.1:4566'])('takes the endpoint %s', (url) => {
    expect(resolveConfig([flags({ endpointUrl: url }), defaultsLayer(HOME)]).errors).toEqual([]);
  });

  it.each(['xhttps://example.com', 'https+unix://socket', 'httpsx://example.com'])(
    'refuses the endpoint %s',
    (url) => {
      expect(resolveConfig([flags({ endpointUrl: url }), defaultsLayer(HOME)]).errors).toEqual([
        `--endpoint-url: endpointUrl must be an http:// or https:// URL, got ${JSON.stringify(url)}`,
      ]);
    },
  );

  it('takes a poll interval given as a number in a file, and refuses one given as text that is not a number', () => {
    expect(
      resolveConfig([file({ pollIntervalMs: 250 }), defaultsLayer(HOME)]).config.pollIntervalMs,
    ).toBe(250);
    expect(
      resolveConfig([file({ pollIntervalMs: ' 250 ' }), defaultsLayer(HOME)]).config.pollIntervalMs,
    ).toBe(250);
    expect(resolveConfig([file({ pollIntervalMs: true }), defaultsLayer(HOME)]).errors).toEqual([
      '/home/me/.config/lottery/config.json: pollIntervalMs must be a whole number of milliseconds from 10 to 60000, got true',
    ]);
  });

  it('reads only the LOTTERY_* variables, and none that is empty', () => {
    expect(
      envLayer({ AWS_REGION: 'eu-west-1', region: 'x', LOTTERY_TARGET: '', LOTTERY_HOME: '/data' }),
    ).toEqual({
      source: 'environment',
      values: { home: '/data' },
      sources: { home: 'LOTTERY_HOME' },
    });
  });
});
