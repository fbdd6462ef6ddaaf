import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PoolStats } from '../core/pool';
import { needsNewSalt, newSalt, poolMembers, type PoolMember } from '../core/pool-members';
import {
  claimedState,
  countedSize,
  emptyPoolState,
  finishedState,
  isQuiet,
  keepsStats,
  planIsExact,
  repeatedSerials,
  serialRange,
  type PoolSize,
  type PoolState,
  type SeedClaim,
  type SerialRange,
} from '../core/seeding';
import { backoffMs, isConditionalCheckFailed, sleep } from './dynamo';
import { listResets } from './draws-table';
import { scanEmployees, scanSerialsAndTickets } from './employees-table';

// The pool's statistics item (pk "pool", sk the employee table; src/aws/draws-table.ts) read and
// written whole, on the condition that its revision is the one read: seeds claim serials and list
// themselves in it while they write (src/core/seeding.ts).

const statsKey = (employeeTable: string) => ({ pk: 'pool', sk: employeeTable });

/** Seeds that change the item at once retry with backoff; a handful of operators is far below. */
const STATE_WRITE_ATTEMPTS = 25;

const isNumber = (value: unknown): value is number => typeof value === 'number';

export async function readPoolState(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
): Promise<PoolState> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: statsKey(employeeTable), ConsistentRead: true }),
  );
  if (!Item) return emptyPoolState();
  const stats: PoolStats | undefined = isNumber(Item.count)
    ? {
        count: Item.count,
        max_serial: Number(Item.max_serial),
        version: Number(Item.version),
        updated_at: String(Item.updated_at),
        ...(isNumber(Item.max_tickets)
          ? { max_tickets: Item.max_tickets, tickets_total: Number(Item.tickets_total) }
          : {}),
        ...(Item.members ? { members: Item.members as NonNullable<PoolStats['members']> } : {}),
      }
    : undefined;
  return {
    ...(stats ? { stats } : {}),
    claimed_serial: isNumber(Item.claimed_serial) ? Item.claimed_serial : 0,
    seeding: (Item.seeding as Record<string, string> | undefined) ?? {},
    revision: isNumber(Item.revision) ? Item.revision : 0,
  };
}

/**
 * Reads the item, lets `change` decide the next one (undefined: write nothing) and writes it if
 * nobody wrote meanwhile; if somebody did, reads it again and decides again.
 */
export async function changePoolState<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  employeeTable: string,
  change: (state: PoolState) => Promise<{ next?: PoolState; value: T }>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const state = await readPoolState(doc, table, employeeTable);
    const { next, value } = await change(state);
    if (!next) return value;
    try {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...statsKey(employeeTable),
            ...next.stats,
            claimed_serial: next.claimed_serial,
            seeding: next.seeding,
            revision: next.revision,
          },
          ...(state.revision === 0
            ? { ConditionExpression: 'attribute_not_exists(revision)' }
            : {
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': state.revision },
              }),
        }),
      );
      return value;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (attempt + 1 >= STATE_WRITE_ATTEMPTS)
        throw new Error(
          `the pool's statistics in ${table} kept changing under this write (${STATE_WRITE_ATTEMPTS} attempts)`,
        );
      await sleep(backoffMs(attempt));
    }
  }
}

export interface PoolTables {
  /** Lottery-Draws, where the item is kept. */
  draws: string;
  employees: string;
}

/**
 * Lists a seed as writing and claims the `needed` serials it hands out, before it writes anyone.
 * `seen` is the item as the seed read it before reading the table, `floor` the highest serial the
 * seed saw in the table and its file.
 */
export function claimSerials(
  doc: DynamoDBDocumentClient,
  tables: PoolTables,
  seed: { id: string; seen: PoolState; floor: number; needed: number; now: string },
): Promise<{ range: SerialRange; claim: SeedClaim }> {
  return changePoolState(doc, tables.draws, tables.employees, async (state) => {
    const range = serialRange(state, seed.seen, seed.floor, seed.needed);
    const next = claimedState(state, range, seed.id, seed.now);
    const claim = { seedId: seed.id, revision: next.revision, quiet: isQuiet(state, seed.seen) };
    return { next, value: { range, claim } };
  });
}

/** The pool as the index's keys say, and the serials more than one person holds. */
export async function countPool(
  doc: DynamoDBDocumentClient,
  employeeTable: string,
): Promise<{ size: PoolSize; repeated: number[] }> {
  const { serials, tickets } = await scanSerialsAndTickets(doc, employeeTable);
  return { size: countedSize(serials, tickets), repeated: repeatedSerials(serials) };
}

/**
 * The digest of who sits at each serial (src/core/pool-members.ts): from `people` when the seed
 * knows them all, else from the table read again. The salt stays until a reset.
 */
async function membersAfter(
  doc: DynamoDBDocumentClient,
  tables: PoolTables,
  before: PoolStats | undefined,
  people: Iterable<PoolMember> | undefined,
): Promise<NonNullable<PoolStats['members']>> {
  const resets = await listResets(doc, tables.draws);
  const kept = before?.members;
  const fresh = !kept || needsNewSalt(kept.salted_at, resets);
  const salt = fresh ? newSalt() : kept.salt;
  const everyone = people ?? (await scanEmployees(doc, tables.employees));
  return {
    ...poolMembers(salt, everyone),
    salted_at: fresh ? new Date().toISOString() : kept.salted_at,
  };
}

/**
 * The item with the statistics of `size` and the seeds in `finished` off the list. The pool's
 * digest is made again only when the statistics change (keepsStats): from `people` when given,
 * else from the table.
 */
async function settledState(
  doc: DynamoDBDocumentClient,
  tables: PoolTables,
  state: PoolState,
  pool: {
    size: PoolSize;
    changed: boolean;
    finished: readonly string[];
    people: readonly PoolMember[] | undefined;
  },
): Promise<PoolState> {
  const members = keepsStats(state.stats, pool.size, pool.changed)
    ? undefined
    : await membersAfter(doc, tables, state.stats, pool.people);
  const now = new Date().toISOString();
  return finishedState(state, pool.size, pool.changed, pool.finished, now, members);
}

/**
 * Takes a seed off the list and saves the statistics: what it planned, when nothing else touched
 * the item since its claim, else what the index's keys say. `planned` and `people` (who sits at
 * each serial after the seed) are left out when the seed was cut short. Returns the serials held
 * twice, when the keys were counted.
 */
export function finishSeed(
  doc: DynamoDBDocumentClient,
  tables: PoolTables,
  seed: {
    claim: SeedClaim;
    planned?: PoolSize;
    people?: Iterable<PoolMember>;
    changed: boolean;
  },
): Promise<{ size: PoolSize; repeated: number[] }> {
  // An iterator is read once; a write that loses the race reads the table instead.
  const people = seed.people ? [...seed.people] : undefined;
  return changePoolState(doc, tables.draws, tables.employees, async (state) => {
    const planned = seed.planned && planIsExact(state, seed.claim) ? seed.planned : undefined;
    const counted = planned
      ? { size: planned, repeated: [] }
      : await countPool(doc, tables.employees);
    const next = await settledState(doc, tables, state, {
      size: counted.size,
      changed: seed.changed,
      finished: [seed.claim.seedId],
      people: planned ? people : undefined,
    });
    return { next, value: counted };
  });
}

/**
 * Counts the pool again and clears the list of seeds (`lottery doctor --fix`): a seed still
 * writing counts again itself when it finishes, as its claim is no longer the last write.
 */
export function recountPool(
  doc: DynamoDBDocumentClient,
  tables: PoolTables,
): Promise<{ size: PoolSize; repeated: number[] }> {
  return changePoolState(doc, tables.draws, tables.employees, async (state) => {
    const counted = await countPool(doc, tables.employees);
    const next = await settledState(doc, tables, state, {
      size: counted.size,
      changed: false,
      finished: Object.keys(state.seeding),
      people: undefined,
    });
    return { next, value: counted };
  });
}
