/**
 * Dossiers for the domain's unit tests, built by the domain's own functions: a new one, and one
 * whose fees are due by card (what every payment, instalment and withdrawal test starts from).
 */
import { newDossier, type Dossier, type FeesByYear, type Level } from '../../functions/domain/dossier';

/** A draft dossier of 2026-2027 in L1-INFO, created at `at`. */
export function draftDossier(o: { at: string; feesByYear: FeesByYear; level?: Level; id?: string; student?: Dossier['student'] }): Dossier {
  return newDossier({
    id: o.id ?? 'd-1',
    identifier: 'P261234567',
    academicYear: '2026-2027',
    student: o.student ?? { lastName: 'L', firstName: 'E', birthDate: '2005-03-21' },
    programmeCode: 'L1-INFO',
    level: o.level ?? 'licence',
    now: o.at,
    feesByYear: o.feesByYear,
  });
}

/** The same, submitted with `amountCents` of standard fees to pay by card. */
export function awaitingCardPayment(d: Dossier, amountCents: number): Dossier {
  return { ...d, status: 'awaiting_payment', fees: { amountCents, currency: 'EUR', exempt: false, reason: 'standard' }, payment: { status: 'due', method: 'card', amountCents } };
}
