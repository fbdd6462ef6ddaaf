import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The integration tests run bin/lottery, which loads dist/: build it once, fresh, first.
    globalSetup: ['test/helpers/build.ts'],
    // Our SDK versions are pinned; its Node 20 end-of-support notice is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
