/**
 * The CDK app's single entry to configuration: which stage is being synthesised (from the
 * `stage` context value, `-c stage=dev|prod`, defaulted in cdk.json) and that stage's config.
 * The config itself lives in `config/stages.ts`, built on `config/stage-runtime.ts` (the part
 * the functions read), so the schedules and the handlers read the very same calendar.
 */
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';
import { isStageName, stageConfig, stages, type StageConfig, type StageName } from '../config/stages';

export { stageConfig, type StageConfig, type StageName };

/** Context key holding the stage name. */
export const STAGE_CONTEXT_KEY = 'stage';

/** Service name shared by Powertools (POWERTOOLS_SERVICE_NAME), tags and stack names. */
export const SERVICE_NAME = 'inscrire';

/**
 * Repository root: handler entries in `functions/routes.ts` are relative to it, and it holds
 * the package-lock.json the bundler resolves dependencies with.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Reads the stage from the construct tree's context.
 *
 * @throws when the value is missing or not a known stage, listing the valid ones, so a typo
 *   in `-c stage=...` fails the synth instead of deploying a default.
 */
export function resolveStage(node: Node): StageName {
  const value: unknown = node.tryGetContext(STAGE_CONTEXT_KEY);
  if (!isStageName(value)) {
    throw new Error(`Context "${STAGE_CONTEXT_KEY}" must be one of ${Object.keys(stages).join(', ')} (got ${JSON.stringify(value)}); pass -c ${STAGE_CONTEXT_KEY}=<stage>`);
  }
  return value;
}

/** A config value still holding an example, reserved or missing setting. */
export interface Placeholder {
  /** Where in the stage config, e.g. `nationalApis.cvec`. */
  readonly path: string;
  readonly value: string | undefined;
  /** Why it cannot go live. */
  readonly reason: string;
}

/** Names reserved for documentation and tests (RFC 2606, RFC 6761): never a real service. */
const RESERVED_NAME = /(^|[./@])(example\.(org|com|net)|[a-z0-9-]+\.(example|test|invalid|localhost))(?![a-z0-9.-])/i;
/** Account ids used as stand-ins: all zeros, or AWS's documentation example. */
const EXAMPLE_ACCOUNT = /(?<![0-9])(000000000000|123456789012)(?![0-9])/;

/**
 * Every value of a stage's config that is a placeholder: an address, URL or domain under a
 * reserved example name, an example account id (in the certificate ARN, say), and a missing
 * `env.account`. A prod synth prints each as a warning; `npm run predeploy` refuses them.
 */
export function placeholders(config: StageConfig): Placeholder[] {
  const found: Placeholder[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (RESERVED_NAME.test(value)) found.push({ path, value, reason: 'an example name (reserved, it reaches no one): put the real one' });
      else if (EXAMPLE_ACCOUNT.test(value)) found.push({ path, value, reason: 'an example account id: put the real ARN' });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(config, '');
  if (config.env.account === undefined) {
    found.push({ path: 'env.account', value: undefined, reason: 'not set: the stack would deploy to whatever account the credentials hold; put the stage account id' });
  }
  return found;
}

/**
 * Checks the relations between config values that the types cannot express.
 *
 * @returns one message per problem; empty when the config is consistent.
 */
export function configErrors(config: StageConfig): string[] {
  const errors: string[] = [];
  const { env, domain, publicOrigin } = config;
  if (env.account !== undefined && !/^\d{12}$/.test(env.account)) errors.push(`env.account must be a 12-digit AWS account id (got ${env.account})`);
  if (domain.names.length === 0) errors.push('domain.names must name at least one domain');
  const arn = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]+$/.exec(domain.certificateArn);
  if (!arn) errors.push(`domain.certificateArn is not an ACM certificate ARN (got ${domain.certificateArn})`);
  else if (arn[1] !== 'us-east-1') errors.push(`domain.certificateArn must be in us-east-1, where CloudFront reads certificates (got ${arn[1]})`);
  let origin: URL | undefined;
  try {
    origin = new URL(publicOrigin);
  } catch {
    errors.push(`publicOrigin is not a URL (got ${publicOrigin})`);
  }
  if (origin && (origin.protocol !== 'https:' || origin.origin !== publicOrigin)) {
    errors.push(`publicOrigin must be an https origin without a path (got ${publicOrigin})`);
  } else if (origin && !domain.names.includes(origin.hostname)) {
    errors.push(`publicOrigin ${publicOrigin} is not served by the distribution: its host must be one of domain.names (${domain.names.join(', ')})`);
  }
  if (!(config.sesMaxSendRate >= 1)) errors.push(`sesMaxSendRate must be at least 1 mail per second (got ${config.sesMaxSendRate})`);
  for (const [id, n] of Object.entries(config.reservedConcurrency)) {
    if (!Number.isInteger(n) || n! < 1) errors.push(`reservedConcurrency.${id} must be a whole number of at least 1 (got ${n})`);
  }
  return errors;
}
