/** The InstalmentsDue and RefundRetry jobs' schedules and rights, as synthesised. */
import { Capture } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { instalmentsConfig } from '../../config/instalments';
import { refundRetryConfig } from '../../config/refunds';
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

describe('RefundRetry', () => {
  it('runs every few minutes on the Paris clock, with the scheduled time as its event', () => {
    const input = new Capture();
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'RefundRetry',
      ScheduleExpression: `cron(0/${refundRetryConfig.everyMinutes} * * * ? *)`,
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: { Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, 'RefundRetry'), 'Arn'] }, Input: input },
    });
    expect(JSON.parse(input.asString())).toEqual({ scheduledFor: '<aws.scheduler.scheduled-time>' });
  });

  it('may read, write and query the table and read the Stripe secret, nothing else; each run ends before the next starts', () => {
    const actions = actionsOf(roleStatements(s.template, 'RefundRetry'));
    expect([...new Set(actions.filter((a) => a.startsWith('dynamodb:')))].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions.filter((a) => a.startsWith('sqs:') || a.startsWith('ses:') || a.startsWith('s3:'))).toEqual([]);
    expect(functionProperties(s.template, 'RefundRetry').Timeout).toBeLessThan(refundRetryConfig.everyMinutes * 60);
  });
});
