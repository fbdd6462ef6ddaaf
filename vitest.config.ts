import { defineConfig } from 'vitest/config';

const UNIT = ['test/unit/**/*.test.ts'];
const CLI = ['test/cli/**/*.test.ts'];
const E2E = ['test/e2e/**/*.test.ts'];

/**
 * The tests Stryker runs against the core and the operations tooling (vitest.mutation.config.ts):
 * the unit tests, and the handlers and the local Step Functions and SNS APIs, which reach the
 * core's selection, pool and audit code through the engine (docs/mutation.md credits some mutants
 * to them). Not the commands run in process: each would add its whole run to every mutant it
 * reaches.
 */
export const MUTATION = [...UNIT, 'test/cli/handlers/**/*.test.ts', 'test/cli/local/**/*.test.ts'];

// Three projects (docs/architecture.md, "Tests"):
// - unit: pure code in process, no embedded backend, no build. `npm run test:unit`, for the inner
//   loop.
// - cli: the commands run in process through main(), the handlers and the local Step Functions and
//   SNS APIs against in-process dynalite, the template checks. `npm test` runs unit and cli.
// - e2e: what needs a real process: signals, terminals (tmux), the data directory's lock held by
//   another process, the installed package and the single executable, deploy against moto, the
//   room's screen in a browser. `npm run test:e2e`, after building dist/.
export default defineConfig({
  test: {
    // Our SDK versions are pinned; its Node 20 end-of-support notice is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Two files at a time: the machines have two cores.
    maxWorkers: 2,
    // Guards against a hang, not a speed check: the machine is shared, and a test that starts
    // dozens of processes takes several times longer when others are busy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // The unit and cli files share their worker's loaded modules (isolate: false): loading the
      // CLI and the AWS SDK again for every file was half of their time. No test mocks a module
      // or stubs a global, and commands keep no state between runs.
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      {
        extends: true,
        test: {
          name: 'cli',
          include: CLI,
          isolate: false,
          // Draw records carry the record page's verifier (dist/record-page/): built first, alone.
          globalSetup: ['test/helpers/record-page.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // The e2e tests run bin/lottery, which loads dist/: build it once, fresh, first.
          globalSetup: ['test/helpers/build.ts'],
        },
      },
    ],
  },
});
