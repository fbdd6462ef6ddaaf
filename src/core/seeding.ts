import type { PoolStats } from './pool';

// Seeds that run at once, and seeds that stop half-way. The pool's statistics item (Lottery-Draws,
// pk "pool") keeps, besides the statistics, which seeds are writing and the highest serial any of
// them has claimed. A seed claims the serials it will hand out with a write conditional on the
// item's revision, before it writes anyone: two seeds never hand out the same serial, however many
// run at once. A seed that never finishes stays listed, so that nobody takes the statistics for
// exact while it does. Everything here is pure: the item in, the decision out.

/** The pool's statistics item as it is kept, with the seeds in progress. */
export interface PoolState {
  /** Undefined until a seed has counted the pool. */
  stats?: PoolStats;
  /** The highest serial a seed has claimed for people the file gave none (0: none yet). */
  claimed_serial: number;
  /** Seeds that have claimed and not finished: their id → when they began. */
  seeding: Record<string, string>;
  /** Goes up with every write of the item: a write conditional on it sees any other. */
  revision: number;
}

export const emptyPoolState = (): PoolState => ({ claimed_serial: 0, seeding: {}, revision: 0 });

/** The serials a seed hands out, first..last; none when last < first. */
export interface SerialRange {
  first: number;
  last: number;
}

/**
 * Whether the table a seed read is the whole truth: nobody wrote the statistics item between the
 * seed's first look at it (`seen`, read before the table) and now, and no other seed is writing.
 * Every seed lists itself in the item before it writes anyone, so none can have written unseen.
 */
export function isQuiet(state: PoolState, seen: PoolState): boolean {
  return state.revision === seen.revision && Object.keys(state.seeding).length === 0;
}

/**
 * Where a seed's new serials start. `floor` is the highest serial the seed saw in the table and
 * its file. When all is quiet, serials go on from the floor; otherwise they go on above everything
 * anyone has claimed or counted.
 */
export function serialRange(
  state: PoolState,
  seen: PoolState,
  floor: number,
  needed: number,
): SerialRange {
  const base = isQuiet(state, seen)
    ? floor
    : Math.max(floor, state.claimed_serial, state.stats?.max_serial ?? 0);
  return { first: base + 1, last: base + needed };
}

/** The item once a seed has claimed its range and is listed as writing. */
export function claimedState(
  state: PoolState,
  range: SerialRange,
  seedId: string,
  startedAt: string,
): PoolState {
  return {
    ...state,
    claimed_serial: Math.max(range.last, range.first - 1),
    seeding: { ...state.seeding, [seedId]: startedAt },
    revision: state.revision + 1,
  };
}

/** What a seed's claim left: the revision it wrote, and whether all was quiet when it claimed. */
export interface SeedClaim {
  seedId: string;
  revision: number;
  quiet: boolean;
}

/**
 * Whether what the seed planned is what the table holds: only when it claimed in quiet and the
 * item is still as its claim left it. Otherwise another seed wrote, or is writing, and the table's
 * keys must be counted.
 */
export function planIsExact(state: PoolState, claim: SeedClaim): boolean {
  const writing = Object.keys(state.seeding);
  return (
    claim.quiet &&
    state.revision === claim.revision &&
    writing.length === 1 &&
    writing[0] === claim.seedId
  );
}

/** The pool as counted or planned. */
export interface PoolSize {
  count: number;
  maxSerial: number;
  /** The largest ticket count anyone has, and everyone's tickets added up (absent: one each). */
  maxTickets?: number;
  ticketsTotal?: number;
}

/**
 * Whether the statistics still describe the pool after a seed of `size`: nothing was written and
 * the counts agree. Statistics without the pool's digest (from before it was kept) never do.
 */
export function keepsStats(
  before: PoolStats | undefined,
  size: PoolSize,
  changed: boolean,
): boolean {
  return (
    before?.members !== undefined &&
    !changed &&
    before.count === size.count &&
    before.max_serial === size.maxSerial &&
    before.max_tickets === size.maxTickets &&
    before.tickets_total === size.ticketsTotal
  );
}

/**
 * The item once a seed is done (or a count repairs it): the statistics of `size` with the pool's
 * digest `members`, the seeds in `finished` off the list. The version goes up when the table
 * changed, so that a draw committed to the pool before sees the change.
 */
export function finishedState(
  state: PoolState,
  size: PoolSize,
  changed: boolean,
  finished: readonly string[],
  now: string,
  members?: PoolStats['members'],
): PoolState {
  const before = state.stats;
  const seeding = Object.fromEntries(
    Object.entries(state.seeding).filter(([id]) => !finished.includes(id)),
  );
  return {
    stats:
      before && keepsStats(before, size, changed)
        ? before
        : {
            count: size.count,
            max_serial: size.maxSerial,
            version: (before?.version ?? 0) + 1,
            updated_at: now,
            ...(size.maxTickets === undefined
              ? {}
              : { max_tickets: size.maxTickets, tickets_total: size.ticketsTotal }),
            ...(members ? { members } : {}),
          },
    claimed_serial: state.claimed_serial,
    seeding,
    revision: state.revision + 1,
  };
}

/** Serials held by more than one person, from the index's keys in ascending order. */
export function repeatedSerials(sortedSerials: readonly number[]): number[] {
  const repeated: number[] = [];
  for (let i = 1; i < sortedSerials.length; i++) {
    const serial = sortedSerials[i] as number;
    if (serial === sortedSerials[i - 1] && repeated.at(-1) !== serial) repeated.push(serial);
  }
  return repeated;
}

/** The pool as the index's keys give it, with everyone's tickets (one when they have none). */
export function countedSize(
  sortedSerials: readonly number[],
  tickets: readonly (number | undefined)[] = [],
): PoolSize {
  let maxTickets = 1;
  let ticketsTotal = sortedSerials.length;
  for (const held of tickets) {
    if (held === undefined) continue;
    maxTickets = Math.max(maxTickets, held);
    ticketsTotal += held - 1;
  }
  return {
    count: sortedSerials.length,
    maxSerial: sortedSerials.at(-1) ?? 0,
    maxTickets,
    ticketsTotal,
  };
}
