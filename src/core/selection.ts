import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

// No Node-only module here: the record's verifier (src/core/record-verify.ts) runs this code in
// a browser too.

// How a draw picks its winners, written so that anyone can re-check a draw by hand
// (docs/fairness.md). A draw never reads the whole employee table: it works on
// lottery serials, and fetches only the people its candidates name.
//
// 1. The candidates are serials. Normally ("serial space") they are 1..S, where S is the highest
//    serial the pool has, less the excluded serials E: those of everyone who has won, is claimed
//    by another draw, has forfeited a win or is excluded from the event. When serials are sparse,
//    the draw reads the index's keys instead and the candidates are the serials people actually
//    have, less E ("serial list").
// 2. A 32-byte seed comes from the operating system's CSPRNG (or from --seed). The random stream
//    for attempt `a` is SHA-256(seed ‖ uint32be(a) ‖ uint32be(0)), SHA-256(seed ‖ uint32be(a) ‖
//    uint32be(1)), …, read as consecutive big-endian uint32 values. SHA-256 in counter mode is a
//    pseudorandom function, so the stream is as unpredictable as the seed.
// 3. A uniform integer below n is taken by rejection: values at or above the largest multiple of
//    n under 2^32 are skipped, so no index is favoured (the `Math.random() * n` bias is absent).
//
// Then, in draws made since tickets exist (v3, SELECTION_ALGORITHM):
//
// 4. Each proposal takes two numbers from the stream, always both and always in this order: a
//    rank r below n (the number of candidates; rank r is the (r+1)-th smallest candidate) and a
//    ticket number t below T, the largest number of tickets anyone in the pool has.
// 5. The person at that serial wins when t is below their tickets. A serial nobody has (a hole),
//    someone taken by another draw, or someone this draw has already taken, is passed over; so is
//    a person whose ticket number is not below their tickets. Passing over never removes anyone:
//    the next proposal is again uniform over all n candidates.
// 6. The winners are the first k people taken. Each proposal reaches every candidate with the
//    same chance and keeps a person with chance tickets / T, so each pick takes a person still in
//    the running with probability proportional to their tickets. A proposal costs a lookup only
//    for a serial not looked up yet; the numbers drawn never depend on what the lookups find, so
//    lookups can be made in batches and anyone can recompute the proposals from the seed alone.
//
// Draws made before tickets (v2, SHUFFLE_ALGORITHM) put the candidates in a random order by a
// Fisher–Yates shuffle of their ranks, computed lazily (for i = 0, 1, 2, …, swap place i with
// place i + uniform(n − i) and take place i), and took the first k who were people and not
// taken. Their code stays here so that they still verify.

export const SELECTION_ALGORITHM = 'sha256-ctr-serial-weighted-v3';
/** The algorithm of draws made before tickets existed: `lottery verify` still checks them. */
export const SHUFFLE_ALGORITHM = 'sha256-ctr-serial-shuffle-v2';
export const SEED_BYTES = 32;
/**
 * The most tickets one person may have. It bounds a draw's cost: a pick expects T / (mean
 * tickets) proposals, T being the largest ticket count in the pool.
 */
export const MAX_TICKETS = 10;

const TWO_POW_32 = 0x1_0000_0000;

export function newSeed(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(SEED_BYTES)));
}

/** Orders ids by Unicode code point, which is how UTF-8 bytes compare. */
export function compareIds(a: string, b: string): number {
  const [x, y] = [utf8ToBytes(a), utf8ToBytes(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return Math.sign(x.length - y.length);
}

/** The deterministic random stream of one attempt of one draw. */
export class DrawRandom {
  /** seed ‖ uint32be(attempt) ‖ uint32be(counter): the counter's four bytes change per block. */
  private readonly input: Uint8Array;
  private readonly inputView: DataView;
  private block: DataView = new DataView(new ArrayBuffer(0));
  private offset = 0;
  private counter = 0;

  constructor(seedHex: string, attempt: number) {
    const seed = hexToBytes(seedHex);
    this.input = concatBytes(seed, new Uint8Array(8));
    this.inputView = new DataView(this.input.buffer);
    this.inputView.setUint32(seed.length, attempt);
  }

  nextUint32(): number {
    if (this.offset >= this.block.byteLength) {
      this.inputView.setUint32(this.input.length - 4, this.counter++);
      const hash = sha256(this.input);
      this.block = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
      this.offset = 0;
    }
    const value = this.block.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
      throw new RangeError(`cannot draw a number below ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % n;
    }
  }
}

/**
 * A uniformly random order of the ranks 0..size−1, one at a time: the Fisher–Yates shuffle of
 * v2 draws, keeping only the places it has touched.
 */
export class RankShuffle {
  private readonly moved = new Map<number, number>();
  private position = 0;

  constructor(
    readonly size: number,
    private readonly random: DrawRandom,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`cannot shuffle ${size} places`);
  }

  /** The next rank, or undefined once every rank has been taken. */
  next(): number | undefined {
    if (this.position >= this.size) return undefined;
    const i = this.position++;
    const j = i + this.random.below(this.size - i);
    const atJ = this.moved.get(j) ?? j;
    this.moved.set(j, this.moved.get(i) ?? i);
    // Place i is never read again: forgetting it keeps the map at the size of what is in play.
    this.moved.delete(i);
    return atJ;
  }
}

/**
 * The (rank+1)-th smallest positive whole number that is not in `excluded` (sorted ascending,
 * distinct, positive). Binary search for how many excluded serials lie below the answer.
 */
export function rankToSerial(rank: number, excluded: readonly number[]): number {
  let low = 0;
  let high = excluded.length;
  // Invariant: the answer is above the first `low` excluded serials and below excluded[high].
  while (low < high) {
    const middle = (low + high) >>> 1;
    const freeBelow = (excluded[middle] as number) - 1 - middle;
    if (freeBelow <= rank) low = middle + 1;
    else high = middle;
  }
  return rank + 1 + low;
}

/** What the candidates of a draw are (step 1). */
export type CandidateSpace =
  | { mode: 'serial-space'; serialSpace: number; excluded: readonly number[] }
  | { mode: 'serial-list'; serials: readonly number[] };

/** The number of candidates, and the serial of each rank. */
function candidateLayout(space: CandidateSpace): {
  size: number;
  serialAt: (rank: number) => number;
} {
  if (space.mode === 'serial-list')
    return { size: space.serials.length, serialAt: (rank) => space.serials[rank] as number };
  const inSpace = countAtMost(space.excluded, space.serialSpace);
  return {
    size: space.serialSpace - inSpace,
    serialAt: (rank) => rankToSerial(rank, space.excluded),
  };
}

/** How many of the sorted `values` are at most `limit`. */
export function countAtMost(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The candidates' serials in a v2 draw's random order, as many as are asked for at a time.
 */
export class CandidateOrder {
  private readonly shuffle: RankShuffle;
  private readonly serialAt: (rank: number) => number;

  constructor(space: CandidateSpace, seedHex: string, attempt: number) {
    const layout = candidateLayout(space);
    this.shuffle = new RankShuffle(layout.size, new DrawRandom(seedHex, attempt));
    this.serialAt = layout.serialAt;
  }

  get size(): number {
    return this.shuffle.size;
  }

  /** Up to `count` more serials; fewer once the candidates run out. */
  take(count: number): number[] {
    const serials: number[] = [];
    while (serials.length < count) {
      const rank = this.shuffle.next();
      if (rank === undefined) break;
      serials.push(this.serialAt(rank));
    }
    return serials;
  }
}

/** One proposal of a v3 draw (steps 4 and 5): a candidate serial and its ticket number. */
export interface Proposal {
  serial: number;
  /** Below the draw's largest ticket count; the person wins when it is below their tickets. */
  ticket: number;
}

/** The proposals of a v3 draw, one at a time: a pure function of the seed and the candidates. */
export class ProposalStream {
  private readonly random: DrawRandom;
  private readonly serialAt: (rank: number) => number;
  readonly size: number;

  constructor(
    space: CandidateSpace,
    seedHex: string,
    attempt: number,
    readonly maxTickets: number,
  ) {
    if (!Number.isInteger(maxTickets) || maxTickets < 1)
      throw new RangeError(
        `the largest ticket count must be a whole number from 1, got ${maxTickets}`,
      );
    const layout = candidateLayout(space);
    this.size = layout.size;
    this.serialAt = layout.serialAt;
    this.random = new DrawRandom(seedHex, attempt);
  }

  /** The next proposal; undefined when there are no candidates at all. */
  next(): Proposal | undefined {
    if (this.size === 0) return undefined;
    const rank = this.random.below(this.size);
    return { serial: this.serialAt(rank), ticket: this.random.below(this.maxTickets) };
  }
}

/**
 * The digest of a sorted list of serials, as the audit record and the beacon commitment name it.
 */
export function serialsDigest(label: string, serials: readonly number[]): string {
  return bytesToHex(sha256(utf8ToBytes([label, ...serials].join('\n'))));
}

/** The pool's digest: what the candidates are, in the words of step 1. */
export function candidateSpaceDigest(space: CandidateSpace): string {
  return space.mode === 'serial-list'
    ? serialsDigest('serial-list', space.serials)
    : serialsDigest(`serial-space ${space.serialSpace}`, space.excluded);
}
