#!/usr/bin/env node
// `npm run docs:commands`: writes each command's --help into docs/commands.md, between the page's
// hand-written prose (scripts/docs/commands-page.ts says how). test/unit/docs.test.ts fails when
// the page and the program disagree; this is the fix it names.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const PAGE = join(ROOT, 'docs', 'commands.md');

// Node 20 runs no TypeScript: bundle the page module with the options of scripts/build.mjs. The
// bundle sits under node_modules so that the dependencies left outside it resolve as usual.
const dir = join(ROOT, 'node_modules', '.cache', 'lottery-docs');
mkdirSync(dir, { recursive: true });
const outfile = join(dir, `commands-page.${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(ROOT, 'scripts', 'docs', 'commands-page.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['dynalite', 'classic-level'],
    banner: {
      js: "import { createRequire as __lotteryRequire } from 'node:module'; const require = __lotteryRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const { helpTexts, updatePage } = await import(pathToFileURL(outfile).href);
  const before = readFileSync(PAGE, 'utf8');
  const after = updatePage(before, helpTexts());
  if (after === before) console.log('docs/commands.md is up to date');
  else {
    writeFileSync(PAGE, after);
    console.log('docs/commands.md: help blocks updated');
  }
} finally {
  rmSync(outfile, { force: true });
}
