/**
 * Environment variables the functions read. The CDK construct that builds a function sets
 * them from its route entry's access needs; the local runtime sets the same names. An enum, so
 * that esbuild puts each name a function reads in its bundle rather than the whole list.
 */
export enum ENV {
  stage = 'STAGE',
  tableName = 'TABLE_NAME',
  mailQueueUrl = 'MAIL_QUEUE_URL',
  /** AWS: ARN of the secret holding the session-signing key. */
  sessionSecretArn = 'SESSION_SECRET_ARN',
  /** Local runtime and tests only: the session-signing key itself. */
  sessionSecret = 'SESSION_SECRET',
  /** AWS: ARN of the secret holding `{"secretKey": "...", "webhookSecret": "..."}`. */
  stripeSecretArn = 'STRIPE_SECRET_ARN',
  /** Local runtime and tests only. */
  stripeSecretKey = 'STRIPE_SECRET_KEY',
  stripeWebhookSecret = 'STRIPE_WEBHOOK_SECRET',
  /** Local runtime and tests only: a loopback Stripe API (`http://127.0.0.1:PORT`). Never set on AWS. */
  stripeApiBase = 'STRIPE_API_BASE',
  /** AWS: ARN of the secret holding `{"apiKey": "..."}` for the national CVEC and INES APIs. */
  nationalApiSecretArn = 'NATIONAL_API_SECRET_ARN',
  /** Local runtime and tests only. */
  nationalApiKey = 'NATIONAL_API_KEY',
  /** Base URLs of the national services (stage config). */
  cvecApiUrl = 'CVEC_API_URL',
  inesApiUrl = 'INES_API_URL',
  /** AWS: ARN of the secret CloudFront sends in `x-origin-verify` (functions/shared/client-address.ts). */
  originVerifySecretArn = 'ORIGIN_VERIFY_SECRET_ARN',
  /** Local runtime and tests only. */
  originVerifySecret = 'ORIGIN_VERIFY_SECRET',
  mailFrom = 'MAIL_FROM',
  /** AWS: the SES configuration set every mail is sent with (bounce and complaint events). */
  mailConfigurationSet = 'MAIL_CONFIGURATION_SET',
  /** Where support requests are forwarded (config/stages.ts `assistanceEmail`). */
  assistanceEmail = 'ASSISTANCE_EMAIL',
  publicOrigin = 'PUBLIC_ORIGIN',
}

/** Reads a required variable, failing fast with its name (never its value) when missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
