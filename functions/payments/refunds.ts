import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, mutateDossier, type TransactItem } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { paymentAnomalyPut } from '../adapters/dynamo/stripe-events';
import { createRefund, RefundRefusedError } from '../adapters/stripe';
import {
  applyRefundEvent,
  type Dossier,
  recordRefundRefused,
  recordRefundSent,
  type Refund,
  refundAnomaly,
  type RefundEvent,
  type RefundEventEffect,
  refundIdempotencyKey,
  refundsToResend,
} from '../domain/dossier';
import { refundJob } from '../mail/requests';
import { logger } from '../shared/logger';
import { applyStripeEventOnce } from './stripe-event-once';

/**
 * Executing refunds with Stripe and applying what Stripe says of them. A refund is first
 * recorded on the dossier (`requested`, in the transaction of the decision that causes it);
 * only the request that recorded it sends it, with the refund's own idempotency key, so a
 * double click, a retried request or a concurrent one never refunds twice — Stripe answers a
 * repeated key with the first refund. Stripe's answer and its later events are applied in the
 * dossier's transaction, audited (the ledger's line by mutateDossier, the Stripe call here).
 */

/**
 * A refund still `requested` this long after it was recorded was not sent (the function that
 * recorded it failed before Stripe answered): a later withdrawal request or decision sends it
 * again, under the same key. Longer than any function that sends refunds runs (routes.ts).
 */
export const REFUND_RESEND_AFTER_MS = 60_000;

/** Sends one recorded card refund to Stripe and records its answer. @returns the dossier after. */
export async function sendRefund(dossierId: string, refund: Refund, now: Date): Promise<Dossier | undefined> {
  if (refund.status !== 'requested' || refund.method !== 'card') return undefined;
  const at = now.toISOString();
  try {
    const created = await createRefund({
      dossierId,
      refundId: refund.id,
      paymentIntent: refund.paymentReference ?? '',
      amountCents: refund.amountCents,
      idempotencyKey: refundIdempotencyKey(refund),
    });
    return await mutateDossier(
      dossierId,
      (d) => {
        const next = recordRefundSent(d, refund.id, { stripeRefundId: created.id, at });
        if (next === d) return d;
        const audit = auditPut(dossierPk(dossierId), {
          actor: 'service',
          action: 'refund.sent',
          at,
          after: { refundId: refund.id, stripeRefundId: created.id, amountCents: created.amountCents, status: created.status },
        });
        return { dossier: next, extra: [audit], actor: 'stripe' };
      },
      now,
    );
  } catch (err) {
    if (!(err instanceof RefundRefusedError)) throw err;
    logger.error('Stripe refused a refund', { dossierId, refundId: refund.id, code: err.code });
    return mutateDossier(
      dossierId,
      (d) => {
        const out = recordRefundRefused(d, refund.id, { code: err.code, at });
        if (out.effect === 'none' || !out.refund || !out.anomaly) return d;
        const audit = auditPut(dossierPk(dossierId), { actor: 'stripe', action: 'refund.refused', at, reason: err.code, after: { refundId: refund.id } });
        return { dossier: out.dossier, extra: [audit, paymentAnomalyPut(dossierId, out.anomaly, now), outboxPut(refundJob(out.dossier, out.refund, 'failed'), now)], actor: 'stripe' };
      },
      now,
    );
  }
}

/**
 * Sends the refunds a change just recorded (`created`), or, when this request recorded none,
 * those left unsent for longer than the margin. Office refunds are only recorded.
 */
export async function sendRefunds(dossier: Dossier, created: Refund[], now: Date): Promise<Dossier> {
  let latest = dossier;
  const toSend = created.length > 0 ? created : refundsToResend(dossier, now, REFUND_RESEND_AFTER_MS);
  for (const refund of toSend) latest = (await sendRefund(dossier.id, refund, now)) ?? latest;
  return latest;
}

/** The anomaly items of a refund recorded for the accounting office (listed for the operators). */
export function officeRefundItems(d: Dossier, refunds: Refund[], now: Date): TransactItem[] {
  return refunds.filter((r) => r.status === 'office').map((r) => paymentAnomalyPut(d.id, refundAnomaly(d, r, 'refund_at_office', { at: r.requestedAt }), now));
}

const AUDIT_ACTION: Record<Exclude<RefundEventEffect, 'none'>, string> = {
  sent: 'refund.pending',
  succeeded: 'refund.succeeded',
  failed: 'refund.failed',
  anomaly: 'refund.anomaly',
};

/**
 * Applies a signature-verified refund event to its dossier, once (./stripe-event-once.ts): the
 * event's record, the change, its audit entry, the mail and the anomaly in one transaction —
 * replays and concurrent deliveries apply it once.
 */
export function processRefundEvent(type: string, refund: { event: RefundEvent; dossierId: string }, now: Date): Promise<RefundEventEffect> {
  const { event, dossierId } = refund;
  return applyStripeEventOnce(
    {
      eventId: event.eventId,
      type,
      dossierId,
      orphan: {
        reason: 'refund_failed',
        eventId: event.eventId,
        checkoutSessionId: '',
        reference: event.stripeRefundId,
        amountCents: event.amountCents,
        currency: event.currency,
        at: event.at,
      },
      change: (current) => {
        const outcome = applyRefundEvent(current, event);
        if (outcome.effect === 'none') return undefined;
        return {
          effect: outcome.effect,
          // An anomaly alone leaves the dossier as it is: it rides on the event's record, no second item.
          dossier: outcome.dossier,
          anomaly: outcome.anomaly,
          audit: {
            action: AUDIT_ACTION[outcome.effect],
            reason: event.failureReason,
            after: { refundId: event.refundId, stripeRefundId: event.stripeRefundId, status: event.status },
          },
          extra: outcome.refund && (outcome.effect === 'succeeded' || outcome.effect === 'failed') ? [outboxPut(refundJob(outcome.dossier, outcome.refund, outcome.effect), now)] : [],
        };
      },
    },
    now,
  );
}
