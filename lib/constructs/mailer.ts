/**
 * The mail pipeline: functions queue mails on an SQS queue; one consumer (the Mailer job)
 * sends them with SES, reporting partial batch failures so only failed messages are retried;
 * a message that keeps failing lands in a dead-letter queue, and an alarm says so.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** AWS guidance: the visibility timeout is at least six times the consumer's timeout. */
const VISIBILITY_TO_TIMEOUT_RATIO = 6;

export interface MailerProps {
  /**
   * Timeout of the function that will consume the queue (see `addConsumer`); the queue's
   * visibility timeout is six times it plus the batching window, so a batch still being
   * processed, or retried by Lambda, is not delivered twice.
   */
  readonly consumerTimeout: Duration;
  /**
   * Receives of a message before it moves to the dead-letter queue (1 to 1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long Lambda gathers messages before invoking the consumer (0 to 300 s). Kept small:
   * a student waits for the synthesis mail.
   * @default Duration.seconds(2)
   */
  readonly maxBatchingWindow?: Duration;
}

export interface MailConsumerOptions {
  /** Messages per invocation (validated by SqsEventSource: 1 to 10000 with a batching window). */
  readonly batchSize: number;
}

export class Mailer extends Construct {
  /** Mails waiting to be sent. */
  readonly queue: Queue;
  /** Mails that failed `maxReceiveCount` times; kept 14 days for inspection and redrive. */
  readonly deadLetterQueue: Queue;
  /** In alarm as soon as one mail is in the dead-letter queue. Has no action: wire one. */
  readonly deadLetterAlarm: Alarm;
  private readonly consumerTimeout: Duration;
  private readonly maxBatchingWindow: Duration;
  private consumer?: LambdaFunction;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    this.maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(2);
    this.consumerTimeout = props.consumerTimeout;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`${this.node.path}: maxReceiveCount must be an integer between 1 and 1000 (got ${maxReceiveCount})`);
    }
    if (this.maxBatchingWindow.toSeconds() > 300) {
      throw new Error(`${this.node.path}: maxBatchingWindow must be at most 300 s (got ${this.maxBatchingWindow.toSeconds()} s)`);
    }
    const visibilityTimeout = Duration.seconds(
      VISIBILITY_TO_TIMEOUT_RATIO * props.consumerTimeout.toSeconds() + this.maxBatchingWindow.toSeconds(),
    );
    if (visibilityTimeout.toSeconds() > Duration.hours(12).toSeconds()) {
      throw new Error(`${this.node.path}: consumerTimeout is too long for an SQS visibility timeout (max 12 h)`);
    }

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

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'A mail failed to send after every retry and is in the mail dead-letter queue: inspect it, fix the cause, then redrive.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
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
      throw new Error(
        `${this.node.path}: consumer timeout ${timeout} s exceeds the ${this.consumerTimeout.toSeconds()} s the visibility timeout was sized for`,
      );
    }
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize,
        maxBatchingWindow: this.maxBatchingWindow,
        reportBatchItemFailures: true,
      }),
    );
    this.consumer = fn;
  }
}
