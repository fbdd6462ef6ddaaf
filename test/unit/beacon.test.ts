import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshCopy } from '../helpers/fresh-module';
import { poolSummary, recordDigest, type SelectionRecord } from '../../src/core/audit';
import { poolDefinition } from '../../src/core/candidates';
import {
  commitmentDigest,
  committedRound,
  DRAND_CHAINS,
  drandChainName,
  firstRoundAtOrAfter,
  parseChainInfo,
  parseRound,
  rfc3339,
  roundTime,
  verifyRound,
  type BeaconCommitment,
  type BeaconRound,
  type ChainInfo,
  type RecordedBeacon,
} from '../../src/core/beacon';
import { announcementMessage, type DrawResult } from '../../src/core/draw';
import type { Employee } from '../../src/core/employees';
import { pickPeople } from '../../src/core/pool';
import { CandidateOrder, SHUFFLE_ALGORITHM, type CandidateSpace } from '../../src/core/selection';
import { verifyDraw, type VerifyEvidence, type VerifyCheckName } from '../../src/core/verify';
import { judgeRound } from '../../src/aws/beacon-relays';
import { countdown, runningLabel } from '../../src/cli/render/draw-view';
import { STATES } from '../../src/core/names';
import type { Step } from '../../src/core/progress';
import { TestChain } from '../helpers/beacon';

// Rounds published by drand's League of Entropy, as the drand-verify crate's documentation quotes
// them (its README's examples for the default chain; its docs for quicknet round 123).
const QUICKNET_123 = {
  round: 123,
  signature:
    'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92',
};
const DEFAULT_72785 = {
  round: 72785,
  previous_signature:
    'a609e19a03c2fcc559e8dae14900aaefe517cb55c840f6e69bc8e4f66c8d18e8a609685d9917efbfb0c37f058c2de88f13d297c7e19e0ab24813079efe57a182554ff054c7638153f9b26a60e7111f71a0ff63d9571704905d3ca6df0b031747',
  signature:
    '82f5d3d2de4db19d40a6980e8aa37842a0e55d1df06bd68bddc8d60002e8e959eb9cfa368b3c1b77d18f02a54fe047b80f0989315f83b12a74fd8679c4f12aae86eaf6ab5690b34f1fddd50ee3cc6f6cdf59e95526d5a5d82aaa84fa6f181e42',
};
const DEFAULT_1337 = {
  round: 1337,
  previous_signature:
    '80d95247ddf1bb3acf5738497a5f10406be283144603f63d714bb1a44ff6b93285ae2697fffeb50c68862bd9fbecd4b204b1798d2686b4ac5d573615031d9d67e6168bde9a7adf1161430a498ca701a25c216aee3e38ffd5290369034fa050a2',
  signature:
    '945b08dcb30e24da281ccf14a646f0630ceec515af5c5895e18cc1b19edd65d156b71c776a369af3487f1bc6af1062500b059e01095cc0eedce91713977d7735cac675554edfa0d0481bb991ed93d333d08286192c05bf6b65d20f23a37fc7bb',
  // The randomness the crate's README prints for it.
  randomness: '2660664f8d4bc401194d80d81da20a1e79480f65b8e2d205aecbd143b5bfb0d3',
};

const sha256Hex = (hex: string) =>
  createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

const loadedAfresh = () => freshCopy('beacon');

describe("drand's two schemes, as the module builds them when it loads", () => {
  it("verify each scheme's published round and give SHA-256 of its signature as the seed", async () => {
    const { verifyRound: verifyFresh } = await loadedAfresh();
    expect(verifyFresh(DRAND_CHAINS.quicknet, QUICKNET_123)).toEqual({
      ok: true,
      randomness: sha256Hex(QUICKNET_123.signature),
    });
    expect(verifyFresh(DRAND_CHAINS.default, DEFAULT_72785)).toEqual({
      ok: true,
      randomness: sha256Hex(DEFAULT_72785.signature),
    });
  });

  it('refuse a signature or a key of the wrong size for each scheme, and a chained round without its previous signature', async () => {
    const { verifyRound: verifyFresh, parseChainInfo: parseFresh } = await loadedAfresh();
    expect(verifyFresh(DRAND_CHAINS.quicknet, { round: 123, signature: 'abcd' })).toEqual({
      ok: false,
      error: 'the signature is not 48 bytes of hexadecimal, as bls-unchained-g1-rfc9380 signs',
    });
    expect(verifyFresh(DRAND_CHAINS.default, { ...DEFAULT_72785, signature: 'abcd' })).toEqual({
      ok: false,
      error: 'the signature is not 96 bytes of hexadecimal, as pedersen-bls-chained signs',
    });
    expect(
      verifyFresh(DRAND_CHAINS.default, { round: 72785, signature: DEFAULT_72785.signature }),
    ).toEqual({
      ok: false,
      error:
        "pedersen-bls-chained rounds carry the previous round's signature, and this one does not",
    });
    expect(parseFresh({ ...DRAND_CHAINS.quicknet, public_key: 'abcd' })).toEqual({
      ok: false,
      error:
        'its "public_key" is not 96 bytes of hexadecimal, as bls-unchained-g1-rfc9380 keys are',
    });
    expect(parseFresh({ ...DRAND_CHAINS.default, public_key: 'abcd' })).toEqual({
      ok: false,
      error: 'its "public_key" is not 48 bytes of hexadecimal, as pedersen-bls-chained keys are',
    });
    expect(parseFresh(DRAND_CHAINS.default)).toEqual({ ok: true, value: DRAND_CHAINS.default });
  });

  it.each(['zzab', 'abzz', 'abc', ''])(
    'refuse %j as a signature, and read pairs of lowercase hexadecimal digits',
    async (signature) => {
      const { parseRound: parseFresh } = await loadedAfresh();
      expect(parseFresh({ round: 1, signature })).toEqual({
        ok: false,
        error: 'its "signature" must be hexadecimal',
      });
      expect(parseFresh({ round: 1, signature: '0123456789abcdef' })).toEqual({
        ok: true,
        value: { round: 1, signature: '0123456789abcdef' },
      });
    },
  );
});

describe('published drand rounds', () => {
  it('verify against their chains, and their randomness is SHA-256 of the signature', () => {
    expect(verifyRound(DRAND_CHAINS.quicknet, QUICKNET_123)).toMatchObject({ ok: true });
    expect(verifyRound(DRAND_CHAINS.default, DEFAULT_72785)).toMatchObject({ ok: true });
    expect(verifyRound(DRAND_CHAINS.default, DEFAULT_1337)).toEqual({
      ok: true,
      randomness: DEFAULT_1337.randomness,
    });
  });

  it('do not verify as another round, on another chain, or with a changed byte', () => {
    expect(verifyRound(DRAND_CHAINS.quicknet, { ...QUICKNET_123, round: 124 })).toEqual({
      ok: false,
      error: "the signature is not the chain's signature of round 124",
    });
    expect(verifyRound(DRAND_CHAINS.default, { ...DEFAULT_72785, round: 42 })).toMatchObject({
      ok: false,
    });
    expect(
      verifyRound(DRAND_CHAINS.default, {
        ...DEFAULT_72785,
        previous_signature: DEFAULT_1337.previous_signature,
      }),
    ).toMatchObject({ ok: false });
    expect(verifyRound(DRAND_CHAINS.default, QUICKNET_123)).toMatchObject({
      ok: false,
      error: expect.stringContaining('96 bytes'),
    });
    expect(verifyRound(DRAND_CHAINS.quicknet, DEFAULT_72785)).toMatchObject({
      ok: false,
      error: expect.stringContaining('48 bytes'),
    });
    const flipped = `${QUICKNET_123.signature.slice(0, 40)}${QUICKNET_123.signature[40] === '0' ? '1' : '0'}${QUICKNET_123.signature.slice(41)}`;
    expect(
      verifyRound(DRAND_CHAINS.quicknet, { ...QUICKNET_123, signature: flipped }),
    ).toMatchObject({ ok: false });
  });

  const stranger = new TestChain();
  const notThisRound = (round: number) =>
    `the signature is not the chain's signature of round ${round}`;

  it.each<[string, ChainInfo, BeaconRound, string]>([
    [
      'a quicknet round claimed as the next one',
      DRAND_CHAINS.quicknet,
      { ...QUICKNET_123, round: 124 },
      notThisRound(124),
    ],
    [
      'a quicknet round signed by another key',
      DRAND_CHAINS.quicknet,
      { round: 123, signature: stranger.sign(123).signature },
      notThisRound(123),
    ],
    [
      'a quicknet round judged against another chain of its scheme',
      stranger.info,
      QUICKNET_123,
      notThisRound(123),
    ],
    [
      "a quicknet round with the default chain's 96-byte signature",
      DRAND_CHAINS.quicknet,
      { round: 123, signature: DEFAULT_72785.signature },
      'the signature is not 48 bytes of hexadecimal, as bls-unchained-g1-rfc9380 signs',
    ],
    [
      "a quicknet round against a chain whose key is the default chain's",
      { ...DRAND_CHAINS.quicknet, public_key: DRAND_CHAINS.default.public_key },
      QUICKNET_123,
      "the chain's public key is not 96 bytes of hexadecimal, as bls-unchained-g1-rfc9380 keys are",
    ],
    [
      'a quicknet round against a chain whose key is the point at infinity',
      { ...DRAND_CHAINS.quicknet, public_key: `c0${'00'.repeat(95)}` },
      QUICKNET_123,
      "the chain's public key is the point at infinity, which is no key",
    ],
    [
      'a default-chain round claimed as another',
      DRAND_CHAINS.default,
      { ...DEFAULT_72785, round: 72786 },
      notThisRound(72786),
    ],
    [
      "a default-chain round carrying another round's previous signature",
      DRAND_CHAINS.default,
      { ...DEFAULT_72785, previous_signature: DEFAULT_1337.previous_signature },
      notThisRound(72785),
    ],
    [
      'a default-chain round without its previous signature',
      DRAND_CHAINS.default,
      { round: 72785, signature: DEFAULT_72785.signature },
      "pedersen-bls-chained rounds carry the previous round's signature, and this one does not",
    ],
    [
      "a default-chain round with quicknet's 48-byte signature",
      DRAND_CHAINS.default,
      { ...DEFAULT_72785, signature: QUICKNET_123.signature },
      'the signature is not 96 bytes of hexadecimal, as pedersen-bls-chained signs',
    ],
    [
      "a default-chain round against a chain whose key is quicknet's",
      { ...DRAND_CHAINS.default, public_key: DRAND_CHAINS.quicknet.public_key },
      DEFAULT_72785,
      "the chain's public key is not 48 bytes of hexadecimal, as pedersen-bls-chained keys are",
    ],
  ])('refuse %s', (_, chain, round, error) => {
    expect(verifyRound(chain, round)).toEqual({ ok: false, error });
  });

  it.each<[string, ChainInfo, BeaconRound]>([
    [
      'quicknet, with a byte of the signature changed',
      DRAND_CHAINS.quicknet,
      {
        ...QUICKNET_123,
        signature: `${QUICKNET_123.signature.slice(0, 40)}0${QUICKNET_123.signature.slice(41)}`,
      },
    ],
    [
      'quicknet, with a signature of zeros',
      DRAND_CHAINS.quicknet,
      { round: 123, signature: '00'.repeat(48) },
    ],
    [
      'the default chain, with a signature of zeros',
      DRAND_CHAINS.default,
      { ...DEFAULT_72785, signature: '00'.repeat(96) },
    ],
  ])('refuse a signature that is not a point of the curve: %s', (_, chain, round) => {
    expect(verifyRound(chain, round)).toEqual({
      ok: false,
      error: expect.stringMatching(/^the signature is not a point of the curve \(.+\)$/),
    });
  });

  it('blame a key that is not a point of the curve on the chain, not on the round', () => {
    expect(
      verifyRound({ ...DRAND_CHAINS.quicknet, public_key: `8f${'ff'.repeat(95)}` }, QUICKNET_123),
    ).toEqual({
      ok: false,
      error: expect.stringMatching(/^the chain's public key is not a point of the curve \(.+\)$/),
    });
  });

  it.each<[string, ChainInfo, BeaconRound]>([
    ['quicknet round 123', DRAND_CHAINS.quicknet, QUICKNET_123],
    [
      'quicknet round 123 carrying a previous signature, which its scheme does not sign',
      DRAND_CHAINS.quicknet,
      { ...QUICKNET_123, previous_signature: DEFAULT_72785.previous_signature },
    ],
    ['default-chain round 72785', DRAND_CHAINS.default, DEFAULT_72785],
  ])('give %s a randomness of SHA-256 of its signature', (_, chain, round) => {
    expect(verifyRound(chain, round)).toEqual({ ok: true, randomness: sha256Hex(round.signature) });
  });

  it('are placed in time by genesis + (round − 1) × period', () => {
    expect(roundTime(DRAND_CHAINS.quicknet, 123)).toBe(1692803367 + 122 * 3);
    expect(roundTime(DRAND_CHAINS.default, 1)).toBe(1595431050);
    expect(firstRoundAtOrAfter(DRAND_CHAINS.quicknet, 1692803367 + 122 * 3)).toBe(123);
    expect(firstRoundAtOrAfter(DRAND_CHAINS.quicknet, 1692803367 + 122 * 3 + 0.001)).toBe(124);
    expect(firstRoundAtOrAfter(DRAND_CHAINS.quicknet, 0)).toBe(1);
    expect(rfc3339(roundTime(DRAND_CHAINS.quicknet, 123))).toBe('2023-08-23T15:15:33Z');
  });

  // A chain of a round every 3 s whose round 1 was at Unix time 1000: round n is at 997 + 3n.
  const everyThree = { genesis_time: 1000, period: 3 };
  it.each([
    [1, 1000],
    [2, 1003],
    [10, 1027],
  ])('place round %i at %i', (round, time) => {
    expect(roundTime(everyThree, round)).toBe(time);
  });

  it.each([
    [0, 1],
    [999, 1],
    [1000, 1],
    [1000.001, 2],
    [1003, 2],
    [1003.5, 3],
    [1024, 9],
    [1024.5, 10],
    [1027, 10],
  ])('at Unix time %d, make round %i the first one at or after it', (time, round) => {
    expect(firstRoundAtOrAfter(everyThree, time)).toBe(round);
  });

  it.each([
    ['before round 1', 985_000, 10, { round: 1, time: 1000 }],
    ["when now + margin is a round's time: that round", 1_002_000, 10, { round: 5, time: 1012 }],
    ['a millisecond later: the next round', 1_002_001, 10, { round: 6, time: 1015 }],
    ['with no margin', 1_002_000, 0, { round: 2, time: 1003 }],
  ])(
    'commit, %s, to the first round at least the margin after the commitment',
    (_, committedAtMs, margin, expected) => {
      expect(
        committedRound({ ...DRAND_CHAINS.quicknet, ...everyThree }, committedAtMs, margin),
      ).toEqual(expected);
    },
  );

  it.each([
    [1692803367, '2023-08-23T15:09:27Z'],
    [1.999, '1970-01-01T00:00:01Z'],
  ])('give Step Functions time %d as %s', (time, text) => {
    expect(rfc3339(time)).toBe(text);
  });

  it("the chain a round is judged against is named only when it is drand's, parameter for parameter", () => {
    expect(drandChainName(DRAND_CHAINS.quicknet)).toBe('quicknet');
    expect(drandChainName({ ...DRAND_CHAINS.quicknet, period: 30 })).toBeUndefined();
    expect(drandChainName(new TestChain().info)).toBeUndefined();
  });
});

describe('reading what relays and files say', () => {
  it('reads a chain /info document and a round as drand publishes them', () => {
    const info = {
      public_key: DRAND_CHAINS.quicknet.public_key,
      period: 3,
      genesis_time: 1692803367,
      hash: DRAND_CHAINS.quicknet.hash,
      groupHash: 'f4',
      schemeID: 'bls-unchained-g1-rfc9380',
      metadata: { beaconID: 'quicknet' },
    };
    expect(parseChainInfo(info)).toEqual({ ok: true, value: DRAND_CHAINS.quicknet });
    expect(parseChainInfo({ ...info, schemeID: 'bls-unchained-on-g1' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('not one this version verifies'),
    });
    expect(parseRound({ ...DEFAULT_1337 })).toEqual({
      ok: true,
      value: {
        round: 1337,
        signature: DEFAULT_1337.signature,
        previous_signature: DEFAULT_1337.previous_signature,
      },
    });
    expect(parseRound({ ...DEFAULT_1337, randomness: '00'.repeat(32) })).toEqual({
      ok: false,
      error: 'its "randomness" is not SHA-256 of its signature',
    });
    expect(parseRound({ round: '5', signature: 'ab' })).toMatchObject({ ok: false });
    expect(parseRound([])).toMatchObject({ ok: false });
  });

  it('accepts only the round asked for, signed by the chain', () => {
    const chain = new TestChain();
    expect(judgeRound(chain.info, 50, 'relay', chain.sign(50))).toMatchObject({
      kind: 'valid',
      randomness: chain.sign(50).randomness,
    });
    expect(judgeRound(chain.info, 50, 'relay', chain.sign(45))).toEqual({
      kind: 'invalid',
      source: 'relay',
      reason: 'it served round 45, not round 50',
    });
    expect(judgeRound(chain.info, 50, 'relay', { ...chain.sign(45), round: 50 })).toMatchObject({
      kind: 'invalid',
      reason: "the signature is not the chain's signature of round 50",
    });
    expect(judgeRound(chain.info, 50, 'relay', new TestChain().sign(50))).toMatchObject({
      kind: 'invalid',
    });
    expect(judgeRound(chain.info, 50, 'relay', { round: 50, signature: 'zz' })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('not a drand round'),
    });
  });
});

// A beacon draw made as Commit Draw, Fetch Beacon Round and Random Select Winners make one, then
// rigged: each rig must make `verify` fail (or warn), and say what differs.
describe('verifying a beacon draw', () => {
  const chain = new TestChain({
    period: 3,
    genesisTime: Date.parse('2026-11-29T09:00:00.000Z') / 1000,
  });
  const employees: Employee[] = Array.from({ length: 12 }, (_, i) => ({
    employee_id: `E${i + 1}`,
    employee_name: `Person ${i + 1}`,
    lottery_serial: i + 1,
  }));
  const bySerial = new Map(employees.map((employee) => [employee.lottery_serial, employee]));
  const space: CandidateSpace = { mode: 'serial-space', serialSpace: 12, excluded: [3] };
  const committedAt = Date.parse('2026-11-29T10:00:00.000Z');

  async function beaconDraw(
    overrides: {
      commitment?: Partial<BeaconCommitment>;
      round?: Partial<RecordedBeacon>;
      seed?: string;
      seenAt?: Date;
      input?: string;
    } = {},
  ): Promise<VerifyEvidence> {
    const { round: roundNumber, time } = committedRound(chain.info, committedAt, 5);
    const commitment: BeaconCommitment = {
      draw_id: 'draw-b',
      committed_at: new Date(committedAt).toISOString(),
      chain: chain.info,
      round: roundNumber,
      round_time: rfc3339(time),
      margin_seconds: 5,
      prize: 'Bike',
      winners: 2,
      algorithm: SHUFFLE_ALGORITHM,
      pool: poolDefinition(space, { total: 12, eligible: 11, stats_version: 4 }),
      ...overrides.commitment,
    };
    const signed = chain.sign(roundNumber);
    const beacon: RecordedBeacon = {
      round: signed.round,
      signature: signed.signature,
      chain: chain.info.hash,
      commitment_digest: commitmentDigest(commitment),
      source: 'http://relay',
      ...overrides.round,
    };
    const seed = overrides.seed ?? signed.randomness;
    const order = new CandidateOrder(space, seed, 1);
    const lookup = async (serials: readonly number[]) =>
      new Map(serials.map((serial) => [serial, bySerial.get(serial)!] as const));
    const picked = await pickPeople(
      (count) => order.take(count),
      2,
      lookup,
      () => false,
    );
    const winners = picked.winners.map(({ employee_id, employee_name, lottery_serial }) => ({
      employee_id,
      employee_name,
      lottery_serial,
    }));
    const record: SelectionRecord = {
      draw_id: 'draw-b',
      attempt: 1,
      algorithm: SHUFFLE_ALGORITHM,
      seed,
      seed_source: 'beacon',
      prize: 'Bike',
      selected_at: '2026-11-29T10:00:06.000Z',
      pool: poolDefinition(space, { total: 12, eligible: 11, stats_version: 4 }),
      candidates: picked.candidates,
      winners,
      beacon,
    };
    const result: DrawResult = {
      draw_id: 'draw-b',
      prize: 'Bike',
      winners,
      recorded_at: '2026-11-29T10:00:07.000Z',
      audit: {
        seed,
        seed_source: 'beacon',
        attempt: 1,
        pool: poolSummary(record),
        record_digest: recordDigest(record),
        beacon: {
          chain: beacon.chain,
          round: beacon.round,
          commitment_digest: beacon.commitment_digest,
        },
      },
      message: announcementMessage(winners, 'Bike'),
      announcement: { status: 'SENT', message_id: 'm' },
    };
    return {
      input: overrides.input ?? '{"input":2,"prize":"Bike","beacon":true}',
      result,
      records: new Map([[1, record]]),
      rows: winners.map((winner) => ({
        ...winner,
        draw_id: 'draw-b',
        status: 'won' as const,
        prize: 'Bike',
      })),
      resets: [],
      peopleBySerial: bySerial,
      winnersNow: new Map(employees.map((employee) => [employee.employee_id, employee])),
      statsVersion: 4,
      commitment,
      commitmentSeenAt: 'seenAt' in overrides ? overrides.seenAt : new Date(committedAt + 80),
    };
  }
  const check = (evidence: VerifyEvidence, name: VerifyCheckName) =>
    verifyDraw(evidence).checks.find((each) => each.name === name);

  it("verifies an honest draw, warning only that the test chain is not drand's", async () => {
    const verification = verifyDraw(await beaconDraw());
    expect(verification.checks.filter((each) => !each.ok)).toEqual([]);
    expect(verification.ok).toBe(true);
    expect(check(await beaconDraw(), 'commitment')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^recorded by Step Functions 5\.9 s before round 1203 was due/),
    });
    expect(check(await beaconDraw(), 'beacon')).toMatchObject({
      ok: true,
      warning: true,
      detail: expect.stringContaining('not a drand chain this version knows'),
    });
    expect(check(await beaconDraw(), 'seed')).toMatchObject({
      ok: true,
      detail: expect.stringContaining('the randomness of drand round'),
    });
  });

  it('fails a commitment Step Functions recorded after the round was due', async () => {
    const late = await beaconDraw({ seenAt: new Date(committedAt + 60_000) });
    expect(check(late, 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('after round'),
    });
  });

  it('warns when the history that dates the commitment is gone', async () => {
    expect(check(await beaconDraw({ seenAt: undefined }), 'commitment')).toMatchObject({
      ok: true,
      warning: true,
      detail: expect.stringContaining("by the backend's clock"),
    });
  });

  it('fails a commitment to a round that is not the first after its margin (one that already existed)', async () => {
    const earlier = await beaconDraw({
      commitment: { round: committedRound(chain.info, committedAt, 5).round - 10 },
    });
    expect(check(earlier, 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('is not the first round 5 s after the commitment'),
    });
  });

  it('fails a commitment edited after the draw', async () => {
    const evidence = await beaconDraw();
    const edited = { ...evidence, commitment: { ...evidence.commitment!, prize: 'Car' } };
    expect(check(edited, 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('one of them was changed'),
    });
  });

  it('fails a draw that picked from other candidates than it committed to', async () => {
    const other = await beaconDraw({
      commitment: {
        pool: poolDefinition(
          { mode: 'serial-space', serialSpace: 12, excluded: [3, 4] },
          { total: 12, eligible: 10, stats_version: 4 },
        ),
      },
    });
    expect(check(other, 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not the committed'),
    });
  });

  it("fails a forged round, a replayed round and a seed that is not the round's randomness", async () => {
    const forged = await beaconDraw({
      round: {
        signature: new TestChain().sign(committedRound(chain.info, committedAt, 5).round).signature,
      },
    });
    expect(check(forged, 'beacon')).toMatchObject({
      ok: false,
      detail: expect.stringContaining("not the chain's signature"),
    });
    const earlier = chain.sign(committedRound(chain.info, committedAt, 5).round - 1);
    const replayed = await beaconDraw({
      round: { round: earlier.round, signature: earlier.signature },
    });
    expect(check(replayed, 'beacon')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('but committed to round'),
    });
    const chosen = await beaconDraw({ seed: 'ab'.repeat(32) });
    expect(check(chosen, 'beacon')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('but the draw used seed'),
    });
  });

  it('fails a round of another chain than the one committed to', async () => {
    const stranger = new TestChain({ period: 3, genesisTime: chain.info.genesis_time });
    const signed = stranger.sign(committedRound(chain.info, committedAt, 5).round);
    const other = await beaconDraw({
      round: { chain: stranger.info.hash, signature: signed.signature },
    });
    expect(check(other, 'beacon')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('of chain'),
    });
  });

  it('fails a beacon draw whose commitment is missing, and one started without a beacon', async () => {
    expect(check({ ...(await beaconDraw()), commitment: undefined }, 'commitment')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('holds no commitment'),
    });
    expect(check(await beaconDraw({ input: '{"input":2,"prize":"Bike"}' }), 'seed')).toMatchObject({
      ok: false,
      detail:
        'the records say the seed came from a beacon round, but the draw was started without a beacon',
    });
  });
});

describe("the countdown to a beacon draw's round", () => {
  const due = '2026-11-29T10:00:06Z';
  it('counts seconds, then minutes and seconds, then says the round is due', () => {
    expect(countdown(due, new Date('2026-11-29T10:00:00.200Z'))).toBe('in 6 s');
    expect(countdown(due, new Date('2026-11-29T09:58:01.000Z'))).toBe('in 2 min 05 s');
    expect(countdown(due, new Date('2026-11-29T10:00:06.000Z'))).toBe('due now');
  });

  it('is what the waiting state shows; other states show their name', () => {
    const chain = new TestChain();
    const step = (name: string): Step => ({
      name,
      type: 'Wait',
      visit: 1,
      depth: 0,
      enteredAt: new Date(),
      attempts: 0,
      outcome: 'running',
      lastAttemptFailed: false,
      input: {
        body: {
          beacon: {
            commitment: {
              chain: chain.info,
              round: 77,
              round_time: due,
              committed_at: '',
              digest: '',
            },
          },
        },
      },
    });
    expect(runningLabel(step(STATES.waitForRound), new Date('2026-11-29T10:00:01.000Z'))).toBe(
      'Wait For Beacon Round: round 77 of test-chain in 5 s',
    );
    expect(runningLabel(step(STATES.select), new Date())).toBe(STATES.select);
  });
});
