// Mutation testing of the core (`npm run test:mutation`): Stryker changes the code one small way at
// a time — a condition flipped, a bound moved, a message emptied — and runs the unit tests that
// cover it; a change no test notices is a way a draw could be rigged or a check skipped unseen.
// docs/mutation.md has the scores and the mutants left alive on purpose, each with its reason.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Every file of the core and the operations tooling, so that a file added there is tested from
  // the day it lands.
  mutate: ['src/core/**/*.ts', 'src/ops/**/*.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant: a message, a regular expression, a table) can only be
  // tested by running every related test file again, and they take 95 % of the time of a run:
  // they are left out here. docs/mutation.md says how to run them for one file.
  ignoreStatic: true,
  // The machines have two cores.
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ['dist', 'dist-sea', 'coverage', 'bench/results', 'reports', '.lottery'],
  thresholds: { high: 95, low: 90, break: null },
  // On top of 1.5 × the covering tests' own time: a mutant that loops is caught after 8 s, and a
  // test slowed down by a neighbour on these shared machines is still not taken for one.
  timeoutMS: 8_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
