import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, optionalEnv, requireEnv } from '../shared/env';
import { traced } from '../shared/tracing';

/**
 * Secrets: from Secrets Manager on AWS (the function gets the secret's ARN, cached by
 * Powertools for five minutes), from the environment in the local runtime and tests.
 * Values are never logged.
 */
const MAX_AGE_SECONDS = 300;

/** Built on first use (the local runtime and tests never call Secrets Manager); its calls are traced. */
let provider: SecretsProvider | undefined;

async function fromSecretsManager(arnVar: string): Promise<string> {
  provider ??= new SecretsProvider({ awsSdkV3Client: traced(new SecretsManagerClient({})) });
  const value = await provider.get(requireEnv(arnVar), { maxAge: MAX_AGE_SECONDS });
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
