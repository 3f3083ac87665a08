/**
 * The business metrics' namespace and names: pure data, read by the functions
 * (functions/shared/metrics.ts) and by the dashboard (lib/constructs/monitoring.ts).
 */
export const METRICS_NAMESPACE = 'Inscrire';

export const METRIC = {
  /** A dossier became `enrolled` (nothing due at submit, card payment confirmed, office payment). */
  enrollments: 'Enrollments',
  /** A Stripe event that does not match what was asked, flagged for the operators (refund). */
  paymentAnomalies: 'PaymentAnomalies',
  /** A login refused because of too many attempts (429). */
  loginThrottles: 'LoginThrottles',
  /**
   * A login or support request refused by a limit across identifiers or addresses
   * (functions/domain/rate-limits.ts `ALARMED_SCOPES`): a distributed guess or a spray, alarmed.
   */
  abuseRefusals: 'AbuseRefusals',
  /** A mail handed to SES. */
  mailsSent: 'MailsSent',
  /** A supporting document the check job could not accept. */
  documentCheckFailures: 'DocumentCheckFailures',
  /** A part of an instalment plan declined twice (charge and retry): overdue, listed for operators. */
  instalmentsOverdue: 'InstalmentsOverdue',
  /** An instalment charged off-session by the daily job (attempts, not outcomes). */
  instalmentCharges: 'InstalmentCharges',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
