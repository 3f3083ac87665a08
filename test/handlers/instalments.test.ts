import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { instalmentsConfig } from '../../config/instalments';
import { MailJob } from '../../functions/domain/mail-job';
import { renderMail } from '../../functions/mail/templates';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { putCvecFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { dossierAuditTrail, getDossier } from '../../functions/adapters/dynamo/dossiers';
import { outboxKey } from '../../functions/adapters/dynamo/outbox';
import { handler as overdueList } from '../../functions/admin/overdue-instalments';
import { movementsOf } from '../../functions/domain/dossier';
import { handler as instalmentsDue } from '../../functions/events/instalments-due';
import { handler as cvec } from '../../functions/steps/cvec';
import { handler as getDossierRoute } from '../../functions/steps/get-dossier';
import { handler as identity } from '../../functions/steps/identity';
import { handler as ine } from '../../functions/steps/ine';
import { handler as instalmentPayment } from '../../functions/steps/instalment-payment';
import { handler as payment } from '../../functions/steps/payment';
import { handler as programme } from '../../functions/steps/programme';
import { handler as situation } from '../../functions/steps/situation';
import { handler as submit } from '../../functions/steps/submit';
import type { StripeStandin } from '../../scripts/local/stripe-standin';
import { startStripeWithWebhook } from '../support/stripe-webhook';
import { context, httpEvent, invoke } from '../support/events';
import { asOperator } from '../support/operators';
import { loggedInStudent, login } from '../support/students';
import { currentCertificates, getCertificate } from '../../functions/adapters/dynamo/certificates';
import { certificateIssueIds, deliverCertificateEvents, downloadCertificate, enrollmentEventId, pdfText } from '../support/certificates';

/**
 * Paying in three parts, against DynamoDB Local and the local Stripe stand-in (the real SDK on
 * both sides, webhooks signed with Stripe's helper and delivered through the local API Gateway):
 * the plan's choice, the first part enrolling, the daily job charging due parts exactly once
 * (twice, concurrently), replayed webhooks applied once, a declined card (failed, retried,
 * overdue, paid now by Checkout), and every money movement audited.
 */

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
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
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
  process.env.STRIPE_API_BASE = stripe.apiBase;
});
afterEach(() => {
  vi.useRealTimers();
});

const IDENTITY = { email: 'lea.martin@example.org', phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } };

async function submittedStudent(scholarship: 'none' | 'pending' = 'none') {
  const { token, dossier, admission } = await loggedInStudent();
  const put = async (handler: typeof identity, body: unknown) => expect((await invoke(handler, httpEvent({ method: 'PUT', token, body }))).statusCode).toBe(200);
  await put(identity, IDENTITY);
  await put(ine, { ine: '1234567890V' });
  await put(situation, { regime: 'formation_initiale', scholarship });
  const number = `AMU6${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await putCvecFixture({ certificateNumber: number, lastName: 'MARTIN', firstName: 'Léa', birthDate: '2008-03-14', state: 75 });
  await put(cvec, { certificateNumber: number });
  await put(programme, { programmeCode: 'L1-INFO' });
  expect((await invoke(submit, httpEvent({ method: 'POST', token }))).statusCode).toBe(200);
  return { token, dossierId: dossier.id as string, admission };
}

const choose = (token: string, plan?: unknown, lang?: 'fr' | 'en') =>
  invoke(payment, httpEvent({ method: 'POST', path: '/api/dossier/payment', token, lang, ...(plan === undefined ? {} : { rawBody: JSON.stringify({ plan }) }) }));
const payPart = (token: string, n: string) => invoke(instalmentPayment, httpEvent({ method: 'POST', path: `/api/dossier/payment/instalments/${n}`, token, pathParameters: { n } }));
/** The daily job, as its schedule runs it at `iso` (the clock, Stripe's included, then reads `iso`). */
const runJob = (iso: string) => {
  vi.setSystemTime(new Date(iso));
  // The job's own timeout (routes.ts), not the test default's few seconds.
  return instalmentsDue({ scheduledFor: iso }, { ...context, getRemainingTimeInMillis: () => 900_000 });
};
const dossierOf = async (id: string) => (await getDossier(id))!;
const outboxJob = async (jobId: string) => {
  const item = (await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(jobId), ConsistentRead: true }))).Item;
  return item ? JSON.parse(item.body as string) : undefined;
};
const chargesOf = (dossierId: string, n: number) =>
  stripe.paymentIntents().filter((p) => p.paymentIntent.metadata.kind === 'instalment_charge' && p.paymentIntent.metadata.dossierId === dossierId && p.paymentIntent.metadata.instalment === String(n));

/** A student enrolled on the plan: the first part paid by Checkout with `card`. */
async function enrolledOnPlan(card: 'succeeds' | 'declines_later' = 'succeeds') {
  const student = await submittedStudent();
  const res = await choose(student.token, 'instalments');
  expect(res.statusCode).toBe(201);
  const { delivery } = await stripe.pay(res.body.sessionId, card);
  expect(delivery.status).toBe(200);
  return { ...student, sessionId: res.body.sessionId as string };
}

// 5 August 2026, 08:00 in Paris: the second part's day.
const AUG_5 = '2026-08-05T06:00:00.000Z';

describe('choosing the plan', () => {
  it('shows the three parts and their due dates, and opens the first part on a Customer saving the card', async () => {
    const { token, dossierId } = await submittedStudent();
    const res = await choose(token, 'instalments');
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      plan: 'instalments',
      schedule: [
        { n: 1, amountCents: 5934, dueOn: '2026-07-01' },
        { n: 2, amountCents: 5933, dueOn: '2026-08-05' },
        { n: 3, amountCents: 5933, dueOn: '2026-09-05' },
      ],
    });
    const { session } = stripe.find(res.body.sessionId)!;
    const d = await dossierOf(dossierId);
    expect(session).toMatchObject({ amount_total: 5934, customer: d.payment.customerId, metadata: { dossierId, plan: 'instalments', instalment: '1' } });
    const created = stripe.calls().find((c) => c.path === '/v1/checkout/sessions' && (c.form.metadata as Record<string, string>)?.dossierId === dossierId)!;
    expect(created.form.payment_intent_data).toMatchObject({ setup_future_usage: 'off_session' });
    // Back to paying in full: a new session for the whole amount, the plan dropped.
    const full = await choose(token, 'full');
    expect(full.body).toMatchObject({ plan: 'full', schedule: [{ n: 1, amountCents: 17800 }] });
    expect(full.body.sessionId).not.toBe(res.body.sessionId);
    expect(stripe.find(res.body.sessionId)!.session.status).toBe('expired');
    expect((await dossierOf(dossierId)).payment.instalments).toBeUndefined();
  });

  it('refuses the plan to a pay-at-office dossier (409 INSTALMENTS_NOT_ALLOWED) and a bad plan (422 naming it)', async () => {
    const office = await submittedStudent('pending');
    const refused = await choose(office.token, 'instalments', 'en');
    expect(refused.statusCode).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'INSTALMENTS_NOT_ALLOWED' });
    expect(refused.body.error.message).toContain(`Paying in ${instalmentsConfig.parts} parts is not possible`);
    const card = await submittedStudent();
    const bad = await choose(card.token, 'monthly');
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(['plan']);
  });
});

describe('the first part', () => {
  it('enrolls the dossier, sends the receipt listing the schedule, and shows the part in the ledger', async () => {
    const { token, dossierId } = await enrolledOnPlan();
    const d = await dossierOf(dossierId);
    expect(d.status).toBe('enrolled');
    expect(d.payment.instalments!.map((i) => i.status)).toEqual(['paid', 'scheduled', 'scheduled']);
    const receipt = await outboxJob(`receipt#${dossierId}`);
    expect(receipt.schedule).toEqual([
      { n: 1, amountCents: 5934, dueOn: '2026-07-01', paid: true },
      { n: 2, amountCents: 5933, dueOn: '2026-08-05', paid: false },
      { n: 3, amountCents: 5933, dueOn: '2026-09-05', paid: false },
    ]);
    const mail = renderMail(MailJob.parse(receipt));
    expect(mail.text).toContain('Votre échéancier (paiement en 3 fois)');
    expect(mail.text).toContain('Échéance 3/3 : 59,33');
    expect(await outboxJob(`synthesis#${dossierId}`)).toBeDefined();
    const view = await invoke(getDossierRoute, httpEvent({ method: 'GET', path: '/api/dossier', token }));
    expect(view.body.movements).toEqual([expect.objectContaining({ kind: 'instalment', n: 1, amountCents: 5934, status: 'succeeded', method: 'card' })]);
    // What the page says was paid: the part paid, not the fees.
    expect(view.body.paidCents).toBe(5934);
  });
});

describe('the payment certificate', () => {
  it('is re-issued listing each part whenever a later part is paid, once though the webhook is replayed; the enrollment certificate keeps its code', async () => {
    const { dossierId, admission } = await enrolledOnPlan();
    await deliverCertificateEvents([enrollmentEventId(dossierId)]);
    const first = await currentCertificates(dossierId);
    const enrollment = first.find((r) => r.kind === 'enrollment')!;
    const firstReceipt = first.find((r) => r.kind === 'payment')!;
    expect(firstReceipt.subject.payments.map((p) => p.amountCents)).toEqual([5934]);

    await runJob(AUG_5);
    await stripe.settle();
    const [charge] = chargesOf(dossierId, 2);
    expect(charge!.paymentIntent.status).toBe('succeeded');
    vi.setSystemTime(new Date(AUG_5));
    const delivered = charge!.deliveries[0]!;
    const replay = await fetch(standin.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': delivered.signature }, body: delivered.payload });
    expect(replay.status).toBe(200);
    const issues = await certificateIssueIds(dossierId);
    expect(issues).toHaveLength(2);

    await deliverCertificateEvents([issues[1]!]);
    const second = await currentCertificates(dossierId);
    expect(second.find((r) => r.kind === 'enrollment')).toEqual(enrollment);
    const receipt = second.find((r) => r.kind === 'payment')!;
    expect(receipt.code).not.toBe(firstReceipt.code);
    expect(receipt.subject.payments).toEqual([firstReceipt.subject.payments[0], { amountCents: 5933, method: 'card', reference: charge!.paymentIntent.id, paidAt: expect.any(String) }]);
    expect(await getCertificate(firstReceipt.code)).toMatchObject({ revokedReason: 'superseded' });
    expect((await getCertificate(enrollment.code))?.revokedAt).toBeUndefined();

    // The last part, on its day: the receipt now adds up to the fees, nothing left to pay.
    await runJob('2026-09-05T06:00:00.000Z');
    await stripe.settle();
    const [, , last, ...more] = await certificateIssueIds(dossierId);
    expect(more).toEqual([]);
    await deliverCertificateEvents([last!]);
    vi.setSystemTime(new Date('2026-09-05T08:00:00Z'));
    const token = (await login(admission.identifier, admission.birthDate)).body.token as string;
    const text = pdfText((await downloadCertificate(token, 'payment', 'fr')).pdf!);
    // (A reference longer than its column goes on below: whole once the layout's spaces are gone.)
    const lines = (await currentCertificates(dossierId)).find((r) => r.kind === 'payment')!.subject.payments;
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(text.replace(/\s+/g, '')).toContain(line.reference);
    expect(text).toMatch(/Total payé\s+178,00/);
    expect((await invoke(getDossierRoute, httpEvent({ method: 'GET', path: '/api/dossier', token }))).body.paidCents).toBe(17800);
    expect(text).not.toContain('Reste à payer');
  });
});

describe('the payment certificate, its issues handled out of order', () => {
  it('the enrollment’s issue handled after a part’s re-issue still draws the enrollment certificate, and leaves the newer receipt', async () => {
    const { dossierId } = await enrolledOnPlan();
    await runJob(AUG_5);
    await stripe.settle();
    const [enrollmentIssue, partIssue, ...more] = await certificateIssueIds(dossierId);
    expect(more).toEqual([]);
    expect(enrollmentIssue).toBe(enrollmentEventId(dossierId));

    await deliverCertificateEvents([partIssue!]);
    const receipt = (await currentCertificates(dossierId)).find((r) => r.kind === 'payment')!;
    expect(receipt.subject.payments).toHaveLength(2);
    expect(await deliverCertificateEvents([enrollmentIssue!])).toEqual({ batchItemFailures: [] });
    const current = await currentCertificates(dossierId);
    expect(current.map((r) => r.kind).sort()).toEqual(['enrollment', 'payment']);
    expect(current.find((r) => r.kind === 'payment')).toEqual(receipt);
    expect(current.find((r) => r.kind === 'enrollment')).toMatchObject({ issueId: enrollmentIssue, storedAt: expect.any(String) });
  });
});

describe('the daily job', () => {
  it('charges a due part once, though it runs twice at once and again later; the replayed webhook changes nothing', async () => {
    const { dossierId } = await enrolledOnPlan();
    // The day before: nothing due.
    await runJob('2026-08-04T06:00:00.000Z');
    expect(chargesOf(dossierId, 2)).toHaveLength(0);

    await Promise.all([runJob(AUG_5), runJob(AUG_5), runJob(AUG_5)]);
    await stripe.settle();
    await runJob(AUG_5);
    await runJob('2026-08-06T06:00:00.000Z');
    await stripe.settle();

    const charges = chargesOf(dossierId, 2);
    expect(charges).toHaveLength(1);
    expect(charges[0]!.paymentIntent).toMatchObject({ amount: 5933, status: 'succeeded', off_session: true, metadata: { attempt: '1' } });
    const keys = new Set(
      stripe
        .calls()
        .filter((c) => c.path === '/v1/payment_intents' && (c.form.metadata as Record<string, string>).dossierId === dossierId)
        .map((c) => c.idempotencyKey),
    );
    expect(keys).toEqual(new Set([`instalment-${dossierId}-2-a1`]));
    const d = await dossierOf(dossierId);
    expect(d.payment.instalments!.map((i) => i.status)).toEqual(['paid', 'paid', 'scheduled']);
    expect(movementsOf(d).filter((m) => m.n === 2)).toEqual([expect.objectContaining({ reference: charges[0]!.paymentIntent.id, status: 'succeeded', amountCents: 5933 })]);

    // Stripe delivers the event again (a retry, an operator's resend): applied once.
    vi.setSystemTime(new Date(AUG_5));
    const delivered = charges[0]!.deliveries[0]!;
    expect(delivered).toMatchObject({ type: 'payment_intent.succeeded', status: 200 });
    const replay = await fetch(standin.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': delivered.signature },
      body: delivered.payload,
    });
    expect(replay.status).toBe(200);
    expect((await dossierOf(dossierId)).version).toBe(d.version);

    // Every movement audited, in the dossier's trail.
    const audit = (await dossierAuditTrail(dossierId)).map((e) => e.action);
    // (The charge's two entries share the job's instant: their order in the trail is not theirs to keep.)
    expect(audit.filter((a) => a.startsWith('money.')).sort()).toEqual(['money.instalment.pending', 'money.instalment.succeeded', 'money.instalment.succeeded']);
  });

  it('a declined part: failed and mailed, retried once 3 days later with a new key, then overdue and listed; the student pays it now by Checkout', async () => {
    const { dossierId, admission } = await enrolledOnPlan('declines_later');
    await runJob(AUG_5);
    await stripe.settle();
    let d = await dossierOf(dossierId);
    expect(d.payment.instalments![1]).toMatchObject({ status: 'failed', retryOn: '2026-08-08', failureCode: 'insufficient_funds' });
    const mail = await outboxJob(`instalment_failed#${dossierId}#2#a1`);
    expect(mail).toMatchObject({ template: 'instalment_failed', n: 2, amountCents: 5933, retryOn: '2026-08-08' });
    expect(mail.payUrl).toMatch(/\/termine\?echeance=2$/);

    await runJob('2026-08-07T06:00:00.000Z');
    await stripe.settle();
    expect(chargesOf(dossierId, 2)).toHaveLength(1);
    await runJob('2026-08-08T06:00:00.000Z');
    await stripe.settle();
    expect(chargesOf(dossierId, 2).map((c) => c.paymentIntent.metadata.attempt)).toEqual(['1', '2']);
    d = await dossierOf(dossierId);
    expect(d.payment.instalments![1]!.status).toBe('overdue');
    expect(await outboxJob(`instalment_failed#${dossierId}#2#a2`)).toMatchObject({ n: 2 });
    expect((await outboxJob(`instalment_failed#${dossierId}#2#a2`)).retryOn).toBeUndefined();
    await runJob('2026-08-20T06:00:00.000Z');
    await stripe.settle();
    expect(chargesOf(dossierId, 2)).toHaveLength(2);

    const listed = await asOperator(overdueList, { route: 'AdminOverdueInstalments', query: { year: '2026-2027' } });
    expect(listed.statusCode).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ dossierId, overdue: [expect.objectContaining({ n: 2, amountCents: 5933 })], overdueCents: 5933 }));

    // The student comes back (the next window is open) and pays it now with another card.
    vi.setSystemTime(new Date('2026-08-26T08:00:00Z'));
    const token = (await login(admission.identifier, admission.birthDate)).body.token as string;
    const now = await payPart(token, '2');
    expect(now.statusCode, JSON.stringify([now.body, stripe.calls().at(-1)])).toBe(201);
    expect(stripe.find(now.body.sessionId)!.session).toMatchObject({ amount_total: 5933, customer: d.payment.customerId, metadata: { instalment: '2' } });
    // Asked again while it is open and far from lapsing: the same session.
    expect((await payPart(token, '2')).body).toMatchObject({ sessionId: now.body.sessionId, reused: true });
    expect(await certificateIssueIds(dossierId)).toHaveLength(1);
    await stripe.pay(now.body.sessionId, 'succeeds');
    d = await dossierOf(dossierId);
    expect(d.payment.instalments!.map((i) => i.status)).toEqual(['paid', 'paid', 'scheduled']);
    // Paid by Checkout as by the job: the receipt is re-issued to list it.
    expect(await certificateIssueIds(dossierId)).toHaveLength(2);
    const afterPaid = await asOperator(overdueList, { route: 'AdminOverdueInstalments', query: { year: '2026-2027' } });
    expect(afterPaid.body.items.map((i: { dossierId: string }) => i.dossierId)).not.toContain(dossierId);
    // Paid: no second Checkout for it; part 3 is charged on its day, to the new card.
    expect((await payPart(token, '2')).body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED' });
    expect((await payPart(token, '7')).statusCode).toBe(404);
    const sept = await runJob('2026-09-05T06:00:00.000Z');
    await stripe.settle();
    expect(
      chargesOf(dossierId, 3).map((c) => c.paymentIntent.status),
      JSON.stringify([sept, (await dossierOf(dossierId)).payment]),
    ).toEqual(['succeeded']);
    expect((await dossierOf(dossierId)).payment.instalments!.map((i) => i.status)).toEqual(['paid', 'paid', 'paid']);

    // The ledger answers "was I charged?": every attempt, with its outcome.
    const ledger = movementsOf(await dossierOf(dossierId)).map((m) => [m.n, m.status]);
    expect(ledger).toEqual([
      [1, 'succeeded'],
      [2, 'failed'],
      [2, 'failed'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    const audited = (await dossierAuditTrail(dossierId)).filter((e) => e.action.startsWith('money.')).length;
    // Each movement audited at each status it took: 1 + (pending, failed) × 2 + 1 + (pending, succeeded).
    expect(audited).toBe(1 + 4 + 1 + 2);
  });
});

describe('the operators’ list of overdue parts', () => {
  it('goes through the whole year a page at a time, oldest due day first, each dossier once; a cursor is for its own year', async () => {
    const ours = [];
    for (let i = 0; i < 3; i++) ours.push((await enrolledOnPlan('declines_later')).dossierId);
    await runJob(AUG_5);
    await stripe.settle();
    await runJob('2026-08-08T06:00:00.000Z');
    await stripe.settle();

    const list = (query: Record<string, string>) => asOperator(overdueList, { route: 'AdminOverdueInstalments', query: { year: '2026-2027', ...query } });
    const seen: { dossierId: string; overdue: { dueOn: string }[] }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list({ limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.statusCode).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      expect(page.body.count).toBe(page.body.items.length);
      seen.push(...page.body.items);
      cursor = page.body.next;
      pages++;
    } while (cursor && pages < 50);
    expect(cursor).toBeNull();
    const ids = seen.map((i) => i.dossierId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(ours));
    const firstDue = seen.map((i) => i.overdue[0]!.dueOn);
    expect(firstDue).toEqual([...firstDue].sort());

    // One call with the default page size lists them all the same.
    expect((await list({})).body.items.map((i: { dossierId: string }) => i.dossierId)).toEqual(ids);

    // A cursor of 2026-2027 replayed on another year, and a bad page size: 422 naming the field.
    const first = (await list({ limit: '1' })).body.next as string;
    const otherYear = await asOperator(overdueList, { route: 'AdminOverdueInstalments', query: { year: '2027-2028', cursor: first } });
    expect(otherYear.statusCode).toBe(422);
    expect(Object.keys(otherYear.body.error.fields)).toEqual(['cursor']);
    const tooMany = await list({ limit: '101' });
    expect(tooMany.statusCode).toBe(422);
    expect(Object.keys(tooMany.body.error.fields)).toEqual(['limit']);
  });
});
