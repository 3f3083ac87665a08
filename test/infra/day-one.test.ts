/**
 * Day one on AWS (issue 17), on the synthesised prod template: alarms that can reach someone,
 * the public domain, SES as universities configure it, alarms on the signals that move,
 * capacity at the opening, stages apart, and headroom under CloudFormation's limits.
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIL_NOT_SENT, SENT_JOB_MEMORY_SECONDS } from '../../functions/events/mail-signals';
import { jobs, routes } from '../../functions/routes';
import { placeholders } from '../../lib/config';
import { mailerConcurrency } from '../../lib/constructs/mailer';
import { actionsOf, functionLogicalId, functionProperties, roleStatements, synthStage, type Synthesised } from './synth';

let s: Synthesised;
let dev: Synthesised;
beforeAll(() => {
  s = synthStage('prod');
  dev = synthStage('dev');
});

const resources = (x: Synthesised = s): Record<string, any> => x.template.toJSON().Resources;
function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}
const alarms = (x: Synthesised = s) => Object.values(x.template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
const alarmOf = (construct: IConstruct) => resources()[logicalId(construct)].Properties;
const mailJob = jobs.find((j) => j.trigger.kind === 'mailQueue')!;
const mailBatchSize = mailJob.trigger.kind === 'mailQueue' ? mailJob.trigger.batchSize : 0;

describe('1. alarms reach someone', () => {
  it('the alarm topic lets CloudWatch publish, for this account’s alarms only, beside the SSL-only deny', () => {
    const policies = Object.values(s.template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: logicalId(s.stack.monitoring.topic) }] } }));
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as any).Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allow = statements.find((st: any) => st.Effect === 'Allow');
    expect(allow).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: logicalId(s.stack.monitoring.topic) } });
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(allow.Condition.ArnLike['aws:SourceArn'])).toMatch(/:cloudwatch:eu-west-3:",\{"Ref":"AWS::AccountId"\},":alarm:\*"/);
  });

  it('every alarm notifies the topic, in alarm and back to OK', () => {
    const all = alarms();
    expect(all.length).toBeGreaterThan(10);
    for (const alarm of all) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([{ Ref: logicalId(s.stack.monitoring.topic) }]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([{ Ref: logicalId(s.stack.monitoring.topic) }]);
    }
  });

  it('no other topic, and every queue a service writes to is written by a role of this stack holding sqs:SendMessage (their policies only deny plain HTTP)', () => {
    expect(Object.keys(s.template.findResources('AWS::SNS::Topic'))).toHaveLength(1);
    for (const policy of Object.values(s.template.findResources('AWS::SQS::QueuePolicy')) as any[]) {
      expect(policy.Properties.PolicyDocument.Statement.map((st: any) => st.Effect)).toEqual(['Deny']);
    }
    // Policy resources, and the function roles' inline policies (lib/constructs/service-function.ts InlinePolicyRole).
    const documents = [
      ...Object.values(s.template.findResources('AWS::IAM::Policy')).map((p: any) => p.Properties.PolicyDocument),
      ...Object.values(s.template.findResources('AWS::IAM::Role')).flatMap((r: any) => (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
    ];
    const senders = (queue: IConstruct) =>
      documents.filter((d: any) =>
        d.Statement.some((st: any) => actionsOf([st]).includes('sqs:SendMessage') && JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [logicalId(queue), 'Arn'] })),
      ).length;
    const relay = jobs.find((j) => j.trigger.kind === 'tableStream')!.id;
    expect(senders(s.stack.streamConsumers[relay]!.failureQueue)).toBe(1); // the relay's on-failure destination
    expect(senders(s.stack.schedules.deadLetterQueue)).toBe(2); // the scheduler, and the switch's async on-failure
    for (const schedule of Object.values(s.stack.rateSchedules)) expect(senders(schedule.deadLetterQueue)).toBe(1);
    // The mail dead-letter queue is fed by the mail queue's redrive policy: no sender needed.
    expect(senders(s.stack.mailer.deadLetterQueue)).toBe(0);
  });
});

describe('2. the public domain', () => {
  it('the distribution serves the configured names with the configured us-east-1 certificate, and publicOrigin is one of them', () => {
    const config = resources()[logicalId(s.stack.web.distribution)].Properties.DistributionConfig;
    expect(config.Aliases).toEqual(s.config.domain.names);
    expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: s.config.domain.certificateArn, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(s.config.domain.names).toContain(new URL(s.config.publicOrigin).hostname);
    expect(functionProperties(s.template, 'Payment').Environment.Variables.PUBLIC_ORIGIN).toBe(s.config.publicOrigin);
  });

  it('a prod synth warns about every placeholder left in the config', () => {
    const warnings = Annotations.fromStack(s.stack)
      .findWarning('*', Match.stringLikeRegexp('^Stage prod: '))
      .map((w) => String(w.entry.data));
    const expected = placeholders(s.config);
    expect(expected.map((p) => p.path)).toEqual(
      expect.arrayContaining(['domain.names[0]', 'domain.certificateArn', 'mailFrom', 'publicOrigin', 'nationalApis.cvec', 'nationalApis.ines', 'env.account']),
    );
    for (const p of expected)
      expect(
        warnings.some((w) => w.startsWith(`Stage prod: ${p.path} (`)),
        p.path,
      ).toBe(true);
    expect(warnings).toHaveLength(expected.length);
  });
});

describe('3. SES as universities set it up', () => {
  it('the mailer may send as the stage sender only, through the address or its domain identity, and with the configuration set', () => {
    const ses = roleStatements(s.template, 'Mailer').filter((st) => actionsOf([st]).some((a) => a.startsWith('ses:'))) as any[];
    const identities = ses.find((st) => st.Condition);
    expect(identities.Condition).toEqual({ StringEquals: { 'ses:FromAddress': s.config.mailFrom } });
    const names = identities.Resource.map((r: any) => JSON.stringify(r).match(/:identity\/([^"]+)"/)![1]);
    expect(names).toEqual([s.config.mailFrom, s.config.mailFrom.split('@')[1]]);
    const set = ses.find((st) => !st.Condition);
    expect(JSON.stringify(set.Resource)).toContain(`:configuration-set/",${JSON.stringify({ Ref: logicalId(s.stack.mailer.configurationSet) })}`);
    expect(functionProperties(s.template, 'Mailer').Environment.Variables.MAIL_CONFIGURATION_SET).toEqual({ Ref: logicalId(s.stack.mailer.configurationSet) });
  });

  it('the configuration set is named after the stage, suppresses bounced and complaining addresses, and sends bounce and complaint events to CloudWatch', () => {
    s.template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'inscrire-prod', SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } });
    s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: logicalId(s.stack.mailer.configurationSet) },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'bounce', 'complaint']),
        CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'inscrire-prod' }] },
      },
    });
  });

  it.each([
    ['bounce', 'Bounce', 5],
    ['complaint', 'Complaint', 0.1],
  ])('alarms on the %s rate of the configuration set, over an hour with at least 100 sends', (name, metric, threshold) => {
    const alarm = alarmOf(name === 'bounce' ? s.stack.mailer.bounceRateAlarm : s.stack.mailer.complaintRateAlarm);
    expect(alarm).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    const byId = Object.fromEntries(alarm.Metrics.map((m: any) => [m.Id, m]));
    expect(byId.events.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/SES', MetricName: metric, Dimensions: [{ Name: 'ses:configuration-set', Value: 'inscrire-prod' }] },
      Period: 3600,
      Stat: 'Sum',
    });
    expect(byId.sends.MetricStat.Metric.MetricName).toBe('Send');
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(sends >= 100, 100 * FILL(events, 0) / sends, 0)');
  });
});

describe('4. alarms on the right signals', () => {
  it('the API alarm counts server faults 500, 502 and 504 from the access logs, never the designed 503', () => {
    const filter = Object.values(s.template.findResources('AWS::Logs::MetricFilter', { Properties: { LogGroupName: { Ref: logicalId(s.stack.api.accessLogGroup) } } }))[0] as any;
    const pattern: string = filter.Properties.FilterPattern;
    for (const status of ['500', '502', '504']) expect(pattern).toContain(`$.status = "${status}"`);
    expect(pattern).not.toContain('503');
    const alarm = alarmOf(s.stack.monitoring.apiServerErrorAlarm);
    const metrics = alarm.Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => m.MetricStat.Metric.MetricName)
      .sort();
    expect(metrics).toEqual(['ApiServerFaults', 'Count']);
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toMatch(/^IF\(requests >= \d+, /);
  });

  it('the mail queue alarms on its oldest message’s age', () => {
    expect(alarmOf(s.stack.mailer.oldestMessageAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(s.stack.mailer.queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each(jobs.filter((j) => j.trigger.kind === 'tableStream'))('the stream job $id alarms on its iterator age', ({ id }) => {
    expect(alarmOf(s.stack.streamConsumers[id]!.iteratorAgeAlarm)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(s.template, id) } }],
      Statistic: 'Maximum',
      Threshold: 600_000,
    });
  });

  it('the mailer’s failed sends are counted from its "Mail not sent" log lines and alarmed on', () => {
    const mailerLogGroup = functionProperties(s.template, 'Mailer').LoggingConfig.LogGroup;
    s.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: mailerLogGroup,
      FilterPattern: `{ $.message = "${MAIL_NOT_SENT}" }`,
      MetricTransformations: [{ MetricName: 'MailNotSent', MetricNamespace: 'Inscrire/prod', MetricValue: '1' }],
    });
    expect(alarmOf(s.stack.mailer.failureAlarm!)).toMatchObject({ Namespace: 'Inscrire/prod', MetricName: 'MailNotSent', Statistic: 'Sum', Threshold: 10, EvaluationPeriods: 2 });
  });

  it('a failing mail is retried for more than an hour before the dead-letter queue (a one-hour SES outage loses nothing)', () => {
    const queue = resources()[logicalId(s.stack.mailer.queue)].Properties;
    expect(queue.RedrivePolicy.maxReceiveCount * queue.VisibilityTimeout).toBeGreaterThanOrEqual(3600);
    // Mail outlives the retries: the queue keeps it for days.
    expect(queue.MessageRetentionPeriod).toBeGreaterThan(queue.RedrivePolicy.maxReceiveCount * queue.VisibilityTimeout);
  });

  it('the mailer remembers a sent job longer than its message can live in the queue or the dead-letter queue (a redrive sends nothing twice)', () => {
    const queues = [s.stack.mailer.queue, s.stack.mailer.deadLetterQueue].map((q) => resources()[logicalId(q)].Properties);
    for (const queue of queues) expect(queue.MessageRetentionPeriod).toBeLessThan(SENT_JOB_MEMORY_SECONDS);
    // A redriven message keeps its first enqueue time, so the dead-letter queue's retention bounds it.
    expect(queues[1].MessageRetentionPeriod).toBeGreaterThanOrEqual(queues[0].MessageRetentionPeriod);
  });
});

describe('5. capacity at the opening', () => {
  it('caps the mailer’s event source to the SES sending rate of the stage', () => {
    const mapping = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: functionLogicalId(s.template, 'Mailer') } } }))[0] as any;
    expect(mapping.Properties.ScalingConfig).toEqual({ MaximumConcurrency: mailerConcurrency(s.config.sesMaxSendRate, mailBatchSize) });
    expect(mailerConcurrency(50, 10)).toBe(5);
    expect(mailerConcurrency(1, 10)).toBe(2); // Lambda's minimum
    expect(mailerConcurrency(100_000, 10)).toBe(1000); // and maximum
  });

  it('reserves concurrency for the payment webhook and for the mailer, enough for its event source', () => {
    expect(functionProperties(s.template, 'PaymentWebhook').ReservedConcurrentExecutions).toBe(s.config.reservedConcurrency.PaymentWebhook);
    const mailer = functionProperties(s.template, 'Mailer').ReservedConcurrentExecutions;
    expect(mailer).toBe(s.config.reservedConcurrency.Mailer);
    expect(mailer).toBeGreaterThanOrEqual(mailerConcurrency(s.config.sesMaxSendRate, mailBatchSize));
    // Nothing else is reserved, and dev reserves nothing (a new account cannot).
    const reserved = [...routes, ...jobs].filter(({ id }) => functionProperties(s.template, id).ReservedConcurrentExecutions !== undefined).map(({ id }) => id);
    expect(reserved.sort()).toEqual(['Mailer', 'PaymentWebhook']);
    expect([...routes, ...jobs].filter(({ id }) => functionProperties(dev.template, id).ReservedConcurrentExecutions !== undefined)).toEqual([]);
  });
});

describe('6. stages apart', () => {
  it('deploys each stage to its own configured region (and account, once set)', () => {
    expect(s.stack.region).toBe(s.config.env.region);
    expect(dev.stack.region).toBe(dev.config.env.region);
  });

  it('names everything account-wide after the stage', () => {
    const names = (x: Synthesised) => ({
      api: Object.values(x.template.findResources('AWS::ApiGatewayV2::Api')).map((r: any) => r.Properties.Name),
      set: Object.values(x.template.findResources('AWS::SES::ConfigurationSet')).map((r: any) => r.Properties.Name),
      group: Object.values(x.template.findResources('AWS::Scheduler::ScheduleGroup')).map((r: any) => r.Properties.Name),
      namespaces: [...new Set(Object.values(x.template.findResources('AWS::Logs::MetricFilter')).flatMap((r: any) => r.Properties.MetricTransformations.map((m: any) => m.MetricNamespace)))],
    });
    expect(names(s)).toEqual({ api: ['inscrire-prod'], set: ['inscrire-prod'], group: ['inscrire-prod'], namespaces: ['Inscrire/prod'] });
    expect(names(dev)).toEqual({ api: ['inscrire-dev'], set: ['inscrire-dev'], group: ['inscrire-dev'], namespaces: ['Inscrire/dev'] });
  });
});

describe('7. the small things', () => {
  it('the pages’ deployment handler logs to a group with the stage’s retention', () => {
    const handlers = Object.entries(resources()).filter(([, r]) => r.Type === 'AWS::Lambda::Function' && !r.Properties.Tags?.some((t: any) => t.Key === 'inscrire:function'));
    const deployment = handlers.filter(([, r]) => r.Properties.LoggingConfig?.LogGroup);
    expect(deployment).toHaveLength(1);
    const logGroup = resources()[deployment[0]![1].Properties.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: s.config.logRetentionDays } });
    // Every log group of the stack expires.
    for (const group of Object.values(s.template.findResources('AWS::Logs::LogGroup')) as any[]) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('prod keeps every queue, and its messages, when the stack is deleted; dev does not', () => {
    const queues = (x: Synthesised) => Object.values(x.template.findResources('AWS::SQS::Queue')) as any[];
    expect(queues(s).length).toBeGreaterThanOrEqual(5);
    for (const q of queues(s)) expect(q).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    for (const q of queues(dev)) expect(q.DeletionPolicy).toBe('Delete');
  });

  it('aggregates the function alarms: their number does not grow with each route', () => {
    expect(s.stack.monitoring.functionGroups.flat().sort()).toEqual([...routes, ...jobs].map((e) => e.id).sort());
    expect(alarms().length).toBeLessThan([...routes, ...jobs].length);
  });

  it.each(['dev', 'prod'])('the %s stack stays under 450 resources (CloudFormation refuses 500)', (stage) => {
    const count = Object.keys(resources(stage === 'prod' ? s : dev)).length;
    expect(count).toBeLessThan(450);
  });
});
