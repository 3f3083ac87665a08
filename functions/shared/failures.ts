/**
 * Plain failures that adapters (and shared helpers) throw. They say what went wrong, not how
 * to answer: no HTTP status, no API code. The HTTP edge maps them in one table
 * (`ADAPTER_FAILURES` in ./domain-errors.ts); a non-HTTP caller (a queue consumer, the CLI)
 * can handle them without knowing API.md.
 */

/** Something the request names does not exist (e.g. a dossier). */
export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** A service we depend on is unreachable, failing or answering nonsense. */
export type Upstream = 'cvec' | 'ines' | 'stripe';

export class UpstreamUnavailableError extends Error {
  constructor(readonly upstream: Upstream) {
    super(`${upstream} unavailable`);
    this.name = 'UpstreamUnavailableError';
  }
}

/** A conditional write kept losing races (or an idempotency key was reused): retrying with fresh data may succeed. */
export class ConcurrentUpdateError extends Error {
  constructor() {
    super('concurrent update');
    this.name = 'ConcurrentUpdateError';
  }
}

/** A pagination cursor sent back by the caller that is not one we handed out for this listing. */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/** An admission names a programme the catalogue no longer has (an operator data error). */
export class UnknownProgrammeError extends Error {
  constructor() {
    super('admission refers to an unknown programme');
    this.name = 'UnknownProgrammeError';
  }
}

/** A webhook whose signature is missing, wrong or too old. */
export class InvalidSignatureError extends Error {
  constructor() {
    super('invalid webhook signature');
    this.name = 'InvalidSignatureError';
  }
}
