import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// A data directory restored from an archive (`chmod -R a-w`) or on a read-only disk. The tests run
// as root too, which writes through permissions, so the directory is made read-only where the
// check looks: access(2) answers EROFS for it, as it does for a read-only mount, root or not.
// The files of the cli project share their loaded modules, so node:fs itself is changed (and its
// named exports synced), not a mock of it.
const readOnly = new Set<string>();
const realAccess = fs.accessSync;
const accessSync: typeof fs.accessSync = (path, mode) => {
  if (readOnly.has(String(path)) && mode !== undefined && mode & fs.constants.W_OK)
    throw Object.assign(new Error(`EROFS: read-only file system, access '${String(path)}'`), {
      code: 'EROFS',
      path: String(path),
    });
  realAccess(path, mode);
};

function useAccess(fake: typeof fs.accessSync) {
  fs.accessSync = fake;
  syncBuiltinESMExports();
}

let home: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ home, cleanup } = tempHome());
  const seeded = await runMain(['seed'], { home });
  expect(seeded.code, seeded.stderr).toBe(0);
  readOnly.add(home);
  useAccess(accessSync);
});
afterAll(() => {
  useAccess(realAccess);
  cleanup();
});

it.each([
  [['employees', 'list']],
  [['employees', 'count']],
  [['winners', 'list']],
  [['draws', 'list']],
  [['prizes']],
  [['draw', '-n', '1']],
  [['reset', '--yes']],
  [['local', 'serve']],
])('%j in a read-only data directory: says so, names it and how to fix it', async (args) => {
  const result = await runMain(args, { home });
  expect(result.code).toBe(253);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(
    `error: the data directory ${home} is read-only (the file system is read-only)`,
  );
  expect(result.stderr).toContain(`copy it somewhere writable and use the copy: cp -a ${home}`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
});

it('reads what was seeded once the directory is writable again', async () => {
  readOnly.delete(home);
  const result = await runMain(['employees', 'count'], { home });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('10 employees');
});
