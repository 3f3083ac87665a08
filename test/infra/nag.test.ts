/**
 * cdk-nag AwsSolutions: no unacknowledged finding (error or warning) in either stage, and
 * every acknowledgement says why. cdk-nag 3 reports through the CDK's policy validation, not
 * annotations: findings are read from the assembly's validation report, as `cdk synth` prints
 * them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StageName } from '../../lib/config';
import { NAG_PACK, acknowledge } from '../../lib/nag';
import { synthStage, type Synthesised, type ValidationReport } from './synth';

function nagReport(report: ValidationReport) {
  const nag = report.pluginReports.find((r) => r.pluginName === NAG_PACK);
  if (!nag) throw new Error(`no ${NAG_PACK} report in validation-report.json: the cdk-nag plugin is not registered, or found nothing at all`);
  return nag;
}

/** One line per unacknowledged finding, readable in a test failure. */
function findings(report: ValidationReport): string[] {
  return nagReport(report).violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`));
}

describe.each<StageName>(['dev', 'prod'])('%s stage', (stage) => {
  let s: Synthesised;
  beforeAll(() => {
    s = synthStage(stage);
  });

  it('has no unacknowledged AwsSolutions error or warning', () => {
    expect(findings(s.report)).toEqual([]);
  });

  it('gives a reason for every acknowledgement, on a finding of this pack', () => {
    const suppressed = nagReport(s.report).suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const finding of suppressed) {
      expect(finding.acknowledgedId).toBe(`${NAG_PACK}::${finding.ruleName}`);
      expect(finding.reason.length, finding.acknowledgedId).toBeGreaterThan(60);
    }
  });

  it('acknowledges IAM5 findings one by one, never a whole rule', () => {
    const iam5 = (nagReport(s.report).suppressedViolations ?? []).filter((f) => f.ruleName.startsWith(`${NAG_PACK}-IAM5`));
    expect(iam5.length).toBeGreaterThan(0);
    for (const finding of iam5) expect(finding.ruleName).toMatch(/^AwsSolutions-IAM5\[.+\]$/);
  });

  it('has no CDK error annotation', () => {
    expect(Annotations.fromStack(s.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('the nag check itself', () => {
  // Guards the tests above against passing vacuously: the same report reading must see a
  // finding that is not acknowledged, and stop seeing it once acknowledged.
  function synthQueue(ack: boolean): ValidationReport {
    const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const queue = new Queue(new Stack(app, 'Probe'), 'Queue', { enforceSSL: true });
    if (ack) acknowledge(queue, 'SQS3', 'Probe queue of the nag self-test, never deployed anywhere at all.');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    return JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  }

  it('reports an unacknowledged finding', () => {
    expect(findings(synthQueue(false))).toContain('error AwsSolutions-SQS3 at Probe/Queue/Resource');
  });

  it('drops it once acknowledged', () => {
    expect(findings(synthQueue(true))).not.toContain('error AwsSolutions-SQS3 at Probe/Queue/Resource');
  });
});
