import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { routeEntryTag } from './test/support/route-entry-tag';

/**
 * Three projects: unit tests and infra tests run without emulators; handler, integration and
 * browser tests get DynamoDB Local, the SQS server, the SES server and the OpenID Connect
 * provider started once for the run (test/support/global-setup.ts).
 *
 * Workers: at least two, so the 2-core CI machine runs two files at once (vitest's default there
 * is one: cores - 1); the README's "Tests" has the times measured with one and with two. Two were
 * refused before, while the shared database slowed every late file (global-setup.ts): the 50
 * concurrent writes to one step, each request within its function's timeout (functions/routes.ts
 * `timeoutSecondsOf`), came near it and timed out beside a browser. Files do not share state, so a
 * bigger machine runs more: each emulated file gets a database, table, queues and bucket of its
 * own (per-file-setup.ts), runtimes and browsers listen on free ports, and captured mail is always
 * filtered by recipient.
 *
 * Infra files share one module graph per worker (`isolate: false`), so the app of each stage is
 * synthesised once per worker instead of once per file (test/infra/synth.ts `synthStage`).
 */

export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // What every deployed function has: the stage whose settings it reads (functions/shared/stage.ts).
          env: { STAGE: 'dev' },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        plugins: [routeEntryTag(import.meta.dirname)],
        test: {
          name: 'emulated',
          include: ['test/handlers/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/per-file-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
