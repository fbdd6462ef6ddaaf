import type { ConfigKey } from '../core/config';
import { DRAWS_TABLE, EMPLOYEE_TABLE, STACK_OUTPUTS, WINNERS_TABLE } from '../core/names';
import { oneOrMany } from '../core/plural';
import { isBusy, isLotteryStack, type DeployPlan, type StackFacts } from './stack';
import type { Template, TemplateDifferences } from './template';

// The decisions of `lottery deploy` and `lottery destroy` that need no AWS: names, parameters,
// what changed, and what to save for later commands.

/** The stack's parameters deploy sets from flags (infra/template.yaml). */
export const STACK_PARAMETERS = {
  prefix: 'ResourcePrefix',
  notificationEmail: 'NotificationEmail',
} as const;

/**
 * The artefact bucket deploy creates when none is given: one per account and region, as
 * `sam deploy --resolve-s3` and `cdk bootstrap` make theirs. Bucket names are global, so the
 * account id is in it; deploy also checks that the bucket it finds is the account's own.
 */
export function artifactBucketName(account: string, region: string): string {
  return `lottery-artifacts-${account}-${region}`;
}

/** A function's zip, named by its content: new code is a new key, the same code the same key. */
export function codeKey(functionName: string, sha256: string): string {
  return `lottery/functions/${functionName}/${sha256}.zip`;
}

export interface ParameterValue {
  ParameterKey: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean;
}

/**
 * Parameters for a change set: those given, and for an update every other one the stack has keeps
 * its value (as `aws cloudformation deploy` does), so that a deploy without --prefix does not
 * rename everything.
 */
export function changeSetParameters(
  given: Readonly<Record<string, string | undefined>>,
  existing: StackFacts | undefined,
  declared: readonly string[],
): ParameterValue[] {
  return declared.flatMap((key): ParameterValue[] => {
    const value = given[key];
    if (value !== undefined) return [{ ParameterKey: key, ParameterValue: value }];
    if (existing && key in existing.parameters)
      return [{ ParameterKey: key, UsePreviousValue: true }];
    return [];
  });
}

/** Parameters given whose value is not the stack's. */
export function changedParameters(
  given: Readonly<Record<string, string | undefined>>,
  existing: StackFacts,
): string[] {
  return Object.entries(given)
    .filter(([key, value]) => value !== undefined && existing.parameters[key] !== value)
    .map(([key]) => key);
}

/** What deploy would change in a running stack, in words; empty when nothing. */
export function describeDifferences(
  differences: TemplateDifferences,
  functionNames: Readonly<Record<string, string>>,
  parameters: readonly string[],
): string[] {
  const lines: string[] = [];
  if (differences.code.length > 0)
    lines.push(`code of ${differences.code.map((id) => functionNames[id] ?? id).join(', ')}`);
  if (differences.resources.length > 0) lines.push(`resources ${differences.resources.join(', ')}`);
  if (differences.other)
    lines.push('the template outside its resources (parameters, outputs, conditions)');
  if (parameters.length > 0) lines.push(`parameters ${parameters.join(', ')}`);
  return lines;
}

/** The settings later commands need, from a deployed stack's outputs. */
export type SavedSettings = Partial<
  Record<
    | 'region'
    | 'profile'
    | 'stackName'
    | 'stateMachineArn'
    | 'employeeTable'
    | 'winnersTable'
    | 'drawsTable',
    string
  >
>;

export function settingsFromStack(
  stack: Pick<StackFacts, 'name' | 'outputs'>,
  region: string,
  profile: string | undefined,
): SavedSettings {
  const settings: SavedSettings = {
    region,
    stackName: stack.name,
    stateMachineArn: stack.outputs[STACK_OUTPUTS.stateMachineArn],
    employeeTable: stack.outputs[STACK_OUTPUTS.employeeTable],
    winnersTable: stack.outputs[STACK_OUTPUTS.winnersTable],
    drawsTable: stack.outputs[STACK_OUTPUTS.drawsTable],
  };
  if (profile) settings.profile = profile;
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as SavedSettings;
}

/**
 * Saved settings that will not take effect because a flag, a variable or a project file sets them
 * too: `origins` says where each setting in use comes from, `userFile` is the file deploy writes.
 */
export function shadowedSettings(
  saved: SavedSettings,
  inUse: Readonly<Partial<Record<ConfigKey, unknown>>>,
  origins: Readonly<Partial<Record<ConfigKey, string>>>,
  userFile: string,
): { key: string; origin: string; value: unknown }[] {
  return (Object.entries(saved) as [ConfigKey, string][]).flatMap(([key, value]) => {
    const origin = origins[key];
    if (!origin || origin === userFile || origin === 'default' || inUse[key] === value) return [];
    // A flag given to deploy itself (--region, --profile) names what was deployed: not a conflict.
    if (origin.startsWith('--')) return [];
    return [{ key, origin, value: inUse[key] }];
  });
}

/** After destroy: the saved settings that name what is gone. */
export function settingsToForget(
  saved: Readonly<Record<string, unknown>>,
  stack: Pick<StackFacts, 'name' | 'outputs'>,
  tablesDeleted: boolean,
): string[] {
  const gone: [string, string | undefined][] = [
    ['stackName', stack.name],
    ['stateMachineArn', stack.outputs[STACK_OUTPUTS.stateMachineArn]],
  ];
  if (tablesDeleted) {
    gone.push(
      ['employeeTable', stack.outputs[STACK_OUTPUTS.employeeTable]],
      ['winnersTable', stack.outputs[STACK_OUTPUTS.winnersTable]],
      ['drawsTable', stack.outputs[STACK_OUTPUTS.drawsTable]],
    );
  }
  return gone
    .filter(([key, value]) => value !== undefined && saved[key] === value)
    .map(([key]) => key);
}

/**
 * Values given for the template's parameters that it would refuse, in its own terms
 * (AllowedPattern).
 */
export function parameterProblems(
  template: Template,
  given: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, string>>,
): string[] {
  return Object.entries(given).flatMap(([key, value]) => {
    const pattern = template.Parameters?.[key]?.AllowedPattern;
    if (value === undefined || !pattern || new RegExp(pattern).test(value)) return [];
    const rule = template.Parameters?.[key]?.ConstraintDescription;
    return [
      `${flags[key] ?? key} ${JSON.stringify(value)} is not allowed${rule ? `: ${rule}` : ''}`,
    ];
  });
}

/** How to delete tables by hand, once no stack holds them. */
export function deleteTablesCommand(region: string, tables: readonly string[]): string {
  return tables
    .map((table) => `aws dynamodb delete-table --region ${region} --table-name ${table}`)
    .join(' && ');
}

/** The tables a new stack makes, with the ResourcePrefix it is given. */
export function stackTableNames(prefix: string): string[] {
  return [EMPLOYEE_TABLE, WINNERS_TABLE, DRAWS_TABLE].map((table) => `${prefix}${table}`);
}

/** What deploy has read before changing anything (src/aws/deploy.ts reads it). */
export interface DeployFindings {
  /** What the stack's state allows (planDeploy). */
  plan: DeployPlan;
  /** For an update: what it would change in the running stack, in words (describeDifferences). */
  differences?: string[];
  /** For a new stack: the tables of its names that exist already, outside any stack. */
  tablesInTheWay?: string[];
}

/** What deploy does, decided before anything is changed. */
export type DeployDecision =
  | { kind: 'refuse'; why: string; hint: string }
  /** The stack runs this version's template and functions already. */
  | { kind: 'unchanged' }
  | {
      kind: 'apply';
      operation: 'create' | 'update';
      /** A stack whose first creation failed: deleted first, then made again. */
      recreate: boolean;
      /** For an update: what changes, in words. */
      differences: string[];
    };

export function decideDeploy(findings: DeployFindings, region: string): DeployDecision {
  const { plan, differences = [], tablesInTheWay = [] } = findings;
  if (plan.kind === 'refuse') return plan;
  if (plan.kind === 'update')
    return differences.length === 0
      ? { kind: 'unchanged' }
      : { kind: 'apply', operation: 'update', recreate: false, differences };
  if (tablesInTheWay.length > 0) return tablesInTheWayRefusal(region, tablesInTheWay);
  return { kind: 'apply', operation: 'create', recreate: plan.kind === 'recreate', differences };
}

/** A new stack cannot create a table that exists: CloudFormation would fail half-way. */
function tablesInTheWayRefusal(region: string, tables: readonly string[]): DeployDecision {
  const n = tables.length;
  return {
    kind: 'refuse',
    why:
      `the ${oneOrMany(n, 'table')} ${listNames(tables)} already ${oneOrMany(n, 'exists', 'exist')} ` +
      'outside any stack (kept by an earlier `lottery destroy`, or made by hand): ' +
      `a new stack cannot create ${oneOrMany(n, 'it', 'them')}`,
    hint:
      'deploy with another --prefix, or delete them (their data first: ' +
      `\`lottery --target aws winners export --out winners.csv\`): ${deleteTablesCommand(region, tables)}`,
  };
}

/** The stack destroy may delete, or why it leaves it alone: none there, not deploy's, or busy. */
export function destroyable(
  stackName: string,
  stack: StackFacts | undefined,
  where: string,
):
  | { ok: true; stack: StackFacts }
  | { ok: false; kind: 'usage' | 'environment'; why: string; hint: string } {
  if (!stack)
    return {
      ok: false,
      kind: 'environment',
      why: `there is no stack ${stackName} ${where}`,
      hint: 'check --stack-name and --region (`lottery config show` shows the settings in use)',
    };
  if (!isLotteryStack(stack))
    return {
      ok: false,
      kind: 'usage',
      why: `stack ${stackName} was not made by \`lottery deploy\`: refusing to delete it`,
      hint: 'check --stack-name; delete other stacks with the CloudFormation console',
    };
  if (isBusy(stack.status))
    return {
      ok: false,
      kind: 'environment',
      why: `stack ${stackName} is busy: ${stack.status}`,
      hint:
        'wait until it is done (`lottery doctor` shows its status), ' +
        'then run `lottery destroy` again',
    };
  return { ok: true, stack };
}

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
