import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'db/**/*.test.ts', 'jobs/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The migrated databases every test file's own database is copied from.
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each test file opens its own embedded database (hundreds of MiB, seconds to start):
    // on a 2-core machine two files at a time is the sweet spot.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
