import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // End-to-end files each start their own server process; two cores run two files at a time.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
