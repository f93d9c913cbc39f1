import { defineConfig } from 'vitest/config';

// The fault campaign (`npm run test:faults`, docs/reliability.md): the real core in child
// processes that are killed, starved of disk, cut off from their servers. One file at a time:
// each one loads both cores on its own.
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
