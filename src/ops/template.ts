import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

// infra/template.yaml as data: read with CloudFormation's short-form tags, and turned into the
// template `lottery deploy` submits, whose code and state machine definition come from the package
// instead of local paths. Nothing here does I/O.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Resource {
  Type: string;
  Condition?: string;
  Properties?: JsonObject;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Template {
  Transform?: string | string[];
  Description?: string;
  Parameters?: Record<
    string,
    { Type: string; Default?: Json; AllowedPattern?: string; ConstraintDescription?: string }
  >;
  Conditions?: Record<string, Json>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
  Globals?: Record<string, JsonObject>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Description?: string }>;
}

const INTRINSICS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

/**
 * `!Ref X` → `{Ref: X}`, `!GetAtt A.B` → `{"Fn::GetAtt": [A, B]}`, `!Sub [...]` → `{"Fn::Sub":
 * [...]}`, …
 */
export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap(
  (name): (ScalarTag | CollectionTag)[] => [
    {
      tag: `!${name}`,
      resolve: (value: string) => {
        if (name !== 'GetAtt') return { [longName(name)]: value };
        const dot = value.indexOf('.');
        return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
      },
    },
    {
      tag: `!${name}`,
      collection: 'seq',
      resolve: (seq: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [longName(name)]: seq.toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map',
      resolve: (map: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [longName(name)]: map.toJSON() }),
    },
  ],
);

/**
 * A CloudFormation template in YAML (short-form tags allowed) or JSON, with intrinsics in their
 * long form.
 */
export function parseTemplate(text: string): Template {
  return parse(text, { customTags: CLOUDFORMATION_TAGS, prettyErrors: true }) as Template;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const FUNCTION_TYPE = 'AWS::Serverless::Function';
const STATE_MACHINE_TYPE = 'AWS::Serverless::StateMachine';

/** Where a function's zip is, in SAM's terms. */
export interface CodeLocation {
  Bucket: string;
  Key: string;
}

/**
 * The bundle directory a function's CodeUri names (`../dist/lambdas/Lottery-InputWinners` →
 * `Lottery-InputWinners`): the function's name in FUNCTIONS, before any prefix.
 */
export function bundleName(codeUri: Json | undefined): string | undefined {
  if (typeof codeUri !== 'string') return undefined;
  return codeUri.replace(/\/+$/, '').split('/').at(-1) || undefined;
}

/** Each function's bundle name, by logical id. */
export function templateFunctions(template: Template): Record<string, string> {
  const functions: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== FUNCTION_TYPE) continue;
    const name = bundleName(resource.Properties?.CodeUri);
    if (!name) throw new Error(`${id}: CodeUri is not a local directory`);
    functions[id] = name;
  }
  return functions;
}

/**
 * The template to submit: every function's code at its uploaded zip, and the state machine's
 * definition inline. Inline rather than in S3 because the template CloudFormation keeps then holds
 * the very definition that runs (`lottery doctor` compares it with the bundled one, a change set
 * lists a changed definition as a change), and the ${…} placeholders are still filled by
 * DefinitionSubstitutions, as with DefinitionUri.
 */
export function packageTemplate(
  template: Template,
  code: Readonly<Record<string, CodeLocation>>,
  definition: Json,
): Template {
  const functions = templateFunctions(template);
  const resources: Record<string, Resource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === FUNCTION_TYPE) {
      const location = code[functions[id] as string];
      if (!location) throw new Error(`no uploaded code for ${functions[id]} (${id})`);
      resources[id] = { ...resource, Properties: { ...properties, CodeUri: { ...location } } };
    } else if (resource.Type === STATE_MACHINE_TYPE && properties.DefinitionUri !== undefined) {
      const { DefinitionUri: _local, ...rest } = properties;
      resources[id] = { ...resource, Properties: { ...rest, Definition: definition } };
    } else {
      resources[id] = resource;
    }
  }
  return { ...template, Resources: resources };
}

/** What differs between the template a stack runs and the one the package would deploy. */
export interface TemplateDifferences {
  /** Logical ids of the functions whose code is not the bundled code. */
  code: string[];
  /** Logical ids of resources added, removed or changed other than in their code. */
  resources: string[];
  /** Whether anything outside Resources differs (parameters, outputs, conditions…). */
  other: boolean;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => key in b && sameJson(a[key], b[key]))
  );
}

/**
 * Compares two packaged templates. Code is compared by its key, which names the zip's content
 * (the bucket may differ: the same code in another bucket is the same code).
 */
export function compareTemplates(deployed: Template, bundled: Template): TemplateDifferences {
  const code: string[] = [];
  const resources: string[] = [];
  const ids = new Set([
    ...Object.keys(deployed.Resources ?? {}),
    ...Object.keys(bundled.Resources),
  ]);
  for (const id of ids) {
    const before = deployed.Resources?.[id];
    const after = bundled.Resources[id];
    if (!before || !after) {
      resources.push(id);
      continue;
    }
    if (after.Type === FUNCTION_TYPE) {
      const { CodeUri: beforeCode, ...beforeRest } = before.Properties ?? {};
      const { CodeUri: afterCode, ...afterRest } = after.Properties ?? {};
      const key = (location: Json | undefined) => (isObject(location) ? location.Key : location);
      if (!sameJson(key(beforeCode), key(afterCode))) code.push(id);
      if (!sameJson({ ...before, Properties: beforeRest }, { ...after, Properties: afterRest }))
        resources.push(id);
    } else if (!sameJson(before, after)) {
      resources.push(id);
    }
  }
  const { Resources: _deployedResources, ...deployedRest } = deployed;
  const { Resources: _bundledResources, ...bundledRest } = bundled;
  return {
    code: code.sort(),
    resources: resources.sort(),
    other: !sameJson(deployedRest, bundledRest),
  };
}
