/**
 * Alarms that page the team (through an SNS topic with an e-mail subscription) and one
 * dashboard for the enrollment windows: API traffic and errors, every function's errors,
 * duration and throttles, the business metrics (enrollments, payment anomalies, login
 * throttles, mails sent, document check failures), queue depth and age, dead-letter queues.
 * Alarms are aggregated with metric math (one per group of functions) to keep the stack far
 * from CloudFormation's resource limit.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../functions/shared/metric-names';
import { SERVICE_NAME } from '../config';

const PERIOD = Duration.minutes(5);

/**
 * A business metric the functions publish as EMF (functions/shared/metrics.ts): its only
 * dimension is the service name, so a dimension never names a person.
 */
export function businessMetric(name: MetricName, label: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period: PERIOD, label });
}

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
  /** The API's access log group (JSON lines with `status`, see api.ts): server faults are counted from it. */
  readonly apiAccessLogs: ILogGroup;
  /** CloudWatch namespace of the stage's own metrics (one per stage: stages may share an account). */
  readonly metricNamespace: string;
  /** Every function of the service, by route/job id. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly queues: MonitoredQueue[];
  /** Further alarms built by the pipelines (queue age, stream lag, mail failures and rates); notified like the others. */
  readonly alarms?: Alarm[];
  /**
   * Share of API requests answered with a server fault (500, 502, 504), in percent over
   * 5 minutes, above which the API alarm fires.
   * @default 1
   */
  readonly serverErrorRatePercent?: number;
  /**
   * Requests in 5 minutes below which the fault rate is not alarmed on (one fault in a
   * handful of requests at night is not an outage; the functions' error alarms still fire).
   * @default 50
   */
  readonly minRequests?: number;
}

/** CloudWatch's limit on the metrics one alarm may combine with metric math. */
export const MAX_METRICS_PER_ALARM = 10;

/**
 * The server faults: 500 (a handler failed), 502 (Lambda's answer was unusable), 504 (the
 * integration timed out). Not 503: the service answers 503 by design when it is closed.
 */
export const SERVER_FAULT_STATUSES = ['500', '502', '504'] as const;

export class Monitoring extends Construct {
  /** Alarm notifications (alarm and back to OK); SSL-only publishing, CloudWatch may publish. */
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** API server-fault rate above `serverErrorRatePercent`, with enough traffic. */
  readonly apiServerErrorAlarm: Alarm;
  /** Errors ≥ 1 in a group of at most ten functions (metric math), by group. */
  readonly functionErrorAlarms: readonly Alarm[];
  /** Throttles ≥ 1 in a group of at most ten functions (metric math), by group. */
  readonly functionThrottleAlarms: readonly Alarm[];
  /** The functions of each alarm group, in the groups' order. */
  readonly functionGroups: readonly string[][];
  /** A login or support request refused by a limit across identifiers or addresses (functions/domain/rate-limits.ts `ALARMED_SCOPES`). */
  readonly abuseAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const errorRate = props.serverErrorRatePercent ?? 1;
    const minRequests = props.minRequests ?? 50;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
      throw new Error(`${this.node.path}: alarmEmail is not an e-mail address (got ${props.alarmEmail})`);
    }
    if (!(errorRate > 0 && errorRate < 100)) {
      throw new Error(`${this.node.path}: serverErrorRatePercent must be between 0 and 100 (got ${errorRate})`);
    }

    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Inscrire alarms', enforceSSL: true });
    // enforceSSL gives the topic a policy, which replaces SNS's default one: without this
    // statement CloudWatch may not publish, and every alarm would fail silently.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
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
    const faultFilter = new MetricFilter(this, 'ApiServerFaults', {
      logGroup: props.apiAccessLogs,
      metricNamespace: props.metricNamespace,
      metricName: 'ApiServerFaults',
      filterPattern: FilterPattern.any(...SERVER_FAULT_STATUSES.map((status) => FilterPattern.stringValue('$.status', '=', status))),
      metricValue: '1',
      // Every other access log line counts 0: the metric has data whenever the API has traffic.
      defaultValue: 0,
    });
    const serverFaults = faultFilter.metric({ period: PERIOD, statistic: 'Sum', label: 'Server faults (500, 502, 504)' });
    // The API publishes no datapoint while idle: no traffic is missing data, not an outage.
    const serverFaultRate = new MathExpression({
      label: 'Server-fault rate (%)',
      expression: `IF(requests >= ${minRequests}, 100 * FILL(faults, 0) / requests, 0)`,
      usingMetrics: { faults: serverFaults, requests },
      period: PERIOD,
    });
    this.apiServerErrorAlarm = serverFaultRate.createAlarm(this, 'ApiServerErrorRate', {
      alarmDescription: `More than ${errorRate} % of API requests (at least ${minRequests} in ${PERIOD.toMinutes()} minutes) answered 500, 502 or 504: a handler is failing or timing out (the service must never answer 500). The designed 503s (service or support closed) do not count.`,
      threshold: errorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    notify(this.apiServerErrorAlarm);

    // One alarm per group of functions instead of two per function: CloudFormation allows 500
    // resources per stack, and each route would otherwise cost two alarms. The dashboard
    // shows which function of the group it was.
    const groups = chunk(Object.entries(props.functions), MAX_METRICS_PER_ALARM);
    this.functionGroups = groups.map((group) => group.map(([name]) => name));
    const groupAlarm = (kind: 'Errors' | 'Throttles', metric: (fn: IFunction) => IMetric, what: string) =>
      groups.map((group, i) => {
        const ids = group.map((_, j) => `f${j}`);
        const names = group.map(([name]) => name);
        const alarm = new MathExpression({
          label: `Function ${kind.toLowerCase()} (${names[0]}…${names[names.length - 1]})`,
          expression: `SUM([${ids.join(', ')}])`,
          usingMetrics: Object.fromEntries(group.map(([, fn], j) => [ids[j]!, metric(fn)])),
          period: PERIOD,
        }).createAlarm(this, `Function${kind}${i + 1}`, {
          alarmDescription: `One of ${names.join(', ')} ${what} at least once in ${PERIOD.toMinutes()} minutes: the dashboard's per-function graph says which.`,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
        notify(alarm);
        return alarm;
      });
    this.functionErrorAlarms = groupAlarm('Errors', (fn) => fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 'failed (unhandled error or timeout)');
    this.functionThrottleAlarms = groupAlarm('Throttles', (fn) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), "was throttled (the account's or its reserved concurrency is exhausted)");
    this.abuseAlarm = businessMetric(METRIC.abuseRefusals, 'Abuse refusals').createAlarm(this, 'AbuseRefusals', {
      alarmDescription:
        'A login or support request was refused by a limit across identifiers or addresses (functions/domain/rate-limits.ts ALARMED_SCOPES): someone is guessing birth dates or flooding the support form. The functions log it as `rate_limited` with the scopes; the WAF rules and the per-pair lockout keep students able to sign in.',
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    notify(this.abuseAlarm);
    for (const q of props.queues) notify(q.deadLetterAlarm);
    const extraAlarms = props.alarms ?? [];
    for (const alarm of extraAlarms) notify(alarm);

    const perFunction = (metric: (fn: IFunction, label: string) => IMetric): IMetric[] => Object.entries(props.functions).map(([name, fn]) => metric(fn, name));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new AlarmStatusWidget({
            title: 'Alarms',
            width: 24,
            alarms: [this.apiServerErrorAlarm, ...this.functionErrorAlarms, ...this.functionThrottleAlarms, ...props.queues.map((q) => q.deadLetterAlarm), ...extraAlarms],
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
          new GraphWidget({ title: 'API 5xx (all, and server faults)', width: 6, left: [serverErrors, serverFaults], right: [serverFaultRate] }),
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
        [
          new GraphWidget({ title: 'Enrollments', width: 6, left: [businessMetric(METRIC.enrollments, 'Enrolled')] }),
          new GraphWidget({ title: 'Payment anomalies', width: 6, left: [businessMetric(METRIC.paymentAnomalies, 'Anomalies')] }),
          new GraphWidget({ title: 'Login throttles', width: 4, left: [businessMetric(METRIC.loginThrottles, 'Throttled logins'), businessMetric(METRIC.abuseRefusals, 'Abuse refusals')] }),
          new GraphWidget({ title: 'Mails sent', width: 4, left: [businessMetric(METRIC.mailsSent, 'Sent')] }),
          new GraphWidget({ title: 'Document check failures', width: 4, left: [businessMetric(METRIC.documentCheckFailures, 'Failed checks')] }),
          new GraphWidget({
            title: 'Instalments',
            width: 6,
            left: [businessMetric(METRIC.instalmentCharges, 'Charged off-session'), businessMetric(METRIC.instalmentsOverdue, 'Overdue')],
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

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
