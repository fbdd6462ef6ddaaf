import { readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// The embedded backend's store (LevelDB, under LOTTERY_HOME/dynamodb) damaged by something other
// than lottery: the data directory's problem, said as such (exit 253, the store, restore it or
// move it away and seed again), never "a bug in lottery". A truncated table file, which LevelDB
// reports where nothing can catch it, is in test/e2e/damaged-store.test.ts.

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  const seeded = await runMain(['seed'], { home });
  expect(seeded.code, seeded.stderr).toBe(0);
  const manifest = readdirSync(join(home, 'dynamodb')).find((name) => name.startsWith('MANIFEST'));
  truncateSync(join(home, 'dynamodb', manifest ?? 'no MANIFEST'), 0);
});
afterAll(() => cleanup());

it.each([[['employees', 'count']], [['draw', '-n', '1']], [['local', 'serve']]])(
  'a truncated MANIFEST, %j: names the store as damaged and the fix, exit 253',
  async (args) => {
    const result = await runMain(args, { home });
    expect(result.code, result.stderr).toBe(253);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `error: the embedded backend's store ${join(home, 'dynamodb')} is damaged`,
    );
    expect(result.stderr).toContain('restore the data directory (LOTTERY_HOME) from a copy');
    expect(result.stderr).toContain('move its dynamodb directory out of the way and seed again');
    expect(result.stderr).not.toContain('bug');
  },
);
