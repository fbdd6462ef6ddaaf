// infra/template.yaml against the ASL file, the CLI's names and the embedded backend's tables.
// No AWS account needed: the template is parsed and its intrinsic functions evaluated for a
// pretend deployment (test/helpers/template.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allStates,
  definitionVariables,
  lotteryDefinition,
  substitute,
  taskStates,
} from '../../../src/core/definition';
import * as z from 'zod/mini';
import { prizeSchema, winnersCountSchema } from '../../../src/core/draw';
import { BEACON_ENV, DRAND_RELAYS } from '../../../src/aws/beacon-relays';
import {
  DEFINITION_VARIABLES,
  DRAWS_TABLE,
  EMPLOYEE_TABLE,
  FUNCTIONS,
  LAMBDA_ENV,
  SERIAL_INDEX,
  STACK_OUTPUTS,
  STATE_MACHINE_NAME,
  TOPIC_NAME,
  WINNERS_TABLE,
} from '../../../src/core/names';
import { tableDefinitions } from '../../../src/local/tables';
import {
  ASL_PATH,
  CHINA_DEPLOYMENT,
  DEFAULT_DEPLOYMENT,
  INFRA_DIR,
  ROOT,
  ResolvedTemplate,
  TEMPLATE_PATH,
  loadTemplate,
  target,
  type Deployment,
  type Json,
  type JsonObject,
} from '../../helpers/template';
import { renderVtl } from './vtl';

// asl-validator 4 is CommonJS without types: module.exports = validator(definition, options?).
interface AslValidation {
  isValid: boolean;
  errors: { message?: string }[];
  errorsText(separator?: string): string;
}
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => AslValidation;

const template = loadTemplate();
const resolved = new ResolvedTemplate(template);
const aslText = readFileSync(ASL_PATH, 'utf8');
const aslJson = JSON.parse(aslText) as unknown;

const STATE_MACHINE_TYPES = ['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine'];
const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'];

function only<T>(items: T[], what: string): T {
  expect(items, `exactly one ${what}`).toHaveLength(1);
  return items[0] as T;
}

function stateMachineId(): string {
  return only(
    Object.keys(template.Resources).filter((id) =>
      STATE_MACHINE_TYPES.includes(template.Resources[id]?.Type ?? ''),
    ),
    'state machine',
  );
}

function functionIds(): string[] {
  return Object.keys(template.Resources).filter((id) =>
    FUNCTION_TYPES.includes(template.Resources[id]?.Type ?? ''),
  );
}

function tableIdNamed(deployment: ResolvedTemplate, name: string): string {
  return only(
    deployment
      .ofType('AWS::DynamoDB::Table')
      .flatMap(([id, table]) => (table.Properties?.TableName === name ? [id] : [])),
    `table named ${name}`,
  );
}

/** DefinitionSubstitutions as written (intrinsics unevaluated) and as deployed. */
function substitutions(deployment: Deployment = DEFAULT_DEPLOYMENT) {
  const id = stateMachineId();
  const written = template.Resources[id]?.Properties?.DefinitionSubstitutions as JsonObject;
  const values = new ResolvedTemplate(template, deployment).properties(id)
    .DefinitionSubstitutions as Record<string, string>;
  return { written, values };
}

/** A field of the draw request as JSON Schema, as API Gateway's request model spells it. */
function fieldSchema(schema: z.ZodMiniType): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as JsonObject;
  return rest;
}

describe('the state machine: one ASL file for CloudFormation and the embedded backend', () => {
  it("the template's DefinitionUri is infra/statemachine/lottery.asl.json, with no inline definition", () => {
    const properties = template.Resources[stateMachineId()]?.Properties ?? {};
    expect(properties.Definition).toBeUndefined();
    expect(properties.DefinitionString).toBeUndefined();
    const uri = properties.DefinitionUri ?? properties.DefinitionS3Location;
    expect(typeof uri, 'a local path that `aws cloudformation package` uploads').toBe('string');
    expect(resolve(INFRA_DIR, uri as string)).toBe(ASL_PATH);
  });

  it("src/core/definition.ts's lotteryDefinition() is that file's JSON", () => {
    expect(lotteryDefinition()).toEqual(aslJson);
  });

  it('every ${…} placeholder of the ASL file is substituted by the template, and nothing else is', () => {
    const placeholders = definitionVariables(aslJson);
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(substitutions().written).sort()).toEqual(placeholders);
    expect([...DEFINITION_VARIABLES].sort()).toEqual(placeholders);
  });

  it('each function variable is the ARN of the function FUNCTIONS in names.ts names', () => {
    const { written, values } = substitutions();
    for (const [variable, name] of Object.entries(FUNCTIONS)) {
      const pointsAt = target(written[variable]);
      expect(pointsAt?.attribute, `${variable} is a GetAtt …Arn`).toBe('Arn');
      const resource = template.Resources[pointsAt?.id ?? ''];
      expect(FUNCTION_TYPES).toContain(resource?.Type);
      expect(resolved.properties(pointsAt?.id ?? '').FunctionName).toBe(name);
      expect(values[variable]).toBe(
        `arn:aws:lambda:${DEFAULT_DEPLOYMENT.region}:${DEFAULT_DEPLOYMENT.account}:function:${name}`,
      );
    }
  });

  it('the topic and the partition are filled from the topic resource and AWS::Partition', () => {
    const { written } = substitutions();
    const topic = target(written.NotificationTopicArn);
    expect(template.Resources[topic?.id ?? '']?.Type).toBe('AWS::SNS::Topic');
    expect(written.Partition).toEqual({ Ref: 'AWS::Partition' });
  });

  it.each([DEFAULT_DEPLOYMENT, CHINA_DEPLOYMENT])(
    'the substituted definition is valid ASL ($partition)',
    (deployment) => {
      const definition = substitute(aslJson, substitutions(deployment).values);
      const result = aslValidator(structuredClone(definition), {
        checkPaths: true,
        checkArn: true,
      });
      expect(result.errors, result.isValid ? '' : result.errorsText('\n')).toEqual([]);
      expect(result.isValid).toBe(true);
      // Every Task calls something in the deployment's partition: the six functions and SNS.
      for (const task of taskStates(definition as Parameters<typeof taskStates>[0])) {
        expect(
          task.resource.startsWith(`arn:${deployment.partition}:`),
          `${task.name}: ${task.resource}`,
        ).toBe(true);
      }
    },
  );

  it('is a STANDARD state machine named Lottery that logs to a log group with a retention period', () => {
    const id = stateMachineId();
    const properties = resolved.properties(id);
    expect(properties.Name).toBe(STATE_MACHINE_NAME);
    expect(properties.Type).toBe('STANDARD');
    const logging = template.Resources[id]?.Properties?.Logging as {
      Level: string;
      Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: Json } }[];
    };
    expect(logging.Level).toMatch(/^(ALL|ERROR|FATAL)$/);
    const group = target(
      only(logging.Destinations, 'log destination').CloudWatchLogsLogGroup.LogGroupArn,
    );
    expect(group?.attribute).toBe('Arn');
    expect(template.Resources[group?.id ?? '']?.Type).toBe('AWS::Logs::LogGroup');
    expect(Number(resolved.properties(group?.id ?? '').RetentionInDays)).toBeGreaterThan(0);
  });
});

describe('the template and the CLI agree on names', () => {
  it('has a resource-name prefix parameter whose default is empty', () => {
    expect(template.Parameters?.ResourcePrefix?.Default).toBe('');
  });

  it('names the tables, topic and state machine as src/core/names.ts does', () => {
    tableIdNamed(resolved, EMPLOYEE_TABLE);
    tableIdNamed(resolved, WINNERS_TABLE);
    expect(
      resolved.ofType('AWS::SNS::Topic').map(([, topic]) => topic.Properties?.TopicName),
    ).toEqual([TOPIC_NAME]);
    expect(resolved.properties(stateMachineId()).Name).toBe(STATE_MACHINE_NAME);
  });

  it('prefixes every name when the prefix is given, so that stacks can share an account', () => {
    const prefixed = new ResolvedTemplate(template, {
      ...DEFAULT_DEPLOYMENT,
      parameters: { ResourcePrefix: 'test-' },
    });
    tableIdNamed(prefixed, `test-${EMPLOYEE_TABLE}`);
    tableIdNamed(prefixed, `test-${WINNERS_TABLE}`);
    expect(
      prefixed.ofType('AWS::SNS::Topic').map(([, topic]) => topic.Properties?.TopicName),
    ).toEqual([`test-${TOPIC_NAME}`]);
    expect(prefixed.properties(stateMachineId()).Name).toBe(`test-${STATE_MACHINE_NAME}`);
    expect(
      functionIds()
        .map((id) => prefixed.properties(id).FunctionName)
        .sort(),
    ).toEqual(
      Object.values(FUNCTIONS)
        .map((name) => `test-${name}`)
        .sort(),
    );
    expect(prefixed.outputs[STACK_OUTPUTS.employeeTable]).toBe(`test-${EMPLOYEE_TABLE}`);
  });

  it('declares the tables as the embedded backend creates them (src/local/tables.ts), index included', () => {
    const local = tableDefinitions({
      employees: EMPLOYEE_TABLE,
      winners: WINNERS_TABLE,
      draws: DRAWS_TABLE,
    });
    const byName = (list: { AttributeName?: string }[] | undefined) =>
      [...(list ?? [])].sort((a, b) =>
        String(a.AttributeName).localeCompare(String(b.AttributeName)),
      );
    for (const expected of local) {
      const table = resolved.properties(tableIdNamed(resolved, expected.TableName as string));
      expect(table.BillingMode).toBe(expected.BillingMode);
      expect(byName(table.AttributeDefinitions as never)).toEqual(
        byName(expected.AttributeDefinitions),
      );
      expect(table.KeySchema).toEqual(expected.KeySchema);
      const indexes = (table.GlobalSecondaryIndexes ?? []) as JsonObject[];
      expect(
        indexes.map(({ IndexName, KeySchema, Projection }) => ({
          IndexName,
          KeySchema,
          Projection,
        })),
      ).toEqual(expected.GlobalSecondaryIndexes ?? []);
    }
    const employees = resolved.properties(tableIdNamed(resolved, EMPLOYEE_TABLE));
    expect(
      (employees.GlobalSecondaryIndexes as JsonObject[]).map((index) => index.IndexName),
    ).toEqual([SERIAL_INDEX]);
    expect(employees.AttributeDefinitions).toContainEqual({
      AttributeName: 'lottery_serial',
      AttributeType: 'N',
    });
  });

  it('keeps the tables on demand, with point-in-time recovery and encryption', () => {
    for (const [, table] of resolved.ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties?.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect((table.Properties?.SSESpecification as JsonObject | undefined)?.SSEEnabled).toBe(true);
    }
  });

  it('gives every function the environment variables the handlers read (LAMBDA_ENV), set to the tables', () => {
    const expected = {
      [LAMBDA_ENV.employeeTable]: EMPLOYEE_TABLE,
      [LAMBDA_ENV.winnersTable]: WINNERS_TABLE,
      [LAMBDA_ENV.drawsTable]: DRAWS_TABLE,
    };
    // The beacon functions also read their settings (BEACON_ENV in src/aws/beacon-relays.ts), from
    // the template's parameters.
    const beacon: Record<string, JsonObject> = {
      [FUNCTIONS.CommitDrawFunctionArn]: {
        [BEACON_ENV.chain]: 'quicknet',
        [BEACON_ENV.margin]: '10',
      },
      [FUNCTIONS.FetchBeaconRoundFunctionArn]: { [BEACON_ENV.relays]: DRAND_RELAYS.join(',') },
    };
    for (const id of functionIds()) {
      const environment = resolved.properties(id).Environment as JsonObject;
      expect(environment.Variables, id).toEqual({
        ...expected,
        ...beacon[resolved.properties(id).FunctionName as string],
      });
    }
  });

  it('has exactly the outputs STACK_OUTPUTS names, with the values the CLI expects', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
    const { region, account } = DEFAULT_DEPLOYMENT;
    expect(resolved.outputs).toEqual({
      [STACK_OUTPUTS.stateMachineArn]: `arn:aws:states:${region}:${account}:stateMachine:${STATE_MACHINE_NAME}`,
      [STACK_OUTPUTS.employeeTable]: EMPLOYEE_TABLE,
      [STACK_OUTPUTS.winnersTable]: WINNERS_TABLE,
      [STACK_OUTPUTS.drawsTable]: DRAWS_TABLE,
      [STACK_OUTPUTS.topicArn]: `arn:aws:sns:${region}:${account}:${TOPIC_NAME}`,
      [STACK_OUTPUTS.apiUrl]: expect.stringMatching(
        new RegExp(`^https://\\w+\\.execute-api\\.${region}\\.amazonaws\\.com/\\w+$`),
      ),
    });
    // The CLI checks --state-machine-arn with this pattern (src/core/config.ts).
    expect(resolved.outputs[STACK_OUTPUTS.stateMachineArn]).toMatch(
      /^arn:[^:]+:states:[^:]*:\d*:stateMachine:[^:]+$/,
    );
    const china = new ResolvedTemplate(template, CHINA_DEPLOYMENT);
    expect(china.outputs[STACK_OUTPUTS.apiUrl]).toMatch(/\.amazonaws\.com\.cn\//);
  });
});

describe('the Lambda functions', () => {
  it('are the eight of FUNCTIONS, built by npm run build into dist/lambdas/<name>, on nodejs22.x', () => {
    const names = functionIds().map((id) => resolved.properties(id).FunctionName as string);
    expect(names.sort()).toEqual(Object.values(FUNCTIONS).sort());
    for (const id of functionIds()) {
      const properties = resolved.properties(id);
      expect(properties.Runtime, id).toBe('nodejs22.x');
      expect(properties.Handler, id).toBe('index.handler');
      const codeUri = properties.CodeUri ?? properties.Code;
      expect(
        typeof codeUri,
        `${id}: a local directory that \`aws cloudformation package\` uploads`,
      ).toBe('string');
      expect(resolve(INFRA_DIR, codeUri as string), id).toBe(
        resolve(ROOT, 'dist', 'lambdas', properties.FunctionName as string),
      );
    }
  });

  it('each log to a log group of their own that has a retention period', () => {
    for (const id of functionIds()) {
      const written = template.Resources[id]?.Properties?.LoggingConfig as JsonObject | undefined;
      const group = target(written?.LogGroup);
      expect(template.Resources[group?.id ?? '']?.Type, id).toBe('AWS::Logs::LogGroup');
      const properties = resolved.properties(group?.id ?? '');
      expect(properties.LogGroupName).toBe(
        `/aws/lambda/${resolved.properties(id).FunctionName as string}`,
      );
      expect(Number(properties.RetentionInDays)).toBeGreaterThan(0);
    }
    for (const [id, group] of resolved.ofType('AWS::Logs::LogGroup'))
      expect(Number(group.Properties?.RetentionInDays), id).toBeGreaterThan(0);
  });

  it('time out before their Task state does', () => {
    const { written } = substitutions();
    const stateTimeouts = new Map(
      allStates(lotteryDefinition()).flatMap(([, state]) => {
        const { Resource, TimeoutSeconds } = state as {
          Resource?: string;
          TimeoutSeconds?: number;
        };
        return Resource && TimeoutSeconds ? [[Resource, TimeoutSeconds] as const] : [];
      }),
    );
    for (const variable of Object.keys(FUNCTIONS)) {
      const stateTimeout = stateTimeouts.get(`\${${variable}}`);
      expect(stateTimeout, `the Task calling \${${variable}} has a TimeoutSeconds`).toBeDefined();
      const lambdaTimeout = Number(
        resolved.properties(target(written[variable])?.id ?? '').Timeout,
      );
      expect(lambdaTimeout, variable).toBeLessThan(stateTimeout as number);
    }
  });
});

describe('what a deleted stack leaves (docs/aws.md, "Tearing down")', () => {
  it('keeps every table, and its data, when the stack is deleted or a change would replace it; nothing else', () => {
    const tables = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::DynamoDB::Table',
    );
    expect(tables.map(([id]) => id).sort()).toEqual([
      'DrawsTable',
      'EmployeeTable',
      'WinnersTable',
    ]);
    for (const [id, table] of tables) {
      // Except when the stack's first creation fails: then a retained table would stand in the way
      // of the next deploy.
      expect(table.DeletionPolicy, id).toBe('RetainExceptOnCreate');
      expect(table.UpdateReplacePolicy, id).toBe('Retain');
    }
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::DynamoDB::Table')
        expect([undefined, 'Delete'], id).toContain(resource.DeletionPolicy);
    }
  });
});

describe('the SNS topic', () => {
  it('is encrypted, and has an e-mail subscription only when an address is given', () => {
    const [, topic] = only(resolved.ofType('AWS::SNS::Topic'), 'topic');
    expect(topic.Properties?.KmsMasterKeyId).toBeTruthy();
    expect(resolved.ofType('AWS::SNS::Subscription')).toEqual([]);
    const withEmail = new ResolvedTemplate(template, {
      ...DEFAULT_DEPLOYMENT,
      parameters: { NotificationEmail: 'draws@example.com' },
    });
    const [, subscription] = only(withEmail.ofType('AWS::SNS::Subscription'), 'subscription');
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'draws@example.com',
      TopicArn: `arn:aws:sns:${DEFAULT_DEPLOYMENT.region}:${DEFAULT_DEPLOYMENT.account}:${TOPIC_NAME}`,
    });
  });
});

describe('the template is partition-aware', () => {
  it('writes no ARN with a fixed partition', () => {
    expect(readFileSync(TEMPLATE_PATH, 'utf8')).not.toMatch(/arn:aws[-a-z]*:/);
  });

  it('deployed in aws-cn, every ARN it produces is an aws-cn ARN', () => {
    const china = new ResolvedTemplate(template, CHINA_DEPLOYMENT);
    const arns = JSON.stringify([china.resources, china.outputs]).match(/arn:[a-z-]+:/g) ?? [];
    expect(arns.length).toBeGreaterThan(10);
    expect(new Set(arns)).toEqual(new Set(['arn:aws-cn:']));
  });
});

// ---------------------------------------------------------------- the API

interface Operation {
  security?: Record<string, unknown>[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  'x-amazon-apigateway-integration'?: {
    type: string;
    httpMethod: string;
    uri: string;
    credentials: string;
    requestTemplates?: Record<string, string>;
    responses?: Record<string, { statusCode: string }>;
  };
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, Record<string, unknown>>;
    schemas: Record<string, JsonObject>;
  };
  'x-amazon-apigateway-request-validator'?: string;
  'x-amazon-apigateway-request-validators'?: Record<string, { validateRequestBody?: boolean }>;
}

describe('the API: POST /draws starts a draw, GET /draws/{name} reads it, IAM only', () => {
  const [, api] = only(resolved.ofType('AWS::Serverless::Api'), 'API');
  const body = api.Properties?.DefinitionBody as unknown as OpenApi;
  const machineArn = `arn:aws:states:${DEFAULT_DEPLOYMENT.region}:${DEFAULT_DEPLOYMENT.account}:stateMachine:${STATE_MACHINE_NAME}`;
  const integration = (path: string, method: string) => {
    const found = body.paths[path]?.[method]?.['x-amazon-apigateway-integration'];
    if (!found) throw new Error(`no integration for ${method.toUpperCase()} ${path}`);
    return found;
  };

  it('has exactly these two routes, each with IAM (SigV4) authorisation', () => {
    expect(
      Object.entries(body.paths)
        .flatMap(([path, methods]) =>
          Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
        )
        .sort(),
    ).toEqual(['GET /draws/{name}', 'POST /draws']);
    for (const methods of Object.values(body.paths)) {
      for (const operation of Object.values(methods)) {
        const schemes = (operation.security ?? []).flatMap((requirement) =>
          Object.keys(requirement),
        );
        expect(schemes.length).toBeGreaterThan(0);
        for (const scheme of schemes)
          expect(body.components.securitySchemes[scheme]?.['x-amazon-apigateway-authtype']).toBe(
            'awsSigv4',
          );
      }
    }
    // No Auth block that could add or replace authorisers behind the OpenAPI body's back.
    expect(api.Properties?.Auth).toBeUndefined();
  });

  it('calls Step Functions directly (AWS service integration) with a role of its own', () => {
    const { region, account } = DEFAULT_DEPLOYMENT;
    const start = integration('/draws', 'post');
    const read = integration('/draws/{name}', 'get');
    expect(start).toMatchObject({
      type: 'aws',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${region}:states:action/StartExecution`,
    });
    expect(read).toMatchObject({
      type: 'aws',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${region}:states:action/DescribeExecution`,
    });
    const [roleId] = only(
      resolved
        .ofType('AWS::IAM::Role')
        .filter(
          ([id]) =>
            start.credentials ===
            `arn:aws:iam::${account}:role/${DEFAULT_DEPLOYMENT.stackName}-${id}-GENERATED`,
        ),
      'API role',
    );
    expect(read.credentials).toBe(start.credentials);
    const trust = resolved.properties(roleId).AssumeRolePolicyDocument as {
      Statement: { Principal: { Service: string } }[];
    };
    expect(trust.Statement.map((statement) => statement.Principal.Service)).toEqual([
      'apigateway.amazonaws.com',
    ]);
  });

  it('validates the POST body with the draw request schema the CLI and the first Task parse with (src/core/draw.ts)', () => {
    expect(
      body['x-amazon-apigateway-request-validators']?.[
        body['x-amazon-apigateway-request-validator'] ?? ''
      ]?.validateRequestBody,
    ).toBe(true);
    const ref =
      body.paths['/draws']?.post?.requestBody?.content?.['application/json']?.schema?.$ref ?? '';
    const schema = body.components.schemas[ref.replace('#/components/schemas/', '')] as JsonObject;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['input'],
      additionalProperties: false,
      properties: {
        input: fieldSchema(winnersCountSchema),
        prize: fieldSchema(prizeSchema),
        beacon: { type: 'boolean' },
      },
    });
  });

  it('starts an execution of Lottery whose input is {"input": N} plus the optional prize', () => {
    const render = (request: Record<string, unknown>) => {
      const text = renderVtl(
        integration('/draws', 'post').requestTemplates?.['application/json'] ?? '',
        { body: request },
      );
      return JSON.parse(text) as { stateMachineArn: string; name?: string; input: string };
    };
    const plain = render({ input: 3 });
    expect(plain).toEqual({ stateMachineArn: machineArn, input: expect.any(String) });
    expect(JSON.parse(plain.input)).toEqual({ input: 3 });

    const prize = 'O\'Brien\'s "golden" cup / 一等奖 🎉\\';
    const full = render({ input: 2, prize, name: 'party-2024_1' });
    expect(full).toEqual({
      stateMachineArn: machineArn,
      name: 'party-2024_1',
      input: expect.any(String),
    });
    expect(JSON.parse(full.input)).toEqual({ input: 2, prize });

    // A beacon draw over HTTPS: the flag goes through as the CLI's --beacon sends it.
    expect(JSON.parse(render({ input: 1, prize: 'Bike', beacon: true }).input)).toEqual({
      input: 1,
      prize: 'Bike',
      beacon: true,
    });
    expect(JSON.parse(render({ input: 1, beacon: false }).input)).toEqual({ input: 1 });
  });

  it('describes the execution of Lottery named in the path', () => {
    const { region, account } = DEFAULT_DEPLOYMENT;
    const text = renderVtl(
      integration('/draws/{name}', 'get').requestTemplates?.['application/json'] ?? '',
      { body: {}, params: { name: 'party-1' } },
    );
    expect(JSON.parse(text)).toEqual({
      executionArn: `arn:aws:states:${region}:${account}:execution:${STATE_MACHINE_NAME}:party-1`,
    });
  });

  it("maps Step Functions' errors to error responses instead of a 200", () => {
    for (const [path, method] of [
      ['/draws', 'post'],
      ['/draws/{name}', 'get'],
    ] as const) {
      const responses = integration(path, method).responses ?? {};
      expect(responses.default?.statusCode).toBe('200');
      expect(responses['4\\d{2}']?.statusCode).toMatch(/^4/);
      expect(responses['5\\d{2}']?.statusCode).toMatch(/^5/);
    }
  });
});
