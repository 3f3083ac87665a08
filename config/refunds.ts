/**
 * Refunds Stripe never accepted (a network error or a 5xx when the refund was sent: no Stripe id)
 * are sent again by the RefundRetry job (functions/events/refund-retry.ts), under the refund's own
 * idempotency key. The numbers the rule in functions/domain/dossier/withdrawal.ts
 * (`claimRefundRetries`) reads; nothing else restates them.
 */
export const refundRetryConfig = {
  /** The job runs every this many minutes (a divisor of 60), on the clock of `timeZone`. */
  everyMinutes: 15,
  timeZone: 'Europe/Paris',
  /** The first retry this long after the refund was recorded; each next one twice as long after the last. */
  firstRetryAfterMinutes: 15,
  /**
   * Retries before the refund becomes a payment anomaly (`refund_unsent`) for the operators. All of
   * them fall within a day of the first send (test/unit/refund-retry.test.ts), inside the 24 hours
   * Stripe keeps an idempotency key: a retry can never become a second refund.
   */
  maxRetries: 5,
} as const;
