import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as session } from '../../functions/public/session';
import { logger } from '../../functions/shared/logger';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics';
import { httpEvent } from '../support/events';
import { captureStdout } from '../support/stdout';
import { admitStudent } from '../support/students';

// As Lambda starts an on-demand environment (Powertools reads it when the logger is built).
// The level too: Powertools restores the configured level at each invocation (log sampling).
vi.hoisted(() => {
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

/**
 * Issue 16, observability: every log line of an invocation carries its request id and whether
 * it was a cold start, and the invocation's metrics reach stdout as one EMF document with no
 * personal data. Reads what the handler writes to stdout.
 */
let output: ReturnType<typeof captureStdout>;

beforeAll(() => {
  // Inside an enrollment window: the login route is gated.
  vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
  logger.setLogLevel('INFO');
  output = captureStdout();
});
afterAll(() => {
  output.restore();
  logger.setLogLevel('ERROR');
  vi.useRealTimers();
});

const contextFor = (awsRequestId: string) =>
  ({
    functionName: 'inscrire-Session',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-3:000000000000:function:inscrire-Session',
    memoryLimitInMB: '512',
    awsRequestId,
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

/** The JSON lines written since `from`. */
const linesSince = (from: number): Record<string, unknown>[] => output.lines().slice(from);

async function attempt(identifier: string, requestId: string) {
  const from = output.lines().length;
  const res = (await session(httpEvent({ method: 'POST', body: { identifier, birthDate: '2000-01-01' } }), contextFor(requestId))) as { statusCode: number };
  return { status: res.statusCode, lines: linesSince(from) };
}

describe('observability', () => {
  it('tags every log line with the request id and cold start, and publishes login throttles as EMF without personal data', async () => {
    const admission = await admitStudent();
    const ids = Array.from({ length: 7 }, () => randomUUID());
    const runs = [];
    for (const id of ids) runs.push(await attempt(admission.identifier, id));

    // Five wrong birth dates are refused (401, logged), then the identifier is throttled (429).
    expect(runs.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    runs.forEach((run, i) => {
      const logs = run.lines.filter((l) => !('_aws' in l));
      if (run.status === 401)
        expect(
          logs.map((l) => l.message),
          `run ${i}`,
        ).toContain('Login refused');
      for (const line of logs) {
        expect(line).toMatchObject({ function_request_id: ids[i], function_name: 'inscrire-Session', cold_start: i === 0 });
      }
    });

    // The throttled attempts each publish one LoginThrottles count; the refused ones publish nothing.
    for (const run of runs) {
      const emf = run.lines.filter((l) => '_aws' in l);
      if (run.status !== 429) {
        expect(emf).toEqual([]);
        continue;
      }
      expect(emf).toHaveLength(1);
      const doc = emf[0] as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] }; [k: string]: unknown };
      expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: METRICS_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: METRIC.loginThrottles, Unit: 'Count' }] });
      expect(doc[METRIC.loginThrottles]).toBe(1);
      expect(doc.service).toBe('inscrire');
      expect(JSON.stringify(doc)).not.toContain(admission.identifier);
    }
    expect(output.text()).not.toContain(admission.identifier);
    expect(output.text()).not.toContain(admission.birthDate);
  });
});
