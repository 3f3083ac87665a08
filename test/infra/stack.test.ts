/**
 * The dev stack, asserted from the route/job lists and the stage config: each route's
 * function, API route and authorisation; least-privilege grants and environment variables
 * derived from each entry's `access`; the window schedules and the rate jobs' schedules; the
 * mail pipeline and its DLQ; alarms and their notification topic.
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamo/table-schema';
import { jobs, routes, type Access, type JobTrigger, type RouteDef } from '../../functions/routes';
import { DOCUMENTS_BUCKET_ENV } from '../../functions/adapters/s3';
import { ENV } from '../../functions/shared/env';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metric-names';
import { actionsOf, functionLogicalId, functionProperties, onlyLogicalId, roleStatements, synthStage, type Statement, type Synthesised } from './synth';

let s: Synthesised;
beforeAll(() => {
  s = synthStage('dev');
});

const entries = [...routes, ...jobs];

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** The environment variable names an entry's access entitles it to, beyond the common ones. */
function expectedAccessEnv(access: Access): string[] {
  return [
    ...(access.table ? [ENV.tableName] : []),
    ...(access.mailQueue ? [ENV.mailQueueUrl] : []),
    ...(access.ses ? [ENV.mailFrom, ENV.mailConfigurationSet] : []),
    ...(access.secrets?.includes('session') ? [ENV.sessionSecretArn] : []),
    ...(access.secrets?.includes('stripe') ? [ENV.stripeSecretArn] : []),
    ...(access.secrets?.includes('national') ? [ENV.nationalApiSecretArn] : []),
    ...(access.secrets?.includes('originVerify') ? [ENV.originVerifySecretArn] : []),
    ...(access.assistanceMailbox ? [ENV.assistanceEmail] : []),
    ...(access.nationalApis?.includes('cvec') ? [ENV.cvecApiUrl] : []),
    ...(access.nationalApis?.includes('ines') ? [ENV.inesApiUrl] : []),
    ...(access.documents || access.certificates ? [DOCUMENTS_BUCKET_ENV] : []),
  ];
}

describe('functions', () => {
  it.each(entries)('$id runs on Node.js 22 / ARM64 with tracing, its entry memory/timeout and its own log group', ({ id, memoryMb, timeoutSeconds }) => {
    const props = functionProperties(s.template, id);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      MemorySize: memoryMb ?? 512,
      Timeout: timeoutSeconds ?? 10,
    });
    const logGroup = s.template.toJSON().Resources[props.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: s.config.logRetentionDays }, DeletionPolicy: 'Delete' });
  });

  it.each(entries)('$id gets exactly the environment its access declares', ({ id, access }) => {
    const env = functionProperties(s.template, id).Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env).sort()).toEqual([ENV.stage, ENV.publicOrigin, 'POWERTOOLS_SERVICE_NAME', ...expectedAccessEnv(access)].sort());
    expect(env).toMatchObject({
      [ENV.stage]: 'dev',
      [ENV.publicOrigin]: s.config.publicOrigin,
      POWERTOOLS_SERVICE_NAME: 'inscrire',
    });
    // Source maps ship but are not loaded at init (a cold-start cost, issue 16).
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    if (access.table) expect(env[ENV.tableName]).toEqual({ Ref: logicalId(s.stack.table.table) });
    if (access.mailQueue) expect(env[ENV.mailQueueUrl]).toEqual({ Ref: logicalId(s.stack.mailer.queue) });
    if (access.ses) {
      expect(env).toMatchObject({ [ENV.mailFrom]: s.config.mailFrom });
      expect(env[ENV.mailConfigurationSet]).toEqual({ Ref: logicalId(s.stack.mailer.configurationSet) });
    }
    if (access.assistanceMailbox) expect(env[ENV.assistanceEmail]).toBe(s.config.assistanceEmail);
    if (access.secrets?.includes('session')) expect(env[ENV.sessionSecretArn]).toEqual({ Ref: logicalId(s.stack.secrets.session) });
    if (access.secrets?.includes('stripe')) expect(env[ENV.stripeSecretArn]).toEqual({ Ref: logicalId(s.stack.secrets.stripe) });
    if (access.nationalApis?.includes('cvec')) expect(env[ENV.cvecApiUrl]).toBe(s.config.nationalApis.cvec);
    if (access.nationalApis?.includes('ines')) expect(env[ENV.inesApiUrl]).toBe(s.config.nationalApis.ines);
  });

  it('the CVEC and INES steps reach their national service, with its API key', () => {
    const byId = Object.fromEntries(entries.map((e) => [e.id, e.access]));
    expect(byId.StepCvec).toMatchObject({ nationalApis: ['cvec'], secrets: expect.arrayContaining(['national']) });
    expect(byId.StepIne).toMatchObject({ nationalApis: ['ines'], secrets: expect.arrayContaining(['national']) });
    expect(functionProperties(s.template, 'StepCvec').Environment.Variables[ENV.cvecApiUrl]).toMatch(/^https:\/\//);
  });
});

describe('deployment order', () => {
  // What a function writes for the table's stream or the mail queue must be readable by the job
  // reading it from the moment it is written (a new certificate event cause, a new mail template).
  const readers = jobs.filter((j) => j.trigger.kind === 'tableStream' || j.trigger.kind === 'mailQueue');

  it('has readers to order: the certificate job and the mailer among them', () => {
    expect(readers.map((j) => j.id)).toEqual(expect.arrayContaining(['CertificateIssuer', 'Mailer']));
  });

  it.each(entries.filter((e) => !readers.includes(e as (typeof readers)[number])))('$id is updated after the stream and mail-queue jobs', ({ id }) => {
    const dependsOn = s.template.toJSON().Resources[functionLogicalId(s.template, id)].DependsOn as string[];
    expect(dependsOn).toEqual(expect.arrayContaining(readers.map((r) => functionLogicalId(s.template, r.id))));
  });

  it('orders no reader after another function (no cycle to refuse at deploy)', () => {
    const resources = s.template.toJSON().Resources;
    const functionIds = new Set(entries.map((e) => functionLogicalId(s.template, e.id)));
    for (const r of readers) expect(((resources[functionLogicalId(s.template, r.id)].DependsOn ?? []) as string[]).filter((d) => functionIds.has(d))).toEqual([]);
  });
});

describe('least privilege, derived from each entry’s access', () => {
  it.each(entries)('$id: table grants match its access', ({ id, access }) => {
    const actions = actionsOf(
      roleStatements(s.template, id).filter((st) => JSON.stringify(st.Resource).includes(logicalId(s.stack.table.table)) && !JSON.stringify(st.Resource).includes('StreamArn')),
    );
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    if (!access.table) {
      expect(dynamo).toEqual([]);
      return;
    }
    expect([...new Set(dynamo)].sort()).toEqual([...new Set(access.table.actions.map((a) => `dynamodb:${a}`))].sort());
  });

  it.each(entries)('$id: sends to the mail queue only if its access says so', ({ id, access }) => {
    const mailQueueArn = { 'Fn::GetAtt': [logicalId(s.stack.mailer.queue), 'Arn'] };
    const send = roleStatements(s.template, id).filter((st) => actionsOf([st]).includes('sqs:SendMessage'));
    // A stream consumer also sends to its own failure queue (its on-failure destination).
    // So does the window switch, to its schedules' dead-letter queue (its async on-failure).
    const failureQueue = jobs.find((j) => j.id === id && j.trigger.kind === 'tableStream')
      ? [{ 'Fn::GetAtt': [logicalId(s.stack.streamConsumers[id]!.failureQueue), 'Arn'] }]
      : jobs.find((j) => j.id === id && j.trigger.kind === 'windowSchedules')
        ? [{ 'Fn::GetAtt': [logicalId(s.stack.schedules.deadLetterQueue), 'Arn'] }]
        : [];
    expect(send.map((st) => st.Resource)).toEqual([...(access.mailQueue === 'send' ? [mailQueueArn] : []), ...failureQueue]);
  });

  it.each(entries)('$id: sends mail with SES only if its access says so, as the configured sender, with the stage configuration set', ({ id, access }) => {
    const statements = roleStatements(s.template, id).filter((st) => actionsOf([st]).some((a) => a.startsWith('ses:')));
    if (access.ses !== 'send') {
      expect(statements).toEqual([]);
      return;
    }
    expect(statements).toHaveLength(2);
    expect(actionsOf(statements).sort()).toEqual(['ses:SendEmail', 'ses:SendEmail', 'ses:SendRawEmail', 'ses:SendRawEmail']);
    const [identities, configurationSet] = statements as Array<Statement & { Condition?: unknown }>;
    // The address or its domain, whichever the account verified, and only as the sender.
    const domain = s.config.mailFrom.split('@')[1]!;
    const resources = JSON.stringify(identities!.Resource);
    expect(resources).toContain(`:identity/${s.config.mailFrom}"`);
    expect(resources).toContain(`:identity/${domain}"`);
    expect(identities!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': s.config.mailFrom } });
    expect(JSON.stringify(configurationSet!.Resource)).toContain(':configuration-set/');
    expect(JSON.stringify(configurationSet!.Resource)).toContain(JSON.stringify({ Ref: logicalId(s.stack.mailer.configurationSet) }));
  });

  it.each(entries)('$id: reads exactly the secrets its access lists', ({ id, access }) => {
    const statements = roleStatements(s.template, id).filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:')));
    const expected = (access.secrets ?? []).map((name) => ({ Ref: logicalId(s.stack.secrets.byName[name]) }));
    expect(statements.map((st) => st.Resource)).toEqual(expected);
  });

  it.each(entries)('$id: "*" resources are only for actions that have no resource-level permissions', ({ id }) => {
    const wildcard = roleStatements(s.template, id).filter((st) => st.Resource === '*');
    const streamConsumer = jobs.some((j) => j.id === id && j.trigger.kind === 'tableStream');
    expect(actionsOf(wildcard).sort()).toEqual([...(streamConsumer ? ['dynamodb:ListStreams'] : []), 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('Status reads the service state and nothing more', () => {
    const actions = actionsOf(roleStatements(s.template, 'Status'));
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(actions.filter((a) => /^(sqs|ses|secretsmanager):/.test(a))).toEqual([]);
  });

  it('AdminPutService writes the table', () => {
    expect(actionsOf(roleStatements(s.template, 'AdminPutService'))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
  });

  it('Mailer sends with SES and consumes the mail queue, but cannot send to it', () => {
    const actions = actionsOf(roleStatements(s.template, 'Mailer'));
    expect(actions).toEqual(expect.arrayContaining(['ses:SendEmail', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions).not.toContain('sqs:SendMessage');
  });
});

describe('HTTP API', () => {
  it.each(routes)('$method $path routes to the $id function, authorised as $auth', (route: RouteDef) => {
    const integration = onlyLogicalId(s.template, 'AWS::ApiGatewayV2::Integration', {
      Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(s.template, route.id), 'Arn'] } },
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: `${route.method} ${route.path}`,
      AuthorizationType: route.auth === 'admin' ? 'JWT' : 'NONE',
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integration }]] },
    });
  });

  it('has exactly one route per route entry', () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  });

  it('throttles the default stage from the config and writes access logs', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: s.config.throttling.rateLimit, ThrottlingBurstLimit: s.config.throttling.burstLimit },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalId(s.stack.api.accessLogGroup), 'Arn'] }, Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });
});

describe('window schedules', () => {
  it('open and close the service at the exact calendar minutes, in Europe/Paris, without a flexible window', () => {
    const switches = Object.values(
      s.template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Target: { Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, 'WindowSwitch'), 'Arn'] } } },
      }),
    ).map((r: any) => r.Properties);
    for (const props of switches) {
      expect(props).toMatchObject({ ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: { Mode: 'OFF' }, GroupName: 'inscrire-dev' });
    }
    expect(switches.map((props) => props.ScheduleExpression).sort()).toEqual(['cron(0 0 16 9 ? *)', 'cron(0 0 17 7 ? *)', 'cron(0 9 24 6 ? *)', 'cron(0 9 25 8 ? *)']);
  });

  it('send a switch that failed in the function itself to the same dead-letter queue, after Lambda’s retries', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionLogicalId(s.template, 'WindowSwitch') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack.schedules.deadLetterQueue), 'Arn'] } } },
    });
    const actions = actionsOf(roleStatements(s.template, 'WindowSwitch'));
    expect(actions).toContain('sqs:SendMessage');
  });

  it('belong to a group named from the stage, created before them', () => {
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'inscrire-dev' });
    s.template.allResources('AWS::Scheduler::Schedule', { DependsOn: Match.arrayWith([logicalId(s.stack.schedules.scheduleGroup)]) });
  });

  it.each([
    ['juin-juillet-open', 'cron(0 9 24 6 ? *)', 'open', 'juin-juillet'],
    ['juin-juillet-close', 'cron(0 0 17 7 ? *)', 'close', 'juin-juillet'],
    ['aout-septembre-open', 'cron(0 9 25 8 ? *)', 'open', 'aout-septembre'],
    ['aout-septembre-close', 'cron(0 0 16 9 ? *)', 'close', 'aout-septembre'],
  ])('%s invokes WindowSwitch at %s with {action: %s, windowId: %s}, retries, then dead-letters', (name, cron, action, windowId) => {
    const input = new Capture();
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: name,
      ScheduleExpression: cron,
      Target: {
        Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, 'WindowSwitch'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalId(s.stack.schedules.role), 'Arn'] },
        Input: input,
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(s.stack.schedules.deadLetterQueue), 'Arn'] } },
      },
    });
    expect(JSON.parse(input.asString())).toEqual({ action, windowId, scheduledFor: '<aws.scheduler.scheduled-time>' });
  });

  it('the scheduler role may invoke WindowSwitch only, and only schedules of its group may assume it', () => {
    const fn = functionLogicalId(s.template, 'WindowSwitch');
    const role = logicalId(s.stack.schedules.role);
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
    });
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: [{ 'Fn::GetAtt': [fn, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fn, 'Arn'] }, ':*']] }],
          }),
        ]),
      },
    });
  });
});

describe.each(jobs.filter((j) => j.trigger.kind === 'rate'))('rate job $id', (job) => {
  const trigger = job.trigger as Extract<JobTrigger, { kind: 'rate' }>;
  const schedule = () => s.stack.rateSchedules[job.id]!;

  it('is invoked by its schedule in the stage group, evenly, with the scheduled time, retried, then dead-lettered', () => {
    const input = new Capture();
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: job.id,
      GroupName: 'inscrire-dev',
      // On a zone's clock: a cron every `minutes` from the hour, in that zone.
      ...(trigger.timeZone ? { ScheduleExpression: `cron(0/${trigger.minutes} * * * ? *)`, ScheduleExpressionTimezone: trigger.timeZone } : { ScheduleExpression: `rate(${trigger.minutes} minutes)` }),
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, job.id), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalId(schedule().role), 'Arn'] },
        Input: input,
        // A late retry would only duplicate the next run.
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Math.max(60, trigger.minutes * 60) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(schedule().deadLetterQueue), 'Arn'] } },
      },
    });
    expect(JSON.parse(input.asString())).toEqual({ scheduledFor: '<aws.scheduler.scheduled-time>' });
  });

  it('times out before its next run starts', () => {
    expect(functionProperties(s.template, job.id).Timeout).toBeLessThan(trigger.minutes * 60);
  });

  it('has a scheduler role that may invoke this function only, assumable only by schedules of the stage group', () => {
    const fn = functionLogicalId(s.template, job.id);
    const role = s.template.toJSON().Resources[logicalId(schedule().role)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(s.stack.schedules.scheduleGroup), 'Arn'] } } },
      }),
    ]);
    const policies = s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(schedule().role) }] } });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.find((st) => st.Action === 'lambda:InvokeFunction').Resource).toEqual([{ 'Fn::GetAtt': [fn, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fn, 'Arn'] }, ':*']] }]);
    expect(actionsOf(statements).filter((a) => !a.startsWith('sqs:'))).toEqual(['lambda:InvokeFunction']);
  });

  it('alarms as soon as a run could not be started', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(schedule().deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(s.stack.monitoring.topic) }],
    });
  });
});

describe('outbox sweeper', () => {
  it('runs every 5 minutes', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(s.template, 'OutboxSweeper'), 'Arn'] } }),
    });
  });

  it('reads and writes the table, sends to the mail queue, and nothing else', () => {
    const table = logicalId(s.stack.table.table);
    const statements = roleStatements(s.template, 'OutboxSweeper').filter((st) => st.Resource !== '*');
    const byService = (service: string) => statements.filter((st) => actionsOf([st]).some((a) => a.startsWith(`${service}:`)));

    expect(new Set(actionsOf(statements).map((a) => a.split(':')[0]))).toEqual(new Set(['dynamodb', 'sqs', 'logs']));
    // Outbox items only, and the pending index; not a stream consumer: nothing on the table's stream.
    expect(JSON.stringify(statements)).not.toContain('StreamArn');
    expect(byService('dynamodb').map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [table, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/gsi1']] }]);
    expect((byService('dynamodb')[0] as Statement & { Condition?: unknown }).Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } });
    expect(byService('sqs').map((st) => [st.Action, st.Resource])).toEqual([
      [['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], { 'Fn::GetAtt': [logicalId(s.stack.mailer.queue), 'Arn'] }],
    ]);
  });
});

describe('mail pipeline', () => {
  const mailJob = jobs.find((j) => j.trigger.kind === 'mailQueue')!;

  it('redrives failed mails to the dead-letter queue after the configured receive count', () => {
    const queue = s.template.toJSON().Resources[logicalId(s.stack.mailer.queue)];
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(s.stack.mailer.deadLetterQueue), 'Arn'] },
      maxReceiveCount: s.config.mailMaxReceiveCount,
    });
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (mailJob.timeoutSeconds ?? 10));
  });

  it('feeds the Mailer with partial batch responses', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack.mailer.queue), 'Arn'] },
      FunctionName: { Ref: functionLogicalId(s.template, 'Mailer') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: mailJob.trigger.kind === 'mailQueue' ? mailJob.trigger.batchSize : -1,
    });
  });

  it('encrypts both queues and refuses plain-HTTP access', () => {
    for (const queue of [s.stack.mailer.queue, s.stack.mailer.deadLetterQueue]) {
      expect(s.template.toJSON().Resources[logicalId(queue)].Properties.SqsManagedSseEnabled).toBe(true);
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });
});

describe.each(jobs.filter((j) => j.trigger.kind === 'tableStream'))('stream job $id', (job) => {
  const trigger = job.trigger as Extract<JobTrigger, { kind: 'tableStream' }>;

  it('receives only the new table records its filter matches, with partial batch responses, bisection and a failure destination', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack.table.table), 'StreamArn'] },
      FunctionName: { Ref: functionLogicalId(s.template, job.id) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: trigger.batchSize,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(trigger.filterPattern) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(s.stack.streamConsumers[job.id]!.failureQueue), 'Arn'] } } },
    });
  });

  it('reads the table stream', () => {
    const statements = roleStatements(s.template, job.id).filter((st) => actionsOf([st]).includes('dynamodb:GetRecords'));
    expect(statements.map((st) => st.Resource)).toContainEqual({ 'Fn::GetAtt': [logicalId(s.stack.table.table), 'StreamArn'] });
  });

  it('alarms as soon as a record is given up', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(s.stack.streamConsumers[job.id]!.failureQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(s.stack.monitoring.topic) }],
    });
  });
});

describe('table', () => {
  it('streams new images if and only if a job consumes the stream', () => {
    const stream = s.template.toJSON().Resources[logicalId(s.stack.table.table)].Properties.StreamSpecification;
    const consumed = jobs.some((j) => j.trigger.kind === 'tableStream');
    expect(stream).toEqual(consumed ? { StreamViewType: 'NEW_IMAGE' } : undefined);
  });

  it('is on-demand, point-in-time recoverable, expires items by TTL, and has the schema’s indexes', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          // Keys only: wizard steps must not rewrite the operators' index entries.
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ),
    });
  });

  it('is disposable in dev: no deletion protection, deleted with the stack', () => {
    const table = s.template.toJSON().Resources[logicalId(s.stack.table.table)];
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).not.toBe(true);
  });
});

describe('secrets', () => {
  it('are generated by Secrets Manager: no value in the template', () => {
    const secrets = s.template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(4);
    for (const secret of Object.values(secrets) as any[]) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString).toBeDefined();
    }
  });
});

describe('alarms', () => {
  const topic = () => ({ Ref: logicalId(s.stack.monitoring.topic) });

  it('notify the configured address by e-mail through an SSL-only topic', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: s.config.alarmEmail, TopicArn: topic() });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('fire on a server-fault rate (500, 502, 504 in the access logs) above 1 % over 5 minutes with enough traffic, not on missing data', () => {
    const filter = s.template.toJSON().Resources[onlyLogicalId(s.template, 'AWS::Logs::MetricFilter', { Properties: { LogGroupName: { Ref: logicalId(s.stack.api.accessLogGroup) } } })];
    expect(filter.Properties.MetricTransformations).toEqual([{ MetricName: 'ApiServerFaults', MetricNamespace: 'Inscrire/dev', MetricValue: '1', DefaultValue: 0 }]);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic()],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(requests >= 50, 100 * FILL(faults, 0) / requests, 0)' }),
        Match.objectLike({ Id: 'faults', MetricStat: Match.objectLike({ Metric: { MetricName: 'ApiServerFaults', Namespace: 'Inscrire/dev' }, Period: 300 }) }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Count' }), Period: 300 }) }),
      ]),
    });
  });

  it.each(['Errors', 'Throttles'])('fire on any function’s %s, each function in exactly one alarm of at most 10 metrics', (metric) => {
    const alarms = Object.values(
      s.template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Lambda', MetricName: metric }) }) })]) },
      }),
    ).map((a: any) => a.Properties);
    const covered: unknown[] = [];
    for (const alarm of alarms) {
      const stats = alarm.Metrics.filter((m: any) => m.MetricStat);
      expect(stats.length).toBeLessThanOrEqual(10);
      expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe(`SUM([${stats.map((m: any) => m.Id).join(', ')}])`);
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topic()], OKActions: [topic()] });
      covered.push(...stats.map((m: any) => m.MetricStat.Metric.Dimensions[0].Value));
    }
    expect(covered.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      entries.map(({ id }) => ({ Ref: functionLogicalId(s.template, id) })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(alarms).toHaveLength(Math.ceil(entries.length / 10));
  });

  it.each<[string, () => IQueue]>([
    ['mail', () => s.stack.mailer.deadLetterQueue],
    ['window switch', () => s.stack.schedules.deadLetterQueue],
    ...jobs.filter((j) => j.trigger.kind === 'rate').map((j): [string, () => IQueue] => [`${j.id} schedule`, () => s.stack.rateSchedules[j.id]!.deadLetterQueue]),
  ])('fire as soon as one message is in the %s dead-letter queue', (_name, queue) => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue()), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic()],
    });
  });

  it('are shown on one dashboard', () => {
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('the dashboard charts every business metric the functions publish, by service only', () => {
    const dashboard = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardBody: unknown } };
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of Object.values(METRIC)) {
      // The body is a JSON string inside the template: its quotes are escaped once more.
      expect(body, name).toContain(`[\\"${METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"inscrire\\"`);
    }
  });
});

describe('outputs', () => {
  it.each([
    'ApiUrl',
    'TableName',
    'MailQueueUrl',
    'MailDeadLetterQueueUrl',
    'WindowSwitchDeadLetterQueueUrl',
    ...jobs.filter((j) => j.trigger.kind === 'tableStream').map((j) => `${j.id}FailureQueueUrl`),
    ...jobs.filter((j) => j.trigger.kind === 'rate').map((j) => `${j.id}ScheduleDeadLetterQueueUrl`),
    'SessionSecretArn',
    'StripeSecretArn',
  ])('%s', (name) => {
    s.template.hasOutput(name, { Value: Match.anyValue() });
  });
});
