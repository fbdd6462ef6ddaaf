import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// The data directory damaged or full: the machine's problem, said as such (what, where, how to
// fix, exit 253), never "a bug in lottery" nor a raw InternalFailure; and one damaged execution
// record does not hide every other draw.

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  expect((await runMain(['seed'], { home })).code).toBe(0);
  expect((await runMain(['draw', '-n', '1', '--name', 'first'], { home })).code).toBe(0);
  expect((await runMain(['draw', '-n', '1', '--name', 'second'], { home })).code).toBe(0);
});
afterAll(() => cleanup());

it('a full disk as a draw starts: names the file, says to free space, exit 253', async () => {
  // /dev/full answers every write with ENOSPC: the draw's record is written through it.
  symlinkSync('/dev/full', join(home, 'executions', 'third.json.tmp'));
  const result = await runMain(['draw', '-n', '1', '--name', 'third'], { home });
  expect(result.code, result.stderr).toBe(253);
  expect(result.stderr).toContain(
    `error: the embedded backend cannot write ${join(home, 'executions', 'third.json')}: no space left on the device`,
  );
  expect(result.stderr).toContain('hint: check that the disk has space');
  expect(result.stderr).not.toContain('InternalFailure');
  expect(readdirSync(join(home, 'executions'))).not.toContain('third.json');
});

it('one damaged execution record: draws list shows the others and warns about that one', async () => {
  writeFileSync(join(home, 'executions', 'first.json'), '{"name": "first", "stat');
  const result = await runMain(['draws', 'list', '--json'], { home });
  expect(result.code, result.stderr).toBe(0);
  const listed = JSON.parse(result.stdout) as { draw_id: string }[];
  expect(listed.map((draw) => draw.draw_id)).toEqual(['second']);
  expect(result.stderr).toContain(
    `warning: the embedded backend cannot read the execution record ${join(home, 'executions', 'first.json')}`,
  );
  expect(result.stderr).toContain('move it out of the way');
});

it('asked about that draw: says the record is damaged, where, and what to do; exit 253', async () => {
  const result = await runMain(['draw', '--attach', 'first'], { home });
  expect(result.code, result.stderr).toBe(253);
  expect(result.stderr).toContain(
    `error: the embedded backend cannot read the execution record ${join(home, 'executions', 'first.json')}`,
  );
  expect(result.stderr).not.toContain('bug');
});
