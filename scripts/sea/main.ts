// The single executable's entry point (scripts/build-sea.mjs bundles it): bin/lottery's job, plus
// the two things an installed package finds beside its code, served from the executable's assets.
import { getAsset } from 'node:sea';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main';

/** A private directory (mode 0700, unique) for this process, removed when it exits. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lottery-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let packageUrl: string | undefined;
// scripts/build-sea.mjs points import.meta.url and node-gyp-build at this object.
const sea = {
  // The CLI finds its package (the default employees, the room's screen's page) from
  // import.meta.url, which the build points here: the package's files are written out the first
  // time it asks.
  get packageUrl() {
    if (!packageUrl) {
      const root = scratch();
      mkdirSync(join(root, 'fixtures'));
      writeFileSync(join(root, 'package.json'), getAsset('package.json', 'utf8'));
      writeFileSync(
        join(root, 'fixtures', 'request-items.json'),
        getAsset('request-items.json', 'utf8'),
      );
      mkdirSync(join(root, 'dist', 'show-page'), { recursive: true });
      for (const file of ['index.html', 'show.css', 'show.js'])
        writeFileSync(join(root, 'dist', 'show-page', file), getAsset(`show-page/${file}`, 'utf8'));
      mkdirSync(join(root, 'dist', 'record-page'));
      writeFileSync(
        join(root, 'dist', 'record-page', 'record.js'),
        getAsset('record-page/record.js', 'utf8'),
      );
      packageUrl = pathToFileURL(join(root, 'dist', 'main.js')).href;
    }
    return packageUrl;
  },
  // LevelDB's native binding (classic-level's) can only be loaded from a file: write it out, load
  // it. The file can go at once: the loaded library stays mapped.
  loadBinding() {
    const dir = mkdtempSync(join(tmpdir(), 'lottery-'));
    const file = join(dir, 'classic-level.node');
    writeFileSync(file, new Uint8Array(getAsset('classic-level.node')));
    const binding = { exports: {} };
    process.dlopen(binding, file);
    rmSync(dir, { recursive: true, force: true });
    return binding.exports;
  },
};
Object.assign(globalThis, { __lotterySea: sea });

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A single executable runs CommonJS, which has no top-level await.
void main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then(async (code) => {
  const drained = (stream: NodeJS.WriteStream) =>
    new Promise((resolve) => stream.write('', resolve));
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
});
