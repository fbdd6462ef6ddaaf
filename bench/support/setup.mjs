// Before any scenario: dist/ built from the current src/ (the process-level scenarios run
// bin/lottery), bench/lib.ts bundled for the in-process ones, and a description of the machine.

import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from './proc.mjs';

export function buildDist() {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`node scripts/build.mjs failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Bundles bench/lib.ts with the options of scripts/build.mjs and imports it. dynalite and
 * classic-level (a native module) stay external as there, but are referred to by their absolute
 * location: the bundle lives in a temporary directory, where a bare import would find no
 * node_modules. Returns the module and the bundle's path (for child processes that import it too).
 */
export async function loadLib() {
  const { build } = await import('esbuild');
  const resolveFromRoot = createRequire(join(ROOT, 'package.json')).resolve;
  const external = new Map(
    ['dynalite', 'classic-level'].map((name) => [name, pathToFileURL(resolveFromRoot(name)).href]),
  );
  const outfile = join(tempDir('lib'), 'lib.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'lib.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __lotteryRequire } from 'node:module'; const require = __lotteryRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-modules',
        setup(plugin) {
          plugin.onResolve({ filter: /^(dynalite|classic-level)$/ }, (args) => ({
            path: external.get(args.path),
            external: true,
          }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return { lib: await import(pathToFileURL(outfile).href), libPath: outfile };
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'src', 'infra', 'bin', 'scripts', 'package.json'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    return { commit, dirty: dirty.length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

export function machineInfo() {
  const processors = cpus();
  const { commit, dirty } = gitCommit();
  return {
    os: `${osType()} ${release()}`,
    platform: platform(),
    cpu: processors[0]?.model?.trim() ?? 'unknown',
    cores: processors.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    commit,
    dirty,
  };
}

export function formatMachine(machine) {
  const commit = `${machine.commit}${machine.dirty ? ' (+ uncommitted changes)' : ''}`;
  return `machine: ${machine.os}, ${machine.cpu} × ${machine.cores} cores, ${machine.memory_gib} GiB, node ${machine.node}, commit ${commit}`;
}
