import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// The data directory holds the employees, the winners, the outbox and every draw's record: made
// private (700) when lottery creates it, and a warning with the fix when an existing one lets
// other users in (LOTTERY_HOME pointed at a directory of 755, or 777).

let parent: string;
let cleanup: () => void;

beforeAll(() => {
  ({ home: parent, cleanup } = tempHome());
});
afterAll(() => cleanup());

it('makes a new data directory private, and says nothing about it', async () => {
  const home = join(parent, 'new');
  const result = await runMain(['employees', 'count'], { home });
  expect(result.code, result.stderr).toBe(0);
  expect(statSync(home).mode & 0o777).toBe(0o700);
  expect(result.stderr).not.toContain('other users');
});

it('a new data directory lists no draws, before and after a seed', async () => {
  const home = join(parent, 'fresh');
  for (const args of [['draws', 'list', '--json'], ['seed'], ['draws', 'list', '--json']]) {
    const result = await runMain(args, { home });
    expect(result.code, result.stderr).toBe(0);
    if (args[0] === 'draws') expect(JSON.parse(result.stdout)).toEqual([]);
  }
});

it.each([
  ['755', 0o755, 'read'],
  ['777', 0o777, 'read and changed'],
])('warns, with the fix, when an existing one is %s', async (_mode, mode, how) => {
  const home = join(parent, 'new');
  chmodSync(home, mode);
  const result = await runMain(['employees', 'count'], { home });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain(
    `warning: the data directory ${home} can be ${how} by other users (mode ${mode.toString(8)})`,
  );
  expect(result.stderr).toContain(`Make it private: chmod 700 ${home}`);
});

/** What under `dir` another user could open: entries not private, in directories they can enter. */
function reachableByOthers(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stats = lstatSync(path);
    if ((stats.mode & 0o077) === 0) return [];
    const own = [`${path} (${(stats.mode & 0o777).toString(8)})`];
    return stats.isDirectory() ? [...own, ...reachableByOthers(path)] : own;
  });
}

it('keeps what it writes private even in a data directory that lets others in', async () => {
  const home = join(parent, 'shared');
  mkdirSync(home, { mode: 0o755 });
  chmodSync(home, 0o755);
  for (const args of [['seed'], ['draw', '-n', '2'], ['draws', 'list']]) {
    const result = await runMain(args, { home });
    expect(result.code, result.stderr).toBe(0);
  }
  expect(readdirSync(home)).toEqual(expect.arrayContaining(['dynamodb', 'executions']));
  expect(reachableByOthers(home)).toEqual([]);
});
