import { bls12_381 } from '@noble/curves/bls12-381';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import type { PoolDefinition } from './candidates';
import { canonicalJson } from './canonical';
import type { Check } from './parse';

// Beacon draws: the seed is a drand round that did not exist when the draw committed to it.
// drand publishes numbered rounds, each a threshold BLS signature of the round number by the
// chain's group key; the round's randomness is SHA-256 of the signature, and anyone can check the
// signature offline against the chain's public key. The pairing arithmetic is @noble/curves'
// (audited); this module only assembles drand's message and domain for each scheme.

export type BeaconScheme = 'bls-unchained-g1-rfc9380' | 'pedersen-bls-chained';

/** A drand chain, in the field names of its `/info` document (schemeID and beaconID aside). */
export interface ChainInfo {
  hash: string;
  public_key: string;
  /** Seconds between rounds. */
  period: number;
  /** Unix time of round 1. */
  genesis_time: number;
  scheme: BeaconScheme;
  beacon_id: string;
}

/** drand's League of Entropy chains (their `/info` documents; see docs/beacon.md). */
export const DRAND_CHAINS = {
  quicknet: {
    hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
    public_key:
      '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
    period: 3,
    genesis_time: 1692803367,
    scheme: 'bls-unchained-g1-rfc9380',
    beacon_id: 'quicknet',
  },
  default: {
    hash: '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce',
    public_key:
      '868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31',
    period: 30,
    genesis_time: 1595431050,
    scheme: 'pedersen-bls-chained',
    beacon_id: 'default',
  },
} as const satisfies Record<string, ChainInfo>;

export type DrandChainName = keyof typeof DRAND_CHAINS;

/** The drand chain this is, when it is one of drand's with exactly these parameters. */
export function drandChainName(chain: ChainInfo): DrandChainName | undefined {
  return (Object.keys(DRAND_CHAINS) as DrandChainName[]).find(
    (name) => canonicalJson(DRAND_CHAINS[name]) === canonicalJson(chain),
  );
}

/** A round as drand's HTTP API publishes it (`/{chain-hash}/public/{round}`). */
export interface BeaconRound {
  round: number;
  signature: string;
  /** Chained schemes sign the previous round's signature too. */
  previous_signature?: string;
}

const SCHEMES: Record<
  BeaconScheme,
  { signatureBytes: number; publicKeyBytes: number; chained: boolean }
> = {
  // Signatures on G1 (48 bytes), key on G2 (96 bytes), RFC 9380 hash to G1.
  'bls-unchained-g1-rfc9380': { signatureBytes: 48, publicKeyBytes: 96, chained: false },
  // The original chain: signatures on G2 (96 bytes), key on G1 (48 bytes), message over the
  // previous signature.
  'pedersen-bls-chained': { signatureBytes: 96, publicKeyBytes: 48, chained: true },
};
const G1_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const G2_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';

const HEX = /^(?:[0-9a-f]{2})+$/;
const isHex = (value: unknown, bytes?: number): value is string =>
  typeof value === 'string' &&
  HEX.test(value) &&
  (bytes === undefined || value.length === 2 * bytes);
// No Node-only module here: the record's verifier runs this code in a browser too.
const sha256 = (...parts: Uint8Array[]) => nobleSha256(concatBytes(...parts));

/** Round `round`'s time, in Unix seconds: genesis + (round − 1) × period. */
export function roundTime(
  chain: Pick<ChainInfo, 'genesis_time' | 'period'>,
  round: number,
): number {
  return chain.genesis_time + (round - 1) * chain.period;
}

/** The first round whose time is at or after `unixSeconds`. */
export function firstRoundAtOrAfter(
  chain: Pick<ChainInfo, 'genesis_time' | 'period'>,
  unixSeconds: number,
): number {
  return Math.max(1, Math.ceil((unixSeconds - chain.genesis_time) / chain.period) + 1);
}

/** A round time as Step Functions' Wait state reads it: RFC 3339 in UTC, whole seconds. */
export function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The seed a round gives: its randomness, SHA-256 of its signature. */
export function roundRandomness(signatureHex: string): string {
  return bytesToHex(sha256(hexToBytes(signatureHex)));
}

/**
 * The message drand's nodes sign for a round: SHA-256 of (previous signature ‖) the round as 8
 * bytes big-endian.
 */
export function roundMessage(round: BeaconRound): Uint8Array {
  const number = new Uint8Array(8);
  new DataView(number.buffer).setBigUint64(0, BigInt(round.round));
  return sha256(hexToBytes(round.previous_signature ?? ''), number);
}

/**
 * What is wrong with `publicKey` as a key of `scheme`, if anything: the library refuses a key that
 * is not a point of the curve only when a round is checked, and would blame the round's signature.
 */
function publicKeyProblem(scheme: BeaconScheme, publicKey: unknown): string | undefined {
  const { publicKeyBytes } = SCHEMES[scheme];
  if (!isHex(publicKey, publicKeyBytes))
    return `is not ${publicKeyBytes} bytes of hexadecimal, as ${scheme} keys are`;
  const keyGroup = scheme === 'bls-unchained-g1-rfc9380' ? bls12_381.G2 : bls12_381.G1;
  try {
    const point = keyGroup.Point.fromHex(publicKey);
    point.assertValidity();
    if (point.is0()) return 'is the point at infinity, which is no key';
  } catch (error) {
    return `is not a point of the curve (${(error as Error).message})`;
  }
  return undefined;
}

export type RoundCheck = { ok: true; randomness: string } | { ok: false; error: string };

/**
 * Whether `round` is the chain's round of that number: its signature verifies against the chain's
 * public key. A round of another number, another chain or a forged one does not.
 */
export function verifyRound(chain: ChainInfo, round: BeaconRound): RoundCheck {
  const scheme = SCHEMES[chain.scheme];
  const keyProblem = publicKeyProblem(chain.scheme, chain.public_key);
  if (keyProblem !== undefined) return { ok: false, error: `the chain's public key ${keyProblem}` };
  if (!isHex(round.signature, scheme.signatureBytes))
    return {
      ok: false,
      error: `the signature is not ${scheme.signatureBytes} bytes of hexadecimal, as ${chain.scheme} signs`,
    };
  if (scheme.chained && !isHex(round.previous_signature))
    return {
      ok: false,
      error: `${chain.scheme} rounds carry the previous round's signature, and this one does not`,
    };
  let valid: boolean;
  try {
    const message = roundMessage(
      scheme.chained ? round : { ...round, previous_signature: undefined },
    );
    const { shortSignatures, longSignatures } = bls12_381;
    valid =
      chain.scheme === 'bls-unchained-g1-rfc9380'
        ? shortSignatures.verify(
            round.signature,
            shortSignatures.hash(message, G1_DST),
            chain.public_key,
          )
        : longSignatures.verify(
            round.signature,
            longSignatures.hash(message, G2_DST),
            chain.public_key,
          );
  } catch (error) {
    // The library refuses bytes that are not a point of the curve: not a signature at all.
    return {
      ok: false,
      error: `the signature is not a point of the curve (${(error as Error).message})`,
    };
  }
  if (!valid)
    return {
      ok: false,
      error: `the signature is not the chain's signature of round ${round.round}`,
    };
  return { ok: true, randomness: roundRandomness(round.signature) };
}

const SCHEME_IDS = Object.keys(SCHEMES) as BeaconScheme[];

/** A chain's `/info` document, as drand's relays serve it. */
export function parseChainInfo(raw: unknown): Check<ChainInfo> {
  if (typeof raw !== 'object' || raw === null)
    return {
      ok: false,
      error: 'a chain is described by a JSON object such as drand serves at /{chain-hash}/info',
    };
  const info = raw as Record<string, unknown>;
  const scheme = info.schemeID ?? info.scheme;
  const beaconId =
    (info.metadata as { beaconID?: unknown } | undefined)?.beaconID ?? info.beacon_id;
  if (!isHex(info.hash, 32))
    return { ok: false, error: 'its "hash" must be 32 bytes of hexadecimal' };
  if (!Number.isInteger(info.period) || (info.period as number) < 1)
    return { ok: false, error: 'its "period" must be a whole number of seconds' };
  if (!Number.isInteger(info.genesis_time) || (info.genesis_time as number) < 0)
    return { ok: false, error: 'its "genesis_time" must be a Unix time in seconds' };
  if (scheme === undefined)
    return {
      ok: false,
      error: `it names no scheme ("schemeID"); this version verifies ${SCHEME_IDS.join(', ')}`,
    };
  if (!SCHEME_IDS.includes(scheme as BeaconScheme))
    return {
      ok: false,
      error: `its scheme ${JSON.stringify(scheme)} is not one this version verifies (${SCHEME_IDS.join(', ')})`,
    };
  // A key that cannot be the chain's would only be refused by Fetch Beacon Round, after the draw
  // committed to it and waited.
  const keyProblem = publicKeyProblem(scheme as BeaconScheme, info.public_key);
  if (keyProblem !== undefined) return { ok: false, error: `its "public_key" ${keyProblem}` };
  return {
    ok: true,
    value: {
      hash: info.hash,
      public_key: info.public_key as string,
      period: info.period as number,
      genesis_time: info.genesis_time as number,
      scheme: scheme as BeaconScheme,
      beacon_id: typeof beaconId === 'string' ? beaconId : '',
    },
  };
}

/**
 * A round as drand's HTTP API publishes it; its randomness, when given, must be what its signature
 * says.
 */
export function parseRound(raw: unknown): Check<BeaconRound> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      error: 'a round is a JSON object such as drand serves at /{chain-hash}/public/{round}',
    };
  const fields = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(fields.round) || (fields.round as number) < 1)
    return { ok: false, error: 'its "round" must be a positive whole number' };
  if (!isHex(fields.signature)) return { ok: false, error: 'its "signature" must be hexadecimal' };
  if (fields.previous_signature !== undefined && !isHex(fields.previous_signature))
    return { ok: false, error: 'its "previous_signature" must be hexadecimal' };
  if (fields.randomness !== undefined && fields.randomness !== roundRandomness(fields.signature)) {
    return { ok: false, error: 'its "randomness" is not SHA-256 of its signature' };
  }
  const round: BeaconRound = { round: fields.round as number, signature: fields.signature };
  if (typeof fields.previous_signature === 'string')
    round.previous_signature = fields.previous_signature;
  return { ok: true, value: round };
}

/**
 * What a beacon draw binds itself to before its round exists, kept in Lottery-Draws (sk
 * "commitment").
 */
export interface BeaconCommitment {
  draw_id: string;
  /** The backend's clock when the commitment was written. */
  committed_at: string;
  chain: ChainInfo;
  /**
   * The round whose randomness will be the seed: the first at least `margin_seconds` after
   * committed_at.
   */
  round: number;
  round_time: string;
  margin_seconds: number;
  prize: string | null;
  winners: number;
  algorithm: string;
  /**
   * The candidates, exactly as the draw will take them (src/core/selection.ts), and the statistics
   * version they came from.
   */
  pool: PoolDefinition;
}

/** A list of exclusions as a public record shows it: who was excluded and why stay private. */
export interface RedactedExclusions {
  version: number;
  count: number;
  /** SHA-256 of the stored list's `data`. */
  data_sha256: string;
}

/** A commitment as a draw's record shows it: the same digest, without the exclusions' names. */
export interface PublicCommitment extends Omit<BeaconCommitment, 'pool'> {
  pool: Omit<PoolDefinition, 'exclusions'> & { exclusions?: RedactedExclusions };
}

export function publicCommitment(
  commitment: BeaconCommitment | PublicCommitment,
): PublicCommitment {
  const { exclusions, ...pool } = commitment.pool;
  if (!exclusions || 'data_sha256' in exclusions) return commitment as PublicCommitment;
  const { version, count, data } = exclusions;
  const redacted = { version, count, data_sha256: bytesToHex(sha256(utf8ToBytes(data))) };
  return { ...commitment, pool: { ...pool, exclusions: redacted } };
}

/**
 * A commitment that fixes the pool's members is digested in its public form, so that a record can
 * show its digest is right without naming who was excluded; older ones, as they were.
 */
export function commitmentDigest(commitment: BeaconCommitment | PublicCommitment): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(digestedForm(commitment)))));
}

/** The form of a commitment its digest is taken over: what to show for checking it by hand. */
export function digestedForm(
  commitment: BeaconCommitment | PublicCommitment,
): BeaconCommitment | PublicCommitment {
  return commitment.pool.members ? publicCommitment(commitment) : commitment;
}

/**
 * The round a commitment made at `committedAtMs` names: at least `marginSeconds` later, so that it
 * cannot exist yet.
 */
export function committedRound(
  chain: ChainInfo,
  committedAtMs: number,
  marginSeconds: number,
): { round: number; time: number } {
  const round = firstRoundAtOrAfter(chain, committedAtMs / 1000 + marginSeconds);
  return { round, time: roundTime(chain, round) };
}

/** The round, as a draw's audit record keeps it for `lottery verify`. */
export interface RecordedBeacon extends BeaconRound {
  chain: string;
  commitment_digest: string;
  /**
   * Where the round was read: a relay's URL, or a file. Says nothing of its truth: the signature
   * does.
   */
  source: string;
}

/** What a beacon draw carries between its states. */
export interface BeaconBody {
  /** Embedded backend only: a file that will hold the round. */
  round_file?: string;
  /** Written by Commit Draw; the Wait state waits for round_time. */
  commitment?: {
    chain: ChainInfo;
    round: number;
    round_time: string;
    committed_at: string;
    digest: string;
  };
  /** Written by Fetch Beacon Round once the round is verified. */
  round?: RecordedBeacon;
}
