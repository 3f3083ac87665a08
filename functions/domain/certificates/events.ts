/**
 * Certificate events: recorded in the same transaction as the dossier change that causes them
 * (enrollment, cancellation, an accepted correction, an operator's re-issue), consumed by the
 * certificate job (functions/events/certificates.ts) from the table's stream. One schema for
 * both sides. Event ids are deterministic per cause, and an id can be recorded once only, so
 * a retried change never issues twice.
 */
import * as z from 'zod/mini';

export const IssueCause = /* @__PURE__ */ z.enum(['enrolled', 'correction', 'operator']);
export type IssueCause = z.infer<typeof IssueCause>;

export const CertificateEvent = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion('action', [
    z.object({
      eventId: z.string().check(z.minLength(1), z.maxLength(200)),
      action: z.literal('issue'),
      dossierId: z.string(),
      /** 0 for the enrollment's issue; n for the n-th re-issue (a later issue supersedes). */
      sequence: z.number().check(z.int(), z.nonnegative()),
      cause: IssueCause,
    }),
    z.object({
      eventId: z.string().check(z.minLength(1), z.maxLength(200)),
      action: z.literal('revoke'),
      dossierId: z.string(),
      reason: z.enum(['cancelled', 'withdrawn']),
    }),
  ]),
);
export type CertificateEvent = z.infer<typeof CertificateEvent>;

/** The first issue, when a dossier becomes enrolled (card, office payment, exemption). */
export const enrollmentIssue = (dossierId: string): CertificateEvent => ({ eventId: `certificates#${dossierId}#issue#0`, action: 'issue', dossierId, sequence: 0, cause: 'enrolled' });

/**
 * A re-issue with new codes, the previous ones revoked (an accepted civil-status correction,
 * an operator's request); `sequence` from an atomic counter (n ≥ 1).
 */
export const reissue = (dossierId: string, sequence: number, cause: Exclude<IssueCause, 'enrolled'>): CertificateEvent => {
  if (sequence < 1) throw new Error('A re-issue has a sequence of at least 1');
  return { eventId: `certificates#${dossierId}#issue#${sequence}`, action: 'issue', dossierId, sequence, cause };
};

/** Cancellation or withdrawal: every current certificate of the dossier is revoked. */
export const revocation = (dossierId: string, reason: 'cancelled' | 'withdrawn'): CertificateEvent => ({ eventId: `certificates#${dossierId}#revoke#${reason}`, action: 'revoke', dossierId, reason });
