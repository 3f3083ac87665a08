import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, optionalEnv, requireEnv } from '../shared/env';
import { traced } from '../shared/tracing';

/**
 * Secrets: from Secrets Manager on AWS (the function gets the secret's ARN), from the
 * environment in the local runtime and tests. Values are never logged.
 *
 * A value read from Secrets Manager is kept for SECRET_MAX_AGE_MS, so a rotation reaches every warm
 * instance within that time, and concurrent first requests share one call. A failed call is
 * not kept: the next request asks again. (Powertools Parameters did this before; its
 * provider added 5 KB to every student function for these few lines: issue 16, "Cold starts".)
 * test/unit/secrets.test.ts checks it against a Secrets Manager endpoint on loopback.
 */
export const SECRET_MAX_AGE_MS = 5 * 60_000;

/** Built on first use (the local runtime and tests never call Secrets Manager); its calls are traced. */
let client: SecretsManagerClient | undefined;
const cache = new Map<string, { expiresAt: number; value: Promise<string | undefined> }>();

/** The secret's string value at `versionStage` (Secrets Manager's default: AWSCURRENT). */
function secretString(secretId: string, versionStage?: string): Promise<string | undefined> {
  const key = `${versionStage ?? ''} ${secretId}`;
  const now = Date.now();
  const kept = cache.get(key);
  if (kept && kept.expiresAt > now) return kept.value;
  client ??= traced(new SecretsManagerClient({}));
  const value = client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: versionStage })).then(
    (out) => out.SecretString,
    (err: unknown) => {
      // A version stage nobody has set (AWSPREVIOUS before the first rotation) is an answer: kept like a value.
      if (versionStage && (err as { name?: string } | null)?.name === 'ResourceNotFoundException') return undefined;
      throw err;
    },
  );
  const entry = { expiresAt: now + SECRET_MAX_AGE_MS, value };
  cache.set(key, entry);
  entry.value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.value;
}

async function fromSecretsManager(arnVar: string): Promise<string> {
  const value = await secretString(requireEnv(arnVar));
  if (typeof value !== 'string' || value === '') throw new Error(`Secret behind ${arnVar} is empty`);
  return value;
}

/** The key that signs student session tokens. */
export async function sessionSigningKey(): Promise<Uint8Array> {
  const local = optionalEnv(ENV.sessionSecret);
  const raw = local ?? (await fromSecretsManager(ENV.sessionSecretArn));
  if (raw.length < 32) throw new Error('Session signing key must be at least 32 characters');
  return new TextEncoder().encode(raw);
}

/** The API key of the national CVEC and INES services (`{"apiKey"}` on AWS), if any. */
export async function nationalApiKey(): Promise<string | undefined> {
  const local = optionalEnv(ENV.nationalApiKey);
  if (local) return local;
  if (!optionalEnv(ENV.nationalApiSecretArn)) return undefined;
  const parsed = JSON.parse(await fromSecretsManager(ENV.nationalApiSecretArn)) as { apiKey?: unknown };
  if (typeof parsed.apiKey !== 'string' || parsed.apiKey === '') throw new Error('National API secret must hold apiKey');
  return parsed.apiKey;
}

/**
 * The origin-verify values CloudFront sends to prove a request came through it: the current
 * one and, during a rotation, the previous one. None configured → nothing is trusted.
 */
export async function originVerifyValues(): Promise<string[]> {
  const local = optionalEnv(ENV.originVerifySecret);
  if (local) return [local];
  const arn = optionalEnv(ENV.originVerifySecretArn);
  if (!arn) return [];
  const current = await fromSecretsManager(ENV.originVerifySecretArn);
  // Never rotated: no previous version (kept as such, not asked at every request). Any other failure: the current value alone.
  const previous = await secretString(arn, 'AWSPREVIOUS').catch(() => undefined);
  return [current, ...(typeof previous === 'string' && previous !== '' ? [previous] : [])];
}

export interface StripeSecrets {
  secretKey: string;
  webhookSecret: string;
}

export async function stripeSecrets(): Promise<StripeSecrets> {
  const localKey = optionalEnv(ENV.stripeSecretKey);
  const localWebhook = optionalEnv(ENV.stripeWebhookSecret);
  if (localKey && localWebhook) return { secretKey: localKey, webhookSecret: localWebhook };
  const parsed = JSON.parse(await fromSecretsManager(ENV.stripeSecretArn)) as Partial<StripeSecrets>;
  if (!parsed.secretKey || !parsed.webhookSecret) throw new Error('Stripe secret must hold secretKey and webhookSecret');
  return { secretKey: parsed.secretKey, webhookSecret: parsed.webhookSecret };
}
