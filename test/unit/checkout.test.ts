import { describe, expect, it } from 'vitest';
import { draftDossier } from '../support/dossiers';
import {
  CHECKOUT_REUSE_MARGIN_MS,
  applyCheckoutEvent,
  applyCvec,
  applyIdentity,
  applyIne,
  applyProgramme,
  applySituation,
  cancelDossier,
  planCheckout,
  recordCheckout,
  recordOfficePayment,
  submitDossier,
  type CheckoutEvent,
  type Dossier,
  type FeesByYear,
} from '../../functions/domain/dossier';
import type { Scholarship } from '../../functions/domain/cvec';
import { checkoutExpiry } from '../../functions/payments/checkout';

const FEES: FeesByYear = { '2026-2027': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 } };
const NOW = new Date('2026-07-01T10:00:00Z');
const AT = NOW.toISOString();

function submitted(scholarship: Scholarship = 'none'): Dossier {
  let d = draftDossier({ at: AT, feesByYear: FEES, student: { lastName: 'Martin', firstName: 'Léa', birthDate: '2008-03-14' } });
  d = applyIdentity(d, { email: 'lea@example.org', phone: '+33612345678', address: { line1: '1 rue A', postalCode: '13003', city: 'Marseille', country: 'FR' } });
  d = applyIne(d, { ine: '1234567890V', format: 'bea' });
  d = applySituation(d, { regime: 'formation_initiale', scholarship }, FEES);
  d = applyCvec(d, { certificateNumber: 'AMU6123456', state: 75 });
  d = applyProgramme(d, { programmeCode: 'L1-INFO' }, FEES);
  return submitDossier(d, AT, FEES);
}

/** Awaiting payment, with checkout session `cs_1` recorded. */
const withCheckout = () => recordCheckout(submitted(), 'cs_1');

const paid = (over: Partial<CheckoutEvent> = {}): CheckoutEvent => ({
  eventId: 'evt_1',
  kind: 'paid',
  checkoutSessionId: 'cs_1',
  clientReferenceId: 'd-1',
  metadataDossierId: 'd-1',
  academicYear: '2026-2027',
  amountCents: 17800,
  currency: 'eur',
  reference: 'pi_1',
  at: AT,
  ...over,
});

const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

describe('planCheckout', () => {
  it('creates the first session of an awaiting-payment dossier', () => {
    expect(planCheckout(submitted(), undefined, NOW)).toEqual({ action: 'create', expireRecorded: false });
  });

  it('reuses the recorded session while it is open and not about to lapse', () => {
    expect(planCheckout(withCheckout(), { status: 'open', expiresAt: inMinutes(20) }, NOW)).toEqual({ action: 'reuse' });
  });

  it('replaces an open session about to lapse, closing it first', () => {
    const lapsing = new Date(NOW.getTime() + CHECKOUT_REUSE_MARGIN_MS).toISOString();
    expect(planCheckout(withCheckout(), { status: 'open', expiresAt: lapsing }, NOW)).toEqual({ action: 'create', expireRecorded: true });
  });

  it('replaces an expired or vanished session', () => {
    expect(planCheckout(withCheckout(), { status: 'expired', expiresAt: inMinutes(-1) }, NOW)).toEqual({ action: 'create', expireRecorded: false });
    expect(planCheckout(withCheckout(), undefined, NOW)).toEqual({ action: 'create', expireRecorded: false });
  });

  it('refuses a second session while a completed one is being confirmed', () => {
    expect(() => planCheckout(withCheckout(), { status: 'complete', expiresAt: inMinutes(20) }, NOW)).toThrow(expect.objectContaining({ reason: 'payment_processing' }));
  });

  it.each([
    ['pay_at_office', () => submitted('pending'), 'payment_pay_at_office'],
    ['enrolled', () => recordOfficePayment(submitted(), { kind: 'paid', reference: 'R-1', at: AT }, FEES), 'payment_already_done'],
    ['cancelled', () => cancelDossier(submitted(), { reason: 'Demande', at: AT }), 'payment_cancelled'],
  ] as const)('never lets a %s dossier pay online', (_status, make, reason) => {
    expect(() => planCheckout(make(), undefined, NOW)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('recordCheckout', () => {
  it('records the session once: the same session again changes nothing', () => {
    const d = withCheckout();
    expect(d.payment.checkoutSessionId).toBe('cs_1');
    expect(recordCheckout(d, 'cs_1')).toBe(d);
  });
});

describe('checkoutExpiry', () => {
  it.each(['2026-07-01T10:00:00.000Z', '2026-07-01T10:00:59.999Z', '2026-07-01T10:00:00.001Z'])('gives Stripe more than 30 minutes, on a whole minute (%s)', (iso) => {
    const now = new Date(iso);
    const expiry = checkoutExpiry(now);
    expect(expiry.getTime() % 60_000).toBe(0);
    expect(expiry.getTime() - now.getTime()).toBeGreaterThan(30 * 60_000);
    expect(expiry.getTime() - now.getTime()).toBeLessThanOrEqual(32 * 60_000);
  });

  it('is the same for every request within a minute (same idempotency key, same parameters)', () => {
    expect(checkoutExpiry(new Date('2026-07-01T10:00:00.001Z'))).toEqual(checkoutExpiry(new Date('2026-07-01T10:00:59.999Z')));
  });
});

describe('applyCheckoutEvent', () => {
  it('enrolls on a matching paid session, recording the payment and its session', () => {
    const out = applyCheckoutEvent(withCheckout(), paid());
    expect(out.effect).toBe('enrolled');
    expect(out.dossier).toMatchObject({ status: 'enrolled', enrolledAt: AT });
    expect(out.dossier.payment).toMatchObject({ status: 'paid', method: 'card', reference: 'pi_1', amountCents: 17800, paidAt: AT, checkoutSessionId: 'cs_1' });
  });

  it('changes nothing for the same payment again, whatever the event id', () => {
    const enrolled = applyCheckoutEvent(withCheckout(), paid()).dossier;
    expect(applyCheckoutEvent(enrolled, paid())).toEqual({ dossier: enrolled, effect: 'none' });
    expect(applyCheckoutEvent(enrolled, paid({ eventId: 'evt_resent' }))).toEqual({ dossier: enrolled, effect: 'none' });
  });

  it.each([
    ['another amount', paid({ amountCents: 100 }), 'payment_amount_mismatch'],
    ['no amount', paid({ amountCents: null }), 'payment_amount_mismatch'],
    ['another currency', paid({ currency: 'usd' }), 'payment_currency_mismatch'],
    ['another dossier in the metadata', paid({ metadataDossierId: 'd-2' }), 'payment_dossier_mismatch'],
    ['another client reference', paid({ clientReferenceId: 'd-2' }), 'payment_dossier_mismatch'],
    ['another academic year', paid({ academicYear: '2025-2026' }), 'payment_dossier_mismatch'],
  ] as const)('flags a payment with %s and does not enroll', (_what, event, reason) => {
    const d = withCheckout();
    const out = applyCheckoutEvent(d, event);
    expect(out.effect).toBe('anomaly');
    expect(out.dossier.status).toBe('awaiting_payment');
    expect(out.dossier.payment).toMatchObject({ status: 'due', anomalies: [{ reason, eventId: 'evt_1', checkoutSessionId: 'cs_1', reference: 'pi_1' }] });
    expect(applyCheckoutEvent(out.dossier, event)).toEqual({ dossier: out.dossier, effect: 'none' });
  });

  it('flags a second payment (another session) of an enrolled dossier for a refund', () => {
    const enrolled = applyCheckoutEvent(withCheckout(), paid()).dossier;
    const out = applyCheckoutEvent(enrolled, paid({ eventId: 'evt_2', checkoutSessionId: 'cs_2', reference: 'pi_2' }));
    expect(out.effect).toBe('anomaly');
    expect(out.dossier.payment).toMatchObject({ reference: 'pi_1', anomalies: [{ reason: 'payment_already_done', reference: 'pi_2' }] });
  });

  it('flags a payment of a cancelled dossier', () => {
    const cancelled = cancelDossier(withCheckout(), { reason: 'Demande', at: AT });
    const out = applyCheckoutEvent(cancelled, paid());
    expect(out).toMatchObject({ effect: 'anomaly', dossier: { status: 'cancelled', payment: { anomalies: [{ reason: 'payment_cancelled' }] } } });
  });

  it.each(['expired', 'failed'] as const)('%s: forgets the current session so a new one can be opened', (kind) => {
    const out = applyCheckoutEvent(withCheckout(), paid({ kind }));
    expect(out.effect).toBe('released');
    expect(out.dossier.payment.checkoutSessionId).toBeUndefined();
    expect(out.dossier.status).toBe('awaiting_payment');
  });

  it('expired for an older session changes nothing', () => {
    const d = recordCheckout(submitted(), 'cs_2');
    expect(applyCheckoutEvent(d, paid({ kind: 'expired' }))).toEqual({ dossier: d, effect: 'none' });
  });

  it('out of order: an expiry after the payment changes nothing; a payment after its expiry still enrolls', () => {
    const enrolled = applyCheckoutEvent(withCheckout(), paid()).dossier;
    expect(applyCheckoutEvent(enrolled, paid({ eventId: 'evt_2', kind: 'expired' }))).toEqual({ dossier: enrolled, effect: 'none' });

    const released = applyCheckoutEvent(withCheckout(), paid({ eventId: 'evt_0', kind: 'expired' })).dossier;
    expect(applyCheckoutEvent(released, paid())).toMatchObject({ effect: 'enrolled', dossier: { status: 'enrolled' } });
  });

  it('processing (an asynchronous method still settling) changes nothing', () => {
    const d = withCheckout();
    expect(applyCheckoutEvent(d, paid({ kind: 'processing' }))).toEqual({ dossier: d, effect: 'none' });
  });
});
