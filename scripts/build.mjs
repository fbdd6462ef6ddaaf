// Bundles the CLI into dist/ with esbuild: one small entry file and lazily loaded chunks, so that
// `lottery --help` starts without loading the AWS SDK or the embedded backend. The Lambda functions
// go to dist/lambdas/ (scripts/build-lambdas.mjs), the bundles `lottery deploy` uploads.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildLambdas } from './build-lambdas.mjs';
import { buildRecordPage } from './build-record-page.mjs';

const started = Date.now();
// Build beside dist/ and swap it in whole: a CLI running from dist/ meanwhile never sees half a
// build.
const staging = `dist.${process.pid}`;

const cli = build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Prefer ES module builds: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  // dynalite and classic-level load LevelDB's native binding: they stay in node_modules.
  external: ['dynalite', 'classic-level'],
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: {
    js: "import { createRequire as __lotteryRequire } from 'node:module'; const require = __lotteryRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
// The room's screen (`lottery show`): a page, its style and one small script for the browser,
// served from dist/show-page/ by the CLI. No framework, nothing fetched at run time.
const pageDir = join(staging, 'show-page');
const page = build({
  entryPoints: { show: 'src/show-page/show.ts' },
  outdir: pageDir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari15.6', 'edge109'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
}).then(() => {
  mkdirSync(pageDir, { recursive: true });
  for (const file of ['index.html', 'show.css'])
    copyFileSync(join('src', 'show-page', file), join(pageDir, file));
});
// A draw record's verifier (scripts/build-record-page.mjs), inlined into every page it writes.
const recordPage = buildRecordPage(join(staging, 'record-page'));
await Promise.all([cli, page, recordPage, buildLambdas(join(staging, 'lambdas'))]);

const retired = `dist.old.${process.pid}`;
try {
  renameSync('dist', retired);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(staging, 'dist');
rmSync(retired, { recursive: true, force: true });
console.log(`built dist/ in ${Date.now() - started} ms`);
