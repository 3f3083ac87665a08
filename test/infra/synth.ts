/**
 * Synthesises a stage the way `cdk synth -c stage=<stage>` does (same app, same cdk-nag
 * plugin) and gives the tests the template, the policy-validation report and small lookups
 * keyed by route/job id rather than by generated logical ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { stageConfig, type StageConfig, type StageName } from '../../lib/config';
import { FUNCTION_ID_TAG, type InscrireStack } from '../../lib/inscrire-stack';

export interface SynthOptions {
  /**
   * Bundle the functions with esbuild, as a deployment does. Off, CDK's `aws:cdk:bundling-stacks`
   * context skips bundling: the template is the same except for asset hashes, so assertions
   * about resources do not depend on the handlers compiling, nor wait for esbuild.
   * @default false
   */
  readonly bundle?: boolean;
}

export interface Synthesised {
  readonly config: StageConfig;
  readonly stack: InscrireStack;
  readonly template: Template;
  readonly report: ValidationReport;
  /** The cloud assembly directory (templates, validation report, bundled assets). */
  readonly assemblyDir: string;
}

/** The parts of `validation-report.json` the tests read. */
export interface ValidationReport {
  readonly pluginReports: Array<{
    readonly pluginName: string;
    readonly violations: Violation[];
    readonly suppressedViolations?: Array<Violation & { readonly acknowledgedId: string; readonly reason: string }>;
  }>;
}

export interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ readonly constructPath: string }>;
}

export function synthStage(stage: StageName, options: SynthOptions = {}): Synthesised {
  const { app, stack } = buildApp(stage, {
    context: {
      // Report violations in the assembly instead of throwing, so the tests can list them.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { config: stageConfig(stage), stack, template: Template.fromStack(stack), report, assemblyDir: assembly.directory };
}

/** Logical id of the Lambda function built for a route/job id (found by its tag). */
export function functionLogicalId(template: Template, id: string): string {
  const found = Object.keys(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Tags: Match.arrayWith([{ Key: FUNCTION_ID_TAG, Value: id }]) },
    }),
  );
  if (found.length !== 1) throw new Error(`expected one function tagged ${FUNCTION_ID_TAG}=${id}, found ${found.length}`);
  return found[0]!;
}

export function functionProperties(template: Template, id: string): Record<string, any> {
  return template.toJSON().Resources[functionLogicalId(template, id)].Properties;
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every IAM statement attached to the execution role of a route/job's function. */
export function roleStatements(template: Template, id: string): Statement[] {
  const role = functionProperties(template, id).Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: role }]) },
  });
  // The function roles keep their grants inline (lib/constructs/service-function.ts InlinePolicyRole).
  const inline = (template.toJSON().Resources[role]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return [...Object.values(policies), ...inline.map((PolicyDocument) => ({ Properties: PolicyDocument }))].flatMap((p: any) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Logical id of the only resource of `type` matching `props`. */
export function onlyLogicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(template.findResources(type, props));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  return found[0]!;
}
