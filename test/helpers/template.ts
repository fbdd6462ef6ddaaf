// Reads infra/template.yaml for the infra tests (parsed as `lottery deploy` parses it), and
// a small evaluator of the intrinsic functions that stands in for a deployment (made-up account,
// region and physical ids), so that tests can compare names and ARNs rather than template syntax.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseTemplate,
  type Json,
  type JsonObject,
  type Resource,
  type Template,
} from '../../src/ops/template';

export { parseTemplate, type Json, type JsonObject, type Resource, type Template };

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const INFRA_DIR = join(ROOT, 'infra');
export const TEMPLATE_PATH = join(INFRA_DIR, 'template.yaml');
export const ASL_PATH = join(INFRA_DIR, 'statemachine', 'lottery.asl.json');

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

// ---------------------------------------------------------------- a pretend deployment

export interface Deployment {
  partition: string;
  region: string;
  account: string;
  stackName: string;
  /** Parameter values; the others take their Default. */
  parameters: Record<string, string>;
}

export const DEFAULT_DEPLOYMENT: Deployment = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '123456789012',
  stackName: 'lottery',
  parameters: {},
};

export const CHINA_DEPLOYMENT: Deployment = {
  ...DEFAULT_DEPLOYMENT,
  partition: 'aws-cn',
  region: 'cn-northwest-1',
};

const NO_VALUE = Symbol('AWS::NoValue');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** SAM's Globals: maps merge, the resource's own values win. */
function mergeGlobals(globals: Json, own: Json): Json {
  if (!isObject(globals) || !isObject(own)) return own === undefined ? globals : own;
  const merged: JsonObject = { ...globals };
  for (const [key, value] of Object.entries(own))
    merged[key] = key in globals ? mergeGlobals(globals[key] as Json, value) : value;
  return merged;
}

const GLOBALS_SECTION: Record<string, string> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::StateMachine': 'StateMachine',
  'AWS::Serverless::SimpleTable': 'SimpleTable',
};

/**
 * The template as CloudFormation would see it for one deployment: parameters and conditions
 * decided, resources whose condition is false left out, SAM Globals merged into their resources,
 * and every intrinsic function evaluated to the string it would produce.
 */
export class ResolvedTemplate {
  readonly resources: Record<string, Resource> = {};
  readonly outputs: Record<string, Json> = {};
  private readonly conditions = new Map<string, boolean>();

  constructor(
    readonly template: Template,
    readonly deployment: Deployment = DEFAULT_DEPLOYMENT,
  ) {
    for (const name of Object.keys(template.Conditions ?? {}))
      this.conditions.set(name, this.condition(name));
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Condition && !this.conditions.get(resource.Condition)) continue;
      const section = GLOBALS_SECTION[resource.Type];
      const globals = section ? template.Globals?.[section] : undefined;
      const properties = globals
        ? mergeGlobals(globals, resource.Properties ?? {})
        : (resource.Properties ?? {});
      this.resources[id] = { ...resource, Properties: this.value(properties) as JsonObject };
    }
    for (const [name, output] of Object.entries(template.Outputs ?? {}))
      this.outputs[name] = this.value(output.Value);
  }

  parameter(name: string): string {
    const given = this.deployment.parameters[name];
    if (given !== undefined) return given;
    const declared = this.template.Parameters?.[name];
    if (!declared) throw new Error(`no parameter ${name}`);
    if (declared.Default === undefined)
      throw new Error(`parameter ${name} has no default: give it in the deployment`);
    return String(declared.Default);
  }

  condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`no condition ${name}`);
    const value = this.value(definition);
    if (typeof value !== 'boolean') throw new Error(`condition ${name} is not a boolean`);
    return value;
  }

  /** A resource's properties after evaluation; throws if the resource is missing. */
  properties(id: string): JsonObject {
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id} in this deployment`);
    return resource.Properties ?? {};
  }

  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }

  private arn(
    service: string,
    resource: string,
    region = this.deployment.region,
    account = this.deployment.account,
  ) {
    return `arn:${this.deployment.partition}:${service}:${region}:${account}:${resource}`;
  }

  private pseudo(name: string): string | typeof NO_VALUE {
    const { partition, region, account, stackName } = this.deployment;
    switch (name) {
      case 'AWS::Partition':
        return partition;
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return account;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return this.arn(
          'cloudformation',
          `stack/${stackName}/00000000-0000-0000-0000-000000000000`,
        );
      case 'AWS::URLSuffix':
        return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new Error(`unknown pseudo parameter ${name}`);
    }
  }

  /** The name a resource gets: its name property, or a generated one like CloudFormation's. */
  private physicalName(id: string, property: string): string {
    const raw = this.template.Resources[id]?.Properties?.[property];
    return raw === undefined
      ? `${this.deployment.stackName}-${id}-GENERATED`
      : String(this.value(raw));
  }

  ref(id: string): string | typeof NO_VALUE {
    if (id.startsWith('AWS::')) return this.pseudo(id);
    if (this.template.Parameters?.[id]) return this.parameter(id);
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`Ref to unknown ${id}`);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return this.physicalName(id, 'TableName');
      case 'AWS::SNS::Topic':
        return this.arn('sns', this.physicalName(id, 'TopicName'));
      case 'AWS::Serverless::StateMachine':
      case 'AWS::StepFunctions::StateMachine':
        return this.getAtt(id, 'Arn');
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
        return this.physicalName(id, 'FunctionName');
      case 'AWS::Logs::LogGroup':
        return this.physicalName(id, 'LogGroupName');
      case 'AWS::IAM::Role':
        return this.physicalName(id, 'RoleName');
      case 'AWS::Serverless::Api':
      case 'AWS::ApiGateway::RestApi':
        return 'a1b2c3d4e5';
      case 'AWS::SNS::Subscription':
        return this.arn(
          'sns',
          `${this.physicalName(id, 'TopicName')}:00000000-0000-0000-0000-000000000000`,
        );
      default:
        throw new Error(
          `the test's evaluator does not know what Ref gives for ${resource.Type} (${id})`,
        );
    }
  }

  getAtt(id: string, attribute: string): string {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`GetAtt of unknown ${id}`);
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::Serverless::Function.Arn':
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${this.physicalName(id, 'FunctionName')}`);
      case 'AWS::DynamoDB::Table.Arn':
        return this.arn('dynamodb', `table/${this.physicalName(id, 'TableName')}`);
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${this.physicalName(id, 'LogGroupName')}:*`);
      case 'AWS::IAM::Role.Arn':
        return this.arn('iam', `role/${this.physicalName(id, 'RoleName')}`, '');
      case 'AWS::SNS::Topic.TopicArn':
        return this.arn('sns', this.physicalName(id, 'TopicName'));
      case 'AWS::Serverless::StateMachine.Name':
      case 'AWS::StepFunctions::StateMachine.Name':
        return this.physicalName(
          id,
          resource.Type === 'AWS::Serverless::StateMachine' ? 'Name' : 'StateMachineName',
        );
      case 'AWS::Serverless::StateMachine.Arn':
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.arn('states', `stateMachine:${this.getAtt(id, 'Name')}`);
      default:
        throw new Error(`the test's evaluator does not know GetAtt ${key} (${id})`);
    }
  }

  private sub(text: string, variables: JsonObject): string {
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in variables) return String(this.value(variables[name] as Json));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::'))
        return this.getAtt(name.slice(0, dot), name.slice(dot + 1));
      const value = this.ref(name);
      if (value === NO_VALUE) throw new Error('AWS::NoValue in Fn::Sub');
      return value;
    });
  }

  /** Evaluates every intrinsic function in a value. */
  value(node: Json): Json {
    const result = this.evaluate(node);
    if (result === NO_VALUE) throw new Error('AWS::NoValue where a value is needed');
    return result;
  }

  private evaluate(node: Json): Json | typeof NO_VALUE {
    if (Array.isArray(node))
      return node
        .map((item) => this.evaluate(item))
        .filter((item): item is Json => item !== NO_VALUE);
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    const [fn] = keys;
    if (
      keys.length === 1 &&
      fn !== undefined &&
      (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))
    ) {
      return this.intrinsic(fn, node[fn] as Json);
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const evaluated = this.evaluate(value);
      if (evaluated !== NO_VALUE) out[key] = evaluated;
    }
    return out;
  }

  private intrinsic(fn: string, arg: Json): Json | typeof NO_VALUE {
    const list = (expected: number) => {
      if (!Array.isArray(arg) || arg.length !== expected)
        throw new Error(`${fn} takes ${expected} arguments`);
      return arg;
    };
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return this.getAtt(String(id), String(attribute));
      }
      case 'Fn::Sub':
        return Array.isArray(arg)
          ? this.sub(String(arg[0]), (arg[1] as JsonObject | undefined) ?? {})
          : this.sub(String(arg), {});
      case 'Fn::Join': {
        const [separator, items] = list(2);
        return (this.value(items as Json) as Json[]).map(String).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, items] = list(2);
        return (this.value(items as Json) as Json[])[Number(this.value(index as Json))] ?? null;
      }
      case 'Fn::Split': {
        const [separator, text] = list(2);
        return String(this.value(text as Json)).split(String(separator));
      }
      case 'Fn::Equals': {
        const [a, b] = list(2);
        return String(this.value(a as Json)) === String(this.value(b as Json));
      }
      case 'Fn::Not':
        return !this.value(list(1)[0] as Json);
      case 'Fn::And':
        return (arg as Json[]).every((item) => this.value(item) === true);
      case 'Fn::Or':
        return (arg as Json[]).some((item) => this.value(item) === true);
      case 'Fn::If': {
        const [name, yes, no] = list(3);
        return this.evaluate((this.condition(String(name)) ? yes : no) as Json);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = list(3).map((item) => String(this.value(item)));
        const found = this.template.Mappings?.[map as string]?.[top as string]?.[second as string];
        if (found === undefined) throw new Error(`FindInMap ${map}/${top}/${second} finds nothing`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.value(arg))).toString('base64');
      default:
        throw new Error(`the test's evaluator does not know ${fn}`);
    }
  }
}

/** The logical id an intrinsic points at: `{Ref: X}` or `{"Fn::GetAtt": [X, attr]}` → X. */
export function target(node: Json | undefined): { id: string; attribute?: string } | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node.Ref === 'string') return { id: node.Ref };
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return { id: String(getAtt[0]), attribute: String(getAtt[1]) };
  return undefined;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
