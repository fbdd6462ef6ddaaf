import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// --debug is for the report of a bug: it adds to the message what the message explains away.

let home: string;
let cleanup: () => void;
beforeAll(() => ({ home, cleanup } = tempHome()));
afterAll(() => cleanup());

it('--debug prints the chain of causes under the message: here the file system error', async () => {
  const missing = join(home, 'missing.csv');
  const plain = await runMain(['seed', '--file', missing], { home });
  const debug = await runMain(['seed', '--file', missing, '--debug'], { home });
  expect(plain.code).toBe(252);
  expect(debug.code).toBe(252);
  expect(plain.stderr).toContain(`cannot read ${missing}: no such file or directory`);
  expect(plain.stderr).not.toMatch(/\bat |caused by/);
  expect(debug.stderr).toContain(plain.stderr);
  expect(debug.stderr).toMatch(
    /LotteryError: cannot read .*missing\.csv: no such file or directory\n\s+at /,
  );
  expect(debug.stderr).toContain(
    `caused by: Error: ENOENT: no such file or directory, open '${missing}'`,
  );
});
