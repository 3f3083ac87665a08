import { describe, expect, it } from 'vitest';
import { awaitingCardPayment, draftDossier } from '../support/dossiers';
import {
  amountPaidCents,
  amountRefundedCents,
  changedMovements,
  completeOnlinePayment,
  dossierView,
  movementsOf,
  recordMovement,
  recordOfficePayment,
  amountSettledCents,
  settlementsOf,
  type Dossier,
  type PaymentAnomalyReason,
  type FeesByYear,
  type Movement,
} from '../../functions/domain/dossier';

const FEES: FeesByYear = { '2026-2027': { licence: 18000, master: 25600, doctorat: 40000, ingenieur: 63000 } };
const AT = '2026-07-01T10:00:00.000Z';

function awaiting(): Dossier {
  return awaitingCardPayment(draftDossier({ at: AT, feesByYear: FEES }), 18000);
}

const instalment = (n: number, reference: string, status: Movement['status'], amountCents = 6000): Movement => ({ kind: 'instalment', n, amountCents, at: AT, reference, status, method: 'card' });

describe('the money ledger', () => {
  it('records a card payment as one succeeded movement, shown in the dossier view', () => {
    const { dossier } = completeOnlinePayment(awaiting(), { reference: 'pi_1', amountCents: 18000, at: AT });
    expect(dossierView(dossier).movements).toEqual([{ kind: 'payment', amountCents: 18000, at: AT, reference: 'pi_1', status: 'succeeded', method: 'card' }]);
    expect(amountPaidCents(dossier)).toBe(18000);
  });

  it('records an office payment with its receipt number', () => {
    const d = recordOfficePayment({ ...awaiting(), status: 'pay_at_office' }, { kind: 'paid', reference: 'Q-42', at: AT }, FEES);
    expect(movementsOf(d)).toEqual([{ kind: 'payment', amountCents: 18000, at: AT, reference: 'Q-42', status: 'succeeded', method: 'office' }]);
  });

  it('shows a payment recorded before the ledger existed', () => {
    const d: Dossier = { ...awaiting(), status: 'enrolled', payment: { status: 'paid', method: 'card', reference: 'pi_old', amountCents: 18000, paidAt: AT } };
    expect(movementsOf(d)).toEqual([{ kind: 'payment', amountCents: 18000, at: AT, reference: 'pi_old', status: 'succeeded', method: 'card' }]);
  });

  it('keeps one entry per movement: recording it again updates its status, the same status changes nothing', () => {
    const pending = recordMovement(awaiting(), instalment(2, 'pi_2', 'pending'));
    expect(recordMovement(pending, instalment(2, 'pi_2', 'pending'))).toBe(pending);
    const later = { ...instalment(2, 'pi_2', 'succeeded'), at: '2026-08-05T08:00:00.000Z' };
    const paid = recordMovement(pending, later);
    expect(movementsOf(paid)).toEqual([{ ...instalment(2, 'pi_2', 'succeeded'), updatedAt: '2026-08-05T08:00:00.000Z' }]);
    expect(changedMovements(pending, paid)).toHaveLength(1);
    expect(changedMovements(paid, paid)).toEqual([]);
  });

  it('sums what was paid (succeeded charges only) and what is refunded or on its way back', () => {
    let d = awaiting();
    d = recordMovement(d, instalment(1, 'pi_1', 'succeeded', 6000));
    d = recordMovement(d, instalment(2, 'pi_2', 'failed'));
    d = recordMovement(d, instalment(2, 'pi_2b', 'pending'));
    d = recordMovement(d, { kind: 'refund', amountCents: 1000, at: AT, reference: 're_1', status: 'pending' });
    d = recordMovement(d, { kind: 'refund', amountCents: 500, at: AT, reference: 're_2', status: 'failed' });
    expect(amountPaidCents(d)).toBe(6000);
    expect(amountRefundedCents(d)).toBe(1000);
  });

  it('tells the charges that settled the fees from money received for nothing, which a refund still gives back', () => {
    let d = awaiting();
    d = recordMovement(d, instalment(1, 'pi_1', 'succeeded'));
    d = recordMovement(d, instalment(2, 'pi_2', 'failed'));
    d = recordMovement(d, instalment(2, 'pi_2b', 'succeeded'));
    // Part 2 charged a second time (paid by Checkout meanwhile): flagged for the operators.
    d = recordMovement(d, instalment(2, 'pi_2c', 'succeeded'));
    d = recordMovement(d, instalment(3, 'pi_3', 'pending'));
    d = recordMovement(d, { kind: 'refund', amountCents: 6000, at: AT, reference: 're_1', status: 'succeeded' });
    const anomaly = (reason: PaymentAnomalyReason, reference: string) => ({ reason, eventId: `evt_${reference}`, checkoutSessionId: '', reference, amountCents: 6000, currency: 'eur', at: AT });
    // A refund's anomaly may name the payment it gives back: that payment did settle the fees.
    d = { ...d, payment: { ...d.payment, anomalies: [anomaly('payment_already_done', 'pi_2c'), anomaly('refund_at_office', 'pi_1')] } };
    expect(settlementsOf(d).map((m) => m.reference)).toEqual(['pi_1', 'pi_2b']);
    expect(amountSettledCents(d)).toBe(12000);
    expect(amountPaidCents(d)).toBe(18000);
  });
});
