/**
 * Synthesises a stage the way `cdk synth -c stage=<stage>` does (same app, same cdk-nag
 * plugin) and gives the tests the template, the policy-validation report and small lookups
 * keyed by route/job id rather than by generated logical ids.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
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

/**
 * Synthesised once per worker and stage: the infra project runs its files in one module graph
 * per worker (vitest.config.ts `isolate: false`), so the files share this cache instead of each
 * building, validating (cdk-nag) and, for `bundle`, bundling the same app again. The tests only
 * read what is returned; none adds to the stack.
 */
const synthesised = new Map<string, Synthesised>();

export function synthStage(stage: StageName, options: SynthOptions = {}): Synthesised {
  const key = `${stage}:${options.bundle ? 'bundled' : 'unbundled'}`;
  let s = synthesised.get(key);
  if (!s) {
    s = synthesise(stage, options);
    synthesised.set(key, s);
  }
  return s;
}

function synthesise(stage: StageName, options: SynthOptions): Synthesised {
  if (options.bundle) runEsbuildDirectly();
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

/**
 * CDK's local bundling starts the project's esbuild through `npx --no-install esbuild`, one npm
 * start (about a second of CPU, several on a busy machine) per function. The tests run that
 * same esbuild binary directly: same version, same arguments, same bundles, without npm
 * in between. (CDK keeps the installation it found in a static of its Bundling class.)
 */
function runEsbuildDirectly(): void {
  const require = createRequire(import.meta.url);
  const { Bundling } = require(join(dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-lambda-nodejs', 'lib', 'bundling.js'));
  const esbuild = dirname(require.resolve('esbuild/package.json'));
  Bundling.esbuildInstallation = { isWorkspacePackage: false, version: (require('esbuild/package.json') as { version: string }).version };
  if (!process.env.PATH?.startsWith(join(esbuild, 'bin'))) process.env.PATH = `${join(esbuild, 'bin')}${delimiter}${process.env.PATH ?? ''}`;
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
