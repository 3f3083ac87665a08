import { type StageRuntime, stageRuntime } from '../../config/stage-runtime';
import { ENV, requireEnv } from './env';

let cached: StageRuntime | undefined;

/** What the running function reads of its stage's configuration (STAGE is set on every function by the CDK construct). */
export function currentStage(): StageRuntime {
  cached ??= stageRuntime(requireEnv(ENV.stage));
  return cached;
}
