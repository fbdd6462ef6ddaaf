// Writes dist/THIRD-PARTY-NOTICES.txt: the license of every package esbuild bundled into dist/.
// Usage: node scripts/third-party-notices.mjs [--dir <bundle dir>] [--out <file>]   (build-sea.mjs
// points it at the single executable's bundle)
//
// The CLI bundle carries the code of its dependencies (the AWS SDK, commander, chalk, …), so the
// published package lists only what stays outside the bundle (dynalite) as a dependency, and these
// packages' license files would not ship with it. Their licenses (MIT, ISC, Apache-2.0) ask that
// the notices travel with the code: this file carries them. The packages are read from the bundle's
// source maps, which name every file esbuild put in, so the list is exactly what is bundled.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { dir: { type: 'string', default: 'dist' }, out: { type: 'string' } },
});
const DIST = values.dir;
const NODE_MODULES = '/node_modules/';

/** The directories of the packages whose files a source map lists. */
function bundledPackageDirs() {
  const maps = readdirSync(DIST, { recursive: true }).filter((file) => file.endsWith('.map'));
  if (maps.length === 0)
    throw new Error(`no source maps in ${DIST}/: build it first (npm run build)`);
  const dirs = new Set();
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(join(DIST, map), 'utf8'));
    for (const source of sources) {
      const file = resolve(DIST, dirname(map), source);
      const at = file.lastIndexOf(NODE_MODULES);
      if (at < 0) continue;
      const [scopeOrName, name] = file.slice(at + NODE_MODULES.length).split('/');
      dirs.add(
        file.slice(0, at + NODE_MODULES.length) +
          (scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName),
      );
    }
  }
  return [...dirs];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

function describe(dir) {
  const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir)
    .filter((file) => LICENSE_FILE.test(file))
    .sort();
  const text = files
    .map((file) => readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim())
    .join('\n\n');
  return {
    id: `${name}@${version}`,
    license: typeof license === 'string' ? license : 'see its package.json',
    text,
  };
}

const packages = bundledPackageDirs()
  .map(describe)
  .sort((a, b) => a.id.localeCompare(b.id));
// Many packages carry the same text (the SDK's Apache-2.0, Sindre Sorhus's MIT): print each text
// once.
const byText = new Map();
for (const pkg of packages.filter((pkg) => pkg.text)) {
  const key = pkg.text.replace(/\s+/g, ' ');
  byText.set(key, [...(byText.get(key) ?? []), pkg]);
}
const withoutFile = packages.filter((pkg) => !pkg.text);

const rule = '-'.repeat(80);
const sections = [...byText.values()].map(
  (group) =>
    `${rule}\n${group.map((pkg) => `${pkg.id} (${pkg.license})`).join('\n')}\n\n${group[0].text}\n`,
);
if (withoutFile.length > 0) {
  sections.push(
    `${rule}\nThese packages ship no license file; their package.json declares the license named:\n${withoutFile.map((pkg) => `${pkg.id} (${pkg.license})`).join('\n')}\n`,
  );
}
const out = values.out ?? join(DIST, 'THIRD-PARTY-NOTICES.txt');
writeFileSync(
  out,
  `lottery bundles the code of these ${packages.length} packages; their licenses follow.\n\n${sections.join('\n')}`,
);
console.log(`wrote ${out}: ${packages.length} packages, ${byText.size} license texts`);
