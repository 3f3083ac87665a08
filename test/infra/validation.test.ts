/**
 * Mistakes in the route list or the config fail the synth with a message naming the
 * offending entry, instead of deploying something subtly wrong. Bundling is skipped: these
 * stacks are never deployed.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { jobs, routes, type JobDef, type RouteDef } from '../../functions/routes';
import { stageRuntime } from '../../config/stage-runtime';
import { PROJECT_ROOT, resolveStage, stageConfig, type StageConfig } from '../../lib/config';
import { Mailer } from '../../lib/constructs/mailer';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { InscrireStack } from '../../lib/inscrire-stack';

const status = routes.find((r) => r.id === 'Status')!;
const MAILER_PROPS = { consumerTimeout: Duration.seconds(10), configurationSetName: 'probe', metricNamespace: 'Probe' };

function app(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

function build(overrides: { routes?: RouteDef[]; jobs?: JobDef[]; config?: Partial<StageConfig> }): InscrireStack {
  const { config, ...rest } = overrides;
  return new InscrireStack(app(), 'Probe', { config: { ...stageConfig('dev'), ...config }, routes: [status], jobs, ...rest });
}

describe('synth-time validation', () => {
  it('builds with a valid route list (the probe itself is sound)', () => {
    expect(() => build({})).not.toThrow();
  });

  it('rejects a route whose handler module does not exist', () => {
    expect(() => build({ routes: [{ ...status, id: 'Ghost', entry: 'functions/public/ghost.ts' }] })).toThrow(/Ghost: handler module functions\/public\/ghost\.ts does not exist/);
  });

  it('rejects two routes with the same method and path', () => {
    expect(() => build({ routes: [status, { ...status, id: 'StatusAgain' }] })).toThrow(/duplicate route GET \/api\/status/);
  });

  it('rejects two entries with the same id', () => {
    expect(() => build({ routes: [status, { ...status, path: '/api/status2' }] })).toThrow(/Duplicate route\/job id Status/);
  });

  it('rejects a route slower than the API integration limit', () => {
    expect(() => build({ routes: [{ ...status, timeoutSeconds: 60 }] })).toThrow(/Status times out after 60 s/);
  });

  it('rejects a job list without exactly one mail-queue consumer', () => {
    const mailer = jobs.find((j) => j.trigger.kind === 'mailQueue')!;
    expect(() => build({ jobs: [...jobs, { ...mailer, id: 'Mailer2' }] })).toThrow(/exactly one job triggered by mailQueue, found 2/);
  });

  it('rejects a stream job without a filter (it would receive every change of the table)', () => {
    const streamJob: JobDef = { ...jobs.find((j) => j.trigger.kind === 'mailQueue')!, id: 'Relay', trigger: { kind: 'tableStream', batchSize: 10, filterPattern: {} } };
    expect(() => build({ jobs: [...jobs.filter((j) => j.trigger.kind !== 'tableStream'), streamJob] })).toThrow(/RelayStream: filterPattern must not be empty/);
  });

  it('rejects a rate job that could outlast its interval (two runs at once)', () => {
    const sweeper = jobs.find((j) => j.trigger.kind === 'rate')!;
    expect(() => build({ jobs: [...jobs.filter((j) => j !== sweeper), { ...sweeper, trigger: { kind: 'rate', minutes: 1 }, timeoutSeconds: 60 }] })).toThrow(
      /Job OutboxSweeper times out after 60 s, not within its 1-minute rate/,
    );
  });

  it('rejects a rate that is not a whole number of minutes', () => {
    const sweeper = jobs.find((j) => j.trigger.kind === 'rate')!;
    expect(() => build({ jobs: [...jobs.filter((j) => j !== sweeper), { ...sweeper, trigger: { kind: 'rate', minutes: 2.5 } }] })).toThrow(
      /OutboxSweeperSchedule: minutes must be a whole number between 1 and 1440 \(got 2\.5\)/,
    );
  });

  it('rejects an out-of-range memory size', () => {
    const stack = new Stack(app(), 'Fn');
    expect(() => new ServiceFunction(stack, 'Fn', { entry: status.entry, projectRoot: PROJECT_ROOT, stage: 'dev', publicOrigin: 'https://x', memorySize: 64 })).toThrow(
      /memorySize must be an integer between 128 and 10240/,
    );
  });

  it('rejects a mail consumer slower than the visibility timeout was sized for', () => {
    const stack = new Stack(app(), 'Mail');
    const mailer = new Mailer(stack, 'Mail', MAILER_PROPS);
    const fn = new ServiceFunction(stack, 'Fn', { entry: status.entry, projectRoot: PROJECT_ROOT, stage: 'dev', publicOrigin: 'https://x', timeout: Duration.seconds(30) });
    expect(() => mailer.addConsumer(fn.function, { batchSize: 10, sesMaxSendRate: 14, logGroup: fn.logGroup })).toThrow(/consumer timeout 30 s exceeds the 10 s/);
  });

  it('rejects a mail redrive that would dead-letter mail during a one-hour SES outage', () => {
    const stack = new Stack(app(), 'Mail');
    // 5 receives × (6 × 10 s + 2 s) = 310 s of retries.
    expect(() => new Mailer(stack, 'Mail', { ...MAILER_PROPS, maxReceiveCount: 5 })).toThrow(/maxReceiveCount 5 × visibility timeout 62 s .* raise it to at least 59/);
    expect(new Mailer(stack, 'Mail2', MAILER_PROPS).retryWindow.toSeconds()).toBeGreaterThanOrEqual(3600);
  });

  it('rejects a mailer whose reserved concurrency is below its event source’s cap (throttled receives would dead-letter mail)', () => {
    expect(() => build({ config: { sesMaxSendRate: 100, reservedConcurrency: { Mailer: 5 } } })).toThrow(/reserved concurrency 5 is below the event source's 10/);
  });

  it('rejects reserved concurrency for a function that does not exist', () => {
    expect(() => build({ config: { reservedConcurrency: { PaymentHook: 5 } } })).toThrow(/reservedConcurrency names no route or job: PaymentHook/);
  });

  it('rejects a public origin the distribution does not serve, and a certificate CloudFront cannot read', () => {
    expect(() => build({ config: { publicOrigin: 'https://elsewhere.example.org' } })).toThrow(/publicOrigin https:\/\/elsewhere\.example\.org is not served by the distribution/);
    const certificateArn = stageConfig('dev').domain.certificateArn.replace('us-east-1', 'eu-west-3');
    expect(() => build({ config: { domain: { ...stageConfig('dev').domain, certificateArn } } })).toThrow(/certificateArn must be in us-east-1/);
  });

  it('rejects an unknown stage', () => {
    expect(() => resolveStage(new App({ context: { stage: 'staging' } }).node)).toThrow(/must be one of dev, prod \(got "staging"\)/);
    expect(resolveStage(new App({ context: { stage: 'prod' } }).node)).toBe('prod');
    // The functions' side (STAGE variable) and the stack's side refuse it with the same words.
    expect(() => stageConfig('staging')).toThrow('Unknown stage "staging": expected one of dev, prod');
    expect(() => stageRuntime(undefined)).toThrow('Unknown stage "undefined": expected one of dev, prod');
    expect(stageRuntime('prod').calendar).toBe(stageConfig('prod').calendar);
  });
});
