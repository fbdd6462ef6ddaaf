import { execFileSync } from 'node:child_process';

/**
 * The cli tests write draw records, which carry the record page's verifier from dist/: build that
 * alone (in well under a second), fresh, rather than all of dist/.
 */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-record-page.mjs'], { stdio: 'inherit' });
}
