import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DrawRandom,
  SEED_BYTES,
  compareIds,
  newSeed,
  orderPool,
  poolDigest,
  sampleWithoutReplacement,
  selectWinners,
} from '../../src/core/selection';

const SEED_A = '00'.repeat(32);
const SEED_B = '0123456789abcdef'.repeat(4);

/** A deterministic 32-byte seed for the i-th test draw. */
function seedFor(label: string, i: number): string {
  return createHash('sha256').update(`${label}-${i}`).digest('hex');
}

function people(ids: readonly string[]) {
  return ids.map((employee_id) => ({ employee_id, employee_name: `name of ${employee_id}` }));
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
      const block = createHash('sha256').update(Buffer.concat([Buffer.from(SEED_B, 'hex'), suffix])).digest();
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
    expect(Array.from({ length: 10 }, () => random.below(2 ** 32))).toEqual(take(new DrawRandom(SEED_B, 2), 10));
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32 + 1])('below(%d) is refused with a RangeError', (n) => {
    expect(() => new DrawRandom(SEED_A, 0).below(n)).toThrow(RangeError);
  });

  it('skips values at or above the largest multiple of n under 2^32 (rejection, not modulo)', () => {
    // n = 3·2^30: the largest multiple under 2^32 is n itself, so a quarter of all values are rejected.
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

describe('sampleWithoutReplacement', () => {
  const pool = Object.freeze(Array.from({ length: 20 }, (_, i) => `p${i}`));

  it.each([0, 1, 3, 19, 20])('picks %d distinct members of the pool', (k) => {
    const picked = sampleWithoutReplacement(pool, k, new DrawRandom(SEED_B, 0));
    expect(picked).toHaveLength(k);
    expect(new Set(picked).size).toBe(k);
    for (const member of picked) expect(pool).toContain(member);
  });

  it('does not modify the pool it is given', () => {
    const input = ['a', 'b', 'c', 'd', 'e'];
    const copy = [...input];
    sampleWithoutReplacement(input, 5, new DrawRandom(SEED_B, 0));
    expect(input).toEqual(copy);
    // A frozen pool would throw on any write.
    expect(() => sampleWithoutReplacement(pool, 10, new DrawRandom(SEED_A, 0))).not.toThrow();
  });

  it('is deterministic for a given stream', () => {
    expect(sampleWithoutReplacement(pool, 5, new DrawRandom(SEED_B, 4))).toEqual(
      sampleWithoutReplacement(pool, 5, new DrawRandom(SEED_B, 4)),
    );
  });

  it('picking all k = n members is a permutation of the pool', () => {
    const picked = sampleWithoutReplacement(pool, pool.length, new DrawRandom(SEED_A, 1));
    expect([...picked].sort()).toEqual([...pool].sort());
  });

  it.each([-1, 21, 1.5, Number.NaN])('refuses k = %d for a pool of 20', (k) => {
    expect(() => sampleWithoutReplacement(pool, k, new DrawRandom(SEED_A, 0))).toThrow(RangeError);
  });
});

describe('orderPool and compareIds', () => {
  it('sorts by Unicode code point, not by UTF-16 code unit', () => {
    const astral = '\u{1F600}'; // U+1F600, stored in UTF-16 as the surrogate pair D83D DE00
    const highBmp = '\uFF21'; // U+FF21, above the surrogates in code point order but below them in UTF-16
    const ordered = orderPool(people([astral, highBmp, 'b', 'a'])).map((member) => member.employee_id);
    expect(ordered).toEqual(['a', 'b', highBmp, astral]);
    // JavaScript's default sort compares UTF-16 code units and would put the emoji first.
    expect([astral, highBmp].sort()).toEqual([astral, highBmp]);
    expect(compareIds(highBmp, astral)).toBeLessThan(0);
    expect(compareIds('\uE000', '\u{10000}')).toBeLessThan(0);
  });

  it.each([
    [['b', 'a', 'c'], ['a', 'b', 'c']],
    [['10', '9', '1', '001'], ['001', '1', '10', '9']],
    [['a', 'B', 'A', 'b'], ['A', 'B', 'a', 'b']],
    [['é', 'z', 'e'], ['e', 'z', 'é']],
  ])('orders %j as %j', (ids, expected) => {
    expect(orderPool(people(ids)).map((member) => member.employee_id)).toEqual(expected);
  });

  it('returns a new array and leaves its input alone', () => {
    const input = people(['c', 'a', 'b']);
    const ordered = orderPool(input);
    expect(input.map((member) => member.employee_id)).toEqual(['c', 'a', 'b']);
    expect(ordered).not.toBe(input);
    expect(ordered[0]).toBe(input[1]);
  });

  it('compareIds is 0 only for equal ids', () => {
    expect(compareIds('001', '001')).toBe(0);
    expect(compareIds('001', '002')).toBeLessThan(0);
    expect(compareIds('002', '001')).toBeGreaterThan(0);
  });
});

describe('poolDigest', () => {
  it.each([[['001', '002', '003']], [['only']], [[]], [['Zoë', '\u{1F600}', '李雷']]])(
    'is the hex SHA-256 of %j joined by newlines',
    (ids) => {
      expect(poolDigest(ids)).toBe(createHash('sha256').update(ids.join('\n'), 'utf8').digest('hex'));
    },
  );

  it('depends on the order of the ids', () => {
    expect(poolDigest(['a', 'b'])).not.toBe(poolDigest(['b', 'a']));
  });

  it('is not fooled by ids that join to the same text differently', () => {
    expect(poolDigest(['a', 'bc'])).not.toBe(poolDigest(['ab', 'c']));
  });
});

describe('selectWinners', () => {
  const employees = people(['005', '003', '010', '001', '008', '002', '009', '004', '007', '006']);

  it('reports the pool size and the digest of the ordered ids', () => {
    const selection = selectWinners(employees, 3, SEED_B, 0);
    expect(selection.poolSize).toBe(10);
    const ordered = employees.map((employee) => employee.employee_id).sort();
    expect(selection.poolDigest).toBe(createHash('sha256').update(ordered.join('\n')).digest('hex'));
  });

  it('picks k distinct employees from the pool', () => {
    const { winners } = selectWinners(employees, 4, SEED_B, 0);
    expect(winners).toHaveLength(4);
    expect(new Set(winners.map((winner) => winner.employee_id)).size).toBe(4);
    for (const winner of winners) expect(employees).toContain(winner);
  });

  it('gives the same winners whatever order the pool comes in', () => {
    const reversed = [...employees].reverse();
    expect(selectWinners(reversed, 3, SEED_B, 0)).toEqual(selectWinners(employees, 3, SEED_B, 0));
  });

  it('is reproducible from the seed and the attempt, and a new attempt draws again', () => {
    const first = selectWinners(employees, 3, SEED_B, 0).winners.map((winner) => winner.employee_id);
    expect(selectWinners(employees, 3, SEED_B, 0).winners.map((winner) => winner.employee_id)).toEqual(first);
    const attempts = Array.from({ length: 5 }, (_, attempt) =>
      selectWinners(employees, 3, SEED_B, attempt).winners.map((winner) => winner.employee_id).join(','),
    );
    expect(new Set(attempts).size).toBeGreaterThan(1);
  });

  it('matches a hand-computed partial Fisher–Yates over the ordered pool', () => {
    const ordered = orderPool(employees);
    const random = new DrawRandom(SEED_A, 2);
    const places = [...ordered];
    for (let i = 0; i < 3; i++) {
      const j = i + random.below(places.length - i);
      [places[i], places[j]] = [places[j]!, places[i]!];
    }
    expect(selectWinners(employees, 3, SEED_A, 2).winners).toEqual(places.slice(0, 3));
  });

  it('picks nobody from an empty pool when asked for nobody, and refuses more than the pool', () => {
    expect(selectWinners([], 0, SEED_A, 0)).toEqual({
      winners: [],
      poolSize: 0,
      poolDigest: createHash('sha256').update('').digest('hex'),
    });
    expect(() => selectWinners(employees, 11, SEED_A, 0)).toThrow(RangeError);
  });
});

describe('uniformity (fixed seeds, deterministic)', () => {
  // Critical value of the chi-square distribution with 9 degrees of freedom (n - 1 for n = 10)
  // at p = 0.001: P(X² > 27.877) = 0.001. A fair draw exceeds it once in a thousand seed sets;
  // the seeds are fixed, so this test either always passes or always fails.
  const CHI_SQUARE_9_DF_P001 = 27.877;
  const n = 10;
  const ids = Array.from({ length: n }, (_, i) => `E${String(i).padStart(2, '0')}`);
  const pool = people(ids);
  const draws = 6000;

  it('every person wins equally often (k = 3 of n = 10)', () => {
    const k = 3;
    const wins = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) {
      for (const winner of selectWinners(pool, k, seedFor('wins', i), 0).winners) {
        wins[ids.indexOf(winner.employee_id)]!++;
      }
    }
    expect(wins.reduce((a, b) => a + b, 0)).toBe(draws * k);
    expect(chiSquare(wins, (draws * k) / n)).toBeLessThan(CHI_SQUARE_9_DF_P001);
  });

  it('every person is equally likely to be picked first', () => {
    const first = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) {
      const [winner] = selectWinners(pool, 3, seedFor('first', i), 0).winners;
      first[ids.indexOf(winner!.employee_id)]!++;
    }
    expect(chiSquare(first, draws / n)).toBeLessThan(CHI_SQUARE_9_DF_P001);
  });

  it('a skewed count would fail the same check (the statistic has teeth)', () => {
    const skewed = [700, 600, 600, 600, 600, 600, 600, 600, 600, 500];
    expect(chiSquare(skewed, draws / n)).toBeGreaterThan(CHI_SQUARE_9_DF_P001);
  });
});

// An independent implementation of the algorithm described at the top of src/core/selection.ts,
// in Python 3 (sorted() compares str by code point). Reads a JSON list of
// {seed, attempt, ids, k} on stdin and prints the list of winners' ids for each.
const PYTHON_REFERENCE = String.raw`
import hashlib, json, sys

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

def select(seed_hex, attempt, ids, k):
    places = sorted(ids)
    values = stream(seed_hex, attempt)
    for i in range(k):
        j = i + below(values, len(places) - i)
        places[i], places[j] = places[j], places[i]
    return places[:k]

cases = json.load(sys.stdin)
print(json.dumps([select(c['seed'], c['attempt'], c['ids'], c['k']) for c in cases]))
`;

describe('cross-check against an independent Python implementation', () => {
  const cases = [
    { seed: SEED_A, attempt: 0, ids: ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010'], k: 3 },
    { seed: SEED_B, attempt: 1, ids: ['zed', 'amy', 'Bob', 'carl', 'Dana', 'eve'], k: 6 },
    { seed: seedFor('py', 1), attempt: 4, ids: Array.from({ length: 1000 }, (_, i) => `emp-${i}`), k: 10 },
    { seed: seedFor('py', 2), attempt: 0, ids: ['\u{1F600}', '\uFF21', 'a', '李雷', 'Zoë', '\uE000'], k: 4 },
    // A short (16-byte) seed, as --seed allows 32 hex digits.
    { seed: 'ffeeddccbbaa99887766554433221100', attempt: 9, ids: ['x', 'y'], k: 1 },
    { seed: seedFor('py', 3), attempt: 2, ids: Array.from({ length: 37 }, (_, i) => `${i}`), k: 37 },
  ];

  it('picks the same winners for the same seed, attempt and pool', () => {
    const output = execFileSync('python3', ['-c', PYTHON_REFERENCE], { input: JSON.stringify(cases), encoding: 'utf8' });
    const expected = JSON.parse(output) as string[][];
    expect(expected).toHaveLength(cases.length);
    const actual = cases.map(({ seed, attempt, ids, k }) =>
      selectWinners(people(ids), k, seed, attempt).winners.map((winner) => winner.employee_id),
    );
    expect(actual).toEqual(expected);
  });
});
