import { auditPut } from '../adapters/dynamo/audit';
import { dossierPk, mutateDossier, type TransactItem } from '../adapters/dynamo/dossiers';
import { outboxPut } from '../adapters/dynamo/outbox';
import { paymentAnomalyPut } from '../adapters/dynamo/stripe-events';
import { refundRetryConfig } from '../../config/refunds';
import { createRefund, RefundRefusedError } from '../adapters/stripe';
import {
  applyRefundEvent,
  claimRefundRetries,
  type Dossier,
  recordRefundRefused,
  recordRefundSent,
  type Refund,
  refundAnomaly,
  type RefundEvent,
  type RefundEventEffect,
  type RefundRetryClaim,
  refundIdempotencyKey,
  refundsToResend,
} from '../domain/dossier';
import { refundJob } from '../mail/requests';
import { UpstreamUnavailableError } from '../shared/failures';
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
 * those left unsent for longer than the margin. Office refunds are only recorded. Stripe
 * unreachable: the refund stays recorded (`requested`, shown as pending) and the decision stands;
 * the RefundRetry job sends it again under the same key (functions/events/refund-retry.ts).
 */
export async function sendRefunds(dossier: Dossier, created: Refund[], now: Date): Promise<Dossier> {
  let latest = dossier;
  const toSend = created.length > 0 ? created : refundsToResend(dossier, now, REFUND_RESEND_AFTER_MS);
  for (const refund of toSend) {
    try {
      latest = (await sendRefund(dossier.id, refund, now)) ?? latest;
    } catch (err) {
      if (!(err instanceof UpstreamUnavailableError)) throw err;
      logger.warn('Stripe unavailable: the refund is left to the RefundRetry job', { dossierId: dossier.id, refundId: refund.id });
    }
  }
  return latest;
}

export interface RefundRetryOutcome {
  /** Sent again and accepted by Stripe (or refused by it: then failed, an anomaly). */
  sent: number;
  /** Sent again, still not accepted (Stripe unreachable): a later run tries once more. */
  unsent: number;
  /** Retries spent: handed to the operators. */
  escalated: number;
}

/**
 * The RefundRetry job's work on one dossier (functions/events/refund-retry.ts): claims the retries
 * due in the dossier's transaction (`claimRefundRetries`, functions/domain/dossier/withdrawal.ts),
 * audited, with the anomaly of each refund whose retries are spent; then sends what this run
 * claimed, each under the refund's own idempotency key, so neither a retry nor concurrent runs
 * ever refund twice.
 */
export async function retryUnsentRefunds(dossierId: string, now: Date): Promise<RefundRetryOutcome> {
  const at = now.toISOString();
  let claim: RefundRetryClaim | undefined;
  await mutateDossier(
    dossierId,
    (d) => {
      claim = undefined;
      const c = claimRefundRetries(d, now, refundRetryConfig);
      if (c.dossier === d) return d;
      claim = c;
      const pk = dossierPk(dossierId);
      const extra: TransactItem[] = [
        ...c.toSend.map((r) => auditPut(pk, { actor: 'service', action: 'refund.retried', at, after: { refundId: r.id, retry: r.retries, amountCents: r.amountCents } })),
        ...c.escalated.flatMap((e) => [
          auditPut(pk, { actor: 'service', action: 'refund.unsent', at, reason: 'refund_unsent', after: { refundId: e.refund.id, retries: e.refund.retries ?? 0, amountCents: e.refund.amountCents } }),
          paymentAnomalyPut(dossierId, e.anomaly, now),
        ]),
      ];
      return { dossier: c.dossier, extra, actor: 'service' };
    },
    now,
  );
  const outcome: RefundRetryOutcome = { sent: 0, unsent: 0, escalated: claim?.escalated.length ?? 0 };
  for (const refund of claim?.toSend ?? []) {
    try {
      await sendRefund(dossierId, refund, now);
      outcome.sent++;
    } catch (err) {
      if (!(err instanceof UpstreamUnavailableError)) throw err;
      outcome.unsent++;
    }
  }
  if (outcome.escalated > 0) logger.error('Refunds Stripe never accepted, handed to the operators', { dossierId, refunds: outcome.escalated });
  return outcome;
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
