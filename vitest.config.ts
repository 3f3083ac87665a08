import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Three projects: unit tests and infra tests run without emulators; handler, integration and
 * browser tests get DynamoDB Local, the SQS server, the SES server and the OpenID Connect
 * provider started once for the run (test/support/global-setup.ts).
 *
 * Two workers, whatever the core count (vitest's default is cores - 1, so one on a 2-core
 * machine): most files wait on I/O (DynamoDB Local, the browser, child processes), so a second
 * file overlaps those waits. Files do not share state: each emulated file gets a table, queues
 * and a bucket of its own (per-file-setup.ts), runtimes and browsers listen on free ports, and
 * captured mail is always filtered by recipient.
 *
 * Infra files share one module graph per worker (`isolate: false`), so the app of each stage is
 * synthesised once per worker instead of once per file (test/infra/synth.ts `synthStage`).
 */

/**
 * vitest queues the projects by name, longest files first within each. The infra files go
 * first: the longest (bundling every function) then runs beside the emulated files, which
 * mostly wait, instead of alone at the end of the run.
 */
class InfraFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => f.project.name === 'infra'), ...sorted.filter((f) => f.project.name !== 'infra')];
  }
}

export default defineConfig({
  test: {
    maxWorkers: 2,
    sequence: { sequencer: InfraFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
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
