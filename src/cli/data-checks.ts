import type { PoolFacts } from '../ops/data-checks';
import { idsWithSerial } from '../aws/employees-table';
import { countPool, readPoolState, recountPool } from '../aws/pool-state';
import { poolTables } from './pool-state';
import type { Session } from './session';

/** Serials held twice are named with their people, up to this many. */
const REPEATS_NAMED = 10;

/**
 * The pool's statistics against the index's keys, for `lottery doctor`; with `fix`, counted again
 * when they may be wrong.
 */
export async function poolFacts(session: Session, fix: boolean): Promise<PoolFacts> {
  const { doc } = session.clients;
  const tables = poolTables(session);
  const [state, pool] = await Promise.all([
    readPoolState(doc, tables.draws, tables.employees),
    countPool(doc, tables.employees),
  ]);
  const { stats } = state;
  const wrong =
    Object.keys(state.seeding).length > 0 ||
    (stats === undefined
      ? pool.size.count > 0
      : stats.count !== pool.size.count || stats.max_serial !== pool.size.maxSerial);
  const recounted = fix && wrong;
  const counted = recounted ? (await recountPool(doc, tables)).size : pool.size;
  return {
    ...(stats ? { stats } : {}),
    seeding: state.seeding,
    counted,
    repeated: await Promise.all(
      pool.repeated.slice(0, REPEATS_NAMED).map(async (serial) => ({
        serial,
        ids: await idsWithSerial(doc, tables.employees, serial),
      })),
    ),
    recounted,
  };
}
