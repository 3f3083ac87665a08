/**
 * A job fed by the table's change stream (e.g. the outbox relay): an event source mapping
 * that passes only the records matching the job's filter, reports batch item failures,
 * bisects a failing batch and retries; what still fails is recorded in an SQS failure queue
 * (the shard and sequence numbers, for replay) and raises an alarm.
 */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { messageWaitingAlarm } from './alarms';
import type { ServiceFunction } from './service-function';

export interface TableStreamConsumerProps {
  /** A table with a stream. */
  readonly table: ITable;
  /** The job function. */
  readonly consumer: ServiceFunction;
  /** Records per invocation (validated by DynamoEventSource: 1 to 10000). */
  readonly batchSize: number;
  /** Lambda event filtering pattern, applied to each stream record; must not be empty. */
  readonly filterPattern: Record<string, unknown>;
  /**
   * Retries of a failing record (after bisecting the batch) before it is given up.
   * @default 10
   */
  readonly retryAttempts?: number;
  /**
   * Age after which a record is given up; the stream keeps records 24 hours.
   * @default Duration.days(1)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Age of the last record read above which the lag alarm fires: the job is failing and
   * retrying, or not keeping up with the writes.
   * @default Duration.minutes(10)
   */
  readonly maxIteratorAge?: Duration;
}

export class TableStreamConsumer extends Construct {
  /** Where the stream records given up are described (not the records themselves). */
  readonly failureQueue: Queue;
  /** In alarm as soon as one record was given up. Has no action: wire one. */
  readonly failureAlarm: Alarm;
  /**
   * In alarm when the job lags behind the stream by more than `maxIteratorAge` (a failing
   * batch is retried for up to a day, with partial batch responses: the function's `Errors`
   * stay at 0 meanwhile). Has no action: wire one.
   */
  readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TableStreamConsumerProps) {
    super(scope, id);
    if (!props.table.tableStreamArn) {
      throw new Error(`${this.node.path}: table ${props.table.node.path} has no stream to consume`);
    }
    if (Object.keys(props.filterPattern).length === 0) {
      // An empty pattern would feed the job every change of the table.
      throw new Error(`${this.node.path}: filterPattern must not be empty`);
    }

    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failureQueue,
      'SQS3',
      "This queue is itself a dead-letter queue: the on-failure destination of the stream event source mapping (cdk-nag only recognises DLQs referenced by a queue's RedrivePolicy or a function's DeadLetterConfig).",
    );

    props.consumer.function.addEventSource(
      new DynamoEventSource(props.table, {
        // From the oldest record still in the stream: nothing written before the mapping
        // was (re)created is skipped.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        filters: [FilterCriteria.filter(props.filterPattern)],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        maxRecordAge: props.maxRecordAge ?? Duration.days(1),
        onFailure: new SqsDlq(this.failureQueue),
      }),
    );
    props.consumer.allowWildcardResource('reading a DynamoDB stream needs dynamodb:ListStreams');

    this.failureAlarm = messageWaitingAlarm(
      this,
      'FailureAlarm',
      this.failureQueue,
      `${props.consumer.node.id} gave up a table stream record after every retry: see the failure queue for the shard and sequence numbers, fix the cause, then replay.`,
    );

    const maxIteratorAge = props.maxIteratorAge ?? Duration.minutes(10);
    this.iteratorAgeAlarm = props.consumer.function.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }).createAlarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${props.consumer.node.id} is more than ${maxIteratorAge.toMinutes()} minutes behind the table stream: it is retrying a failing batch or not keeping up. Its logs say why; what it gives up lands in the failure queue.`,
      threshold: maxIteratorAge.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
