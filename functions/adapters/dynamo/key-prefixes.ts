/**
 * The partition-key prefix of each kind of item in the single table: the adapters build their
 * keys from these, and each function's grant names the kinds it touches (functions/routes.ts
 * `access.table.items`, turned into `dynamodb:LeadingKeys` conditions by the CDK construct).
 * A prefix ending in `#` is followed by the item's id; one without is the whole key.
 */
export const KEY_PREFIXES = {
  /** A dossier, with its audit trail, certificate slots and correction requests in its partition. */
  dossier: 'DOSSIER#',
  /** An admission, and (`ADMISSION#<identifier>#<year>`) its audit trail. */
  admission: 'ADMISSION#',
  /** The audit trail of admissions imports (one partition). */
  admissionImports: 'ADMISSIONS',
  /** The service's open/closed state and its audit trail. */
  service: 'SERVICE',
  /** Atomic sequences (provisional INEs, certificate numbers). */
  counter: 'COUNTER#',
  /** Mail jobs waiting for the relay. */
  outbox: 'OUTBOX#',
  /** Rate-limit slots (login, support, CVEC lookups). */
  rate: 'RATE#',
  /** The certificate verification page's per-address rate. */
  verifyRate: 'VERIFYRATE#',
  /** Certificates by verification code. */
  certificate: 'CERTIFICATE#',
  /** Certificate events (the certificate job's work items). */
  certificateEvent: 'CERTEVENT#',
  /** Stripe events already handled. */
  stripeEvent: 'STRIPE_EVENT#',
  /** Payment anomalies, for the operators' list. */
  paymentAnomaly: 'PAYMENT_ANOMALY#',
  /** Support requests. */
  support: 'SUPPORT#',
  /** The dashboard's counters, one partition per academic year (functions/adapters/dynamo/stats.ts). */
  stats: 'STATS#',
  /** The stats job's marker per change counted (a change is counted once). */
  statsApplied: 'STATSAPPLIED#',
  /** Powertools idempotency records (the mailer's sent jobs). */
  idempotency: 'IDEMPOTENCY#',
  /** Dossiers by INE, for the operators' search (functions/adapters/dynamo/ine-lookup.ts). */
  ine: 'INE#',
} as const;

export type ItemKind = keyof typeof KEY_PREFIXES;
