import { defineConfig } from 'vitest/config';
import { routeEntryTag } from './test/support/route-entry-tag';

/**
 * Three projects: unit tests and infra tests run without emulators; handler, integration and
 * browser tests get DynamoDB Local, the SQS server, the SES server and the OpenID Connect
 * provider started once for the run (test/support/global-setup.ts).
 *
 * Workers: vitest's default (cores - 1, so one on the 2-core CI machine). Two files at once were
 * tried: about 40 s faster there, but the concurrency tests (50 writes to one step, each request
 * with its function's 10 s budget) then share the CPU with the bundling of every function or a
 * browser, and time out. Files do not share state, so a bigger machine runs several safely: each
 * emulated file gets a database, table, queues and bucket of its own (per-file-setup.ts), runtimes
 * and browsers listen on free ports, and captured mail is always filtered by recipient.
 *
 * Infra files share one module graph per worker (`isolate: false`), so the app of each stage is
 * synthesised once per worker instead of once per file (test/infra/synth.ts `synthStage`).
 */

export default defineConfig({
  test: {
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
