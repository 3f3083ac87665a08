/**
 * Builds the CDK app: one stack per stage, checked by cdk-nag's AwsSolutions pack. Used by
 * bin/app.ts (the CDK CLI) and by the infra tests, which build a stage without the CLI.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGE_CONTEXT_KEY, resolveStage, stageConfig, type StageName } from './config';
import { EdgeStack } from './edge-stack';
import { InscrireStack } from './inscrire-stack';

/** Stack name (and construct id) of a stage. */
export function stackName(stage: StageName): string {
  return `Inscrire-${stage}`;
}

/** Adds the stage's stack to `app`. Environment-agnostic: no account/region, no lookups. */
export function createStack(app: App, stage: StageName): InscrireStack {
  // The WAF web ACL lives in us-east-1 (CloudFront's scope): its own stack, deployed first.
  new EdgeStack(app, `${stackName(stage)}-edge`, { stackName: `${stackName(stage)}-edge`, stage, description: `Inscrire (${stage}): WAF web ACL of the distribution` });
  const webAclArn = app.node.tryGetContext('webAclArn') as string | undefined;
  return new InscrireStack(app, stackName(stage), {
    stackName: stackName(stage),
    description: `Inscrire (${stage}): online administrative enrollment`,
    config: stageConfig(stage),
    webAclArn,
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
