import { readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

// A table file of the embedded backend's store cut short: LevelDB reports it from a callback of
// its own, where nothing can catch it (main's uncaughtException), so in a process of its own. A
// damaged store, said as such: never a full disk, never a bug.

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runCli(['seed'], { home })).code).toBe(0);
  // Opened again, LevelDB writes the seed's log out as a table file (.ldb).
  expect((await runCli(['employees', 'count'], { home })).code).toBe(0);
});
afterAll(() => cleanup());

it('a truncated table file: names the file and the fix, exit 253', async () => {
  const table = readdirSync(join(home, 'dynamodb')).find((name) => name.endsWith('.ldb'));
  const path = join(home, 'dynamodb', table ?? 'no table file');
  truncateSync(path, 100);
  const result = await runCli(['employees', 'list'], { home });
  expect(result.code, result.stderr).toBe(253);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`error: the embedded backend cannot read ${path}`);
  expect(result.stderr).toContain('restore the data directory (LOTTERY_HOME) from a copy');
  expect(result.stderr).not.toContain('bug');
  expect(result.stderr).not.toContain('free some space');
});
