import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): crashes, a database restart, several server instances behind a
 * load balancer, backup and restore, a fuzzer and a TLS scan. Kept apart from `npm test` because it
 * starts real server processes, its own PostgreSQL cluster and HAProxy; `.ci/run` runs it after `npm test`.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each file starts server processes of its own; two cores do not take more than one file at a time.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
