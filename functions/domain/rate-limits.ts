/**
 * Rate limits: the one policy for every counter the service keeps against abuse (login
 * lockout, support form, CVEC lookups, certificate verification), and the one pure admission
 * function the first three use. The DynamoDB slot adapter (functions/adapters/dynamo/rate-slots.ts)
 * stores each limit's recent hits and applies `admit` under a compare-and-set, so concurrent
 * requests never get more through. The public verification is counted apart (VERIFY_POLICY).
 */

export interface RateLimit {
  /** Names what is counted, e.g. `login:pair`; with `subject` it names the counter. */
  scope: RateScope;
  /** Who or what is counted (an identifier, an address…); hashed before it reaches a key. */
  subject: string;
  max: number;
  windowSeconds: number;
}

export type RateScope = 'login:pair' | 'login:identifier' | 'login:address' | 'support:identifier' | 'support:mailbox' | 'support:address' | 'cvec:dossier';

/**
 * The limits whose refusals page the team (lib/constructs/monitoring.ts, metric
 * `AbuseRefusals`): one identifier guessed from many addresses, one address trying many
 * identifiers or flooding the support form. A student locked out of their own pair is not.
 */
export const ALARMED_SCOPES: readonly RateScope[] = ['login:identifier', 'login:address', 'support:address'];

export const isAlarmed = (refusedBy: readonly RateScope[]): boolean => refusedBy.some((scope) => ALARMED_SCOPES.includes(scope));

/** A limit with the instants (ms) of its recent hits, as stored. */
export interface RateSlot {
  limit: RateLimit;
  hits: number[];
}

export type Admission =
  | { allowed: true /** Each slot's hits once this request is counted. */; next: number[][] }
  | { allowed: false; retryAfterSeconds: number /** The limits that refused, for the alarms. */; refusedBy: RateScope[] };

/**
 * Whether one more hit at `nowMs` fits every limit (hits older than a limit's window are
 * forgotten). Refused: the wait until the fullest limit frees a hit.
 */
export function admit(slots: RateSlot[], nowMs: number): Admission {
  const recent = slots.map((s) => s.hits.filter((t) => t > nowMs - s.limit.windowSeconds * 1000));
  const full = slots.map((s, i) => ({ s, hits: recent[i]! })).filter(({ s, hits }) => hits.length >= s.limit.max);
  if (full.length > 0) {
    const freedAt = Math.max(...full.map(({ s, hits }) => Math.min(...hits) + s.limit.windowSeconds * 1000));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - nowMs) / 1000)), refusedBy: full.map(({ s }) => s.limit.scope) };
  }
  return { allowed: true, next: recent.map((hits) => [...hits, nowMs]) };
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * SPEC "Login identifier": the failures the SPEC allows per identifier *and* client address
 * (`perIdentifierAndAddress`) → 429 for that pair only, so a student whose identifier is
 * hammered from elsewhere still logs in from their own address at once. Beyond it, a daily cap
 * per identifier across all addresses (a distributed guess) and a cap per address across
 * identifiers (one birth date sprayed over many identifiers); both are logged as `rate_limited`
 * for the alarms. Successful logins give their hit back, so only failures count.
 */
export const LOGIN_POLICY = {
  perIdentifierAndAddress: { max: 5, windowSeconds: 15 * MINUTE },
  perIdentifier: { max: 30, windowSeconds: DAY },
  perAddress: { max: 20, windowSeconds: 15 * MINUTE },
} as const;

export function loginLimits(identifier: string, address: string): RateLimit[] {
  return [
    { scope: 'login:pair', subject: `${identifier}|${address}`, ...LOGIN_POLICY.perIdentifierAndAddress },
    { scope: 'login:identifier', subject: identifier, ...LOGIN_POLICY.perIdentifier },
    { scope: 'login:address', subject: address, ...LOGIN_POLICY.perAddress },
  ];
}

/**
 * Support requests per hour: per typed identifier; per mailbox, as the acknowledgement goes
 * there (changing the identifier must not let anyone flood someone's inbox); per client address
 * (the viewer's own address behind CloudFront: functions/shared/client-address.ts).
 */
export const SUPPORT_POLICY = {
  perIdentifier: { max: 3, windowSeconds: HOUR },
  perMailbox: { max: 3, windowSeconds: HOUR },
  perAddress: { max: 20, windowSeconds: HOUR },
} as const;

export function supportLimits(identifier: string, mailbox: string, address: string): RateLimit[] {
  return [
    { scope: 'support:identifier', subject: identifier, ...SUPPORT_POLICY.perIdentifier },
    { scope: 'support:mailbox', subject: mailbox, ...SUPPORT_POLICY.perMailbox },
    { scope: 'support:address', subject: address, ...SUPPORT_POLICY.perAddress },
  ];
}

/** CVEC lookups per dossier: enough to fix typos, too few to probe certificate numbers. */
export const CVEC_LOOKUP_POLICY = { max: 10, windowSeconds: HOUR } as const;

export function cvecLookupLimits(dossierId: string): RateLimit[] {
  return [{ scope: 'cvec:dossier', subject: dossierId, ...CVEC_LOOKUP_POLICY }];
}

/**
 * Certificate verifications per source address and minute (GET /api/verify/{code}): a person
 * checks a document in a few requests; enumerating codes or scraping is cut short. Behind
 * CloudFront many people may share an address, hence a loose cap. Public and possibly busy, it
 * is counted per calendar minute by an atomic counter, without the read and compare-and-set
 * of `admit` (functions/adapters/dynamo/certificates.ts `takeVerificationSlot`).
 */
export const VERIFY_POLICY = { perAddressPerMinute: 60 } as const;
