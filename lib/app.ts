/**
 * Builds the CDK app: one stack per stage, checked by cdk-nag's AwsSolutions pack. Used by
 * bin/app.ts (the CDK CLI) and by the infra tests, which build a stage without the CLI.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGE_CONTEXT_KEY, resolveStage, stageConfig, type StageName } from './config';
import { InscrireStack } from './inscrire-stack';

/** Stack name (and construct id) of a stage. */
export function stackName(stage: StageName): string {
  return `Inscrire-${stage}`;
}

/**
 * Adds the stage's stack to `app`, in the stage's region and, once set, account (`env` in
 * config/stages.ts: `cdk deploy` then refuses credentials of another account). No lookups:
 * the synth stays offline.
 */
export function createStack(app: App, stage: StageName): InscrireStack {
  const config = stageConfig(stage);
  return new InscrireStack(app, stackName(stage), {
    stackName: stackName(stage),
    description: `Inscrire (${stage}): online administrative enrollment`,
    env: { account: config.env.account, region: config.env.region },
    config,
  });
}

/**
 * Creates the app and the stack of `stage` (by default the `stage` context value, i.e.
 * `-c stage=...` or cdk.json), with the AwsSolutions checks: an unacknowledged error fails
 * the synth; warnings are reported.
 */
export function buildApp(stage?: StageName, props: AppProps = {}): { app: App; stack: InscrireStack } {
  const app = new App({
    ...props,
    context: { ...props.context, ...(stage ? { [STAGE_CONTEXT_KEY]: stage } : {}) },
  });
  const stack = createStack(app, resolveStage(app.node));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
