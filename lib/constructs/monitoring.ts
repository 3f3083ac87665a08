/**
 * Alarms that page the team (through an SNS topic with an e-mail subscription) and one
 * dashboard for the enrollment windows: API traffic and errors, every function's errors,
 * duration and throttles, queue depth and age, dead-letter queues.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

/** A pipeline's queue (if it has one) and its dead-letter queue with the alarm on its depth. */
export interface MonitoredQueue {
  /** Short name used in widget titles, e.g. `Mail`. */
  readonly label: string;
  /**
   * The working queue.
   * @default - the pipeline has no working queue (e.g. the scheduler's dead-letter queue only)
   */
  readonly queue?: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Alarm on the dead-letter queue's depth; Monitoring adds the notification actions. */
  readonly deadLetterAlarm: Alarm;
}

export interface MonitoringProps {
  /** Address subscribed to the alarm topic (the subscription must be confirmed once). */
  readonly alarmEmail: string;
  readonly api: HttpApi;
  /** Every function of the service, by route/job id. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly queues: MonitoredQueue[];
  /**
   * Share of API requests answered 5xx, in percent over 5 minutes, above which the API
   * alarm fires.
   * @default 1
   */
  readonly serverErrorRatePercent?: number;
}

export class Monitoring extends Construct {
  /** Alarm notifications (alarm and back to OK); SSL-only publishing. */
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** API 5xx rate above `serverErrorRatePercent`. */
  readonly apiServerErrorAlarm: Alarm;
  /** Errors ≥ 1 per function, by id. */
  readonly functionErrorAlarms: Readonly<Record<string, Alarm>>;
  /** Throttles ≥ 1 per function, by id. */
  readonly functionThrottleAlarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const errorRate = props.serverErrorRatePercent ?? 1;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
      throw new Error(`${this.node.path}: alarmEmail is not an e-mail address (got ${props.alarmEmail})`);
    }
    if (!(errorRate > 0 && errorRate < 100)) {
      throw new Error(`${this.node.path}: serverErrorRatePercent must be between 0 and 100 (got ${errorRate})`);
    }

    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Inscrire alarms', enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const notify = (alarm: Alarm): void => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    };

    const api = props.api;
    const requests = api.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrors = api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const clientErrors = api.metricClientError({ period: PERIOD, statistic: 'Sum' });
    // The API publishes no datapoint while idle: no traffic is missing data, not an outage.
    const serverErrorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: '100 * FILL(serverErrors, 0) / requests',
      usingMetrics: { serverErrors, requests },
      period: PERIOD,
    });
    this.apiServerErrorAlarm = serverErrorRate.createAlarm(this, 'ApiServerErrorRate', {
      alarmDescription: `More than ${errorRate} % of API requests answered 5xx over 5 minutes: a handler is failing (the service must never answer 500).`,
      threshold: errorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    notify(this.apiServerErrorAlarm);

    const errorAlarms: Record<string, Alarm> = {};
    const throttleAlarms: Record<string, Alarm> = {};
    for (const [name, fn] of Object.entries(props.functions)) {
      errorAlarms[name] = fn.metricErrors({ period: PERIOD, statistic: 'Sum' }).createAlarm(this, `${name}Errors`, {
        alarmDescription: `Function ${name} failed (unhandled error or timeout) at least once in 5 minutes.`,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      throttleAlarms[name] = fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }).createAlarm(this, `${name}Throttles`, {
        alarmDescription: `Function ${name} was throttled at least once in 5 minutes: the account's concurrency is exhausted.`,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      notify(errorAlarms[name]);
      notify(throttleAlarms[name]);
    }
    this.functionErrorAlarms = errorAlarms;
    this.functionThrottleAlarms = throttleAlarms;
    for (const q of props.queues) notify(q.deadLetterAlarm);

    const perFunction = (metric: (fn: IFunction, label: string) => IMetric): IMetric[] =>
      Object.entries(props.functions).map(([name, fn]) => metric(fn, name));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new AlarmStatusWidget({
            title: 'Alarms',
            width: 24,
            alarms: [this.apiServerErrorAlarm, ...Object.values(errorAlarms), ...Object.values(throttleAlarms), ...props.queues.map((q) => q.deadLetterAlarm)],
          }),
        ],
        [
          new GraphWidget({ title: 'API requests', width: 6, left: [requests] }),
          new GraphWidget({
            title: 'API latency (ms)',
            width: 6,
            left: ['p50', 'p90', 'p99'].map((statistic) => api.metricLatency({ period: PERIOD, statistic, label: statistic })),
          }),
          new GraphWidget({ title: 'API 4xx', width: 6, left: [clientErrors] }),
          new GraphWidget({ title: 'API 5xx', width: 6, left: [serverErrors], right: [serverErrorRate] }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            width: 8,
            left: perFunction((fn, label) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label })),
          }),
          new GraphWidget({
            title: 'Function duration p99 (ms)',
            width: 8,
            left: perFunction((fn, label) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label })),
          }),
          new GraphWidget({
            title: 'Function throttles',
            width: 8,
            left: perFunction((fn, label) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label })),
          }),
        ],
        props.queues.flatMap((q) => [
          ...(q.queue
            ? [
                new GraphWidget({
                  title: `${q.label} queue`,
                  width: 8,
                  left: [q.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'Visible' })],
                  right: [q.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum', label: 'Oldest (s)' })],
                }),
              ]
            : []),
          new GraphWidget({
            title: `${q.label} dead-letter queue`,
            width: 4,
            left: [q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'Visible' })],
          }),
        ]),
      ],
    });
  }
}
