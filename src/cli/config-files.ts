import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import {
  applyEdits,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  type ParseError,
} from 'jsonc-parser';
import { CONFIG_KEYS, isConfigKey, type ConfigLayer } from '../core/config';
import { LotteryError } from '../core/errors';
import { isObject } from '../core/parse';
import { readRegularFileSync, type FileRule } from '../aws/regular-file';
import { cannotRead } from './files';
import { oneOrMany } from '../core/plural';

export const PROJECT_CONFIG = 'lottery.config.json';

const CONFIG_FILE: FileRule = { what: 'a config file', maxBytes: 1_000_000 };

const readText = (path: string) =>
  readRegularFileSync(path, CONFIG_FILE)
    .toString('utf8')
    .replace(/^\uFEFF/, '');

/** The nearest lottery.config.json from the working directory up, as git finds .git. */
export function findProjectConfig(cwd: string): string | undefined {
  for (let directory = resolve(cwd); ; directory = dirname(directory)) {
    const candidate = join(directory, PROJECT_CONFIG);
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) return undefined;
  }
}

export function userConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.LOTTERY_CONFIG ?? join(envPaths('lottery', { suffix: '' }).config, 'config.json');
}

/** One config file as a layer; a `home` in it is relative to the file. */
export function readConfigFile(path: string): ConfigLayer {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    throw cannotRead(
      path,
      error,
      'a config file holds one JSON object, such as {"target": "aws", "region": "eu-west-1"}',
    );
  }
  const errors: ParseError[] = [];
  let tree: ReturnType<typeof parseTree>;
  let values: unknown;
  try {
    tree = parseTree(text, errors, { allowTrailingComma: true });
    values = tree ? getNodeValue(tree) : undefined;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new LotteryError('usage', `${path}: the config file is nested too deeply to be read`, {
      hint: 'it holds one JSON object of settings, such as {"target": "aws", "region": "eu-west-1"}',
      cause: error,
    });
  }
  if (errors.length > 0 || !isObject(values)) {
    const first = errors[0];
    const line = first ? text.slice(0, first.offset).split('\n').length : 1;
    const reason = first ? printParseErrorCode(first.error) : 'expected a JSON object';
    throw new LotteryError(
      'usage',
      `${path}:${line}: the config file is not valid JSON (${reason})`,
      { hint: 'it holds one JSON object, such as {"target": "aws", "region": "eu-west-1"}' },
    );
  }
  const unknown = Object.keys(values).filter((key) => !isConfigKey(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => `"${key}"`).join(', ');
    throw new LotteryError(
      'usage',
      `${path}: unknown ${oneOrMany(unknown.length, 'setting')} ${names}`,
      { hint: `the settings are ${CONFIG_KEYS.join(', ')}` },
    );
  }
  if (typeof values.home === 'string') values.home = resolve(dirname(path), values.home);
  return { source: path, values };
}

/**
 * The project file, then the user file: each only if it exists. A file named by LOTTERY_CONFIG
 * that does not exist is said out loud (a typo would otherwise drop every setting in it without a
 * word), but is no error: `lottery deploy` creates it.
 */
export function configFileLayers(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  warn: (message: string) => void,
): ConfigLayer[] {
  const project = findProjectConfig(cwd);
  const user = userConfigPath(env);
  if (env.LOTTERY_CONFIG !== undefined && !existsSync(user))
    warn(`LOTTERY_CONFIG names ${user}, which does not exist: no settings are read from it`);
  return [project, existsSync(user) ? user : undefined]
    .filter((path): path is string => path !== undefined)
    .map(readConfigFile);
}

/**
 * Sets and removes settings in a config file (the user's, for `lottery deploy` and `destroy`),
 * keeping every other setting and its comments. The file is written beside itself and renamed over
 * it, so that it is never seen half-written. Returns the keys whose value changed.
 */
export function updateConfigFile(
  path: string,
  set: Readonly<Record<string, string>>,
  remove: readonly string[] = [],
): string[] {
  const before = existsSync(path) ? readText(path) : '{}\n';
  const current = existsSync(path) ? (readConfigFile(path).values as Record<string, unknown>) : {};
  const changed = [
    ...Object.entries(set)
      .filter(([key, value]) => current[key] !== value)
      .map(([key]) => key),
    ...remove.filter((key) => key in current),
  ];
  if (changed.length === 0) return [];
  let text = before;
  const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  for (const [key, value] of Object.entries(set))
    text = applyEdits(text, modify(text, [key], value, formatting));
  for (const key of remove) text = applyEdits(text, modify(text, [key], undefined, formatting));
  mkdirSync(dirname(path), { recursive: true });
  const draft = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(draft, text.endsWith('\n') ? text : `${text}\n`);
    renameSync(draft, path);
  } finally {
    rmSync(draft, { force: true });
  }
  return changed;
}
