import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { withdrawalRules } from '../../config/catalogue';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { dossierAuditTrail, getDossier, mutateDossier } from '../../functions/adapters/dynamo/dossiers';
import { handler as officePayment } from '../../functions/admin/office-payment';
import { handler as anomalies } from '../../functions/admin/payment-anomalies';
import { handler as adminRefund } from '../../functions/admin/refund';
import { handler as scholarship } from '../../functions/admin/scholarship';
import { claimCharge, movementsOf, type Dossier } from '../../functions/domain/dossier';
import { handler as webhook } from '../../functions/events/payment-webhook';
import { handler as refundRetry } from '../../functions/events/refund-retry';
import { jobs } from '../../functions/routes';
import { refundRetryConfig } from '../../config/refunds';
import { asEntry } from '../../scripts/local/table-access';
import { handler as certificates } from '../../functions/steps/certificates';
import { handler as getDossierRoute } from '../../functions/steps/get-dossier';
import { handler as payment } from '../../functions/steps/payment';
import { handler as withdrawal } from '../../functions/steps/withdrawal';
import type { StripeStandin } from '../../scripts/local/stripe-standin';
import { startStripeWithWebhook } from '../support/stripe-webhook';
import { deliverCertificateEvents, enrollmentEventId } from '../support/certificates';
import { context, httpEvent, invoke } from '../support/events';
import { forceServiceOpen } from '../support/open-service';
import { login } from '../support/students';
import { asOperator, outboxJob, studentThroughWizard } from '../support/operators';

/**
 * Withdrawal and refunds (SPEC "Withdrawal and refunds", issue 14): the handlers against
 * DynamoDB Local and the local Stripe stand-in, through the real Stripe SDK. The stand-in's
 * refund events are delivered, signed with Stripe's helper, through the local API Gateway to the
 * webhook handler, as Stripe does on AWS. Safety: no refund executed twice under double clicks or
 * replayed webhooks, never more than was paid, every money movement audited.
 */

/** Before the 2026-2027 academic year's start (config/catalogue.ts `withdrawalRules`). */
const BEFORE_START = new Date('2026-07-01T10:00:00Z');
/** After it: October. */
const AFTER_START = new Date('2026-10-02T10:00:00Z');
const RETENTION = withdrawalRules.retentionCents;
const RATE = 17800;
let stripe: StripeStandin;
let standin: Awaited<ReturnType<typeof startStripeWithWebhook>>;

beforeAll(async () => {
  standin = await startStripeWithWebhook();
  stripe = standin.stripe;
});
afterAll(async () => {
  await standin?.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ now: BEFORE_START, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// Helpers

const withdraw = (token: string, o: { reason?: string; lang?: 'fr' | 'en' } = {}) =>
  invoke(withdrawal, httpEvent({ method: 'POST', path: '/api/dossier/withdrawal', token, lang: o.lang, body: { reason: o.reason ?? 'Admise dans une autre université' } }));
const decide = (id: string, body: unknown, o: { groups?: string[]; lang?: 'fr' | 'en' } = {}) => asOperator(adminRefund, { route: 'AdminRefund', id, body, groups: o.groups, lang: o.lang });
const dossierOf = async (id: string) => (await getDossier(id))!;
const auditActions = async (id: string) => (await dossierAuditTrail(id)).map((e) => e.action);

/** A student enrolled by a card payment through the stand-in's Checkout (the signed webhook enrolls). */
async function enrolledByCard(o: { scholarship?: 'none' | 'granted' } = {}) {
  const student = await studentThroughWizard({ submit: true, scholarship: o.scholarship, cvecState: o.scholarship === 'granted' ? 75 : undefined });
  if (o.scholarship === 'granted') {
    const refused = await asOperator(scholarship, { route: 'AdminScholarship', id: student.dossier.id, body: { decision: 'refused', reason: 'Notification CROUS absente' } });
    expect(refused.body.status).toBe('awaiting_payment');
  }
  const checkout = await invoke(payment, httpEvent({ method: 'POST', path: '/api/dossier/payment', token: student.token }));
  expect(checkout.statusCode).toBe(201);
  const { session, delivery } = await stripe.pay(checkout.body.sessionId);
  expect(delivery.status).toBe(200);
  const dossier = await dossierOf(student.dossier.id);
  expect(dossier.status).toBe('enrolled');
  return { token: student.token, admission: student.admission, dossier, paymentIntent: session.payment_intent! };
}

/** What Stripe was asked to refund of a payment (each create request, idempotent replays included). */
const refundRequests = (paymentIntent: string) => stripe.refunds.requests().filter((r) => r.paymentIntent === paymentIntent);

/** Every money movement of the dossier has its audit entry (`money.<kind>.<status>`), written with it. */
async function expectEveryMovementAudited(d: Dossier) {
  const trail = await dossierAuditTrail(d.id);
  for (const m of movementsOf(d)) {
    expect(trail.some((e) => e.action === `money.${m.kind}.${m.status}` && (e.after as { reference?: string } | undefined)?.reference === m.reference)).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------

describe('withdrawal before the academic year starts', () => {
  it('withdraws at once and refunds what was paid minus the retention with one Stripe refund, confirmed by webhook', async () => {
    const { token, dossier, paymentIntent } = await enrolledByCard();
    await deliverCertificateEvents([enrollmentEventId(dossier.id)]);

    const res = await withdraw(token);

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', refund: { amountCents: RATE - RETENTION, status: 'pending' } });
    const asked = refundRequests(paymentIntent);
    expect(asked).toEqual([{ idempotencyKey: `refund-${dossier.id}#refund#1`, paymentIntent, amount: RATE - RETENTION }]);
    await stripe.settle();
    const types = stripe.deliveries().map((d) => d.type);
    expect(types).toEqual(expect.arrayContaining(['refund.created', 'charge.refunded']));
    const after = await dossierOf(dossier.id);
    expect(after.refunds).toMatchObject([{ status: 'succeeded', amountCents: RATE - RETENTION, stripeRefundId: stripe.refunds.refundsOf(paymentIntent)[0]!.id }]);
    expect(movementsOf(after).map((m) => [m.kind, m.amountCents, m.status])).toEqual([
      ['payment', RATE, 'succeeded'],
      ['refund', RATE - RETENTION, 'succeeded'],
    ]);
    expect(await outboxJob(`withdrawal#${dossier.id}`)).toMatchObject({
      template: 'withdrawal',
      outcome: 'withdrawn',
      refund: { amountCents: RATE - RETENTION, method: 'card' },
      retentionCents: RETENTION,
    });
    expect(await outboxJob(`refund#${dossier.id}#refund#1#succeeded`)).toMatchObject({ template: 'refund', event: 'succeeded' });
    expect(await auditActions(dossier.id)).toEqual(expect.arrayContaining(['dossier.withdrawn', 'money.refund.pending', 'refund.sent', 'refund.succeeded', 'money.refund.succeeded']));
    await expectEveryMovementAudited(after);

    // The certificates are revoked: the student's list shows it once the job has run.
    await deliverCertificateEvents([`certificates#${dossier.id}#revoke#withdrawn`]);
    const listed = await invoke(certificates, httpEvent({ method: 'GET', path: '/api/dossier/certificates', token: res.headers['x-session-token'] ?? token }));
    expect(listed.body.items.length).toBeGreaterThan(0);
    expect(listed.body.items.every((c: { revokedAt?: string }) => typeof c.revokedAt === 'string')).toBe(true);
  });

  it('double clicks: concurrent withdrawal requests withdraw once and make ONE Stripe refund call', async () => {
    const { token, dossier, paymentIntent } = await enrolledByCard();

    const answers = await Promise.all(Array.from({ length: 6 }, () => withdraw(token)));

    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.every((r) => r.body.status === 'withdrawn')).toBe(true);
    expect(refundRequests(paymentIntent)).toHaveLength(1);
    await stripe.settle();
    expect(stripe.refunds.refundsOf(paymentIntent)).toHaveLength(1);
    expect((await dossierOf(dossier.id)).refunds).toHaveLength(1);
    expect((await auditActions(dossier.id)).filter((a) => a === 'dossier.withdrawn')).toHaveLength(1);
    // Once more, later: nothing more either.
    expect((await withdraw(token)).body.status).toBe('withdrawn');
    expect(refundRequests(paymentIntent)).toHaveLength(1);
  });

  it('replayed refund webhooks (sequential and concurrent) apply once', async () => {
    const { token, dossier, paymentIntent } = await enrolledByCard();
    await withdraw(token);
    await stripe.settle();
    const settled = await dossierOf(dossier.id);
    const refundEvents = stripe.deliveries().filter((d) => d.type.startsWith('refund.') && d.payload.includes(paymentIntent));
    expect(refundEvents.length).toBeGreaterThan(0);

    for (const e of refundEvents) {
      const replays = await Promise.all(
        Array.from({ length: 4 }, () =>
          invoke(webhook, httpEvent({ method: 'POST', path: '/api/payments/webhook', rawBody: e.payload, headers: { 'content-type': 'application/json', 'Stripe-Signature': e.signature } })),
        ),
      );
      expect(replays.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    }

    const after = await dossierOf(dossier.id);
    expect(after.version).toBe(settled.version);
    expect(after.refunds).toEqual(settled.refunds);
    expect((await auditActions(dossier.id)).filter((a) => a === 'refund.succeeded')).toHaveLength(1);
  });

  it('a refund the bank fails later: failed, listed for the operators, the student told', async () => {
    const { token, dossier, paymentIntent } = await enrolledByCard();
    stripe.refunds.failRefundsOf(paymentIntent);

    await withdraw(token, { lang: 'en' });
    await stripe.settle();

    const after = await dossierOf(dossier.id);
    expect(after.refunds).toMatchObject([{ status: 'failed', failureReason: 'expired_or_canceled_card' }]);
    expect(movementsOf(after).at(-1)).toMatchObject({ kind: 'refund', status: 'failed' });
    const listed = await asOperator(anomalies, { route: 'AdminPaymentAnomalies', query: { limit: '100' } });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ dossierId: dossier.id, anomaly: expect.objectContaining({ reason: 'refund_failed', amountCents: RATE - RETENTION }) }));
    expect(await outboxJob(`refund#${dossier.id}#refund#1#failed`)).toMatchObject({ template: 'refund', event: 'failed' });
    await expectEveryMovementAudited(after);
  });

  it('fees paid at the desk: the refund is recorded for the accounting office, never sent to Stripe', async () => {
    const { dossier, token } = await studentThroughWizard({ scholarship: 'pending', submit: true });
    const desk = await asOperator(officePayment, { route: 'AdminOfficePayment', id: dossier.id, body: { kind: 'paid', reference: 'QUITTANCE-7' } });
    expect(desk.body.status).toBe('enrolled');
    const before = stripe.refunds.requests().length;

    const res = await withdraw(token);

    expect(res.body).toMatchObject({ status: 'withdrawn', refund: { amountCents: RATE - RETENTION, status: 'office' } });
    expect(stripe.refunds.requests()).toHaveLength(before);
    expect(movementsOf(await dossierOf(dossier.id)).at(-1)).toMatchObject({ kind: 'refund', status: 'recorded', method: 'office' });
    const listed = await asOperator(anomalies, { route: 'AdminPaymentAnomalies', query: { limit: '100' } });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ dossierId: dossier.id, anomaly: expect.objectContaining({ reason: 'refund_at_office', reference: 'QUITTANCE-7' }) }));
  });

  it('refuses a dossier that is not enrolled (409 WITHDRAWAL_NOT_ALLOWED, in the student language)', async () => {
    const { token } = await studentThroughWizard({ submit: true });
    const res = await withdraw(token, { lang: 'en' });
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'WITHDRAWAL_NOT_ALLOWED', status: 'awaiting_payment' });
    expect(res.body.error.message).toMatch(/Only a completed enrollment/);
    const bad = await invoke(withdrawal, httpEvent({ method: 'POST', path: '/api/dossier/withdrawal', token, body: {} }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body.error.reasons).toMatchObject({ reason: 'required' });
  });
});

describe('withdrawal after the academic year started: a supervisor decides', () => {
  /** Enrolled in July, withdrawing in October (signed in again: the service forced open). */
  const requested = async () => {
    const enrolled = await enrolledByCard();
    vi.setSystemTime(AFTER_START);
    await forceServiceOpen();
    const signedIn = await login(enrolled.admission.identifier, enrolled.admission.birthDate);
    const res = await withdraw(signedIn.body.token);
    expect(res.statusCode).toBe(200);
    expect(res.body.status).toBe('withdrawal_requested');
    expect(res.body.refund).toBeUndefined();
    expect(refundRequests(enrolled.paymentIntent)).toHaveLength(0);
    expect(await outboxJob(`withdrawal#${enrolled.dossier.id}`)).toMatchObject({ template: 'withdrawal', outcome: 'requested' });
    return enrolled;
  };

  it('an operator may not decide (403 FORBIDDEN_ROLE); more than paid − retention is refused naming amountCents', async () => {
    const { dossier } = await requested();
    const operator = await decide(dossier.id, { amountCents: 1000, reason: 'Dossier étudié' }, { groups: ['operator'] });
    expect(operator.statusCode).toBe(403);
    expect(operator.body.error.code).toBe('FORBIDDEN_ROLE');

    const tooMuch = await decide(dossier.id, { amountCents: RATE - RETENTION + 1, reason: 'Dossier étudié' }, { lang: 'en' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'VALIDATION_FAILED', reasons: { amountCents: 'refund_exceeds_refundable' }, maxCents: RATE - RETENTION });
    expect(tooMuch.body.error.fields.amountCents).toMatch(/cannot exceed what was paid/);
    const negative = await decide(dossier.id, { amountCents: -5, reason: 'Dossier étudié' });
    expect(negative.statusCode).toBe(422);
    expect(negative.body.error.reasons).toHaveProperty('amountCents');
    expect((await dossierOf(dossier.id)).status).toBe('withdrawal_requested');
  });

  it('the decision withdraws and refunds that amount with one Stripe call, even when sent twice at once', async () => {
    const { dossier, paymentIntent } = await requested();

    const [a, b] = await Promise.all([decide(dossier.id, { amountCents: 8000, reason: 'Départ en octobre' }), decide(dossier.id, { amountCents: 8000, reason: 'Départ en octobre' })]);

    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.body).toMatchObject({ status: 'withdrawn', refund: { amountCents: 8000 } });
    expect(refundRequests(paymentIntent).map((r) => r.amount)).toEqual([8000]);
    await stripe.settle();
    expect((await dossierOf(dossier.id)).refunds).toMatchObject([{ status: 'succeeded', amountCents: 8000, decidedBy: 'operatrice-scolarite' }]);
    expect(await outboxJob(`refund#${dossier.id}#refund#1#decided`)).toMatchObject({ template: 'refund', event: 'decided', cause: 'withdrawal', refund: { amountCents: 8000 } });
    // Decided: no other decision.
    expect((await decide(dossier.id, { amountCents: 9000, reason: 'Erreur' })).body.error.code).toBe('REFUND_NOT_AWAITED');
    await expectEveryMovementAudited(await dossierOf(dossier.id));
  });

  it('a decision of 0 withdraws without any Stripe call', async () => {
    const { dossier, paymentIntent } = await requested();
    const res = await decide(dossier.id, { amountCents: 0, reason: 'Année entamée' });
    expect(res.body).toMatchObject({ status: 'withdrawn', refund: { amountCents: 0, status: 'none' } });
    expect(refundRequests(paymentIntent)).toHaveLength(0);
  });
});

describe('a scholarship confirmed after a card payment', () => {
  it('refunds everything paid (no retention) with Stripe; the dossier stays enrolled; again: nothing more', async () => {
    const { dossier, paymentIntent } = await enrolledByCard({ scholarship: 'granted' });

    const res = await asOperator(scholarship, { route: 'AdminScholarship', id: dossier.id, body: { decision: 'confirmed', reason: 'Notification CROUS arrivée' } });

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, reason: 'scholarship_granted' }, refund: { amountCents: RATE, status: 'pending' } });
    expect(refundRequests(paymentIntent).map((r) => r.amount)).toEqual([RATE]);
    await stripe.settle();
    expect((await dossierOf(dossier.id)).refunds).toMatchObject([{ cause: 'scholarship', status: 'succeeded', amountCents: RATE }]);
    expect(await outboxJob(`refund#${dossier.id}#refund#1#decided`)).toMatchObject({ cause: 'scholarship', refund: { amountCents: RATE } });

    const again = await asOperator(scholarship, { route: 'AdminScholarship', id: dossier.id, body: { decision: 'confirmed', reason: 'Clic répété' } });
    expect(again.statusCode).toBe(200);
    expect(refundRequests(paymentIntent)).toHaveLength(1);
    await expectEveryMovementAudited(await dossierOf(dossier.id));
  });
});

describe('withdrawal and a concurrent instalment charge', () => {
  /** An enrolled dossier paying in three parts, the first paid, the second due today. */
  async function onInstalments() {
    const enrolled = await enrolledByCard();
    await mutateDossier(enrolled.dossier.id, (d) => ({
      ...d,
      payment: {
        ...d.payment,
        plan: 'instalments',
        instalments: [
          { n: 1, amountCents: 6000, dueOn: '2026-07-01', status: 'paid', paidAt: BEFORE_START.toISOString(), reference: enrolled.paymentIntent },
          { n: 2, amountCents: 6000, dueOn: '2026-07-01', status: 'scheduled' },
          { n: 3, amountCents: 5800, dueOn: '2026-09-05', status: 'scheduled' },
        ],
      },
    }));
    return enrolled;
  }
  /** What the InstalmentsDue job does first for a due part: claim it in the dossier's transaction (then it charges Stripe). */
  async function claim(dossierId: string) {
    let claimed = false;
    await mutateDossier(dossierId, (d) => {
      const c = claimCharge(d, 2, new Date(), { timeZone: 'Europe/Paris' });
      claimed = c !== undefined && c.dossier !== d;
      return c?.dossier ?? d;
    });
    return claimed;
  }

  it('never both go through: either the charge is claimed and the withdrawal waits (409 PAYMENT_NOT_ALLOWED, payment_processing), or the withdrawal cancels the part', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const { token, dossier } = await onInstalments();
      const [claimed, res] = await Promise.all([claim(dossier.id), withdraw(token)]);
      const after = await dossierOf(dossier.id);
      const part2 = after.payment.instalments!.find((i) => i.n === 2)!;
      if (claimed) {
        expect(res.statusCode).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_processing' });
        expect(after.status).toBe('enrolled');
        expect(part2.status).toBe('processing');
        outcomes.add('charge');
      } else {
        expect(res.statusCode).toBe(200);
        expect(after.status).toBe('withdrawn');
        expect(after.payment.instalments!.filter((i) => i.n > 1).map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
        // And the job, running after, finds nothing to charge.
        expect(await claim(dossier.id)).toBe(false);
        outcomes.add('withdrawal');
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it('the job after a withdrawal charges nothing; a withdrawal while a part is being charged is refused', async () => {
    const first = await onInstalments();
    expect((await withdraw(first.token)).statusCode).toBe(200);
    expect(await claim(first.dossier.id)).toBe(false);

    const second = await onInstalments();
    expect(await claim(second.dossier.id)).toBe(true);
    const refused = await withdraw(second.token, { lang: 'en' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_processing' });
    expect(refundRequests(second.paymentIntent)).toHaveLength(0);
  });
});

describe('the stored refund records', () => {
  it('never hold more refunded than paid', async () => {
    const { dossier, token } = await enrolledByCard({ scholarship: 'granted' });
    await asOperator(scholarship, { route: 'AdminScholarship', id: dossier.id, body: { decision: 'confirmed', reason: 'Notification CROUS' } });
    await withdraw(token);
    await stripe.settle();
    const d = await dossierOf(dossier.id);
    const refunded = movementsOf(d)
      .filter((m) => m.kind === 'refund' && m.status !== 'failed')
      .reduce((s, m) => s + m.amountCents, 0);
    expect(refunded).toBe(RATE);
    expect(d.status).toBe('withdrawn');
    const item = await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: `DOSSIER#${dossier.id}`, sk: 'DOSSIER' }, ConsistentRead: true }));
    expect(item.Item?.dossier.refunds.filter((r: { status: string }) => r.status !== 'none')).toHaveLength(1);
  });
});

describe('a refund Stripe never accepted (network error or 5xx when it was sent)', () => {
  const MINUTE = 60_000;
  /** The RefundRetry job as its schedule runs it at `at` (the clock, Stripe's included, reads `at`), held to its declared table access. */
  const runRetryJob = (at: Date) => {
    vi.setSystemTime(at);
    const job = jobs.find((j) => j.id === 'RefundRetry')!;
    return asEntry(job, () => refundRetry({ scheduledFor: at.toISOString() }, { ...context, getRemainingTimeInMillis: () => job.timeoutSeconds! * 1000 }));
  };
  /** The create requests Stripe answered (not those it failed with a 5xx). */
  const accepted = (paymentIntent: string) => refundRequests(paymentIntent).filter((r) => !r.unavailable);
  const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE);

  /** Enrolled, then withdrawn while Stripe answers refunds.create with 500s (the SDK's retry included). */
  async function withdrawnWhileStripeDown(failures = 2) {
    const enrolled = await enrolledByCard();
    stripe.refunds.failNextCreates(failures);
    const res = await withdraw(enrolled.token);
    // The withdrawal stands; the refund waits for Stripe (shown pending).
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', refund: { amountCents: RATE - RETENTION, status: 'pending' } });
    const d = await dossierOf(enrolled.dossier.id);
    expect(d.refunds).toMatchObject([{ status: 'requested' }]);
    expect(d.refunds![0]!.stripeRefundId).toBeUndefined();
    expect(stripe.refunds.refundsOf(enrolled.paymentIntent)).toEqual([]);
    return { ...enrolled, refund: d.refunds![0]! };
  }

  it('the job sends it again with the same idempotency key: one refund at Stripe though three runs race; later runs and replays do nothing', async () => {
    const { dossier, paymentIntent, refund, admission } = await withdrawnWhileStripeDown();
    const key = `refund-${refund.id}`;
    expect(refundRequests(paymentIntent)).toEqual([
      { idempotencyKey: key, paymentIntent, amount: RATE - RETENTION, unavailable: true },
      { idempotencyKey: key, paymentIntent, amount: RATE - RETENTION, unavailable: true },
    ]);

    // Not due yet: nothing sent.
    const early = await runRetryJob(minutesAfter(refund.requestedAt, refundRetryConfig.firstRetryAfterMinutes - 1));
    expect(early.dossiers).toBe(0);
    expect(accepted(paymentIntent)).toEqual([]);

    const due = minutesAfter(refund.requestedAt, refundRetryConfig.firstRetryAfterMinutes);
    const runs = await Promise.all([runRetryJob(due), runRetryJob(due), runRetryJob(due)]);

    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(runs.every((r) => r.failed === 0)).toBe(true);
    expect(accepted(paymentIntent)).toEqual([{ idempotencyKey: key, paymentIntent, amount: RATE - RETENTION }]);
    expect(stripe.refunds.refundsOf(paymentIntent)).toHaveLength(1);
    await stripe.settle();
    const settled = await dossierOf(dossier.id);
    expect(settled.refunds).toMatchObject([{ status: 'succeeded', retries: 1, stripeRefundId: stripe.refunds.refundsOf(paymentIntent)[0]!.id }]);
    expect((await auditActions(dossier.id)).filter((a) => a === 'refund.retried')).toHaveLength(1);
    await expectEveryMovementAudited(settled);

    // Later runs, at once and after every retry time: nothing left to send.
    const later = await Promise.all([runRetryJob(minutesAfter(refund.requestedAt, 24 * 60)), runRetryJob(minutesAfter(refund.requestedAt, 24 * 60))]);
    expect(later.map((r) => r.dossiers)).toEqual([0, 0]);
    expect(accepted(paymentIntent)).toHaveLength(1);
    expect((await dossierOf(dossier.id)).version).toBe(settled.version);
    // A withdrawal request again (double click a day later): nothing more either.
    const signedIn = await login(admission.identifier, admission.birthDate);
    expect((await withdraw(signedIn.body.token)).statusCode).toBe(200);
    expect(stripe.refunds.refundsOf(paymentIntent)).toHaveLength(1);
  });

  it('after its retries are spent it is a payment anomaly for the operators, and is no longer sent', async () => {
    const { dossier, paymentIntent, refund } = await withdrawnWhileStripeDown(1000);
    let at = Date.parse(refund.requestedAt);
    for (let retry = 1; retry <= refundRetryConfig.maxRetries; retry++) {
      at += refundRetryConfig.firstRetryAfterMinutes * MINUTE * 2 ** (retry - 1);
      const run = await runRetryJob(new Date(at));
      expect(run).toMatchObject({ dossiers: 1, sent: 0, unsent: 1, escalated: 0 });
    }
    const sentBefore = refundRequests(paymentIntent).length;
    at += refundRetryConfig.firstRetryAfterMinutes * MINUTE * 2 ** refundRetryConfig.maxRetries;

    const last = await runRetryJob(new Date(at));

    expect(last).toMatchObject({ dossiers: 1, sent: 0, unsent: 0, escalated: 1 });
    expect(refundRequests(paymentIntent)).toHaveLength(sentBefore);
    const after = await dossierOf(dossier.id);
    expect(after.refunds).toMatchObject([{ status: 'requested', retries: refundRetryConfig.maxRetries, escalatedAt: new Date(at).toISOString() }]);
    const listed = await asOperator(anomalies, { route: 'AdminPaymentAnomalies', query: { limit: '100' } });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ dossierId: dossier.id, anomaly: expect.objectContaining({ reason: 'refund_unsent', amountCents: RATE - RETENTION }) }));
    expect((await auditActions(dossier.id)).filter((a) => a === 'refund.unsent')).toHaveLength(1);
    // Out of the job's index: a later run finds nothing and sends nothing.
    expect((await runRetryJob(new Date(at + 7 * 24 * 60 * MINUTE))).dossiers).toBe(0);
    expect(refundRequests(paymentIntent)).toHaveLength(sentBefore);
    stripe.refunds.failNextCreates(0);
  });
});

describe('what the student is told before withdrawing (GET /api/dossier `withdrawalTerms`)', () => {
  const read = (token: string) => invoke(getDossierRoute, httpEvent({ method: 'GET', path: '/api/dossier', token }));

  it('states the refund the withdrawal then makes: at once before the start, a supervisor’s decision after; nothing for a dossier not enrolled', async () => {
    const { token, paymentIntent } = await enrolledByCard();
    const before = await read(token);
    expect(before.body.withdrawalTerms).toMatchObject({ immediate: true, refundCents: RATE - RETENTION, retentionCents: RETENTION, academicYearStartsOn: '2026-09-01' });

    const res = await withdraw(token);
    expect(res.body.refund.amountCents).toBe(before.body.withdrawalTerms.refundCents);
    expect(refundRequests(paymentIntent).map((r) => r.amount)).toEqual([before.body.withdrawalTerms.refundCents]);
    expect((await read(token)).body.withdrawalTerms).toBeUndefined();

    const later = await enrolledByCard();
    vi.setSystemTime(AFTER_START);
    await forceServiceOpen();
    const signedIn = await login(later.admission.identifier, later.admission.birthDate);
    expect((await read(signedIn.body.token)).body.withdrawalTerms).toMatchObject({ immediate: false, refundCents: RATE - RETENTION });
  });
});
