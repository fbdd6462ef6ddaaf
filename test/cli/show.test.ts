import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli';
import { runMain } from '../helpers/main';

// `lottery show --theme` refusing a file, in process (runMain): it fails before serving anything.
// The server as a browser and other sites reach it, and the theme it serves, are in
// test/e2e/show/security.test.ts: the command runs until Ctrl-C.

let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

describe('lottery show --theme', () => {
  it.each([
    [
      'a directory',
      (dir: string) => (mkdirSync(join(dir, 'theme.css')), 'theme.css'),
      'is not a regular file',
    ],
    ['a missing file', () => 'nowhere.css', 'no such file or directory'],
    [
      'a file over 1 MiB',
      (dir: string) => (
        writeFileSync(join(dir, 'big.css'), Buffer.alloc(1024 * 1024 + 1, 32)),
        'big.css'
      ),
      'a theme may be at most 1024 KiB',
    ],
    [
      'a file that is not UTF-8',
      (dir: string) => (
        writeFileSync(join(dir, 'latin1.css'), Buffer.from([0x2f, 0x2a, 0xe9, 0x2a, 0x2f])),
        'latin1.css'
      ),
      'is not UTF-8 text',
    ],
  ])('refuses %s, before serving anything', async (_, make, message) => {
    const name = make(home);
    const result = await runMain(['show', '--theme', join(home, name)], { home });
    expect(result.code).toBe(252);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`--theme ${join(home, name)}`);
    expect(result.stderr).toContain(message);
  });
});
