// Least privilege in infra/template.yaml: every role and policy is walked, and each role's
// permissions are compared with what its user actually calls.
import { describe, expect, it } from 'vitest';
import {
  DRAWS_TABLE,
  EMPLOYEE_TABLE,
  FUNCTIONS,
  SERIAL_INDEX,
  STATE_MACHINE_NAME,
  TOPIC_NAME,
  WINNERS_TABLE,
} from '../../../src/core/names';
import {
  DEFAULT_DEPLOYMENT,
  ResolvedTemplate,
  asArray,
  loadTemplate,
  target,
  type Json,
  type JsonObject,
} from '../../helpers/template';

const template = loadTemplate();
const resolved = new ResolvedTemplate(template);
const { partition, region, account, stackName } = DEFAULT_DEPLOYMENT;

const arn = (service: string, resource: string) =>
  `arn:${partition}:${service}:${region}:${account}:${resource}`;
const tableArn = (name: string) => arn('dynamodb', `table/${name}`);
const functionArn = (name: string) => arn('lambda', `function:${name}`);
const logGroupArn = (name: string) => arn('logs', `log-group:${name}:*`);
const TOPIC_ARN = arn('sns', TOPIC_NAME);
const STATE_MACHINE_ARN = arn('states', `stateMachine:${STATE_MACHINE_NAME}`);

/**
 * What Step Functions needs to deliver its logs to CloudWatch Logs. These actions do not support
 * resource-level permissions, so AWS documents them with Resource "*": the only "*" allowed.
 */
const LOGS_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * The AWS calls each handler makes, read from the code (keep in step with it):
 * - InputWinners (src/lambdas/input-winners.ts): none.
 * - ReservePrize (src/lambdas/reserve-prize.ts): changePrizePlan (GetCommand, PutCommand) in
 *   src/aws/prize-plan.ts → GetItem + PutItem on Draws; DescribeExecution of the executions that
 *   hold a prize's winners (deps.ts).
 * - RandomSelectWinners (src/lambdas/random-select-winners.ts): employeesBySerial and serialInUse
 *   (QueryCommand on the index), scanSerials (ScanCommand on the index), getEmployees
 *   (BatchGetCommand) in src/aws/employees-table.ts; scanClaims (ScanCommand) and, through
 *   removeLeftovers (src/aws/leftovers.ts), releaseRows (DeleteCommand) in
 *   src/aws/winners-table.ts and logRollback (PutCommand) in src/aws/draws-table.ts;
 *   getPoolStats (GetCommand) and putSelectionRecord (PutCommand) in
 *   src/aws/draws-table.ts, getCommitment (QueryCommand) for a beacon draw; and DescribeExecution
 *   of the state machine's executions (deps.ts).
 * - CommitDraw (src/lambdas/commit-draw.ts): Random Select Winners' candidates() (the same calls),
 *   getCommitment (QueryCommand) and putCommitment (PutCommand) in src/aws/draws-table.ts.
 * - FetchBeaconRound (src/lambdas/fetch-beacon-round.ts): none (HTTPS to drand's relays).
 * - ValidateWinners (src/lambdas/validate-winners.ts): claimWinner (PutCommand) and releaseClaims
 *   (DeleteCommand) in src/aws/winners-table.ts → PutItem + DeleteItem on Winners.
 * - RecordWinners (src/lambdas/record-winners.ts): commitWinner (UpdateCommand) → UpdateItem on
 *   Winners; DescribeExecution of its own execution, and if it was stopped, releaseRows
 *   (DeleteCommand) on Winners and logRollback (PutCommand) on Draws; getPrizePlan (GetCommand)
 *   on Draws, whether the draw still holds its places.
 * - ReleaseWinners (src/lambdas/release-winners.ts): releaseClaims (DeleteCommand) → DeleteItem on
 *   Winners; releasePrizeHold (GetCommand, PutCommand) in src/aws/prize-plan.ts → GetItem + PutItem
 *   on Draws.
 */
const AWS_CALLS: Record<string, string[]> = {
  [FUNCTIONS.InputWinnersFunctionArn]: [],
  [FUNCTIONS.ReservePrizeFunctionArn]: [
    `dynamodb:GetItem ${tableArn(DRAWS_TABLE)}`,
    `dynamodb:PutItem ${tableArn(DRAWS_TABLE)}`,
    `states:DescribeExecution ${arn('states', `execution:${STATE_MACHINE_NAME}:*`)}`,
  ],
  [FUNCTIONS.RandomSelectWinnersFunctionArn]: [
    `dynamodb:Query ${tableArn(EMPLOYEE_TABLE)}/index/${SERIAL_INDEX}`,
    `dynamodb:Scan ${tableArn(EMPLOYEE_TABLE)}/index/${SERIAL_INDEX}`,
    `dynamodb:BatchGetItem ${tableArn(EMPLOYEE_TABLE)}`,
    `dynamodb:Scan ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:DeleteItem ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:GetItem ${tableArn(DRAWS_TABLE)}`,
    `dynamodb:Query ${tableArn(DRAWS_TABLE)}`,
    `dynamodb:PutItem ${tableArn(DRAWS_TABLE)}`,
    `states:DescribeExecution ${arn('states', `execution:${STATE_MACHINE_NAME}:*`)}`,
  ],
  [FUNCTIONS.ValidateWinnersFunctionArn]: [
    `dynamodb:PutItem ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:DeleteItem ${tableArn(WINNERS_TABLE)}`,
  ],
  [FUNCTIONS.RecordWinnersFunctionArn]: [
    `dynamodb:UpdateItem ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:DeleteItem ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:GetItem ${tableArn(DRAWS_TABLE)}`,
    `dynamodb:PutItem ${tableArn(DRAWS_TABLE)}`,
    `states:DescribeExecution ${arn('states', `execution:${STATE_MACHINE_NAME}:*`)}`,
  ],
  [FUNCTIONS.ReleaseWinnersFunctionArn]: [
    `dynamodb:DeleteItem ${tableArn(WINNERS_TABLE)}`,
    `dynamodb:GetItem ${tableArn(DRAWS_TABLE)}`,
    `dynamodb:PutItem ${tableArn(DRAWS_TABLE)}`,
  ],
  [FUNCTIONS.FetchBeaconRoundFunctionArn]: [],
};
// Commit Draw works out the pool with Random Select Winners' code, and writes and reads its
// commitment with the same calls.
AWS_CALLS[FUNCTIONS.CommitDrawFunctionArn] = AWS_CALLS[
  FUNCTIONS.RandomSelectWinnersFunctionArn
] as string[];

interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Principal?: JsonObject;
  Condition?: JsonObject;
}

interface PolicyDocument {
  Statement: Statement | Statement[];
}

/** Every policy document in the template, with where it is. */
function policyDocuments(): { where: string; role?: string; document: PolicyDocument }[] {
  const found: { where: string; role?: string; document: PolicyDocument }[] = [];
  for (const [id, resource] of Object.entries(resolved.resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asArray(properties.Policies as JsonObject[])) {
        found.push({
          where: `${id}/${String(policy.PolicyName)}`,
          role: id,
          document: policy.PolicyDocument as unknown as PolicyDocument,
        });
      }
    } else if (
      resource.Type === 'AWS::IAM::Policy' ||
      resource.Type === 'AWS::IAM::ManagedPolicy'
    ) {
      const roles = asArray(template.Resources[id]?.Properties?.Roles as Json[]).map(
        (role) => target(role)?.id,
      );
      for (const role of roles.length > 0 ? roles : [undefined]) {
        found.push({
          where: id,
          role,
          document: properties.PolicyDocument as unknown as PolicyDocument,
        });
      }
    }
  }
  return found;
}

const statementsOf = (document: PolicyDocument) => asArray(document.Statement);

/** "action resource" pairs a role allows. */
function permissions(role: string): string[] {
  return policyDocuments()
    .filter((policy) => policy.role === role)
    .flatMap(({ document }) => statementsOf(document))
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      asArray(statement.Action).flatMap((action) =>
        asArray(statement.Resource).map((resource) => `${action} ${resource}`),
      ),
    )
    .sort();
}

/** The role a resource runs as, by logical id (an explicit Role: !GetAtt X.Arn). */
function roleOf(id: string): string {
  const written = template.Resources[id]?.Properties ?? {};
  const role = target(written.Role ?? written.RoleArn);
  expect(role?.attribute, `${id} names its role with GetAtt …Arn`).toBe('Arn');
  expect(template.Resources[role?.id ?? '']?.Type, `${id}'s role`).toBe('AWS::IAM::Role');
  return role?.id as string;
}

function trustedServices(role: string): string[] {
  const document = resolved.properties(role).AssumeRolePolicyDocument as unknown as PolicyDocument;
  return statementsOf(document).flatMap((statement) =>
    asArray((statement.Principal?.Service ?? []) as string | string[]),
  );
}

const logsDelivery = LOGS_DELIVERY_ACTIONS.map((action) => `${action} *`);
const byType = (...types: string[]) =>
  Object.entries(template.Resources).filter(([, resource]) => types.includes(resource.Type));

describe('IAM in infra/template.yaml follows least privilege', () => {
  it('finds the roles it checks (one per function, the state machine and the API)', () => {
    expect(byType('AWS::IAM::Role')).toHaveLength(Object.keys(FUNCTIONS).length + 2);
    expect(policyDocuments().length).toBeGreaterThanOrEqual(Object.keys(FUNCTIONS).length + 2);
  });

  it('uses no managed policies and no SAM policy templates: every permission is an explicit statement', () => {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const properties = resource.Properties ?? {};
      expect(properties.ManagedPolicyArns, id).toBeUndefined();
      for (const arn of asArray(properties.ManagedPolicyArns as Json[]))
        expect(JSON.stringify(arn)).not.toMatch(/FullAccess/i);
      if (resource.Type.startsWith('AWS::Serverless::')) {
        expect(properties.Policies, `${id}: SAM would make a role with these`).toBeUndefined();
      }
    }
    expect(JSON.stringify(template)).not.toMatch(/FullAccess/i);
  });

  it('has no wildcard actions, no NotAction/NotResource, no Deny tricks, and "*" resources only for logs delivery', () => {
    for (const { where, document } of policyDocuments()) {
      for (const statement of statementsOf(document)) {
        const label = `${where} ${statement.Sid ?? ''}`;
        expect(statement.Effect, label).toBe('Allow');
        expect(statement.NotAction, label).toBeUndefined();
        expect(statement.NotResource, label).toBeUndefined();
        const actions = asArray(statement.Action);
        expect(actions.length, label).toBeGreaterThan(0);
        for (const action of actions) {
          expect(action, label).not.toBe('*');
          expect(action, label).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        }
        const resources = asArray(statement.Resource);
        expect(resources.length, label).toBeGreaterThan(0);
        if (resources.includes('*')) {
          expect(resources, `${label}: "*" only on its own`).toEqual(['*']);
          expect(
            [...actions].sort(),
            `${label}: only the logs delivery actions may use Resource "*"`,
          ).toEqual([...LOGS_DELIVERY_ACTIONS].sort());
        }
        for (const resource of resources) {
          if (resource !== '*')
            expect(resource, label).toMatch(
              new RegExp(`^arn:${partition}:[a-z0-9-]+:[^:]*:${account}:`),
            );
        }
      }
    }
  });

  describe.each(Object.entries(FUNCTIONS))('%s', (_variable, name) => {
    const id = Object.keys(resolved.resources).find(
      (key) =>
        resolved.resources[key]?.Type === 'AWS::Serverless::Function' &&
        resolved.properties(key).FunctionName === name,
    );

    it(`runs as a role of its own that allows exactly its AWS calls and writing its logs`, () => {
      expect(id, `a function named ${name}`).toBeDefined();
      const role = roleOf(id as string);
      const others = Object.values(FUNCTIONS)
        .filter((other) => other !== name)
        .map(
          (other) =>
            Object.keys(resolved.resources).find(
              (key) => resolved.properties(key).FunctionName === other,
            ) as string,
        );
      expect(others.map(roleOf), 'no other function shares the role').not.toContain(role);
      expect(trustedServices(role)).toEqual(['lambda.amazonaws.com']);
      const ownLogs = logGroupArn(`/aws/lambda/${name}`);
      expect(permissions(role)).toEqual(
        [
          ...AWS_CALLS[name]!,
          `logs:CreateLogStream ${ownLogs}`,
          `logs:PutLogEvents ${ownLogs}`,
        ].sort(),
      );
    });
  });

  it('lets the state machine invoke only its six functions, publish only on the topic, and deliver its logs', () => {
    const machines = byType('AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(1);
    const role = roleOf(machines[0]?.[0] as string);
    expect(trustedServices(role)).toEqual(['states.amazonaws.com']);
    expect(permissions(role)).toEqual(
      [
        ...Object.values(FUNCTIONS).map((name) => `lambda:InvokeFunction ${functionArn(name)}`),
        `sns:Publish ${TOPIC_ARN}`,
        ...logsDelivery,
      ].sort(),
    );
  });

  it('lets the API only start executions of Lottery and describe them', () => {
    const roles = byType('AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => trustedServices(id).includes('apigateway.amazonaws.com'));
    expect(roles).toHaveLength(1);
    expect(permissions(roles[0] as string)).toEqual(
      [
        `states:DescribeExecution ${arn('states', `execution:${STATE_MACHINE_NAME}:*`)}`,
        `states:StartExecution ${STATE_MACHINE_ARN}`,
      ].sort(),
    );
    // The integrations use that role (checked in template.test.ts too).
    expect(JSON.stringify(resolved.resources)).toContain(
      `arn:${partition}:iam::${account}:role/${stackName}-${roles[0]}-GENERATED`,
    );
  });

  it('grants nothing to roles that no function, state machine or API uses', () => {
    const used = new Set<string>();
    for (const [id, resource] of byType(
      'AWS::Serverless::Function',
      'AWS::Lambda::Function',
      'AWS::Serverless::StateMachine',
      'AWS::StepFunctions::StateMachine',
    )) {
      used.add(roleOf(id));
      expect(resource).toBeDefined();
    }
    for (const [id] of byType('AWS::IAM::Role')) {
      if (trustedServices(id).includes('apigateway.amazonaws.com')) used.add(id);
      expect(used.has(id), `${id} is used`).toBe(true);
    }
  });
});
