#!/usr/bin/env node
// After a Stryker run: each file's mutation score from its JSON report, against the file's floor.
// Stryker's own break threshold is one number for everything it mutated; the files that pick
// winners, decide who may win and check a draw are held higher than the rest (docs/mutation.md).
import { readFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
// The files `npm run test:mutation:trusted` mutates in CI (package.json): keep the two lists alike.
const TRUSTED = [
  'src/core/selection.ts',
  'src/core/pool.ts',
  'src/core/verify.ts',
  'src/core/audit.ts',
  'src/core/candidates.ts',
  'src/core/canonical.ts',
  'src/core/beacon.ts',
  'src/core/serial-deltas.ts',
  'src/core/record-verify.ts',
  'src/core/pool-members.ts',
];
const floorOf = (file) => (TRUSTED.includes(file) ? 95 : 90);

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const below = [];
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) =>
  a.localeCompare(b),
)) {
  const count = (...statuses) =>
    mutants.filter((mutant) => statuses.includes(mutant.status)).length;
  const detected = count('Killed', 'Timeout');
  const alive = count('Survived', 'NoCoverage');
  // A file of constants only (names.ts) has no mutant once static ones are left out.
  if (detected + alive === 0) continue;
  const score = (100 * detected) / (detected + alive);
  const floor = floorOf(file);
  console.log(
    `${file.padEnd(28)} ${score.toFixed(2).padStart(6)} %  floor ${floor} %  (${alive} of ${detected + alive} alive)`,
  );
  if (score < floor) below.push(`${file}: ${score.toFixed(2)} %, below ${floor} %`);
}
if (below.length > 0) {
  console.error(
    `\nmutation score below its floor:\n  ${below.join('\n  ')}\nA surviving mutant is a change to the code no test notices: see docs/mutation.md`,
  );
  process.exit(1);
}
