import { FileRefused } from '../core/errors';
import { stat } from 'node:fs/promises';
import { readRegularFile, refuse, type FileRule } from './regular-file';
import {
  DRAND_CHAINS,
  parseChainInfo,
  parseRound,
  verifyRound,
  type BeaconRound,
  type ChainInfo,
  type DrandChainName,
} from '../core/beacon';
import { LotteryError } from '../core/errors';

// Where a beacon draw's round comes from: drand's HTTP relays (`/{chain-hash}/public/{round}`),
// or a round file on the embedded backend. A source is never trusted: every round is verified
// against the chain's public key before it counts, so a relay can only fail to answer, not lie.

/** drand's public HTTP relays, as drand's documentation lists them. */
export const DRAND_RELAYS = [
  'https://api.drand.sh',
  'https://api2.drand.sh',
  'https://api3.drand.sh',
  'https://drand.cloudflare.com',
];

export interface BeaconSettings {
  chain: ChainInfo;
  relays: string[];
  /**
   * The round is the first at least this long after the commitment: more than any clock difference.
   */
  marginSeconds: number;
  /** How long one relay may take to answer. */
  relayTimeoutMs: number;
}

export const DEFAULT_MARGIN_SECONDS = 10;
export const DEFAULT_RELAY_TIMEOUT_MS = 5000;
/** A round is a few hundred bytes: a relay that sends more is not serving a round. */
const MAX_ROUND_BYTES = 64 * 1024;

/**
 * The names of the settings, as the Lambda functions read them (the embedded backend prefixes
 * LOTTERY_).
 */
export const BEACON_ENV = {
  chain: 'BEACON_CHAIN',
  relays: 'BEACON_RELAYS',
  margin: 'BEACON_MARGIN_SECONDS',
  timeout: 'BEACON_RELAY_TIMEOUT_MS',
} as const;

function setting(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  name: string,
): string | undefined {
  const value = env[`${prefix}${name}`]?.trim();
  return value === '' ? undefined : value;
}

function positiveNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new LotteryError(
      'usage',
      `${name} must be a positive number, got ${JSON.stringify(text)}`,
    );
  return value;
}

/**
 * The beacon settings from the environment: the chain is a drand chain's name ("quicknet", the
 * default, or "default") or its `/info` document as JSON; relays are comma-separated base URLs.
 */
export function beaconSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  prefix = '',
): BeaconSettings {
  const chainText = setting(env, prefix, BEACON_ENV.chain) ?? 'quicknet';
  let chain: ChainInfo;
  if (chainText.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(chainText);
    } catch (error) {
      throw new LotteryError(
        'usage',
        `${prefix}${BEACON_ENV.chain} is not valid JSON: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const checked = parseChainInfo(parsed);
    if (!checked.ok)
      throw new LotteryError('usage', `${prefix}${BEACON_ENV.chain}: ${checked.error}`);
    chain = checked.value;
  } else if (chainText in DRAND_CHAINS) {
    chain = DRAND_CHAINS[chainText as DrandChainName];
  } else {
    throw new LotteryError(
      'usage',
      `${prefix}${BEACON_ENV.chain} names no drand chain this version knows: ${JSON.stringify(chainText)}`,
      {
        hint: `use ${Object.keys(DRAND_CHAINS).join(' or ')}, or a chain's /info document as JSON`,
      },
    );
  }
  const relays = (setting(env, prefix, BEACON_ENV.relays)?.split(',') ?? DRAND_RELAYS)
    .map((relay) => relay.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const relay of relays) {
    if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(relay))
      throw new LotteryError(
        'usage',
        `${prefix}${BEACON_ENV.relays}: ${JSON.stringify(relay)} is not an http(s) URL`,
      );
  }
  return {
    chain,
    relays,
    marginSeconds: positiveNumber(
      setting(env, prefix, BEACON_ENV.margin),
      DEFAULT_MARGIN_SECONDS,
      `${prefix}${BEACON_ENV.margin}`,
    ),
    relayTimeoutMs: positiveNumber(
      setting(env, prefix, BEACON_ENV.timeout),
      DEFAULT_RELAY_TIMEOUT_MS,
      `${prefix}${BEACON_ENV.timeout}`,
    ),
  };
}

/** What one source answered. */
export type SourceAnswer =
  | { kind: 'valid'; round: BeaconRound; randomness: string; source: string }
  | { kind: 'unavailable'; source: string; reason: string }
  | { kind: 'invalid'; source: string; reason: string };

/** Checks what a source served for round `wanted`: it must be that round, signed by the chain. */
export function judgeRound(
  chain: ChainInfo,
  wanted: number,
  source: string,
  raw: unknown,
): SourceAnswer {
  const parsed = parseRound(raw);
  if (!parsed.ok) return { kind: 'invalid', source, reason: `not a drand round: ${parsed.error}` };
  if (parsed.value.round !== wanted)
    return {
      kind: 'invalid',
      source,
      reason: `it served round ${parsed.value.round}, not round ${wanted}`,
    };
  const verified = verifyRound(chain, parsed.value);
  if (!verified.ok) return { kind: 'invalid', source, reason: verified.error };
  return { kind: 'valid', round: parsed.value, randomness: verified.randomness, source };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const failure = error as Error & { cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError')
    return `no answer within ${timeoutMs / 1000} s`;
  return failure.cause?.code ?? failure.cause?.message ?? failure.message;
}

/** Asks one relay for a round. */
export async function askRelay(
  settings: BeaconSettings,
  relay: string,
  round: number,
): Promise<SourceAnswer> {
  const url = `${relay}/${settings.chain.hash}/public/${round}`;
  let text: string;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(settings.relayTimeoutMs),
      headers: { accept: 'application/json' },
    });
    text = await response.text();
    if (!response.ok)
      return { kind: 'unavailable', source: relay, reason: `HTTP ${response.status}` };
  } catch (error) {
    return {
      kind: 'unavailable',
      source: relay,
      reason: describeFetchError(error, settings.relayTimeoutMs),
    };
  }
  if (text.length > MAX_ROUND_BYTES)
    return {
      kind: 'invalid',
      source: relay,
      reason: `it answered ${text.length} bytes, not a round`,
    };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', source: relay, reason: 'its answer is not JSON' };
  }
  return judgeRound(settings.chain, round, relay, raw);
}

const ROUND_FILE: FileRule = { what: 'a drand round file', maxBytes: MAX_ROUND_BYTES };

/**
 * Refuses, before a draw starts, a round file that could never hold a round: a FIFO, a device, a
 * directory, a huge file. One that does not exist yet is fine: it is written when the round is due.
 */
export async function checkRoundFile(path: string): Promise<void> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats) refuse(path, stats, ROUND_FILE);
}

/** Reads a round file (as drand publishes a round) on the embedded backend. */
export async function readRoundFile(
  chain: ChainInfo,
  path: string,
  round: number,
): Promise<SourceAnswer> {
  let text: string;
  try {
    text = (await readRegularFile(path, ROUND_FILE)).toString('utf8');
  } catch (error) {
    // A FIFO, a device or a huge file will not turn into a round by waiting.
    if (error instanceof FileRefused)
      return { kind: 'invalid', source: path, reason: error.reason };
    const code = (error as NodeJS.ErrnoException).code;
    return {
      kind: 'unavailable',
      source: path,
      reason:
        code === 'ENOENT'
          ? 'there is no such file yet'
          : `it cannot be read (${code ?? (error as Error).message})`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'unavailable', source: path, reason: 'it does not hold JSON (yet)' };
  }
  const answer = judgeRound(chain, round, path, raw);
  // A file that holds another round may just not have been replaced yet.
  if (answer.kind === 'invalid' && (raw as { round?: unknown }).round !== round)
    return { kind: 'unavailable', source: path, reason: answer.reason };
  return answer;
}
