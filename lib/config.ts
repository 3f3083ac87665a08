/**
 * The CDK app's single entry to configuration: which stage is being synthesised (from the
 * `stage` context value, `-c stage=dev|prod`, defaulted in cdk.json) and that stage's config.
 * The config itself lives in `config/stages.ts`, shared with the functions so the schedules
 * and the handlers read the very same calendar.
 */
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';
import { isStageName, stageConfig, stages, type StageConfig, type StageName } from '../config/stages';

export { stageConfig, type StageConfig, type StageName };

/** Context key holding the stage name. */
export const STAGE_CONTEXT_KEY = 'stage';

/** Service name shared by Powertools (POWERTOOLS_SERVICE_NAME), tags and stack names. */
export const SERVICE_NAME = 'inscrire';

/**
 * Repository root: handler entries in `functions/routes.ts` are relative to it, and it holds
 * the package-lock.json the bundler resolves dependencies with.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Reads the stage from the construct tree's context.
 *
 * @throws when the value is missing or not a known stage, listing the valid ones, so a typo
 *   in `-c stage=...` fails the synth instead of deploying a default.
 */
export function resolveStage(node: Node): StageName {
  const value: unknown = node.tryGetContext(STAGE_CONTEXT_KEY);
  if (!isStageName(value)) {
    throw new Error(
      `Context "${STAGE_CONTEXT_KEY}" must be one of ${Object.keys(stages).join(', ')} (got ${JSON.stringify(value)}); pass -c ${STAGE_CONTEXT_KEY}=<stage>`,
    );
  }
  return value;
}
