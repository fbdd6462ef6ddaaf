// The package a user installs: `npm pack` of a checkout that was never built, then `npm install
// --global` of the tarball into an empty prefix, then the installed `lottery` as a user would run
// it. Needs the npm registry (the tarball's one dependency, dynalite, comes from it).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli';
import { recordsADraw, seedDrawAndList, showServesItsPage } from './use';

const run = promisify(execFile);

interface Packed {
  filename: string;
  size: number;
  files: { path: string }[];
}

let work: string;
let packed: Packed;
let installed: string;

/**
 * The checkout as git sees it (tracked and new files, not ignored ones such as dist/), copied to
 * `to`.
 */
async function copyCheckout(to: string) {
  const { stdout } = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT },
  );
  for (const file of stdout.split('\0').filter((file) => file && existsSync(join(ROOT, file))))
    cpSync(join(ROOT, file), join(to, file));
  // The build needs the dev dependencies; installing them again would only cost time.
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lottery-package-'));
  const checkout = join(work, 'checkout');
  mkdirSync(checkout);
  await copyCheckout(checkout);
  // npm prints the build's own output first, then the JSON array.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: checkout,
  });
  [packed] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as [Packed];
  const prefix = join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      join(work, packed.filename),
    ],
    { cwd: work },
  );
  installed = join(prefix, 'bin', 'lottery');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the installed command from outside the repository, on a data directory of its own. */
const lottery = (args: string[]) =>
  run(installed, args, { cwd: work, env: { ...process.env, LOTTERY_HOME: join(work, 'home') } });

describe('the package a user installs', () => {
  it('carries the CLI built by packing, the default employees, the stack and the docs its hints name, and no tests, sources or source maps', () => {
    const paths = packed.files.map((file) => file.path);
    for (const needed of [
      'bin/lottery',
      'dist/main.js',
      'dist/THIRD-PARTY-NOTICES.txt',
      'dist/show-page/index.html',
      'dist/show-page/show.css',
      'dist/show-page/show.js',
      'dist/record-page/record.js',
      'fixtures/request-items.json',
      'infra/template.yaml',
      'infra/statemachine/lottery.asl.json',
      'docs/aws.md',
      'docs/troubleshooting.md',
      'package.json',
      'README.md',
    ]) {
      expect(paths).toContain(needed);
    }
    expect(
      paths.filter(
        (path) => !/^(bin|dist|docs|fixtures|infra)\/|^(package\.json|README\.md)$/.test(path),
      ),
    ).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.map') || path.endsWith('.ts'))).toEqual([]);
  });

  it('installs with no build step and no approved install scripts, then seeds, draws and lists the winners', () =>
    seedDrawAndList(lottery));

  it("writes a draw's record carrying the verifier from the package, and checks it", () =>
    recordsADraw(lottery, work));

  it("serves the room's screen from the package", () =>
    showServesItsPage(installed, {
      ...(process.env as Record<string, string>),
      LOTTERY_HOME: join(work, 'home'),
    }));
});
