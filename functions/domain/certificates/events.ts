/**
 * Certificate events: recorded in the same transaction as the dossier change that causes them
 * (enrollment, cancellation, an accepted correction, an operator's re-issue, a part paid
 * later), consumed by the certificate job (functions/events/certificates.ts) from the table's
 * stream. One schema for both sides. Event ids are deterministic per cause, and an id can be
 * recorded once only, so a retried change never issues twice.
 */
import * as z from 'zod/mini';
import type { Dossier } from '../dossier';
import { amountSettledCents } from '../dossier/money';
import { CERTIFICATE_KINDS, type CertificateKind } from './model';

/**
 * Why certificates are issued: the enrollment, an accepted civil-status correction, an
 * operator's request, or a payment received after the enrollment (an instalment).
 */
export const IssueCause = /* @__PURE__ */ z.enum(['enrolled', 'correction', 'operator', 'payment']);
export type IssueCause = z.infer<typeof IssueCause>;

/**
 * The certificates an issue draws: a payment changes what the receipt lists (SPEC
 * "Certificates": each instalment paid), not the enrollment, whose code stays valid.
 */
export function issuedKinds(cause: IssueCause): readonly CertificateKind[] {
  return cause === 'payment' ? ['payment'] : CERTIFICATE_KINDS;
}

/**
 * Whether a dossier change paid something towards an enrollment already certified (a part of
 * the plan, by the daily charge or by Checkout): its receipt is then re-issued.
 */
export function receiptOutdated(before: Dossier, after: Dossier): boolean {
  return before.status === 'enrolled' && after.status === 'enrolled' && amountSettledCents(after) > amountSettledCents(before);
}

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

/** The start of every issue event id of a dossier; the issue's sequence follows. */
export const issueEventIdPrefix = (dossierId: string) => `certificates#${dossierId}#issue#`;
/** The id of a dossier's issue `sequence` (0 at enrollment, then each re-issue). */
export const issueEventId = (dossierId: string, sequence: number) => `${issueEventIdPrefix(dossierId)}${sequence}`;

/** The first issue, when a dossier becomes enrolled (card, office payment, exemption). */
export const enrollmentIssue = (dossierId: string): CertificateEvent => ({ eventId: issueEventId(dossierId, 0), action: 'issue', dossierId, sequence: 0, cause: 'enrolled' });

/**
 * A re-issue with new codes, the previous ones of its kinds (`issuedKinds`) revoked; `sequence`
 * from an atomic counter (n ≥ 1).
 */
export const reissue = (dossierId: string, sequence: number, cause: Exclude<IssueCause, 'enrolled'>): CertificateEvent => {
  if (sequence < 1) throw new Error('A re-issue has a sequence of at least 1');
  return { eventId: issueEventId(dossierId, sequence), action: 'issue', dossierId, sequence, cause };
};

/** Cancellation or withdrawal: every current certificate of the dossier is revoked. */
export const revocation = (dossierId: string, reason: 'cancelled' | 'withdrawn'): CertificateEvent => ({ eventId: `certificates#${dossierId}#revoke#${reason}`, action: 'revoke', dossierId, reason });
