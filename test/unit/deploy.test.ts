import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  artifactBucketName,
  changeSetParameters,
  changedParameters,
  codeKey,
  decideDeploy,
  deleteTablesCommand,
  describeDifferences,
  destroyable,
  listNames,
  parameterProblems,
  settingsFromStack,
  settingsToForget,
  shadowedSettings,
} from '../../src/ops/deploy';
import type { StackFacts } from '../../src/ops/stack';
import {
  bundleName,
  compareTemplates,
  packageTemplate,
  parseTemplate,
  templateFunctions,
  type Template,
} from '../../src/ops/template';
import { ROOT } from '../helpers/cli';

const source = parseTemplate(readFileSync(join(ROOT, 'infra', 'template.yaml'), 'utf8'));
const asl = JSON.parse(
  readFileSync(join(ROOT, 'infra', 'statemachine', 'lottery.asl.json'), 'utf8'),
) as object;
const DECLARED = Object.keys(source.Parameters ?? {});
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Lottery';

const stack = (extra: Partial<StackFacts> = {}): StackFacts => ({
  stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/lottery/1',
  name: 'lottery',
  status: 'CREATE_COMPLETE',
  parameters: { ResourcePrefix: '', NotificationEmail: '', LogRetentionInDays: '30' },
  outputs: {
    StateMachineArn: ARN,
    EmployeeTableName: 'Lottery-Employee',
    WinnersTableName: 'Lottery-Winners',
    DrawsTableName: 'Lottery-Draws',
    ApiUrl: 'https://x',
  },
  ...extra,
});

function packaged(keys: Record<string, string> = {}, bucket = 'bucket'): Template {
  const code = Object.fromEntries(
    Object.values(templateFunctions(source)).map((name) => [
      name,
      { Bucket: bucket, Key: keys[name] ?? codeKey(name, 'a'.repeat(64)) },
    ]),
  );
  return packageTemplate(source, code, asl as never);
}

describe('the packaged template', () => {
  it('puts each function’s code at its uploaded zip, named by the bundle directory of its CodeUri', () => {
    const functions = templateFunctions(source);
    expect(Object.values(functions).sort()).toEqual([
      'Lottery-CommitDraw',
      'Lottery-FetchBeaconRound',
      'Lottery-InputWinners',
      'Lottery-RandomSelectWinners',
      'Lottery-RecordWinners',
      'Lottery-ReleaseWinners',
      'Lottery-ReservePrize',
      'Lottery-ValidateWinners',
    ]);
    const template = packaged();
    for (const [id, name] of Object.entries(functions)) {
      expect(template.Resources[id]?.Properties?.CodeUri).toEqual({
        Bucket: 'bucket',
        Key: `lottery/functions/${name}/${'a'.repeat(64)}.zip`,
      });
    }
    expect(bundleName('../dist/lambdas/Lottery-InputWinners/')).toBe('Lottery-InputWinners');
  });

  it('carries the state machine definition inline, its ${…} placeholders left to DefinitionSubstitutions', () => {
    const machine = Object.values(packaged().Resources).find(
      (resource) => resource.Type === 'AWS::Serverless::StateMachine',
    );
    expect(machine?.Properties?.DefinitionUri).toBeUndefined();
    expect(machine?.Properties?.Definition).toEqual(asl);
    expect(JSON.stringify(machine?.Properties?.Definition)).toContain(
      '${RecordWinnersFunctionArn}',
    );
    expect(machine?.Properties?.DefinitionSubstitutions).toBeDefined();
  });

  it('fits in a CreateChangeSet TemplateBody (51,200 bytes), with room to grow', () => {
    expect(Buffer.byteLength(JSON.stringify(packaged()))).toBeLessThan(40_000);
  });

  it('leaves the source template as it was', () => {
    packaged();
    expect(
      Object.values(source.Resources).some(
        (resource) => typeof resource.Properties?.CodeUri === 'string',
      ),
    ).toBe(true);
  });
});

describe('compareTemplates and describeDifferences', () => {
  const functions = templateFunctions(source);

  it('finds nothing between the same package in two buckets', () => {
    const differences = compareTemplates(packaged({}, 'one'), packaged({}, 'other'));
    expect(differences).toEqual({ code: [], resources: [], other: false });
    expect(describeDifferences(differences, functions, [])).toEqual([]);
  });

  it('names the functions whose code differs, and the resources and sections that changed', () => {
    const deployed = packaged({
      'Lottery-RecordWinners': 'lottery/functions/Lottery-RecordWinners/old.zip',
    });
    const current = packaged();
    const table = current.Resources.WinnersTable;
    if (!table?.Properties) throw new Error('no WinnersTable');
    current.Resources.WinnersTable = {
      ...table,
      Properties: { ...table.Properties, BillingMode: 'PROVISIONED' },
    };
    current.Outputs = { ...current.Outputs, Extra: { Value: 'x' } };
    const differences = compareTemplates(deployed, current);
    expect(differences).toEqual({
      code: ['RecordWinnersFunction'],
      resources: ['WinnersTable'],
      other: true,
    });
    expect(describeDifferences(differences, functions, ['NotificationEmail'])).toEqual([
      'code of Lottery-RecordWinners',
      'resources WinnersTable',
      'the template outside its resources (parameters, outputs, conditions)',
      'parameters NotificationEmail',
    ]);
  });

  it('sees a stack deployed the manual way (code from `aws cloudformation package`, definition in S3) as due an update', () => {
    const manual = parseTemplate(readFileSync(join(ROOT, 'infra', 'template.yaml'), 'utf8'));
    for (const resource of Object.values(manual.Resources)) {
      if (resource.Type === 'AWS::Serverless::Function' && resource.Properties)
        resource.Properties.CodeUri = 's3://bucket/0123456789abcdef';
      if (resource.Type === 'AWS::Serverless::StateMachine' && resource.Properties)
        resource.Properties.DefinitionUri = { Bucket: 'bucket', Key: 'fedcba' };
    }
    const differences = compareTemplates(manual, packaged());
    expect(differences.code).toHaveLength(8);
    expect(differences.resources).toEqual(['LotteryStateMachine']);
  });
});

describe('names', () => {
  it('gives one artefact bucket per account and region, and keys named by content', () => {
    expect(artifactBucketName('123456789012', 'eu-west-1')).toBe(
      'lottery-artifacts-123456789012-eu-west-1',
    );
    // Bucket names: at most 63 characters, even in the longest region names.
    expect(artifactBucketName('123456789012', 'ap-southeast-5').length).toBeLessThanOrEqual(63);
    expect(codeKey('Lottery-InputWinners', 'ab12')).toBe(
      'lottery/functions/Lottery-InputWinners/ab12.zip',
    );
    expect(listNames(['A'])).toBe('A');
    expect(listNames(['A', 'B', 'C'])).toBe('A, B and C');
    expect(deleteTablesCommand('eu-west-1', ['A', 'B'])).toBe(
      'aws dynamodb delete-table --region eu-west-1 --table-name A && aws dynamodb delete-table --region eu-west-1 --table-name B',
    );
  });
});

describe('parameters', () => {
  it('on a new stack: only those given', () => {
    expect(
      changeSetParameters(
        { ResourcePrefix: 'test-', NotificationEmail: undefined },
        undefined,
        DECLARED,
      ),
    ).toEqual([{ ParameterKey: 'ResourcePrefix', ParameterValue: 'test-' }]);
  });

  it('on an update: those given, and the stack’s own values for the rest, so a deploy without --prefix renames nothing', () => {
    expect(
      changeSetParameters(
        { ResourcePrefix: undefined, NotificationEmail: 'a@example.com' },
        stack(),
        DECLARED,
      ),
    ).toEqual([
      { ParameterKey: 'ResourcePrefix', UsePreviousValue: true },
      { ParameterKey: 'NotificationEmail', ParameterValue: 'a@example.com' },
      { ParameterKey: 'LogRetentionInDays', UsePreviousValue: true },
    ]);
    // A parameter the stack does not have yet (a newer template) takes its default.
    expect(
      changeSetParameters({}, stack({ parameters: { ResourcePrefix: '' } }), DECLARED),
    ).toEqual([{ ParameterKey: 'ResourcePrefix', UsePreviousValue: true }]);
  });

  it('are changed only when given with another value', () => {
    expect(
      changedParameters({ ResourcePrefix: '', NotificationEmail: undefined }, stack()),
    ).toEqual([]);
    expect(
      changedParameters({ ResourcePrefix: 'test-', NotificationEmail: 'a@example.com' }, stack()),
    ).toEqual(['ResourcePrefix', 'NotificationEmail']);
  });

  it('are checked against the template’s own patterns, named by their flags', () => {
    const flags = { ResourcePrefix: '--prefix', NotificationEmail: '--notification-email' };
    expect(
      parameterProblems(
        source,
        { ResourcePrefix: 'test-', NotificationEmail: 'party@example.com' },
        flags,
      ),
    ).toEqual([]);
    expect(
      parameterProblems(
        source,
        { ResourcePrefix: 'a_b', NotificationEmail: 'not-an-address' },
        flags,
      ),
    ).toEqual([
      '--prefix "a_b" is not allowed: up to 20 letters, digits or hyphens',
      '--notification-email "not-an-address" is not allowed: an e-mail address, or empty',
    ]);
  });
});

describe('settings', () => {
  it('saved after a deploy: what later commands need, from the outputs', () => {
    expect(settingsFromStack(stack(), 'eu-west-1', undefined)).toEqual({
      region: 'eu-west-1',
      stackName: 'lottery',
      stateMachineArn: ARN,
      employeeTable: 'Lottery-Employee',
      winnersTable: 'Lottery-Winners',
      drawsTable: 'Lottery-Draws',
    });
    expect(settingsFromStack(stack({ outputs: {} }), 'eu-west-1', 'party')).toEqual({
      region: 'eu-west-1',
      stackName: 'lottery',
      profile: 'party',
    });
  });

  it('that something else overrides are named with where it comes from; a flag given to deploy is no conflict', () => {
    const saved = settingsFromStack(stack(), 'eu-west-1', undefined);
    const file = '/home/me/.config/lottery/config.json';
    expect(
      shadowedSettings(
        saved,
        { region: 'eu-west-1', stateMachineArn: ARN, employeeTable: 'Staff' },
        { region: '--region', stateMachineArn: file, employeeTable: '/party/lottery.config.json' },
        file,
      ),
    ).toEqual([{ key: 'employeeTable', origin: '/party/lottery.config.json', value: 'Staff' }]);
    expect(
      shadowedSettings(
        saved,
        { stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:Other' },
        { stateMachineArn: 'LOTTERY_STATE_MACHINE_ARN' },
        file,
      ),
    ).toEqual([
      {
        key: 'stateMachineArn',
        origin: 'LOTTERY_STATE_MACHINE_ARN',
        value: 'arn:aws:states:eu-west-1:1:stateMachine:Other',
      },
    ]);
  });

  it('forgotten after a destroy: only those that name what is gone, and the tables only when deleted', () => {
    const saved = {
      region: 'eu-west-1',
      stackName: 'lottery',
      stateMachineArn: ARN,
      employeeTable: 'Lottery-Employee',
      winnersTable: 'Lottery-Winners',
      drawsTable: 'Lottery-Draws',
      pollIntervalMs: 500,
    };
    expect(settingsToForget(saved, stack(), false)).toEqual(['stackName', 'stateMachineArn']);
    expect(settingsToForget(saved, stack(), true)).toEqual([
      'stackName',
      'stateMachineArn',
      'employeeTable',
      'winnersTable',
      'drawsTable',
    ]);
    expect(
      settingsToForget(
        { ...saved, stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:Other' },
        stack(),
        false,
      ),
    ).toEqual(['stackName']);
  });
});

describe('compareTemplates on small templates: what counts as a change', () => {
  const fn = (key: string, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Serverless::Function',
    Properties: { CodeUri: { Bucket: 'b', Key: key }, Handler: 'index.handler', ...extra },
  });
  const template = (resources: Template['Resources'], rest: Partial<Template> = {}): Template =>
    ({ Resources: resources, ...rest }) as Template;

  it.each<[string, Template, Template, { code: string[]; resources: string[]; other: boolean }]>([
    [
      'the same',
      template({ F: fn('k'), T: { Type: 'T', Properties: { A: [1, { B: 2 }] } } }),
      template({ F: fn('k'), T: { Type: 'T', Properties: { A: [1, { B: 2 }] } } }),
      { code: [], resources: [], other: false },
    ],
    [
      'code only',
      template({ F: fn('k1'), G: fn('g1') }),
      template({ F: fn('k2'), G: fn('g2') }),
      { code: ['F', 'G'], resources: [], other: false },
    ],
    [
      'a function setting, not its code',
      template({ F: fn('k', { Timeout: 3 }) }),
      template({ F: fn('k', { Timeout: 5 }) }),
      { code: [], resources: ['F'], other: false },
    ],
    [
      'a list that grew',
      template({ T: { Type: 'T', Properties: { A: [1] } } }),
      template({ T: { Type: 'T', Properties: { A: [1, 2] } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'a list item that changed',
      template({ T: { Type: 'T', Properties: { A: [1, 2] } } }),
      template({ T: { Type: 'T', Properties: { A: [1, 3] } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'a list against an object',
      template({ T: { Type: 'T', Properties: { A: [] } } }),
      template({ T: { Type: 'T', Properties: { A: {} } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'an object against a list',
      template({ T: { Type: 'T', Properties: { A: {} } } }),
      template({ T: { Type: 'T', Properties: { A: [] } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'a value against an object',
      template({ T: { Type: 'T', Properties: { A: 'x' } } }),
      template({ T: { Type: 'T', Properties: { A: { B: 'x' } } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'a key renamed',
      template({ T: { Type: 'T', Properties: { A: 1 } } }),
      template({ T: { Type: 'T', Properties: { B: 1 } } }),
      { code: [], resources: ['T'], other: false },
    ],
    [
      'a resource added and one removed, in order',
      template({ B: { Type: 'T' }, Z: { Type: 'T' } }),
      template({ A: { Type: 'T' }, Z: { Type: 'T' } }),
      { code: [], resources: ['A', 'B'], other: false },
    ],
    [
      'a stack deployed without resources',
      template(undefined as never),
      template({ A: { Type: 'T' } }),
      { code: [], resources: ['A'], other: false },
    ],
    [
      'an output',
      template({}, { Outputs: { A: { Value: 1 } } } as never),
      template({}, { Outputs: { A: { Value: 2 } } } as never),
      { code: [], resources: [], other: true },
    ],
  ])('%s', (_what, deployed, bundled, expected) => {
    expect(compareTemplates(deployed, bundled)).toEqual(expected);
  });

  it('sorts the functions whose code differs', () => {
    expect(
      compareTemplates(template({ Z: fn('1'), A: fn('1') }), template({ Z: fn('2'), A: fn('2') }))
        .code,
    ).toEqual(['A', 'Z']);
  });
});

describe('what deploy says it would change', () => {
  it('lists every function, resource and parameter that differs, in a readable list', () => {
    const functions = {
      RecordWinnersFunction: 'Lottery-RecordWinners',
      ReleaseWinnersFunction: 'Lottery-ReleaseWinners',
    };
    expect(
      describeDifferences(
        {
          code: ['RecordWinnersFunction', 'ReleaseWinnersFunction', 'NewFunction'],
          resources: ['WinnersTable', 'Api'],
          other: false,
        },
        functions,
        ['ResourcePrefix', 'NotificationEmail'],
      ),
    ).toEqual([
      'code of Lottery-RecordWinners, Lottery-ReleaseWinners, NewFunction',
      'resources WinnersTable, Api',
      'parameters ResourcePrefix, NotificationEmail',
    ]);
  });
});

describe('decideDeploy: what deploy does once it has looked', () => {
  const apply = { kind: 'apply', recreate: false } as const;
  it('passes on a refusal of the stack as it is', () => {
    const refuse = { kind: 'refuse', why: 'stack lottery is busy', hint: 'wait' } as const;
    expect(decideDeploy({ plan: refuse }, 'eu-west-1')).toEqual(refuse);
  });

  it('leaves a running stack alone when nothing differs, and updates it when something does', () => {
    const plan = { kind: 'update' } as const;
    expect(decideDeploy({ plan, differences: [] }, 'eu-west-1')).toEqual({ kind: 'unchanged' });
    expect(decideDeploy({ plan, differences: ['code of X'] }, 'eu-west-1')).toEqual({
      ...apply,
      operation: 'update',
      differences: ['code of X'],
    });
  });

  it('creates a stack, first deleting one whose creation failed', () => {
    for (const kind of ['create', 'create-reviewed'] as const)
      expect(decideDeploy({ plan: { kind }, tablesInTheWay: [] }, 'eu-west-1')).toEqual({
        ...apply,
        operation: 'create',
        differences: [],
      });
    expect(decideDeploy({ plan: { kind: 'recreate' }, tablesInTheWay: [] }, 'eu-west-1')).toEqual({
      ...apply,
      operation: 'create',
      recreate: true,
      differences: [],
    });
  });

  it('refuses to create a stack over tables of its names, saying how to get them out of the way', () => {
    expect(
      decideDeploy({ plan: { kind: 'create' }, tablesInTheWay: ['Lottery-Winners'] }, 'eu-west-1'),
    ).toEqual({
      kind: 'refuse',
      why:
        'the table Lottery-Winners already exists outside any stack (kept by an earlier `lottery destroy`, ' +
        'or made by hand): a new stack cannot create it',
      hint:
        'deploy with another --prefix, or delete them (their data first: ' +
        '`lottery --target aws winners export --out winners.csv`): ' +
        'aws dynamodb delete-table --region eu-west-1 --table-name Lottery-Winners',
    });
    const two = decideDeploy(
      { plan: { kind: 'recreate' }, tablesInTheWay: ['a-Lottery-Winners', 'a-Lottery-Draws'] },
      'eu-west-1',
    );
    expect(two).toMatchObject({
      kind: 'refuse',
      why: expect.stringMatching(
        /^the tables a-Lottery-Winners and a-Lottery-Draws already exist outside .*cannot create them$/,
      ),
    });
  });
});

describe('destroyable: which stack destroy may delete', () => {
  const where = 'in eu-west-1';
  it("deletes a stack deploy made that is at rest, and refuses none, another's, or a busy one", () => {
    const mine = stack({ description: 'lottery: prize draws' });
    expect(destroyable('lottery', mine, where)).toEqual({ ok: true, stack: mine });
    expect(destroyable('lottery', undefined, where)).toMatchObject({
      ok: false,
      kind: 'environment',
      why: 'there is no stack lottery in eu-west-1',
    });
    expect(destroyable('lottery', stack({ description: 'someone else' }), where)).toMatchObject({
      ok: false,
      kind: 'usage',
      why: 'stack lottery was not made by `lottery deploy`: refusing to delete it',
    });
    expect(destroyable('lottery', { ...mine, status: 'UPDATE_IN_PROGRESS' }, where)).toMatchObject({
      ok: false,
      kind: 'environment',
      why: 'stack lottery is busy: UPDATE_IN_PROGRESS',
      hint: 'wait until it is done (`lottery doctor` shows its status), then run `lottery destroy` again',
    });
  });
});

describe('parameters a template refuses', () => {
  const flags = { ResourcePrefix: '--prefix', NotificationEmail: '--notification-email' };
  const template = (parameters: Template['Parameters']): Template => ({
    Resources: {},
    ...(parameters ? { Parameters: parameters } : {}),
  });

  it.each<[string, Template, Record<string, string | undefined>, string[]]>([
    [
      'a flag not given is not checked',
      source,
      { ResourcePrefix: undefined, NotificationEmail: undefined },
      [],
    ],
    [
      'a template without parameters checks nothing',
      template(undefined),
      { ResourcePrefix: 'a_b' },
      [],
    ],
    [
      'a parameter the template does not declare is not checked',
      template({ Other: { Type: 'String', AllowedPattern: '^x$' } }),
      { ResourcePrefix: 'a_b' },
      [],
    ],
    [
      'a parameter without a pattern takes anything',
      template({ ResourcePrefix: { Type: 'String' } }),
      { ResourcePrefix: 'a_b' },
      [],
    ],
    [
      'a pattern without a description is refused in plain words',
      template({ ResourcePrefix: { Type: 'String', AllowedPattern: '^[a-z]*$' } }),
      { ResourcePrefix: 'A' },
      ['--prefix "A" is not allowed'],
    ],
    [
      'a parameter without a flag is named by its key',
      template({
        Other: { Type: 'String', AllowedPattern: '^x$', ConstraintDescription: 'x only' },
      }),
      { Other: 'y' },
      ['Other "y" is not allowed: x only'],
    ],
  ])('%s', (_what, checked, given, problems) => {
    expect(parameterProblems(checked, given, flags)).toEqual(problems);
  });
});

describe('settings, edge cases', () => {
  const file = '/home/me/.config/lottery/config.json';
  const OTHER_ARN = 'arn:aws:states:eu-west-1:1:stateMachine:Other';

  it('saves no profile when none was given', () => {
    expect(settingsFromStack(stack({ outputs: {} }), 'eu-west-1', '')).toEqual({
      region: 'eu-west-1',
      stackName: 'lottery',
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a setting nothing else sets', {}, {}],
    [
      'a setting from the file deploy writes',
      { stateMachineArn: OTHER_ARN },
      { stateMachineArn: file },
    ],
    ['a default', { stateMachineArn: OTHER_ARN }, { stateMachineArn: 'default' }],
    [
      'a variable that agrees',
      { stateMachineArn: ARN },
      { stateMachineArn: 'LOTTERY_STATE_MACHINE_ARN' },
    ],
    [
      'a flag given to deploy',
      { stateMachineArn: OTHER_ARN },
      { stateMachineArn: '--state-machine-arn' },
    ],
  ])('warns of no conflict for %s', (_what, inUse, origins) => {
    expect(shadowedSettings({ stateMachineArn: ARN }, inUse, origins, file)).toEqual([]);
  });

  it('forgets nothing the stack did not name', () => {
    expect(settingsToForget({ stackName: 'lottery' }, stack({ outputs: {} }), true)).toEqual([
      'stackName',
    ]);
  });

  it('lists no names as nothing', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['A', 'B'])).toBe('A and B');
  });
});
