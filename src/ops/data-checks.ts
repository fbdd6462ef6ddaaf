import type { PoolStats } from '../core/pool';
import type { DoctorCheck } from './doctor';

// `lottery doctor`'s checks of what the tables hold, as opposed to whether the parts exist: the
// pool's statistics against the employee table's keys, and (below) the winners table against the
// draws that account for its rows. What the tables say is gathered by the CLI (src/cli/
// data-checks.ts); nothing here does I/O.

const plural = (count: number, word: string, many = `${word}s`) =>
  `${count} ${count === 1 ? word : many}`;

/** Some of a list, and how many more. */
export function someOf(items: readonly string[], shown = 5): string {
  return items.length > shown
    ? `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`
    : items.join(', ');
}

export interface PoolFacts {
  /** The statistics as kept; undefined when no seed has counted the pool. */
  stats?: PoolStats;
  /** Seeds listed as writing: their id → when they began. */
  seeding: Record<string, string>;
  /** The employee table as its index's keys say. */
  counted: { count: number; maxSerial: number };
  /** Serials held by more than one person, with who holds each. */
  repeated: { serial: number; ids: string[] }[];
  /** True when `lottery doctor --fix` counted the pool again and cleared the list of seeds. */
  recounted: boolean;
}

const FIX_COUNT = '`lottery doctor --fix` counts the pool again';

/**
 * The statistics draws pick from: a serial held twice gives two people one chance, and statistics
 * that miss people leave them out of draws.
 */
export function poolCheck(facts: PoolFacts): DoctorCheck {
  const name = 'pool';
  const { counted, stats } = facts;
  if (facts.repeated.length > 0) {
    const held = facts.repeated.map(
      (each) => `serial ${each.serial} is held by ${each.ids.join(' and ')}`,
    );
    return {
      name,
      status: 'fail',
      message: `${someOf(held, 3)}: each pair shares one chance, and one of them can never win`,
      fix: 'give each of them a serial of their own in your file (or none, to have one assigned) and seed it again',
    };
  }
  const unused = counted.maxSerial - counted.count;
  const serials =
    counted.count === 0
      ? 'no employees yet'
      : `${plural(counted.count, 'employee')}, serials ${unused === 0 ? `1..${counted.maxSerial}` : `up to ${counted.maxSerial} (${unused} unused)`}, each held once`;
  if (facts.recounted) return { name, status: 'ok', message: `counted the pool again: ${serials}` };
  const writing = Object.values(facts.seeding).sort();
  if (writing.length > 0)
    return {
      name,
      status: 'warn',
      message: `${writing.length === 1 ? 'a seed' : `${writing.length} seeds`} began at ${someOf(writing, 3)} and did not finish (stopped half-way, or still writing): the statistics may not count everyone; the table holds ${serials}`,
      fix: `once no seed is running, ${FIX_COUNT}`,
    };
  if (!stats)
    return counted.count === 0
      ? { name, status: 'ok', message: serials }
      : {
          name,
          status: 'warn',
          message: `the pool has no statistics (it was not loaded with \`lottery seed\`): every draw reads all the serials; the table holds ${serials}`,
          fix: FIX_COUNT,
        };
  if (stats.count !== counted.count || stats.max_serial !== counted.maxSerial)
    return {
      name,
      status: 'fail',
      message: `the statistics say ${plural(stats.count, 'employee')} up to serial ${stats.max_serial}, but the table holds ${serials}: draws would leave people out`,
      fix: FIX_COUNT,
    };
  return { name, status: 'ok', message: serials };
}
