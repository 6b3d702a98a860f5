import { defineConfig } from 'vitest/config';

// Layer 3: the production renderer build, served with the HTTP bridge, driven in Chromium.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
