import * as z from 'zod/mini';
import { DRAWS_TABLE, EMPLOYEE_TABLE, STACK_NAME, WINNERS_TABLE } from './names';
import { check } from './parse';

// Settings with the usual precedence: flags, then LOTTERY_* environment variables, then config
// files, then defaults. AWS's own settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL…, ~/.aws)
// are not copied here: whatever we leave unset, the SDK resolves itself, as the AWS CLI does.

export const TARGETS = ['local', 'aws'] as const;
export type Target = (typeof TARGETS)[number];

export interface ConfigLayer {
  /**
   * Where the values come from, as `config show` prints it: "--region", "LOTTERY_TARGET", a file
   * path, "default".
   */
  source: string;
  values: Partial<Record<ConfigKey, unknown>>;
  /** Per-key source names, when a layer's keys come from differently named places (flags, env). */
  sources?: Partial<Record<ConfigKey, string>>;
}

const needsText = { error: 'must be non-empty text' };
const text = z.string(needsText).check(z.trim(), z.minLength(1, needsText));
const needsUrl = { error: 'must be an http:// or https:// URL' };
const needsArn = {
  error: 'must be a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)',
};
const needsInterval = { error: 'must be a whole number of milliseconds from 10 to 60000' };
const needsRegion = {
  error: 'must be an AWS region name such as eu-west-1 (lower-case letters, digits and hyphens)',
};

/** CloudFormation's rule for stack names. */
export const STACK_NAME_RULE =
  'must start with a letter and hold only letters, digits and hyphens (at most 128)';
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
export const isStackName = (value: unknown): value is string =>
  typeof value === 'string' && STACK_NAME_PATTERN.test(value.trim());

/** DynamoDB's rule for table names. */
const TABLE_NAME_RULE = {
  error: 'must be a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or "."',
};
const tableName = z
  .string(TABLE_NAME_RULE)
  .check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, TABLE_NAME_RULE));

/**
 * The settings that name a table: no two may name the same one. A winners table set to the
 * employee table would count every employee as a winner, and `reset` would delete them all.
 */
const TABLE_KEYS = ['employeeTable', 'winnersTable', 'drawsTable'] as const;

interface Setting<T> {
  schema: z.ZodMiniType<T>;
  /** The LOTTERY_* environment variable that sets it. */
  env?: string;
  default?: NoInfer<T>;
  /** What decides the value when nothing sets it, as `config show` says. */
  unset?: string;
}

function setting<T>(spec: Setting<T> & { default: NoInfer<T> }): Setting<T> & { default: T };
function setting<T>(spec: Setting<T>): Setting<T>;
function setting<T>(spec: Setting<T>): Setting<T> {
  return spec;
}

/**
 * Every setting, declared once, in the order `config show` lists them: precedence, validation,
 * config files, `config show` and `doctor` all read this. A global flag sets a setting of the same
 * name (--endpoint-url sets endpointUrl); `home` defaults to the user's data directory.
 */
export const SETTINGS = {
  target: setting({
    schema: z.enum(TARGETS, { error: 'must be "local" or "aws"' }),
    env: 'LOTTERY_TARGET',
    default: 'local',
  }),
  region: setting({
    schema: z
      .string(needsRegion)
      .check(z.trim(), z.regex(/^[a-z]{2,}(?:-[a-z0-9]+)+$/, needsRegion)),
    unset: 'AWS SDK: AWS_REGION, then ~/.aws/config',
  }),
  profile: setting({ schema: text, unset: 'AWS SDK: AWS_PROFILE, then "default"' }),
  endpointUrl: setting({
    schema: z
      .string(needsUrl)
      .check(
        z.refine(
          (value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol),
          needsUrl,
        ),
      ),
    unset: "AWS SDK: AWS_ENDPOINT_URL…, then the service's own",
  }),
  stateMachineArn: setting({
    schema: z
      .string(needsArn)
      .check(z.regex(/^arn:[^:]+:states:[^:]*:\d*:stateMachine:[^:]+$/, needsArn)),
    env: 'LOTTERY_STATE_MACHINE_ARN',
    unset: 'found by its name, Lottery',
  }),
  employeeTable: setting({
    schema: tableName,
    env: 'LOTTERY_EMPLOYEE_TABLE',
    default: EMPLOYEE_TABLE,
  }),
  winnersTable: setting({
    schema: tableName,
    env: 'LOTTERY_WINNERS_TABLE',
    default: WINNERS_TABLE,
  }),
  drawsTable: setting({ schema: tableName, env: 'LOTTERY_DRAWS_TABLE', default: DRAWS_TABLE }),
  /** The CloudFormation stack `lottery deploy` makes, `destroy` deletes and `doctor` checks. */
  stackName: setting({
    schema: z
      .string({ error: STACK_NAME_RULE })
      .check(z.trim(), z.regex(STACK_NAME_PATTERN, { error: STACK_NAME_RULE })),
    env: 'LOTTERY_STACK_NAME',
    default: STACK_NAME,
  }),
  /** Longest pause between two polls of a running draw's history. */
  pollIntervalMs: setting({
    schema: z.pipe(
      z.transform((raw: unknown) =>
        typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw,
      ),
      z.int(needsInterval).check(z.minimum(10, needsInterval), z.maximum(60_000, needsInterval)),
    ),
    env: 'LOTTERY_POLL_INTERVAL_MS',
    default: 1000,
  }),
  /** The embedded backend's data directory. */
  home: setting({ schema: text, env: 'LOTTERY_HOME' }),
};

type Settings = typeof SETTINGS;
export type ConfigKey = keyof Settings;
type Value<K extends ConfigKey> = Settings[K] extends Setting<infer T> ? T : never;
type Defaulted =
  { [K in ConfigKey]: Settings[K] extends { default: unknown } ? K : never }[ConfigKey] | 'home';

export type LotteryConfig = { [K in Defaulted]: Value<K> } & {
  [K in Exclude<ConfigKey, Defaulted>]?: Value<K>;
};

export const CONFIG_KEYS = Object.keys(SETTINGS) as ConfigKey[];

export const isConfigKey = (name: string): name is ConfigKey => Object.hasOwn(SETTINGS, name);

export function envLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: ConfigLayer['values'] = {};
  const sources: ConfigLayer['sources'] = {};
  for (const key of CONFIG_KEYS) {
    const name = SETTINGS[key].env;
    const value = name === undefined ? undefined : env[name];
    if (name !== undefined && value !== undefined && value !== '') {
      values[key] = value;
      sources[key] = name;
    }
  }
  return { source: 'environment', values, sources };
}

export function defaultsLayer(home: string): ConfigLayer {
  const values: ConfigLayer['values'] = { home };
  for (const key of CONFIG_KEYS)
    if (SETTINGS[key].default !== undefined) values[key] = SETTINGS[key].default;
  return { source: 'default', values };
}

export interface ResolvedConfig {
  config: LotteryConfig;
  origins: Partial<Record<ConfigKey, string>>;
  errors: string[];
}

/** The first layer that sets a key wins. */
export function resolveConfig(layers: readonly ConfigLayer[]): ResolvedConfig {
  const config: Partial<Record<ConfigKey, unknown>> = {};
  const origins: ResolvedConfig['origins'] = {};
  const errors: string[] = [];
  for (const key of CONFIG_KEYS) {
    const layer = layers.find((candidate) => candidate.values[key] !== undefined);
    if (!layer) continue;
    const origin = layer.sources?.[key] ?? layer.source;
    const schema: z.ZodMiniType<unknown> = SETTINGS[key].schema;
    const parsed = check(schema, layer.values[key]);
    if (!parsed.ok)
      errors.push(`${origin}: ${key} ${parsed.error}, got ${JSON.stringify(layer.values[key])}`);
    else {
      config[key] = parsed.value;
      origins[key] = origin;
    }
  }
  errors.push(...sharedTables(config, origins));
  // Every key of LotteryConfig has been parsed by its own schema, and the defaults layer sets the
  // required ones.
  return { config: config as LotteryConfig, origins, errors };
}

/** Each pair of table settings that name the same table, said with where each value came from. */
function sharedTables(
  config: Partial<Record<ConfigKey, unknown>>,
  origins: ResolvedConfig['origins'],
): string[] {
  const errors: string[] = [];
  TABLE_KEYS.forEach((key, index) => {
    for (const other of TABLE_KEYS.slice(index + 1)) {
      if (config[key] === undefined || config[key] !== config[other]) continue;
      errors.push(
        `${key} (${origins[key]}) and ${other} (${origins[other]}) both name the table ${JSON.stringify(config[key])}: each must name a table of its own`,
      );
    }
  });
  return errors;
}
