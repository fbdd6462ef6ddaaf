import { defineConfig } from 'vitest/config';

export const UNIT = [
  'test/unit/**/*.test.ts',
  'test/handlers/**/*.test.ts',
  'test/local/**/*.test.ts',
];

// Two projects: `npm run test:unit` runs the first alone, in seconds, for the inner loop;
// `npm test` runs both.
export default defineConfig({
  test: {
    // Our SDK versions are pinned; its Node 20 end-of-support notice is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Two files at a time even on two cores: the integration tests spend most of their time
    // waiting on the processes they start and on the SDK's backoff, not computing.
    maxWorkers: 2,
    // Guards against a hang, not a speed check: the machine is shared, and a test that starts
    // dozens of processes takes several times longer when others are busy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // Pure code, and the handlers and the local Step Functions API against in-process dynalite.
        test: { name: 'unit', include: UNIT },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Everything else, whatever folder a new test file is in.
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          // The integration tests run bin/lottery, which loads dist/: build it once, fresh, first.
          globalSetup: ['test/helpers/build.ts'],
        },
      },
    ],
  },
});
