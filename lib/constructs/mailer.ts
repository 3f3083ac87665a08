/**
 * The mail pipeline: functions queue mails on an SQS queue; one consumer (the Mailer job)
 * sends them with SES, reporting partial batch failures so only failed messages are retried;
 * a message that keeps failing lands in a dead-letter queue, and an alarm says so.
 *
 * Because failures are reported per message, the consumer's Lambda `Errors` stay at 0 while
 * SES refuses every mail: the signals are the queue's oldest-message age, the mailer's own
 * failure count (a metric filter on its log line, `MAIL_NOT_SENT`), the dead-letter queue,
 * and the bounce and complaint rates of the SES configuration set every mail is sent with.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { CloudWatchDimensionSource, ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_NOT_SENT } from '../../functions/events/mail-signals';
import { messageWaitingAlarm } from './alarms';

/** AWS guidance: the visibility timeout is at least six times the consumer's timeout. */
const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/** Lambda's bounds for an SQS event source's maximum concurrency. */
const MIN_EVENT_SOURCE_CONCURRENCY = 2;
const MAX_EVENT_SOURCE_CONCURRENCY = 1000;

/**
 * How many mailer instances the event source may run for an SES sending rate: an invocation
 * sends its batch (at most `batchSize` mails) and takes about a second with SES's latency and
 * the throttling backoff, so `rate / batchSize` instances keep SES at its rate; throttled sends
 * are retried in the invocation (functions/events/mailer.ts), never lost.
 */
export function mailerConcurrency(sesMaxSendRate: number, batchSize: number): number {
  return Math.min(MAX_EVENT_SOURCE_CONCURRENCY, Math.max(MIN_EVENT_SOURCE_CONCURRENCY, Math.ceil(sesMaxSendRate / batchSize)));
}

/** The SES reputation thresholds alarmed on, in percent (AWS reviews an account at 5 % and 0.1 %). */
export const BOUNCE_RATE_ALARM_PERCENT = 5;
export const COMPLAINT_RATE_ALARM_PERCENT = 0.1;
/** Below this many sends in the hour a rate says nothing (two bounces out of ten). */
const MIN_SENDS_FOR_RATE = 100;

export interface MailerProps {
  /**
   * Timeout of the function that will consume the queue (see `addConsumer`); the queue's
   * visibility timeout is six times it plus the batching window, so a batch still being
   * processed, or retried by Lambda, is not delivered twice.
   */
  readonly consumerTimeout: Duration;
  /**
   * Receives of a message before it moves to the dead-letter queue (1 to 1000).
   * @default - enough to cover `outageTolerance`, plus one
   */
  readonly maxReceiveCount?: number;
  /**
   * How long Lambda gathers messages before invoking the consumer (0 to 300 s). Kept small:
   * a student waits for the synthesis mail.
   * @default Duration.seconds(2)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * How long mail must survive an SES outage before it goes to the dead-letter queue: the
   * synth refuses a `maxReceiveCount` whose receives, one per visibility timeout, do not
   * cover it.
   * @default Duration.hours(1)
   */
  readonly outageTolerance?: Duration;
  /**
   * Oldest-message age above which the queue's alarm fires (a student waits for the mail).
   * @default Duration.minutes(15)
   */
  readonly maxMailDelay?: Duration;
  /** Name of the SES configuration set every mail is sent with (unique per account and region). */
  readonly configurationSetName: string;
  /** CloudWatch namespace of the stage's own metrics (the mailer's failures). */
  readonly metricNamespace: string;
}

export interface MailConsumerOptions {
  /** Messages per invocation (validated by SqsEventSource: 1 to 10000 with a batching window). */
  readonly batchSize: number;
  /** The stage's SES sending rate (mails per second): caps the event source's concurrency. */
  readonly sesMaxSendRate: number;
  /** The consumer's log group, where it logs `MAIL_NOT_SENT` for each failed mail. */
  readonly logGroup: ILogGroup;
}

export class Mailer extends Construct {
  /** Mails waiting to be sent. */
  readonly queue: Queue;
  /** Mails that failed `maxReceiveCount` times; kept (its retention period, below) for inspection and redrive. */
  readonly deadLetterQueue: Queue;
  /** In alarm as soon as one mail is in the dead-letter queue. Has no action: wire one. */
  readonly deadLetterAlarm: Alarm;
  /** In alarm when the oldest queued mail waited more than `maxMailDelay`. Has no action. */
  readonly oldestMessageAlarm: Alarm;
  /** The configuration set every mail is sent with: bounce and complaint events, suppression. */
  readonly configurationSet: ConfigurationSet;
  /** Bounce and complaint rates above AWS's review thresholds. Have no action. */
  readonly bounceRateAlarm: Alarm;
  readonly complaintRateAlarm: Alarm;
  /** How long a failing mail is retried before it is dead-lettered. */
  readonly retryWindow: Duration;
  /** Set by `addConsumer`: failed mails per 5 minutes, and the alarm on them. */
  failureAlarm?: Alarm;
  /** Set by `addConsumer`: the event source's maximum concurrency. */
  maxConcurrency?: number;
  private readonly consumerTimeout: Duration;
  private readonly maxBatchingWindow: Duration;
  private readonly metricNamespace: string;
  private consumer?: LambdaFunction;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(2);
    this.consumerTimeout = props.consumerTimeout;
    if (this.maxBatchingWindow.toSeconds() > 300) {
      throw new Error(`${this.node.path}: maxBatchingWindow must be at most 300 s (got ${this.maxBatchingWindow.toSeconds()} s)`);
    }
    const visibilityTimeout = Duration.seconds(VISIBILITY_TO_TIMEOUT_RATIO * props.consumerTimeout.toSeconds() + this.maxBatchingWindow.toSeconds());
    if (visibilityTimeout.toSeconds() > Duration.hours(12).toSeconds()) {
      throw new Error(`${this.node.path}: consumerTimeout is too long for an SQS visibility timeout (max 12 h)`);
    }
    const tolerance = props.outageTolerance ?? Duration.hours(1);
    // A failed mail comes back once per visibility timeout, maxReceiveCount times.
    const needed = Math.ceil(tolerance.toSeconds() / visibilityTimeout.toSeconds());
    const maxReceiveCount = props.maxReceiveCount ?? needed + 1;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`${this.node.path}: maxReceiveCount must be an integer between 1 and 1000 (got ${maxReceiveCount})`);
    }
    this.retryWindow = Duration.seconds(maxReceiveCount * visibilityTimeout.toSeconds());
    if (this.retryWindow.toSeconds() < tolerance.toSeconds()) {
      throw new Error(
        `${this.node.path}: maxReceiveCount ${maxReceiveCount} × visibility timeout ${visibilityTimeout.toSeconds()} s retries a mail for ${this.retryWindow.toSeconds()} s, less than the ${tolerance.toSeconds()} s SES outage it must survive: raise it to at least ${needed}`,
      );
    }
    this.metricNamespace = props.metricNamespace;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      // Mail can wait out a long SES outage; the DLQ catches what never goes through.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.deadLetterAlarm = messageWaitingAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      'A mail failed to send after every retry and is in the mail dead-letter queue: inspect it, fix the cause, then redrive.',
    );

    const maxMailDelay = props.maxMailDelay ?? Duration.minutes(15);
    this.oldestMessageAlarm = new Alarm(this, 'OldestMessageAlarm', {
      alarmDescription: `The oldest queued mail waited more than ${maxMailDelay.toMinutes()} minutes: the mailer is failing (SES refusing, throttled, misconfigured) or not running. Mails are retried until they reach the dead-letter queue.`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: maxMailDelay.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      // Addresses that bounced or complained are not mailed again: repeated bounces are what
      // gets an SES account reviewed.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const dimension = 'ses:configuration-set';
    this.configurationSet.addEventDestination('CloudWatch', {
      destination: EventDestination.cloudWatchDimensions([{ name: dimension, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: props.configurationSetName }]),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.REJECT, EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const sesEvent = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, dimensionsMap: { [dimension]: props.configurationSetName }, period: Duration.hours(1), statistic: 'Sum' });
    const rateAlarm = (id: string, event: string, thresholdPercent: number, what: string): Alarm =>
      new MathExpression({
        label: `${event} rate (%)`,
        expression: `IF(sends >= ${MIN_SENDS_FOR_RATE}, 100 * FILL(events, 0) / sends, 0)`,
        usingMetrics: { events: sesEvent(event), sends: sesEvent('Send') },
        period: Duration.hours(1),
      }).createAlarm(this, id, {
        alarmDescription: `More than ${thresholdPercent} % of the mails sent in an hour (at least ${MIN_SENDS_FOR_RATE}) ${what}: AWS reviews, then pauses, SES accounts above this rate. Check the addresses imported and the mail content.`,
        threshold: thresholdPercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.bounceRateAlarm = rateAlarm('BounceRateAlarm', 'Bounce', BOUNCE_RATE_ALARM_PERCENT, 'bounced');
    this.complaintRateAlarm = rateAlarm('ComplaintRateAlarm', 'Complaint', COMPLAINT_RATE_ALARM_PERCENT, 'were reported as spam');
  }

  /** The alarms this pipeline raises (the consumer's once it is added). Have no action: wire one. */
  get alarms(): Alarm[] {
    return [this.deadLetterAlarm, this.oldestMessageAlarm, ...(this.failureAlarm ? [this.failureAlarm] : []), this.bounceRateAlarm, this.complaintRateAlarm];
  }

  /**
   * Makes `fn` the queue's consumer, reporting batch item failures.
   *
   * @throws if a consumer is already set, or if `fn`'s timeout exceeds `consumerTimeout`
   *   (the visibility timeout would then be too short).
   */
  addConsumer(fn: LambdaFunction, options: MailConsumerOptions): void {
    if (this.consumer) {
      throw new Error(`${this.node.path}: the mail queue already has a consumer (${this.consumer.node.path})`);
    }
    const timeout = fn.timeout?.toSeconds() ?? 3;
    if (timeout > this.consumerTimeout.toSeconds()) {
      throw new Error(`${this.node.path}: consumer timeout ${timeout} s exceeds the ${this.consumerTimeout.toSeconds()} s the visibility timeout was sized for`);
    }
    this.maxConcurrency = mailerConcurrency(options.sesMaxSendRate, options.batchSize);
    const reserved = (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions;
    if (reserved !== undefined && reserved < this.maxConcurrency) {
      // Lambda would throttle what the event source hands over, and each throttled receive
      // counts towards the dead-letter queue.
      throw new Error(`${this.node.path}: the consumer's reserved concurrency ${reserved} is below the event source's ${this.maxConcurrency}: reserve at least that many`);
    }
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize,
        maxBatchingWindow: this.maxBatchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: this.maxConcurrency,
      }),
    );
    this.consumer = fn;

    const failures = new MetricFilter(this, 'FailureMetric', {
      logGroup: options.logGroup,
      metricNamespace: this.metricNamespace,
      metricName: 'MailNotSent',
      filterPattern: FilterPattern.stringValue('$.message', '=', MAIL_NOT_SENT),
      metricValue: '1',
    });
    this.failureAlarm = failures.metric({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'FailureAlarm', {
      alarmDescription: `The mailer failed to send at least 10 mails in each of two 5-minute periods (SES refusing or throttling, the identity or configuration set missing): the mails are retried for ${Math.floor(this.retryWindow.toSeconds() / 60)} minutes, then dead-lettered. Its logs say why ("${MAIL_NOT_SENT}").`,
      threshold: 10,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
