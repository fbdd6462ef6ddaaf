import { createHash, randomBytes } from 'node:crypto';

// How a draw picks its winners, written so that anyone can re-check a draw by hand (README,
// "Checking a draw"):
//
// 1. The pool is every eligible employee id, sorted by Unicode code point (as Python's sorted()).
//    Its digest is the SHA-256 of the ids joined by "\n", in hex.
// 2. A 32-byte seed comes from the operating system's CSPRNG (or from --seed). The random stream
//    for attempt `a` is SHA-256(seed ‖ uint32be(a) ‖ uint32be(0)), SHA-256(seed ‖ uint32be(a) ‖
//    uint32be(1)), …, read as consecutive big-endian uint32 values. SHA-256 in counter mode is a
//    pseudorandom function, so the stream is as unpredictable as the seed.
// 3. A uniform integer below n is taken by rejection: values at or above the largest multiple of
//    n under 2^32 are skipped, so no index is favoured (the `Math.random() * n` bias is absent).
// 4. k winners are the first k places of a partial Fisher–Yates shuffle: for i in 0..k-1, swap
//    place i with place i + uniform(n - i). Sampling is without replacement, and its cost is O(k)
//    random draws whatever share of the company has already won: past winners are simply not in
//    the pool, so there is nothing to re-draw.

export const SELECTION_ALGORITHM = 'sha256-ctr-fisher-yates-v1';
export const SEED_BYTES = 32;

const TWO_POW_32 = 0x1_0000_0000;

export function newSeed(): string {
  return randomBytes(SEED_BYTES).toString('hex');
}

/** Orders ids by Unicode code point, which is how UTF-8 bytes compare. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function orderPool<T extends { employee_id: string }>(members: readonly T[]): T[] {
  return [...members].sort((a, b) => compareIds(a.employee_id, b.employee_id));
}

export function poolDigest(orderedIds: readonly string[]): string {
  return createHash('sha256').update(orderedIds.join('\n'), 'utf8').digest('hex');
}

/** The deterministic random stream of one attempt of one draw. */
export class DrawRandom {
  private readonly prefix: Buffer;
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0;

  constructor(seedHex: string, attempt: number) {
    const attemptBytes = Buffer.alloc(4);
    attemptBytes.writeUInt32BE(attempt);
    this.prefix = Buffer.concat([Buffer.from(seedHex, 'hex'), attemptBytes]);
  }

  nextUint32(): number {
    if (this.offset >= this.block.length) {
      const counterBytes = Buffer.alloc(4);
      counterBytes.writeUInt32BE(this.counter++);
      this.block = createHash('sha256').update(this.prefix).update(counterBytes).digest();
      this.offset = 0;
    }
    const value = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`cannot draw below ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % n;
    }
  }
}

/** The first k places of a partial Fisher–Yates shuffle of `pool` (which is not modified). */
export function sampleWithoutReplacement<T>(pool: readonly T[], k: number, random: DrawRandom): T[] {
  if (!Number.isInteger(k) || k < 0 || k > pool.length) {
    throw new RangeError(`cannot pick ${k} from a pool of ${pool.length}`);
  }
  const places = [...pool];
  for (let i = 0; i < k; i++) {
    const j = i + random.below(places.length - i);
    [places[i], places[j]] = [places[j] as T, places[i] as T];
  }
  return places.slice(0, k);
}

export interface Selection<T> {
  winners: T[];
  poolSize: number;
  poolDigest: string;
}

/** Orders the pool, digests it and picks k winners with the stream of (seed, attempt). */
export function selectWinners<T extends { employee_id: string }>(
  eligible: readonly T[],
  k: number,
  seedHex: string,
  attempt: number,
): Selection<T> {
  const pool = orderPool(eligible);
  return {
    winners: sampleWithoutReplacement(pool, k, new DrawRandom(seedHex, attempt)),
    poolSize: pool.length,
    poolDigest: poolDigest(pool.map((member) => member.employee_id)),
  };
}
