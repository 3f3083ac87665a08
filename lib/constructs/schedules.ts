/**
 * EventBridge Scheduler schedules: those that open and close the service at each enrollment
 * window's boundaries, in the calendar's time zone (so summer time is handled by the
 * scheduler, not by hand-shifted UTC crons), and the fixed-rate runs of periodic jobs, in the
 * same group. The window expressions come from `scheduleSpecs()`, the same code the handlers
 * use, never recomputed here.
 */
import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../../functions/domain/windows';
import { acknowledge, nagArnOf } from '../nag';
import { messageWaitingAlarm } from './alarms';

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

    this.role = schedulerRole(this, this.scheduleGroup, props.target, 'the window switch function');
    this.deadLetterQueue = schedulerDeadLetterQueue(this, 'failed window switches');
    this.deadLetterAlarm = messageWaitingAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'A scheduled open/close of the service failed after every retry: check the service state (GET /api/admin/service) and force it if needed.',
    );
    // The scheduler invokes asynchronously: its retries and dead-letter queue only cover
    // delivery. A switch that throws is retried by Lambda and then lands in the same queue,
    // so the same alarm covers both.
    props.target.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
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

export interface RateScheduleProps {
  /** The function to run. */
  readonly target: IFunction;
  /** Minutes between runs: a whole number, 1 to 1440 (a day). */
  readonly minutes: number;
  /**
   * Run once a day at this wall-clock time in `timeZone` (a cron expression the scheduler keeps
   * in that zone across summer time) instead of every `minutes` (then 1440).
   * @default - every `minutes`
   */
  readonly dailyAt?: { hour: number; minute: number; timeZone: string };
  /**
   * Run every `minutes` (a divisor of 60) on this zone's clock, from the hour (a cron expression in
   * that zone), rather than every `minutes` from the schedule's creation.
   * @default - a plain rate, no zone
   */
  readonly timeZone?: string;
  /** The group the schedule belongs to (the stage's group, that of the window schedules). */
  readonly scheduleGroup: ScheduleGroup;
  /** Name of the schedule, unique in its group (the job's id). */
  readonly scheduleName: string;
  /**
   * Retries of an invocation the scheduler could not deliver (Lambda throttling the
   * asynchronous invoke, say). A run that fails once started is the function's error alarm's
   * business, not the scheduler's.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * How long the scheduler keeps retrying before the event goes to the dead-letter queue.
   * @default - the interval (at least a minute): by then the next run has started anyway
   */
  readonly maxEventAge?: Duration;
}

/**
 * A job run at a fixed rate (`rate(n minutes)`) by EventBridge Scheduler, with the scheduled
 * time as its event (`{scheduledFor}`), its own invoke-only role, retries, and a dead-letter
 * queue with an alarm on it, like the window schedules.
 */
export class RateSchedule extends Construct {
  readonly schedule: Schedule;
  /** Role the scheduler assumes: invoke the target, send to the dead-letter queue. */
  readonly role: Role;
  /** Invocations that could not be delivered after every retry. */
  readonly deadLetterQueue: Queue;
  /** In alarm as soon as one run is in the dead-letter queue. Has no action: wire one. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RateScheduleProps) {
    super(scope, id);
    const { minutes } = props;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      throw new Error(`${this.node.path}: minutes must be a whole number between 1 and 1440 (got ${minutes})`);
    }
    const interval = Duration.minutes(minutes);
    if (props.timeZone && !props.dailyAt && (minutes >= 60 || 60 % minutes !== 0)) {
      throw new Error(`${this.node.path}: on a time zone's clock, minutes must divide an hour (got ${minutes})`);
    }

    const name = props.scheduleName;
    this.role = schedulerRole(this, props.scheduleGroup, props.target, `the ${name} function`);
    this.deadLetterQueue = schedulerDeadLetterQueue(this, `${name} runs that could not be started`);
    this.deadLetterAlarm = messageWaitingAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      `The scheduler could not start ${name} (every ${minutes} minutes) after every retry: check the function (throttling, permissions) before its work piles up.`,
    );

    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: name,
      scheduleGroup: props.scheduleGroup,
      description: props.dailyAt
        ? `Inscrire: run ${name} daily at ${String(props.dailyAt.hour).padStart(2, '0')}:${String(props.dailyAt.minute).padStart(2, '0')} ${props.dailyAt.timeZone}`
        : `Inscrire: run ${name} every ${minutes} minutes${props.timeZone ? ` (${props.timeZone})` : ''}`,
      schedule: props.dailyAt
        ? ScheduleExpression.cron({ minute: String(props.dailyAt.minute), hour: String(props.dailyAt.hour), timeZone: TimeZone.of(props.dailyAt.timeZone) })
        : props.timeZone
          ? ScheduleExpression.cron({ minute: `0/${minutes}`, timeZone: TimeZone.of(props.timeZone) })
          : ScheduleExpression.rate(interval),
      // Evenly spaced runs: a flexible window could bring two runs closer than the interval.
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(props.target, {
        role: this.role,
        input: ScheduleTargetInput.fromObject({ scheduledFor: ContextAttribute.scheduledTime }),
        retryAttempts: props.retryAttempts ?? 3,
        maxEventAge: props.maxEventAge ?? Duration.seconds(Math.max(60, interval.toSeconds())),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    // The schedule names its group by a plain string, which gives CloudFormation no order.
    this.schedule.node.addDependency(props.scheduleGroup);
  }
}

/**
 * An explicit role for a schedule's target (the target would otherwise create one at the
 * stack's root), trusted only by this account's schedules in `group` (confused-deputy
 * protection). The target grants itself the invoke permission when the schedule binds it.
 */
function schedulerRole(scope: Construct, group: ScheduleGroup, target: IFunction, targetName: string): Role {
  const role = new Role(scope, 'Role', {
    description: `EventBridge Scheduler: invoke ${targetName}`,
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Stack.of(scope).account,
          'aws:SourceArn': group.scheduleGroupArn,
        },
      },
    }),
  });
  acknowledge(
    role,
    'IAM5',
    `lambda:InvokeFunction granted by grantInvoke() on ${targetName} covers its versions and aliases (<function ARN>:*); that single function is the only target.`,
    `Resource::${nagArnOf(target)}:*`,
  );
  return role;
}

/** The dead-letter queue of a schedule's target: what the scheduler could not deliver. */
function schedulerDeadLetterQueue(scope: Construct, holds: string): Queue {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(
    queue,
    'SQS3',
    `This queue is itself a dead-letter queue: the scheduler's DeadLetterConfig for ${holds} (cdk-nag only recognises DLQs referenced by a queue's RedrivePolicy or a function's DeadLetterConfig).`,
  );
  return queue;
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
