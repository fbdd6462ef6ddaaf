import { committedRound, DRAND_CHAINS, roundRandomness, verifyRound } from '../../src/core/beacon';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pickPeople } from '../../src/core/pool';
import {
  CandidateOrder,
  DrawRandom,
  RankShuffle,
  SEED_BYTES,
  candidateSpaceDigest,
  compareIds,
  countAtMost,
  newSeed,
  rankToSerial,
  serialsDigest,
  type CandidateSpace,
} from '../../src/core/selection';

const SEED_A = '00'.repeat(32);
const SEED_B = '0123456789abcdef'.repeat(4);

/** A deterministic 32-byte seed for the i-th test draw. */
function seedFor(label: string, i: number): string {
  return createHash('sha256').update(`${label}-${i}`).digest('hex');
}

function take(random: DrawRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.nextUint32());
}

function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('newSeed', () => {
  it('is 32 random bytes in lower-case hex, different every time', () => {
    const a = newSeed();
    const b = newSeed();
    expect(a).toMatch(new RegExp(`^[0-9a-f]{${SEED_BYTES * 2}}$`));
    expect(a).not.toBe(b);
  });
});

describe('DrawRandom', () => {
  it('gives the same stream for the same seed and attempt', () => {
    expect(take(new DrawRandom(SEED_B, 3), 40)).toEqual(take(new DrawRandom(SEED_B, 3), 40));
  });

  it('gives different streams for different attempts of the same seed', () => {
    const first = take(new DrawRandom(SEED_B, 0), 16);
    const second = take(new DrawRandom(SEED_B, 1), 16);
    expect(second).not.toEqual(first);
  });

  it('gives different streams for different seeds', () => {
    expect(take(new DrawRandom(SEED_A, 0), 16)).not.toEqual(take(new DrawRandom(SEED_B, 0), 16));
  });

  it('reads SHA-256(seed ‖ uint32be(attempt) ‖ uint32be(counter)) as big-endian uint32 values', () => {
    const attempt = 7;
    const expected: number[] = [];
    for (let counter = 0; counter < 3; counter++) {
      const suffix = Buffer.alloc(8);
      suffix.writeUInt32BE(attempt, 0);
      suffix.writeUInt32BE(counter, 4);
      const block = createHash('sha256')
        .update(Buffer.concat([Buffer.from(SEED_B, 'hex'), suffix]))
        .digest();
      for (let offset = 0; offset < 32; offset += 4) expected.push(block.readUInt32BE(offset));
    }
    // 3 blocks of 8 values: crosses two block boundaries.
    expect(take(new DrawRandom(SEED_B, attempt), 24)).toEqual(expected);
  });

  it.each([1, 2, 3, 7, 10, 1000, 2 ** 31 + 1, 2 ** 32])('below(%d) stays in [0, n)', (n) => {
    const random = new DrawRandom(SEED_B, 0);
    for (let i = 0; i < 500; i++) {
      const value = random.below(n);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(n);
    }
  });

  it('below(1) is always 0', () => {
    const random = new DrawRandom(SEED_A, 0);
    expect(Array.from({ length: 20 }, () => random.below(1))).toEqual(Array(20).fill(0));
  });

  it('below(2^32) returns the raw values unchanged', () => {
    const random = new DrawRandom(SEED_B, 2);
    expect(Array.from({ length: 10 }, () => random.below(2 ** 32))).toEqual(
      take(new DrawRandom(SEED_B, 2), 10),
    );
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32 + 1])(
    'below(%d) is refused with a RangeError',
    (n) => {
      expect(() => new DrawRandom(SEED_A, 0).below(n)).toThrow(
        new RangeError(`cannot draw a number below ${n}`),
      );
    },
  );

  it('skips a value exactly at the limit: with n equal to it, the limit is n, and taking it would give 0', () => {
    // For n above 2^31 the largest multiple of n under 2^32 is n itself.
    const attempt = Array.from({ length: 64 }, (_, i) => i).find((i) => {
      const [first, second] = take(new DrawRandom(SEED_B, i), 2) as [number, number];
      return first >= 2 ** 31 && second < first;
    })!;
    const [n, next] = take(new DrawRandom(SEED_B, attempt), 2) as [number, number];
    expect(new DrawRandom(SEED_B, attempt).below(n)).toBe(next);
    expect(next).not.toBe(0);
  });

  it('skips values at or above the largest multiple of n under 2^32 (rejection, not modulo)', () => {
    // n = 3·2^30: the largest multiple under 2^32 is n itself, so a quarter of all values are
    // rejected.
    const n = 3 * 2 ** 30;
    let rejectedSomewhere = false;
    for (let i = 0; i < 64; i++) {
      const seed = seedFor('reject', i);
      const raw = take(new DrawRandom(seed, 0), 64);
      const firstAccepted = raw.findIndex((value) => value < n);
      if (firstAccepted > 0) rejectedSomewhere = true;
      expect(new DrawRandom(seed, 0).below(n)).toBe((raw[firstAccepted] as number) % n);
    }
    expect(rejectedSomewhere).toBe(true);
  });
});

describe('RankShuffle', () => {
  const order = (size: number, seed: string, attempt = 0) => {
    const shuffle = new RankShuffle(size, new DrawRandom(seed, attempt));
    const ranks: number[] = [];
    for (let rank = shuffle.next(); rank !== undefined; rank = shuffle.next()) ranks.push(rank);
    return ranks;
  };

  it.each([0, 1, 2, 7, 100])('gives every rank of %d exactly once, then nothing', (size) => {
    expect([...order(size, SEED_B)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: size }, (_, i) => i),
    );
  });

  it('is the partial Fisher–Yates shuffle of docs/fairness.md: swap place i with place i + below(n − i), take place i', () => {
    const size = 50;
    const random = new DrawRandom(SEED_A, 3);
    const places = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + random.below(size - i);
      [places[i], places[j]] = [places[j]!, places[i]!];
    }
    expect(order(size, SEED_A, 3)).toEqual(places);
  });

  it('depends on the seed and on the attempt', () => {
    expect(order(30, SEED_A)).not.toEqual(order(30, SEED_B));
    expect(order(30, SEED_A, 0)).not.toEqual(order(30, SEED_A, 1));
  });

  it('keeps only the places it has touched: a million places cost nothing up front', () => {
    const shuffle = new RankShuffle(1_000_000_000, new DrawRandom(SEED_B, 0));
    const ranks = Array.from({ length: 5 }, () => shuffle.next()!);
    expect(new Set(ranks).size).toBe(5);
    for (const rank of ranks) expect(rank).toBeLessThan(1_000_000_000);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %d places', (size) => {
    expect(() => new RankShuffle(size, new DrawRandom(SEED_A, 0))).toThrow(
      new RangeError(`cannot shuffle ${size} places`),
    );
  });
});

describe('rankToSerial and countAtMost', () => {
  /** The obvious way: list the serials that are not excluded. */
  const bruteForce = (rank: number, excluded: readonly number[]) => {
    const out = new Set(excluded);
    for (let serial = 1, seen = -1; ; serial++)
      if (!out.has(serial) && ++seen === rank) return serial;
  };

  it.each([
    [[]],
    [[1]],
    [[2, 3]],
    [[1, 2, 3, 4, 5]],
    [[5, 9, 10, 11, 30]],
    [[1, 3, 5, 7, 9, 11, 13]],
  ])('maps every rank past %j as listing the free serials would', (excluded) => {
    for (let rank = 0; rank < 40; rank++)
      expect(rankToSerial(rank, excluded), `rank ${rank}`).toBe(bruteForce(rank, excluded));
  });

  it('matches listing on many random exclusion sets', () => {
    for (let i = 0; i < 200; i++) {
      const random = new DrawRandom(seedFor('ranks', i), 0);
      const excluded = [
        ...new Set(Array.from({ length: random.below(30) }, () => 1 + random.below(60))),
      ].sort((a, b) => a - b);
      const rank = random.below(40);
      expect(rankToSerial(rank, excluded)).toBe(bruteForce(rank, excluded));
    }
  });

  it.each([
    [[], 5, 0],
    [[1, 2, 3], 0, 0],
    [[1, 2, 3], 2, 2],
    [[1, 2, 3], 3, 3],
    [[4, 8], 7, 1],
    [[4, 8], 100, 2],
  ])('countAtMost(%j, %d) is %d', (values, limit, expected) => {
    expect(countAtMost(values, limit)).toBe(expected);
  });
});

describe('CandidateOrder', () => {
  it('in serial space: every serial 1..S but the excluded, once each, in the order of the ranks', () => {
    const space: CandidateSpace = {
      mode: 'serial-space',
      serialSpace: 12,
      excluded: [2, 5, 6, 12],
    };
    const order = new CandidateOrder(space, SEED_B, 1);
    expect(order.size).toBe(8);
    const serials = order.take(100);
    expect([...serials].sort((a, b) => a - b)).toEqual([1, 3, 4, 7, 8, 9, 10, 11]);
    const ranks = new RankShuffle(8, new DrawRandom(SEED_B, 1));
    expect(serials).toEqual(
      Array.from({ length: 8 }, () => rankToSerial(ranks.next()!, [2, 5, 6, 12])),
    );
  });

  it('in serial space: an excluded serial above S takes no place', () => {
    const order = new CandidateOrder(
      { mode: 'serial-space', serialSpace: 3, excluded: [2, 7] },
      SEED_A,
      0,
    );
    expect(order.size).toBe(2);
    expect([...order.take(5)].sort()).toEqual([1, 3]);
  });

  it('in a serial list: the listed serials, in the order of their ranks', () => {
    const serials = [4, 90, 1000, 5000, 70000];
    const order = new CandidateOrder({ mode: 'serial-list', serials }, SEED_A, 2);
    const ranks = new RankShuffle(5, new DrawRandom(SEED_A, 2));
    expect(order.take(5)).toEqual(Array.from({ length: 5 }, () => serials[ranks.next()!]));
  });

  it('gives every candidate and then stops, however many more are asked for', () => {
    const order = new CandidateOrder({ mode: 'serial-list', serials: [7, 8] }, SEED_A, 1);
    expect([...order.take(5)].sort()).toEqual([7, 8]);
    expect(order.take(1)).toEqual([]);
    expect(
      new CandidateOrder(
        { mode: 'serial-space', serialSpace: 2, excluded: [1, 2] },
        SEED_A,
        1,
      ).take(3),
    ).toEqual([]);
  });

  it('takes as many as asked in any batches: the order does not depend on how it is read', () => {
    const space: CandidateSpace = { mode: 'serial-space', serialSpace: 40, excluded: [3, 9] };
    const whole = new CandidateOrder(space, SEED_B, 0).take(38);
    const batched = new CandidateOrder(space, SEED_B, 0);
    expect([
      ...batched.take(3),
      ...batched.take(1),
      ...batched.take(10),
      ...batched.take(100),
    ]).toEqual(whole);
  });
});

describe('digests of the candidates', () => {
  it('name the mode, the serial space and every excluded serial', () => {
    const digest = candidateSpaceDigest({
      mode: 'serial-space',
      serialSpace: 10,
      excluded: [2, 3],
    });
    expect(digest).toBe(createHash('sha256').update('serial-space 10\n2\n3').digest('hex'));
    expect(
      candidateSpaceDigest({ mode: 'serial-space', serialSpace: 11, excluded: [2, 3] }),
    ).not.toBe(digest);
    expect(candidateSpaceDigest({ mode: 'serial-space', serialSpace: 10, excluded: [2] })).not.toBe(
      digest,
    );
  });

  it('name every listed serial', () => {
    expect(candidateSpaceDigest({ mode: 'serial-list', serials: [1, 23] })).toBe(
      createHash('sha256').update('serial-list\n1\n23').digest('hex'),
    );
    expect(candidateSpaceDigest({ mode: 'serial-list', serials: [12, 3] })).not.toBe(
      candidateSpaceDigest({ mode: 'serial-list', serials: [1, 23] }),
    );
  });

  it('tell the two modes apart', () => {
    expect(serialsDigest('serial-list', [])).not.toBe(serialsDigest('serial-space 0', []));
  });
});

describe('compareIds', () => {
  it('sorts by Unicode code point, not by UTF-16 code unit', () => {
    const astral = '\u{1F600}'; // stored in UTF-16 as the surrogate pair D83D DE00
    const highBmp = '\uFF21'; // above the surrogates in code point order, below them in UTF-16
    expect(compareIds(highBmp, astral)).toBeLessThan(0);
    expect(compareIds('\uE000', '\u{10000}')).toBeLessThan(0);
    expect(compareIds('001', '001')).toBe(0);
    expect(compareIds('002', '001')).toBeGreaterThan(0);
  });
});

/**
 * A pool with holes, as `lottery seed --replace` and serials given in a file leave it, drawn from
 * the way Random Select Winners draws: candidates in the shuffled order, holes and taken people
 * skipped. Seeds are fixed, so the chi-square tests below always pass or always fail.
 */
describe('uniformity on a pool with holes (fixed seeds, deterministic)', () => {
  const holes = new Set([2, 3, 8, 13, 14, 15, 19]);
  const excluded = [5, 11];
  const serialSpace = 22;
  const people = new Map(
    Array.from({ length: serialSpace }, (_, i) => i + 1)
      .filter((serial) => !holes.has(serial))
      .map((serial) => [serial, { employee_id: `E${serial}` }]),
  );
  const eligible = [...people.keys()].filter((serial) => !excluded.includes(serial));
  // χ² with 12 degrees of freedom (13 eligible people) at p = 0.001.
  const CHI_SQUARE_12_DF_P001 = 32.909;
  const draws = 6000;

  async function draw(seed: string, k: number) {
    const order = new CandidateOrder({ mode: 'serial-space', serialSpace, excluded }, seed, 1);
    const lookup = async (serials: readonly number[]) =>
      new Map(
        serials.flatMap((serial) =>
          people.has(serial) ? [[serial, people.get(serial)!] as const] : [],
        ),
      );
    return pickPeople(
      (count) => order.take(count),
      k,
      lookup,
      () => false,
    );
  }

  it('has 13 eligible people among 22 serials', () => {
    expect(eligible).toHaveLength(13);
  });

  it('every eligible person wins equally often (k = 4), holes notwithstanding', async () => {
    const wins = new Map(eligible.map((serial) => [`E${serial}`, 0]));
    for (let i = 0; i < draws; i++)
      for (const winner of (await draw(seedFor('holes', i), 4)).winners)
        wins.set(winner.employee_id, (wins.get(winner.employee_id) ?? 0) + 1);
    expect([...wins.keys()]).toHaveLength(13);
    expect(chiSquare([...wins.values()], (draws * 4) / 13)).toBeLessThan(CHI_SQUARE_12_DF_P001);
  });

  it('every eligible person is equally likely to be picked first', async () => {
    const first = new Map(eligible.map((serial) => [`E${serial}`, 0]));
    for (let i = 0; i < draws; i++) {
      const [winner] = (await draw(seedFor('holes-first', i), 2)).winners;
      first.set(winner!.employee_id, (first.get(winner!.employee_id) ?? 0) + 1);
    }
    expect(chiSquare([...first.values()], draws / 13)).toBeLessThan(CHI_SQUARE_12_DF_P001);
  });

  it('a person next to a hole would be favoured by "take the next serial up" (the check has teeth)', () => {
    // The tempting shortcut, mapping a hole to the next serial in use, gives serial 4 three chances
    // (2, 3, 4).
    const biased = new Map(eligible.map((serial) => [serial, 0]));
    for (let i = 0; i < draws; i++) {
      let serial = 1 + new DrawRandom(seedFor('biased', i), 0).below(serialSpace);
      while (!eligible.includes(serial)) serial = (serial % serialSpace) + 1;
      biased.set(serial, (biased.get(serial) ?? 0) + 1);
    }
    expect(chiSquare([...biased.values()], draws / 13)).toBeGreaterThan(CHI_SQUARE_12_DF_P001);
  });
});

// An independent implementation of the candidate order of src/core/selection.ts in Python 3:
// the serial of a rank by walking the excluded serials, the shuffle on a plain list. Reads a JSON
// list of {seed, attempt, mode, serial_space, excluded, serials, count} on stdin and prints the
// first `count` candidate serials of each.
const PYTHON_CANDIDATES = String.raw`
import hashlib, json, math, sys

def stream(seed_hex, attempt):
    seed = bytes.fromhex(seed_hex)
    counter = 0
    while True:
        block = hashlib.sha256(seed + attempt.to_bytes(4, 'big') + counter.to_bytes(4, 'big')).digest()
        counter += 1
        for offset in range(0, 32, 4):
            yield int.from_bytes(block[offset:offset + 4], 'big')

def below(values, n):
    limit = (2 ** 32) - (2 ** 32) % n
    while True:
        value = next(values)
        if value < limit:
            return value % n

def serial_of_rank(rank, excluded):
    serial = rank + 1
    for taken in sorted(excluded):
        if taken <= serial:
            serial += 1
        else:
            break
    return serial

def candidates(case):
    if case['mode'] == 'serial-list':
        size = len(case['serials'])
        serial_at = lambda rank: case['serials'][rank]
    else:
        size = case['serial_space'] - len([s for s in case['excluded'] if s <= case['serial_space']])
        serial_at = lambda rank: serial_of_rank(rank, case['excluded'])
    ranks = list(range(size))
    values = stream(case['seed'], case['attempt'])
    out = []
    for i in range(min(case['count'], size)):
        j = i + below(values, size - i)
        ranks[i], ranks[j] = ranks[j], ranks[i]
        out.append(serial_at(ranks[i]))
    return out
`;
const PYTHON_REFERENCE = `${PYTHON_CANDIDATES}
print(json.dumps([candidates(case) for case in json.load(sys.stdin)]))
`;

describe('cross-check against an independent Python implementation', () => {
  const cases = [
    { seed: SEED_A, attempt: 1, mode: 'serial-space', serial_space: 10, excluded: [], count: 10 },
    {
      seed: SEED_B,
      attempt: 2,
      mode: 'serial-space',
      serial_space: 1000,
      excluded: [1, 2, 3, 500, 999, 1000],
      count: 25,
    },
    {
      seed: seedFor('py', 1),
      attempt: 4,
      mode: 'serial-space',
      serial_space: 60,
      excluded: Array.from({ length: 40 }, (_, i) => 1 + i * 1.5).map(Math.floor),
      count: 60,
    },
    {
      seed: seedFor('py', 2),
      attempt: 1,
      mode: 'serial-list',
      serials: [3, 17, 18, 900, 44_000, 1_000_000_000],
      count: 6,
    },
    // A short (16-byte) seed, as --seed allows 32 hex digits.
    {
      seed: 'ffeeddccbbaa99887766554433221100',
      attempt: 9,
      mode: 'serial-space',
      serial_space: 2,
      excluded: [],
      count: 1,
    },
    {
      seed: seedFor('py', 3),
      attempt: 2,
      mode: 'serial-space',
      serial_space: 37,
      excluded: [37],
      count: 40,
    },
  ];

  it('orders the candidates the same way for the same seed, attempt and pool', () => {
    const output = execFileSync('python3', ['-c', PYTHON_REFERENCE], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    const expected = JSON.parse(output) as number[][];
    expect(expected).toHaveLength(cases.length);
    const actual = cases.map((c) => {
      const space: CandidateSpace =
        c.mode === 'serial-list'
          ? { mode: 'serial-list', serials: c.serials! }
          : {
              mode: 'serial-space',
              serialSpace: c.serial_space!,
              excluded: [...new Set(c.excluded!)],
            };
      return new CandidateOrder(space, c.seed, c.attempt).take(c.count);
    });
    expect(actual).toEqual(expected);
  });
});

// Beacon draws take their seed from a drand round: an independent Python derivation of the seed
// (SHA-256 of the round's signature) and of the round a commitment names (the first at least the
// margin after it, round time = genesis + (round − 1) × period), fed into the reference above.
// Python's standard library has no BLS12-381, so the signature itself is checked by the
// TypeScript side only (test/unit/beacon.test.ts): docs/beacon.md says so too.
const PYTHON_BEACON = `${PYTHON_CANDIDATES}
given = json.load(sys.stdin)
out = []
for case in given['cases']:
    seed = hashlib.sha256(bytes.fromhex(case['signature'])).hexdigest()
    first = max(1, math.ceil((case['committed_at_ms'] / 1000 + case['margin'] - case['genesis']) / case['period']) + 1)
    out.append({'seed': seed, 'round': first, 'round_time': case['genesis'] + (first - 1) * case['period']})
pool = dict(given['pool'], seed=out[0]['seed'])
print(json.dumps({'rounds': out, 'candidates': candidates(pool)}))
`;

describe('cross-check of beacon seeds against an independent Python derivation', () => {
  // quicknet round 123, as the drand-verify crate's documentation publishes it.
  const signature =
    'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92';
  const cases = [
    {
      signature,
      committed_at_ms: (1692803367 + 100 * 3) * 1000 + 123,
      margin: 10,
      genesis: 1692803367,
      period: 3,
    },
    {
      signature,
      committed_at_ms: (1692803367 + 111 * 3) * 1000,
      margin: 3,
      genesis: 1692803367,
      period: 3,
    },
    { signature, committed_at_ms: 1_795_000_000_500, margin: 10, genesis: 1595431050, period: 30 },
  ];

  it('derives the same seed and round, and the seed gives the same candidates', () => {
    // The candidates of this pool, from the seed of the first case's round, by the reference above.
    const pool = {
      attempt: 1,
      mode: 'serial-space',
      serial_space: 50,
      excluded: [7, 8],
      count: 12,
    };
    const { rounds: python, candidates: expected } = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_BEACON], {
        input: JSON.stringify({ cases, pool }),
        encoding: 'utf8',
      }),
    ) as { rounds: { seed: string; round: number; round_time: number }[]; candidates: number[] };
    // By hand: 300.123 s + 10 s after genesis is within round 104's slot (309..312 s), so round 105
    // (at 312 s); 333 s + 3 s is exactly round 113's time (336 s), which counts.
    expect(python.map((each) => each.round).slice(0, 2)).toEqual([105, 113]);
    const actual = cases.map((c) => {
      const chain = { genesis_time: c.genesis, period: c.period };
      const { round, time } = committedRound(
        { ...DRAND_CHAINS.quicknet, ...chain },
        c.committed_at_ms,
        c.margin,
      );
      return { seed: roundRandomness(c.signature), round, round_time: time };
    });
    expect(actual).toEqual(python);
    expect(verifyRound(DRAND_CHAINS.quicknet, { round: 123, signature })).toEqual({
      ok: true,
      randomness: python[0]!.seed,
    });
    expect(
      new CandidateOrder(
        { mode: 'serial-space', serialSpace: 50, excluded: [7, 8] },
        python[0]!.seed,
        1,
      ).take(12),
    ).toEqual(expected);
  });
});
