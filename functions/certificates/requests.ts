/**
 * Producers' helpers: the certificate events a dossier change causes, as transaction items to
 * write IN THE SAME TRANSACTION as the change (like the mail jobs of functions/mail/requests.ts).
 *
 * - enrollment (card, office payment, exemption at submit): `certificatesOnEnrollment`;
 * - cancellation (and withdrawal, when it exists): `certificatesOnLeaving`;
 * - an accepted civil-status correction, an operator's request: `reissueCertificates` (or,
 *   inside a transaction the caller builds, `certificateReissueItems` with a sequence from
 *   `nextCertificateSequence`);
 * - a part of the plan paid after the enrollment: `certificatesOnPayment` (the receipt only).
 */
import { auditPut } from '../adapters/dynamo/audit';
import { certificateEventPut } from '../adapters/dynamo/certificates';
import { nextSequence } from '../adapters/dynamo/counters';
import { dossierPk, writeIfUnchanged, type TransactItem } from '../adapters/dynamo/dossiers';
import { enrollmentIssue, receiptOutdated, reissue, revocation, type IssueCause } from '../domain/certificates/events';
import type { Dossier } from '../domain/dossier';

/** The first issue of a dossier that has just become enrolled; nothing otherwise. */
export function certificatesOnEnrollment(next: Dossier, now: Date): TransactItem[] {
  return next.status === 'enrolled' ? [certificateEventPut(enrollmentIssue(next.id), now)] : [];
}

/** Revokes the certificates of a dossier leaving `enrolled` (cancelled, withdrawn). */
export function certificatesOnLeaving(before: Dossier, reason: 'cancelled' | 'withdrawn', now: Date): TransactItem[] {
  return before.status === 'enrolled' ? [certificateEventPut(revocation(before.id, reason), now)] : [];
}

/** The sequence of a dossier's next re-issue (1, 2…), unique under any concurrency. */
export const nextCertificateSequence = (dossierId: string) => nextSequence(`CERTIFICATE_ISSUE#${dossierId}`);

/** The event of a re-issue, for a transaction the caller writes (e.g. accepting a correction). */
export function certificateReissueItems(dossierId: string, sequence: number, cause: Exclude<IssueCause, 'enrolled'>, now: Date): TransactItem[] {
  return [certificateEventPut(reissue(dossierId, sequence, cause), now)];
}

/**
 * The receipt's re-issue when a change pays a part of an enrollment already certified
 * (domain/certificates/events.ts `receiptOutdated`), for the change's transaction; nothing
 * otherwise. The sequence is drawn first: a change that then fails leaves a gap, never a
 * second issue.
 */
export async function certificatesOnPayment(before: Dossier, after: Dossier, now: Date): Promise<TransactItem[]> {
  if (!receiptOutdated(before, after)) return [];
  return certificateReissueItems(after.id, await nextCertificateSequence(after.id), 'payment', now);
}

export class NotEnrolledError extends Error {
  constructor(readonly status: Dossier['status']) {
    super(`The dossier is ${status}: certificates are for enrolled dossiers`);
    this.name = 'NotEnrolledError';
  }
}

/**
 * Re-issues an enrolled dossier's certificates with new codes (the current ones are revoked
 * once the new ones exist), audited, recorded while the dossier is unchanged. The write moves
 * the dossier's version on and the sequence is drawn after reading it, so a payment in flight
 * retries and draws a later one: the issues' order (functions/certificates/issue.ts) is the
 * order of what they print. Throws `NotEnrolledError` for a dossier that is not enrolled; a
 * condition failure when the dossier changed meanwhile.
 */
export async function reissueCertificates(d: Dossier, o: { actor: string; cause: Exclude<IssueCause, 'enrolled'>; reason?: string; now: Date }): Promise<{ eventId: string }> {
  if (d.status !== 'enrolled') throw new NotEnrolledError(d.status);
  const event = reissue(d.id, await nextCertificateSequence(d.id), o.cause);
  const audit = auditPut(dossierPk(d.id), {
    actor: o.actor,
    action: 'certificates.reissue',
    at: o.now.toISOString(),
    ...(o.reason ? { reason: o.reason } : {}),
    after: { eventId: event.eventId, cause: o.cause },
  });
  await writeIfUnchanged(d, [certificateEventPut(event, o.now), audit], { moveVersionOn: true });
  return { eventId: event.eventId };
}
