/**
 * EventBridge Scheduler schedules that open and close the service at each enrollment window's
 * boundaries, in the calendar's time zone (so summer time is handled by the scheduler, not by
 * hand-shifted UTC crons). The expressions come from `scheduleSpecs()`, the same code the
 * handlers use, never recomputed here.
 */
import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../../functions/domain/windows';
import { acknowledge, nagArnOf } from '../nag';

export interface WindowSchedulesProps {
  /** One schedule per spec (from `scheduleSpecs(calendar)`); names must be unique. */
  readonly specs: ScheduleSpec[];
  /** The function switching the service state (the WindowSwitch job). */
  readonly target: IFunction;
  /** Name of the schedule group (unique per account and region, e.g. derived from the stage). */
  readonly scheduleGroupName: string;
  /**
   * Retries of a failed invocation. The switch is idempotent (it writes the state the
   * calendar gives for the scheduled time), so retrying is always safe.
   * @default 10
   */
  readonly retryAttempts?: number;
  /**
   * How long the scheduler keeps retrying before the event goes to the dead-letter queue.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
}

export class WindowSchedules extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  /** The schedules, by spec name (e.g. `juin-juillet-open`). */
  readonly schedules: Readonly<Record<string, Schedule>>;
  /** Role the scheduler assumes: invoke the target, send to the dead-letter queue. */
  readonly role: Role;
  /** Invocations that failed after every retry. */
  readonly deadLetterQueue: Queue;
  /** In alarm as soon as one switch event is in the dead-letter queue. Has no action: wire one. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WindowSchedulesProps) {
    super(scope, id);
    validateSpecs(this, props.specs);

    this.scheduleGroup = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: props.scheduleGroupName,
      // Holds no data; retaining it would only block re-creating the stack under its name.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role (the target would otherwise create one at the stack's root), trusted
    // only by this account's schedules in this group (confused-deputy protection).
    this.role = new Role(this, 'Role', {
      description: 'EventBridge Scheduler: invoke the window switch function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    acknowledge(
      this.role,
      'IAM5',
      'lambda:InvokeFunction granted by grantInvoke() on the window switch function covers its versions and aliases (<function ARN>:*); that single function is the only target.',
      `Resource::${nagArnOf(props.target)}:*`,
    );

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'SQS3',
      "This queue is itself a dead-letter queue: the scheduler's DeadLetterConfig for failed window switches (cdk-nag only recognises DLQs referenced by a queue's RedrivePolicy or a function's DeadLetterConfig).",
    );

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'A scheduled open/close of the service failed after every retry: check the service state (GET /api/admin/service) and force it if needed.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const schedules: Record<string, Schedule> = {};
    for (const spec of props.specs) {
      const schedule = new Schedule(this, spec.name, {
        scheduleName: spec.name,
        scheduleGroup: this.scheduleGroup,
        description: `Inscrire: ${spec.action} the service (window ${spec.windowId})`,
        schedule: ScheduleExpression.expression(spec.expression, TimeZone.of(spec.timeZone)),
        // Open and close on the minute announced to students, not within a flexible window.
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(props.target, {
          role: this.role,
          input: ScheduleTargetInput.fromObject({
            action: spec.action,
            windowId: spec.windowId,
            scheduledFor: ContextAttribute.scheduledTime,
          }),
          retryAttempts: props.retryAttempts ?? 10,
          maxEventAge: props.maxEventAge ?? Duration.hours(1),
          deadLetterQueue: this.deadLetterQueue,
        }),
      });
      // The schedule names its group by a plain string, which gives CloudFormation no order.
      schedule.node.addDependency(this.scheduleGroup);
      schedules[spec.name] = schedule;
    }
    this.schedules = schedules;
  }
}

function validateSpecs(scope: Construct, specs: ScheduleSpec[]): void {
  const where = scope.node.path;
  if (specs.length === 0) throw new Error(`${where}: the calendar produced no schedule`);
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`${where}: duplicate schedule name ${spec.name}`);
    names.add(spec.name);
    if (!/^cron\(.+\)$/.test(spec.expression)) {
      throw new Error(`${where}: schedule ${spec.name} has no cron expression (got ${spec.expression})`);
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: spec.timeZone });
    } catch {
      throw new Error(`${where}: schedule ${spec.name} has an unknown time zone ${spec.timeZone}`);
    }
  }
}
