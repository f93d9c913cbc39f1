import { defineConfig } from 'vitest/config';

// Tests run against real parts (SQLite files, sharp, chokidar, onnxruntime, Milvus Lite,
// Chromium), so they are slow-ish and must not fight for the two cores: run files in
// forked processes, a couple at a time.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    // The fault campaign has its own run (`npm run test:faults`, vitest.faults.config.ts).
    exclude: ['tests/faults/**', '**/node_modules/**'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
