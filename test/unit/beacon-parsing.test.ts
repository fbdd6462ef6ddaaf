import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRAND_CHAINS, parseChainInfo, parseRound, type ChainInfo } from '../../src/core/beacon';

// What LOTTERY_BEACON_CHAIN, a relay or a --beacon-round file hands the lottery, and the words a
// user reads when it is refused (they follow "LOTTERY_BEACON_CHAIN: " or "not a drand round: ").

const QUICKNET = DRAND_CHAINS.quicknet;
const DEFAULT = DRAND_CHAINS.default;
// The chain as drand's relays serve it at /{chain-hash}/info: schemeID, and the beacon's name in
// metadata.
const QUICKNET_INFO = {
  public_key: QUICKNET.public_key,
  period: 3,
  genesis_time: 1692803367,
  hash: QUICKNET.hash,
  schemeID: QUICKNET.scheme,
  metadata: { beaconID: 'quicknet' },
};
const withField = (name: string, value: unknown): Record<string, unknown> => ({
  ...QUICKNET_INFO,
  [name]: value,
});
const without = (name: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(QUICKNET_INFO).filter(([key]) => key !== name));
const hex = (bytes: number) => 'ab'.repeat(bytes);

const NOT_A_CHAIN =
  'a chain is described by a JSON object such as drand serves at /{chain-hash}/info';
const BAD_HASH = 'its "hash" must be 32 bytes of hexadecimal';
const BAD_PERIOD = 'its "period" must be a whole number of seconds';
const BAD_GENESIS = 'its "genesis_time" must be a Unix time in seconds';
const badKey = (bytes: number, scheme: string) =>
  `its "public_key" is not ${bytes} bytes of hexadecimal, as ${scheme} keys are`;
// Compressed points: 0xc0 then zeros is the point at infinity; 0x8f then 0xff is on no curve point.
const INFINITY_G2 = `c0${'00'.repeat(95)}`;
const OFF_CURVE_G2 = `8f${'ff'.repeat(95)}`;
const OUTSIDE_SUBGROUP_G1 = `a0${'00'.repeat(47)}`;

describe('a chain /info document', () => {
  it.each<[string, unknown, string]>([
    ['null', null, NOT_A_CHAIN],
    ['a chain name given where a document is expected', 'quicknet', NOT_A_CHAIN],
    ['a number', 3, NOT_A_CHAIN],
    ['no hash', without('hash'), BAD_HASH],
    ['a hash of 31 bytes', withField('hash', hex(31)), BAD_HASH],
    ['a hash of 33 bytes', withField('hash', hex(33)), BAD_HASH],
    ['a hash with something before its hexadecimal', withField('hash', `zz${hex(31)}`), BAD_HASH],
    ['a hash with something after its hexadecimal', withField('hash', `${hex(31)}zz`), BAD_HASH],
    ['a hash given as a number', withField('hash', 42), BAD_HASH],
    ['a period of 0', withField('period', 0), BAD_PERIOD],
    ['a negative period', withField('period', -3), BAD_PERIOD],
    ['a period of 2.5 s', withField('period', 2.5), BAD_PERIOD],
    ['a period in a string', withField('period', '3'), BAD_PERIOD],
    ['no period', without('period'), BAD_PERIOD],
    ['a genesis before 1970', withField('genesis_time', -1), BAD_GENESIS],
    [
      'a genesis in milliseconds with a fraction',
      withField('genesis_time', 1692803367.5),
      BAD_GENESIS,
    ],
    ['a genesis as a date', withField('genesis_time', '2023-08-23T15:09:27Z'), BAD_GENESIS],
    ['no genesis', without('genesis_time'), BAD_GENESIS],
    [
      'no scheme',
      without('schemeID'),
      'it names no scheme ("schemeID"); this version verifies bls-unchained-g1-rfc9380, pedersen-bls-chained',
    ],
    [
      'a scheme this version cannot verify',
      withField('schemeID', 'bls-unchained-on-g1'),
      'its scheme "bls-unchained-on-g1" is not one this version verifies (bls-unchained-g1-rfc9380, pedersen-bls-chained)',
    ],
  ])('refuses %s', (_, raw, error) => {
    expect(parseChainInfo(raw)).toEqual({ ok: false, error });
  });

  it.each<[string, unknown, string]>([
    ['no public key', without('public_key'), badKey(96, QUICKNET.scheme)],
    [
      'a public key that is not hexadecimal',
      withField('public_key', 'zz'.repeat(96)),
      badKey(96, QUICKNET.scheme),
    ],
    [
      "the default chain's key (48 bytes, on G1) for quicknet's scheme",
      withField('public_key', DEFAULT.public_key),
      badKey(96, QUICKNET.scheme),
    ],
    [
      "quicknet's key (96 bytes, on G2) for the default chain's scheme",
      { ...DEFAULT, public_key: QUICKNET.public_key },
      badKey(48, DEFAULT.scheme),
    ],
    [
      'a public key at infinity, which any signature at infinity would match',
      withField('public_key', INFINITY_G2),
      'its "public_key" is the point at infinity, which is no key',
    ],
  ])('refuses %s before any draw commits to it', (_, raw, error) => {
    expect(parseChainInfo(raw)).toEqual({ ok: false, error });
  });

  it.each<[string, unknown]>([
    ['96 bytes on no point of G2', withField('public_key', OFF_CURVE_G2)],
    [
      '48 bytes on a point of G1 outside the group of signatures',
      { ...DEFAULT, public_key: OUTSIDE_SUBGROUP_G1 },
    ],
  ])('refuses a public key of %s, rather than blame every round signed for it', (_, raw) => {
    expect(parseChainInfo(raw)).toEqual({
      ok: false,
      error: expect.stringMatching(/^its "public_key" is not a point of the curve \(.+\)$/),
    });
  });

  it.each<[string, unknown, ChainInfo]>([
    ["drand's quicknet, as its relays serve it", QUICKNET_INFO, QUICKNET],
    [
      'the same with fields this version does not use',
      { ...QUICKNET_INFO, groupHash: 'f4' },
      QUICKNET,
    ],
    ["drand's default chain, in the field names a commitment keeps", { ...DEFAULT }, DEFAULT],
    ['a chain with no beacon name', without('metadata'), { ...QUICKNET, beacon_id: '' }],
    [
      'a chain whose beacon name is not text',
      withField('metadata', { beaconID: 7 }),
      { ...QUICKNET, beacon_id: '' },
    ],
    [
      'a chain of one round a second, whose round 1 was at the Unix epoch',
      { ...QUICKNET_INFO, period: 1, genesis_time: 0 },
      { ...QUICKNET, period: 1, genesis_time: 0 },
    ],
  ])('reads %s', (_, raw, chain) => {
    expect(parseChainInfo(raw)).toStrictEqual({ ok: true, value: chain });
  });
});

const NOT_A_ROUND = 'a round is a JSON object such as drand serves at /{chain-hash}/public/{round}';
const BAD_NUMBER = 'its "round" must be a positive whole number';
const BAD_SIGNATURE = 'its "signature" must be hexadecimal';
const BAD_PREVIOUS = 'its "previous_signature" must be hexadecimal';
const randomnessOf = (signature: string) =>
  createHash('sha256').update(Buffer.from(signature, 'hex')).digest('hex');

describe('a round as a relay or a round file gives it', () => {
  it.each<[string, unknown, string]>([
    ['null', null, NOT_A_ROUND],
    ['a round number alone', 5, NOT_A_ROUND],
    ['text', 'round 5', NOT_A_ROUND],
    ['a list holding a round', [{ round: 5, signature: 'ab' }], NOT_A_ROUND],
    ['no round number', { signature: 'ab' }, BAD_NUMBER],
    ['a round number in a string', { round: '5', signature: 'ab' }, BAD_NUMBER],
    ['round 0', { round: 0, signature: 'ab' }, BAD_NUMBER],
    ['a negative round', { round: -5, signature: 'ab' }, BAD_NUMBER],
    ['round 1.5', { round: 1.5, signature: 'ab' }, BAD_NUMBER],
    [
      'a round past the whole numbers JSON keeps exactly',
      { round: 2 ** 53, signature: 'ab' },
      BAD_NUMBER,
    ],
    ['no signature', { round: 5 }, BAD_SIGNATURE],
    ['a signature given as a number', { round: 5, signature: 12 }, BAD_SIGNATURE],
    ['an empty signature', { round: 5, signature: '' }, BAD_SIGNATURE],
    ['a signature of an odd number of digits', { round: 5, signature: 'abc' }, BAD_SIGNATURE],
    [
      'a signature with something before its hexadecimal',
      { round: 5, signature: 'zzab' },
      BAD_SIGNATURE,
    ],
    [
      'a signature with something after its hexadecimal',
      { round: 5, signature: 'abzz' },
      BAD_SIGNATURE,
    ],
    [
      'a previous signature that is not hexadecimal',
      { round: 5, signature: 'ab', previous_signature: 'zz' },
      BAD_PREVIOUS,
    ],
    [
      'a previous signature of null',
      { round: 5, signature: 'ab', previous_signature: null },
      BAD_PREVIOUS,
    ],
    [
      'a previous signature given as a number',
      { round: 5, signature: 'ab', previous_signature: 12 },
      BAD_PREVIOUS,
    ],
    [
      'a randomness that is not SHA-256 of the signature',
      { round: 5, signature: 'ab', randomness: randomnessOf('cd') },
      'its "randomness" is not SHA-256 of its signature',
    ],
  ])('refuses %s', (_, raw, error) => {
    expect(parseRound(raw)).toEqual({ ok: false, error });
  });

  it.each<[string, unknown, unknown]>([
    [
      'round 1, with no randomness given',
      { round: 1, signature: 'ab' },
      { round: 1, signature: 'ab' },
    ],
    [
      'the last round JSON keeps exactly',
      { round: Number.MAX_SAFE_INTEGER, signature: 'ab' },
      { round: Number.MAX_SAFE_INTEGER, signature: 'ab' },
    ],
    [
      'a round whose randomness is SHA-256 of its signature, keeping only what is verified',
      { round: 7, signature: 'ab', randomness: randomnessOf('ab'), extra: 1 },
      { round: 7, signature: 'ab' },
    ],
    [
      'a chained round, with the previous signature it signs',
      { round: 7, signature: 'ab', previous_signature: 'cd' },
      { round: 7, signature: 'ab', previous_signature: 'cd' },
    ],
  ])('reads %s', (_, raw, round) => {
    expect(parseRound(raw)).toStrictEqual({ ok: true, value: round });
  });
});
