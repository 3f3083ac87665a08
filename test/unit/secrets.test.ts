/**
 * The secrets adapter's AWS path (functions/adapters/secrets.ts): the very SDK client it builds
 * talks to a Secrets Manager endpoint on loopback (AWS_ENDPOINT_URL_SECRETS_MANAGER, which the
 * SDK honours as on AWS), speaking Secrets Manager's JSON protocol. The local runtime and the
 * other tests give the values in the environment and never take this path.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SECRET_MAX_AGE_MS, nationalApiKey, originVerifyValues, sessionSigningKey, stripeSecrets } from '../../functions/adapters/secrets';
import { ENV } from '../../functions/shared/env';

const ARN = {
  session: 'arn:aws:secretsmanager:eu-west-3:000000000000:secret:session-AbCdEf',
  stripe: 'arn:aws:secretsmanager:eu-west-3:000000000000:secret:stripe-AbCdEf',
  national: 'arn:aws:secretsmanager:eu-west-3:000000000000:secret:national-AbCdEf',
  origin: 'arn:aws:secretsmanager:eu-west-3:000000000000:secret:origin-AbCdEf',
};

/** What the endpoint holds: `values[SecretId][VersionStage]`; a missing entry answers ResourceNotFoundException. */
const values = new Map<string, Record<string, string>>();
const requests: { target: string; secretId: string; versionStage?: string }[] = [];
let server: Server;

const ENV_SET: Record<string, string> = {
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'AKIDSECRETSTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  [ENV.sessionSecretArn]: ARN.session,
  [ENV.stripeSecretArn]: ARN.stripe,
  [ENV.nationalApiSecretArn]: ARN.national,
  [ENV.originVerifySecretArn]: ARN.origin,
};
const ENV_UNSET = [ENV.sessionSecret, ENV.stripeSecretKey, ENV.stripeWebhookSecret, ENV.nationalApiKey, ENV.originVerifySecret, 'AWS_PROFILE'];
const saved = new Map<string, string | undefined>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const input = JSON.parse(body) as { SecretId: string; VersionStage?: string };
      const target = String(req.headers['x-amz-target']);
      requests.push({ target, secretId: input.SecretId, ...(input.VersionStage ? { versionStage: input.VersionStage } : {}) });
      const value = values.get(input.SecretId)?.[input.VersionStage ?? 'AWSCURRENT'];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.setHeader('x-amzn-requestid', `req-${requests.length}`);
      // The test's clock (Node's own Date header ignores fake timers): a skewed Date would
      // make the SDK correct its clock and retry the failed call.
      res.setHeader('date', new Date().toUTCString());
      if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value." }));
        return;
      }
      res.end(JSON.stringify({ ARN: input.SecretId, Name: 'n', VersionId: 'v1', SecretString: value, VersionStages: [input.VersionStage ?? 'AWSCURRENT'], CreatedDate: 1.7e9 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  for (const name of [...Object.keys(ENV_SET), ...ENV_UNSET, 'AWS_ENDPOINT_URL_SECRETS_MANAGER']) saved.set(name, process.env[name]);
  Object.assign(process.env, ENV_SET, { AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  for (const name of ENV_UNSET) delete process.env[name];
});

afterAll(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.useRealTimers();
  values.clear();
  requests.length = 0;
});

/** The test's clock moves on by `ms`; `later(PAST)` passes every value the adapter keeps, so a test starts from Secrets Manager. */
const PAST = 10 * SECRET_MAX_AGE_MS;
let clock = Date.parse('2026-07-08T09:00:00Z');
function later(ms: number) {
  clock += ms;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(clock);
}

describe('secrets from Secrets Manager', () => {
  it('reads the session key once, shares the call between concurrent requests, and asks again once its value is older than SECRET_MAX_AGE_MS', async () => {
    later(PAST);
    values.set(ARN.session, { AWSCURRENT: 'k'.repeat(40) });
    const keys = await Promise.all([sessionSigningKey(), sessionSigningKey(), sessionSigningKey()]);
    expect(keys.map((k) => new TextDecoder().decode(k))).toEqual(Array(3).fill('k'.repeat(40)));
    expect(requests).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: ARN.session }]);

    // A rotation: the old value is served until it is SECRET_MAX_AGE_MS old, then the new one.
    values.set(ARN.session, { AWSCURRENT: 'n'.repeat(40) });
    later(SECRET_MAX_AGE_MS - 1000);
    expect(new TextDecoder().decode(await sessionSigningKey())).toBe('k'.repeat(40));
    expect(requests).toHaveLength(1);
    later(1000);
    expect(new TextDecoder().decode(await sessionSigningKey())).toBe('n'.repeat(40));
    expect(requests).toHaveLength(2);
  });

  it('does not keep a failure: the next request asks again', async () => {
    later(PAST);
    await expect(stripeSecrets()).rejects.toThrow(/can.t find/);
    values.set(ARN.stripe, { AWSCURRENT: JSON.stringify({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x' }) });
    await expect(stripeSecrets()).resolves.toEqual({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x' });
    expect(requests.map((r) => r.secretId)).toEqual([ARN.stripe, ARN.stripe]);
  });

  it('refuses a secret that is empty, too short or lacks its fields, naming the variable and never the value', async () => {
    later(PAST);
    values.set(ARN.session, { AWSCURRENT: 'short-key' });
    values.set(ARN.national, { AWSCURRENT: JSON.stringify({ key: 'nope' }) });
    values.set(ARN.stripe, { AWSCURRENT: JSON.stringify({ secretKey: 'sk_test_only' }) });
    await expect(sessionSigningKey()).rejects.toThrow('Session signing key must be at least 32 characters');
    await expect(nationalApiKey()).rejects.toThrow('National API secret must hold apiKey');
    const stripe = await stripeSecrets().catch((e: Error) => e.message);
    expect(stripe).toBe('Stripe secret must hold secretKey and webhookSecret');
    expect(stripe).not.toContain('sk_test_only');
    values.set(ARN.origin, { AWSCURRENT: '' });
    await expect(originVerifyValues()).rejects.toThrow(`Secret behind ${ENV.originVerifySecretArn} is empty`);
  });

  it('trusts the current origin-verify value and, during a rotation, the previous one', async () => {
    later(PAST);
    values.set(ARN.origin, { AWSCURRENT: 'current-value' });
    await expect(originVerifyValues()).resolves.toEqual(['current-value']);
    expect(requests.map((r) => r.versionStage)).toEqual([undefined, 'AWSPREVIOUS']);
    // "No previous version" is kept like a value: the next requests ask nothing.
    later(SECRET_MAX_AGE_MS / 2);
    await expect(originVerifyValues()).resolves.toEqual(['current-value']);
    expect(requests).toHaveLength(2);

    later(SECRET_MAX_AGE_MS);
    values.set(ARN.origin, { AWSCURRENT: 'next-value', AWSPREVIOUS: 'current-value' });
    await expect(originVerifyValues()).resolves.toEqual(['next-value', 'current-value']);
    await expect(nationalApiKey()).rejects.toThrow();
    values.set(ARN.national, { AWSCURRENT: JSON.stringify({ apiKey: 'national-key' }) });
    await expect(nationalApiKey()).resolves.toBe('national-key');
  });
});
