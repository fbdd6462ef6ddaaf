import { DRAWS_TABLE, EMPLOYEE_TABLE, STACK_NAME, WINNERS_TABLE } from './names';

// Settings with the usual precedence: flags, then LOTTERY_* environment variables, then config
// files, then defaults. AWS's own settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL…, ~/.aws)
// are not copied here: whatever we leave unset, the SDK resolves itself, as the AWS CLI does.

export type Target = 'local' | 'aws';

export interface LotteryConfig {
  target: Target;
  /** The embedded backend's data directory. */
  home: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  stateMachineArn?: string;
  employeeTable: string;
  winnersTable: string;
  drawsTable: string;
  /** The CloudFormation stack `lottery deploy` makes, `destroy` deletes and `doctor` checks. */
  stackName: string;
  /** Longest pause between two polls of a running draw's history. */
  pollIntervalMs: number;
}

export type ConfigKey = keyof LotteryConfig;

export interface ConfigLayer {
  /** Where the values come from, as `config show` prints it: "--region", "LOTTERY_TARGET", a file path, "default". */
  source: string;
  values: Partial<Record<ConfigKey, unknown>>;
  /** Per-key source names, when a layer's keys come from differently named places (flags, env). */
  sources?: Partial<Record<ConfigKey, string>>;
}

export const ENV_KEYS: Record<string, ConfigKey> = {
  LOTTERY_TARGET: 'target',
  LOTTERY_HOME: 'home',
  LOTTERY_STATE_MACHINE_ARN: 'stateMachineArn',
  LOTTERY_EMPLOYEE_TABLE: 'employeeTable',
  LOTTERY_WINNERS_TABLE: 'winnersTable',
  LOTTERY_DRAWS_TABLE: 'drawsTable',
  LOTTERY_STACK_NAME: 'stackName',
  LOTTERY_POLL_INTERVAL_MS: 'pollIntervalMs',
};

export function envLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: ConfigLayer['values'] = {};
  const sources: ConfigLayer['sources'] = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      values[key] = value;
      sources[key] = name;
    }
  }
  return { source: 'environment', values, sources };
}

export function defaultsLayer(home: string): ConfigLayer {
  return {
    source: 'default',
    values: { target: 'local', home, employeeTable: EMPLOYEE_TABLE, winnersTable: WINNERS_TABLE, drawsTable: DRAWS_TABLE, stackName: STACK_NAME, pollIntervalMs: 1000 },
  };
}

/** CloudFormation's rule for stack names. */
export const STACK_NAME_RULE = 'must start with a letter and hold only letters, digits and hyphens (at most 128)';
export const isStackName = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value.trim());

type Parser = (value: unknown) => { value: unknown } | { error: string };

const text: Parser = (value) => (typeof value === 'string' && value.trim() !== '' ? { value: value.trim() } : { error: 'must be non-empty text' });

const PARSERS: Record<ConfigKey, Parser> = {
  target: (value) => (value === 'local' || value === 'aws' ? { value } : { error: 'must be "local" or "aws"' }),
  home: text,
  region: text,
  profile: text,
  endpointUrl: (value) => {
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      return { error: 'must be an http:// or https:// URL' };
    }
    return { value };
  },
  stateMachineArn: (value) =>
    typeof value === 'string' && /^arn:[^:]+:states:[^:]*:\d*:stateMachine:[^:]+$/.test(value) ? { value } : { error: 'must be a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)' },
  employeeTable: text,
  winnersTable: text,
  drawsTable: text,
  stackName: (value) => (isStackName(value) ? { value: value.trim() } : { error: STACK_NAME_RULE }),
  pollIntervalMs: (value) => {
    const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    return typeof number === 'number' && Number.isInteger(number) && number >= 10 && number <= 60_000 ? { value: number } : { error: 'must be a whole number of milliseconds from 10 to 60000' };
  },
};

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
  for (const key of Object.keys(PARSERS) as ConfigKey[]) {
    for (const layer of layers) {
      if (layer.values[key] === undefined) continue;
      const origin = layer.sources?.[key] ?? layer.source;
      const parsed = PARSERS[key](layer.values[key]);
      if ('error' in parsed) errors.push(`${origin}: ${key} ${parsed.error}, got ${JSON.stringify(layer.values[key])}`);
      else {
        config[key] = parsed.value;
        origins[key] = origin;
      }
      break;
    }
  }
  return { config: config as unknown as LotteryConfig, origins, errors };
}
