/**
 * Issue 11 "Proof before privilege": what waives money must be proven. Handlers against
 * DynamoDB Local: a declared granted scholarship, the operators' decision on it, the
 * exchange-student regime, and the list of payment anomalies.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feesByYear } from '../../config/catalogue';
import { dossierAuditTrail, getDossier } from '../../functions/adapters/dynamo/dossiers';
import { handler as importAdmissions } from '../../functions/admin/import-admissions';
import { handler as scholarship } from '../../functions/admin/scholarship';
import { ADMISSION_FIELDS } from '../../functions/domain/admission';
import { handler as payment } from '../../functions/steps/payment';
import { handler as situation } from '../../functions/steps/situation';
import { httpEvent, invoke } from '../support/events';
import { LEA } from '../support/fixtures';
import { asOperator, OPERATOR, outboxJob, studentThroughWizard } from '../support/operators';
import { login } from '../support/students';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
/** L1-INFO's national rate for 2026-2027 (config/catalogue.ts). */
const RATE = feesByYear['2026-2027']!.licence;
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const review = (id: string, body: unknown, lang?: 'fr' | 'en') => asOperator(scholarship, { method: 'POST', id, body, lang });
const pay = (token: string) => invoke(payment, httpEvent({ method: 'POST', path: '/api/dossier/payment', token }));

/** A granted scholarship declared by the student, whose CVEC certificate does not prove it (state 75). */
const declaredOnly = () => studentThroughWizard({ scholarship: 'granted', submit: true, cvecState: 75 });

describe('point 1: a declared granted scholarship', () => {
  it('does not enroll at 0 €: scholarship_to_verify, and no online payment (409 PAYMENT_NOT_ALLOWED)', async () => {
    const { dossier, token } = await declaredOnly();
    expect(dossier).toMatchObject({ status: 'scholarship_to_verify', fees: { amountCents: RATE, exempt: false, reason: 'scholarship_to_verify' } });
    const res = await pay(token);
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PAYMENT_NOT_ALLOWED', reason: 'payment_scholarship_to_verify' });
  });

  it('proven by the CVEC API (state 71, scholarship holder) enrolls at 0 €', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'granted', submit: true, cvecState: 71 });
    expect(dossier).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, reason: 'scholarship_granted' }, payment: { method: 'scholarship' } });
  });

  it('refused by an operator → awaiting_payment, with a mail; the student may then pay online', async () => {
    const { dossier } = await declaredOnly();
    const res = await review(dossier.id, { decision: 'refused', reason: 'Notification CROUS absente' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'awaiting_payment', payment: { status: 'due', method: 'card', amountCents: RATE } });
    expect(await outboxJob(`scholarship_refused#${dossier.id}`)).toMatchObject({ template: 'scholarship_refused', to: ['lea.martin@example.org'] });
    expect((await dossierAuditTrail(dossier.id)).map((e) => [e.actor, e.action])).toEqual([[OPERATOR, 'dossier.scholarship_refused']]);
    // The same decision again changes nothing (a retried click).
    expect((await review(dossier.id, { decision: 'refused', reason: 'Notification CROUS absente' })).body.version).toBe(res.body.version);
  });

  it('confirmed by an operator → enrolled at 0 € with the synthesis mail', async () => {
    const { dossier } = await declaredOnly();
    const res = await review(dossier.id, { decision: 'confirmed', reason: 'Notification CROUS vue' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, exempt: true }, payment: { status: 'not_required', method: 'scholarship' } });
    expect(await outboxJob(`synthesis#${dossier.id}`)).toMatchObject({ template: 'synthesis' });
  });

  // Confirmed after a card payment: the full refund is made (test/handlers/withdrawal.test.ts, with the Stripe stand-in).

  it('refuses a decision on a dossier with no declared granted scholarship', async () => {
    const { dossier } = await studentThroughWizard({ scholarship: 'none', submit: true });
    const res = await review(dossier.id, { decision: 'confirmed', reason: 'Par erreur' }, 'en');
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('SCHOLARSHIP_NOT_DECLARED');
    expect((await getDossier(dossier.id))?.status).toBe('awaiting_payment');
  });
});

describe('point 2: echange_accueil only for admitted exchange students', () => {
  const csvOf = (rows: Record<string, string>[]) => {
    const fields = [...ADMISSION_FIELDS];
    return `${fields.join(';')}\r\n${rows.map((r) => fields.map((f) => r[f] ?? '').join(';')).join('\r\n')}\r\n`;
  };

  it('422 naming the regime without the admission field; accepted (no fees, no CVEC) when the CSV column says so', async () => {
    const row = (identifier: string, exchangeStudent: string) => ({ ...LEA, identifier, exchangeStudent });
    const csv = csvOf([row('P269990001', 'oui'), row('P269990002', '')]);
    const imported = await asOperator(importAdmissions, { method: 'POST', rawBody: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    expect(imported.statusCode, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.rejected).toEqual([]);

    const exchange = await login('P269990001', LEA.birthDate);
    const regular = await login('P269990002', LEA.birthDate);
    const put = (token: string) => invoke(situation, httpEvent({ method: 'PUT', token, body: { regime: 'echange_accueil', scholarship: 'none' } }));

    const refused = await put(regular.body.token);
    expect(refused.statusCode).toBe(422);
    expect(Object.keys(refused.body.error.fields)).toEqual(['regime']);
    expect(refused.body.error.reasons).toEqual({ regime: 'regime_exchange_not_admitted' });

    const accepted = await put(exchange.body.token);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toMatchObject({ fees: { amountCents: 0, exempt: true, reason: 'exchange_programme' }, steps: { cvec: { status: 'done', required: false } } });
  });
});
