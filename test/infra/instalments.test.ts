/** The InstalmentsDue job's schedule and rights, as synthesised. */
import { Capture } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { instalmentsConfig } from '../../config/instalments';
import { actionsOf, functionLogicalId, functionProperties, roleStatements, synthStage, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('dev');
});

describe('InstalmentsDue', () => {
  it('runs daily at the configured Paris time (the scheduler keeps summer time), with the scheduled time as its event', () => {
    const input = new Capture();
    const { hour, minute } = instalmentsConfig.dailyRunAt;
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'InstalmentsDue',
      ScheduleExpression: `cron(${minute} ${hour} * * ? *)`,
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: { Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, 'InstalmentsDue'), 'Arn'] }, Input: input },
    });
    expect(JSON.parse(input.asString())).toEqual({ scheduledFor: '<aws.scheduler.scheduled-time>' });
  });

  it('may read and write the table and read the Stripe secret, nothing else', () => {
    const actions = actionsOf(roleStatements(s.template, 'InstalmentsDue'));
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions.filter((a) => a.startsWith('sqs:') || a.startsWith('ses:') || a.startsWith('s3:'))).toEqual([]);
    expect(functionProperties(s.template, 'InstalmentsDue').Timeout).toBe(900);
  });
});
