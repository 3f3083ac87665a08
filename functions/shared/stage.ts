import { stageConfig, type StageConfig } from '../../config/stages';
import { ENV, requireEnv } from './env';

let cached: StageConfig | undefined;

/** The running stage's configuration (STAGE is set on every function by the CDK construct). */
export function currentStage(): StageConfig {
  cached ??= stageConfig(requireEnv(ENV.stage));
  return cached;
}
