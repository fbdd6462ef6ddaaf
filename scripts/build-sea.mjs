// Builds dist-sea/lottery, a single executable (Node's "single executable applications"): this
// machine's Node.js with the CLI, its default employees and LevelDB's native binding inside, for
// machines without Node.js. It runs on this platform and architecture only.
//
// The CLI becomes one CommonJS file (what Node 20 can embed). Two things an installed package reads
// from disk come from the executable's assets instead (scripts/sea/main.ts): the package's files,
// found through import.meta.url, and classic-level's binding, which node-gyp-build would load
// from node_modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist-sea' } } });
const OUT = values.outdir;
const started = Date.now();
const require = createRequire(import.meta.url);

// The binding classic-level would load here, chosen by classic-level's own loader.
const classicLevel = dirname(
  require.resolve('classic-level/package.json', { paths: [dirname(require.resolve('dynalite'))] }),
);
const binding = createRequire(join(classicLevel, 'package.json'))('node-gyp-build').path(
  classicLevel,
);

// The room's screen's page and the record's verifier are built by scripts/build.mjs (`npm run
// build:sea` runs it first).
for (const page of ['dist/show-page/show.js', 'dist/record-page/record.js'])
  if (!existsSync(page)) throw new Error(`${page} is missing: run \`npm run build\` first`);
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT);
// The tools below chatter (postject warns about this Node's unnamed ELF notes); a failure shows
// their output.
const quietly = { stdio: ['ignore', 'pipe', 'pipe'] };
// The bundle, the blob and their config are steps on the way: they go in a directory of their own.
const work = mkdtempSync(join(tmpdir(), 'lottery-sea-'));
const bundle = join(work, 'lottery.cjs');
await build({
  entryPoints: ['scripts/sea/main.ts'],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  // A single executable's script has no import(): the SDK's import('node:http') becomes require().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': 'globalThis.__lotterySea.packageUrl' },
  plugins: [
    {
      name: 'binding-from-asset',
      setup(builder) {
        builder.onResolve({ filter: /^node-gyp-build$/ }, () => ({
          path: 'node-gyp-build',
          namespace: 'sea',
        }));
        builder.onLoad({ filter: /.*/, namespace: 'sea' }, () => ({
          contents: 'module.exports = () => globalThis.__lotterySea.loadBinding();',
          loader: 'js',
        }));
      },
    },
    {
      // dynalite requires each operation's module by a computed name without its extension. esbuild
      // bundles every file the name can match, but looks them up with the extension.
      name: 'dynalite-operations',
      setup(builder) {
        builder.onLoad({ filter: /[\\/]dynalite[\\/]index\.js$/ }, ({ path }) => {
          const source = readFileSync(path, 'utf8');
          const patched = source.replace(
            /require\('\.\/(actions|validations)\/' \+ action\)/g,
            "require('./$1/' + action + '.js')",
          );
          if (patched.match(/\.js'\)/g)?.length !== 2)
            throw new Error(
              `${path} no longer requires its operations as scripts/build-sea.mjs expects`,
            );
          return { contents: patched, loader: 'js' };
        });
      },
    },
  ],
  legalComments: 'none',
  // Read by third-party-notices.mjs, which lists the bundled packages from it.
  sourcemap: 'external',
  logLevel: 'warning',
});
const notices = join(OUT, 'THIRD-PARTY-NOTICES.txt');
execFileSync(
  process.execPath,
  ['scripts/third-party-notices.mjs', '--dir', work, '--out', notices],
  quietly,
);
// The executable also holds what no source map names: Node.js, and the libraries compiled into the
// binding.
const compiledIn = readdirSync(join(classicLevel, 'deps'), { recursive: true }).filter((file) =>
  /(^|[\\/])(LICENSE|COPYING)$/.test(file),
);
appendFileSync(
  notices,
  [
    `\nThe executable is Node.js ${process.version} with the above inside: Node.js's own license is the LICENSE file of the Node.js it was built from.\n`,
    ...compiledIn.map(
      (file) =>
        `\nCompiled into classic-level's native binding, from classic-level/deps/${file}:\n\n${readFileSync(join(classicLevel, 'deps', file), 'utf8').trim()}\n`,
    ),
  ].join(''),
);

const config = join(work, 'sea-config.json');
const blob = join(work, 'lottery.blob');
writeFileSync(
  config,
  JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: {
      'package.json': 'package.json',
      'request-items.json': 'fixtures/request-items.json',
      // The room's screen (`lottery show`) serves these, built by scripts/build.mjs.
      'show-page/index.html': 'dist/show-page/index.html',
      'show-page/show.css': 'dist/show-page/show.css',
      'show-page/show.js': 'dist/show-page/show.js',
      // Every draw record `draws record` writes carries this verifier.
      'record-page/record.js': 'dist/record-page/record.js',
      'classic-level.node': binding,
    },
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', config], quietly);
const executable = join(OUT, 'lottery');
copyFileSync(process.execPath, executable);
execFileSync(
  process.execPath,
  [
    require.resolve('postject/dist/cli.js'),
    executable,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  quietly,
);
rmSync(work, { recursive: true });
console.log(`built ${resolve(executable)} in ${Date.now() - started} ms`);
