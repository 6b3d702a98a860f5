import { defineConfig } from 'vitest/config';

// Layer 1: plain-Node unit and integration tests (store, handlers, migrations, CLI, bridge).
export default defineConfig({
  test: {
    include: ['test/main/**/*.test.ts', 'test/shared/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
