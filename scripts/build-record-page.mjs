// Bundles a draw record's verifier (src/record-page/) into <outdir>/record.js, for the browser:
// `lottery draws record` inlines it into every page it writes. `npm run build` writes it to
// dist/record-page/ (scripts/build.mjs); the cli tests build it alone first, since they write
// pages without building the rest of dist/.
//
// Usage: node scripts/build-record-page.mjs [--outdir <dir>]   (default: dist/record-page)
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export function buildRecordPage(outdir) {
  return build({
    entryPoints: { record: 'src/record-page/record.ts' },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // The pages travel alone: the bundled libraries' license comments go with them.
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { outdir: { type: 'string', default: join('dist', 'record-page') } },
  });
  await buildRecordPage(values.outdir);
}
