/**
 * The whole journey through the local runtime, over HTTP: login → steps → submit → payment →
 * the stand-in checkout page → Pay → the signed webhook through the local API Gateway →
 * `enrolled`; then the very same signed event replayed, changing nothing more.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { outboxKey } from '../../functions/adapters/dynamo/outbox';
import { academicYearAt } from '../../functions/domain/windows';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import type { Delivery } from '../../scripts/local/stripe-standin';
import { eventually } from '../support/eventually';

let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocal({ port: 0, adminToken: 'payment-journey-admin-token-0123456789' });
});
afterAll(async () => {
  await rt?.stop();
});

describe('paying through the local runtime', () => {
  it('a student pays on the stand-in page and is enrolled; replaying the signed event changes nothing more', async () => {
    let token = '';
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${rt.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      token = res.headers.get('x-session-token') ?? token;
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    // The seeded demo student who pays online (scripts/local/seed.ts).
    const login = await call('POST', '/api/session', { identifier: 'P261234567', birthDate: '2008-03-14' });
    expect(login.status).toBe(201);
    token = login.body.token;
    const campaignDigit = academicYearAt(new Date(), 'Europe/Paris').slice(3, 4);
    const steps: [string, unknown][] = [
      ['identity', { email: 'lea.martin@example.org', phone: '0612345678', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } }],
      ['ine', { ine: '1234567890V' }],
      ['situation', { regime: 'formation_initiale', scholarship: 'none' }],
      ['cvec', { certificateNumber: `AMU${campaignDigit}123456` }],
      ['programme', { programmeCode: 'L1-INFO' }],
    ];
    for (const [step, body] of steps) expect((await call('PUT', `/api/dossier/${step}`, body)).status, step).toBe(200);
    const submitted = await call('POST', '/api/dossier/submit');
    expect(submitted.body).toMatchObject({ status: 'awaiting_payment', fees: { amountCents: 17800, currency: 'EUR' } });
    const dossierId = submitted.body.id as string;

    const payment = await call('POST', '/api/dossier/payment');
    expect(payment.status).toBe(201);
    const { checkoutUrl, sessionId } = payment.body;
    expect(checkoutUrl).toBe(`${rt.url}/dev/checkout/${sessionId}`);

    const page = await fetch(checkoutUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Payer 178,00\s€/u);

    const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${rt.url}/paiement/retour?session_id=${sessionId}`);

    const enrolled = await call('GET', '/api/dossier');
    expect(enrolled.body).toMatchObject({ status: 'enrolled', payment: { status: 'paid', method: 'card', amountCents: 17800 } });

    // Stripe's retries, or an operator resending from the dashboard: the same bytes, the same signature.
    const { deliveries } = (await (await fetch(`${checkoutUrl}?format=json`)).json()) as { deliveries: Delivery[] };
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ type: 'checkout.session.completed', status: 200 });
    for (let i = 0; i < 5; i++) {
      const replay = await fetch(`${rt.url}/api/payments/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': deliveries[0]!.signature },
        body: deliveries[0]!.payload,
      });
      expect(replay.status).toBe(200);
    }
    expect((await call('GET', '/api/dossier')).body).toEqual(enrolled.body);
    const synthesis = await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(`synthesis#${dossierId}`), ConsistentRead: true }));
    expect(synthesis.Item).toMatchObject({ template: 'synthesis' });
    const mails = await eventually(
      async () => ((await (await fetch(`${rt.url}/dev/mail?format=json`)).json()) as { items: { to: string[]; subject: string }[] }).items.filter((m) => m.to.includes('lea.martin@example.org')),
      (items) => items.length >= 2,
    );
    // One synthesis mail and one receipt, however many times the event came.
    expect(mails.map((m) => m.subject).sort()).toEqual([expect.stringMatching(/^Reçu de paiement/), expect.stringMatching(/inscription administrative .* validée/)]);

    // The session is spent: paying it again is refused, and the dossier asks for nothing more.
    expect((await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    expect((await call('POST', '/api/dossier/payment')).body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_already_done' });
  });
});
