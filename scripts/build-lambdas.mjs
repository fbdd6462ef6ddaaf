// Bundles each Lambda handler of src/lambdas/ into <outdir>/<FunctionName>/index.mjs. `npm run
// build` writes them to dist/lambdas/ (scripts/build.mjs), where `lottery deploy` zips and uploads
// them and where infra/template.yaml's CodeUri values point (for `aws cloudformation package`).
//
// The AWS SDK v3 is bundled into every function instead of using the copy the Lambda runtime ships:
// the deployed SDK is then exactly the version in package-lock.json that the tests ran against, and
// a runtime update cannot change it under us.
//
// Usage: node scripts/build-lambdas.mjs [--outdir <dir>]   (default: dist/lambdas)
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Function name (FUNCTIONS in src/core/names.ts, without the stack's prefix) → handler source.
 * test/infra checks that these are the template's functions and that each bundle exports `handler`.
 */
export const LAMBDA_ENTRIES = {
  'Lottery-InputWinners': 'src/lambdas/input-winners.ts',
  'Lottery-ReservePrize': 'src/lambdas/reserve-prize.ts',
  'Lottery-RandomSelectWinners': 'src/lambdas/random-select-winners.ts',
  'Lottery-ValidateWinners': 'src/lambdas/validate-winners.ts',
  'Lottery-RecordWinners': 'src/lambdas/record-winners.ts',
  'Lottery-ReleaseWinners': 'src/lambdas/release-winners.ts',
  'Lottery-CommitDraw': 'src/lambdas/commit-draw.ts',
  'Lottery-FetchBeaconRound': 'src/lambdas/fetch-beacon-round.ts',
};

/**
 * Writes the bundles into `outdir`, replacing whatever was there. The output depends only on the
 * sources and the lockfile: the same commit always yields the same bytes, so `lottery deploy`
 * finds an unchanged function unchanged.
 */
export async function buildLambdas(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await Promise.all(
    Object.entries(LAMBDA_ENTRIES).map(async ([name, entry]) => {
      const dir = join(outdir, name);
      mkdirSync(dir, { recursive: true });
      await build({
        entryPoints: [entry],
        outfile: join(dir, 'index.mjs'),
        bundle: true,
        // Everything, the AWS SDK included, goes into the one file: nothing is left external.
        format: 'esm',
        platform: 'node',
        // The functions run on nodejs22.x; our code must also run on Node 20, so only syntax both
        // understand is emitted (esbuild lowers anything one of the targets lacks).
        target: ['node22', 'node20'],
        mainFields: ['module', 'main'],
        minify: true,
        // Error names matter (Step Functions matches on them); keep class and function names
        // readable.
        keepNames: true,
        // CommonJS dependencies inside an ESM bundle still call require().
        banner: {
          js: "import { createRequire as __lotteryRequire } from 'node:module'; const require = __lotteryRequire(import.meta.url);",
        },
        legalComments: 'none',
        logLevel: 'warning',
      });
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { outdir: { type: 'string', default: join('dist', 'lambdas') } },
  });
  const started = Date.now();
  await buildLambdas(values.outdir);
  console.log(
    `built ${Object.keys(LAMBDA_ENTRIES).length} Lambda bundles in ${values.outdir}/ in ${Date.now() - started} ms`,
  );
}
