import { describe, expect, it } from 'vitest';
import {
  DomainError,
  DossierStatus,
  STEP_ORDER,
  applyCvec,
  applyIdentity,
  applyIne,
  applyNoIne,
  applyProgramme,
  applySituation,
  assertEditable,
  assignProvisionalIne,
  canTransition,
  cancelDossier,
  completeOnlinePayment,
  computeFees,
  dossierView,
  missingSteps,
  newDossier,
  nextStep,
  onlinePaymentAllowed,
  recordCheckout,
  recordOfficePayment,
  submitDossier,
  feeDecision,
  reviewScholarship,
  type Dossier,
  type FeesByYear,
  type Level,
} from '../../functions/domain/dossier';
import type { Regime, Scholarship } from '../../functions/domain/cvec';

/** 2025-26 national rates (cents); 2026-27 made different on purpose to see the year matter. */
const FEES: FeesByYear = {
  '2025-2026': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 },
  '2026-2027': { licence: 18000, master: 25600, doctorat: 40000, ingenieur: 63000 },
};
const NOW = '2026-06-24T09:00:00+02:00';

function draft(level: Level = 'licence', academicYear = '2026-2027'): Dossier {
  return newDossier({
    id: 'd-1',
    identifier: 'P261234567',
    academicYear,
    student: { lastName: 'Lefèvre', firstName: 'Élodie', birthDate: '2005-03-21' },
    programmeCode: 'L1-INFO',
    level,
    now: NOW,
    feesByYear: FEES,
  });
}

const identity = {
  email: 'elodie@example.org',
  phone: '+33612345678',
  address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' },
};

/** A draft with every step done for the given situation. */
function complete(regime: Regime = 'formation_initiale', scholarship: Scholarship = 'none', level: Level = 'licence', cvecState = 75): Dossier {
  let d: Dossier = { ...draft(level), exchangeStudent: regime === 'echange_accueil' };
  d = applyIdentity(d, identity);
  d = applyIne(d, { ine: '1234567890V', format: 'bea' });
  d = applySituation(d, { regime, scholarship }, FEES);
  d = applyCvec(d, { certificateNumber: 'AIX6ABC123', state: cvecState });
  d = applyProgramme(d, { programmeCode: 'L1-INFO' }, FEES);
  return d;
}

function withStatus(status: DossierStatus, base: Dossier = complete()): Dossier {
  return { ...base, status };
}

describe('canTransition', () => {
  const allowed: Array<[DossierStatus, DossierStatus]> = [
    ['draft', 'submitted'],
    ['submitted', 'awaiting_payment'],
    ['submitted', 'pay_at_office'],
    ['submitted', 'enrolled'],
    ['submitted', 'scholarship_to_verify'],
    ['scholarship_to_verify', 'enrolled'],
    ['scholarship_to_verify', 'awaiting_payment'],
    ['scholarship_to_verify', 'cancelled'],
    ['awaiting_payment', 'enrolled'],
    ['pay_at_office', 'enrolled'],
    ['draft', 'cancelled'],
    ['submitted', 'cancelled'],
    ['awaiting_payment', 'cancelled'],
    ['pay_at_office', 'cancelled'],
    ['enrolled', 'cancelled'],
    ['enrolled', 'withdrawn'],
    ['enrolled', 'withdrawal_requested'],
    ['withdrawal_requested', 'withdrawn'],
    ['withdrawal_requested', 'cancelled'],
    ['withdrawn', 'cancelled'],
  ];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('forbids every other pair', () => {
    const all = DossierStatus.options;
    const forbidden = all.flatMap((from) => all.map((to) => [from, to] as const)).filter(([f, t]) => !allowed.some(([a, b]) => a === f && b === t));
    expect(forbidden).toHaveLength(all.length * all.length - allowed.length);
    for (const [from, to] of forbidden) expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
  });

  it.each([
    ['draft', 'enrolled'],
    ['draft', 'awaiting_payment'],
    ['awaiting_payment', 'pay_at_office'],
    ['pay_at_office', 'awaiting_payment'],
    ['enrolled', 'draft'],
    ['cancelled', 'draft'],
    ['cancelled', 'cancelled'],
    ['cancelled', 'enrolled'],
  ] as const)('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});

describe('nextStep and missingSteps', () => {
  it('walks the wizard in order, then the summary, then nothing after submit', () => {
    let d = draft();
    expect(nextStep(d)).toBe('identity');
    expect(missingSteps(d)).toEqual([...STEP_ORDER]);

    d = applyIdentity(d, identity);
    expect(nextStep(d)).toBe('ine');
    d = applyIne(d, { ine: '1234567890V', format: 'bea' });
    expect(nextStep(d)).toBe('situation');
    d = applySituation(d, { regime: 'formation_initiale', scholarship: 'none' }, FEES);
    expect(nextStep(d)).toBe('cvec');
    d = applyCvec(d, { certificateNumber: 'AIX6ABC123', state: 70 });
    expect(nextStep(d)).toBe('programme');
    d = applyProgramme(d, { programmeCode: 'L1-INFO' }, FEES);
    expect(nextStep(d)).toBe('summary');
    expect(missingSteps(d)).toEqual([]);

    d = submitDossier(d, NOW, FEES);
    expect(nextStep(d)).toBeNull();
    expect(dossierView(d).nextStep).toBeNull();
  });

  it.each(['formation_continue', 'contrat_professionnalisation', 'echange_accueil'] as const)('skips the cvec step for %s (done, required:false)', (regime) => {
    let d = applyIne(applyIdentity({ ...draft(), exchangeStudent: true }, identity), { ine: '1234567890V', format: 'bea' });
    d = applySituation(d, { regime, scholarship: 'none' }, FEES);
    expect(d.steps.cvec).toEqual({ status: 'done', required: false });
    expect(nextStep(d)).toBe('programme');
  });

  it.each(['formation_initiale', 'reprise_etudes_non_financee', 'apprentissage', 'ifsi', 'cpge'] as const)('asks for the cvec step for %s', (regime) => {
    const d = applySituation(draft(), { regime, scholarship: 'none' }, FEES);
    expect(d.steps.cvec).toEqual({ status: 'todo', required: true });
    expect(missingSteps(d)).toEqual(['identity', 'ine', 'cvec', 'programme']);
  });

  it('re-evaluates the cvec step when the regime changes', () => {
    let d = applySituation(draft(), { regime: 'formation_continue', scholarship: 'none' }, FEES);
    expect(d.steps.cvec.status).toBe('done');
    // Now a regime that requires it, with no certificate given → todo.
    d = applySituation(d, { regime: 'formation_initiale', scholarship: 'none' }, FEES);
    expect(d.steps.cvec).toEqual({ status: 'todo', required: true });
    // Certificate given, then a regime that does not require it: done, certificate kept.
    d = applyCvec(d, { certificateNumber: 'AIX6ABC123', state: 73 });
    d = applySituation(d, { regime: 'contrat_professionnalisation', scholarship: 'none' }, FEES);
    expect(d.steps.cvec).toEqual({ status: 'done', required: false, certificateNumber: 'AIX6ABC123', state: 73 });
    // And back: still done with the kept certificate.
    d = applySituation(d, { regime: 'cpge', scholarship: 'none' }, FEES);
    expect(d.steps.cvec).toEqual({ status: 'done', required: true, certificateNumber: 'AIX6ABC123', state: 73 });
  });

  it('counts a stored cvec "done" without certificate as missing when the regime requires it', () => {
    const d = applySituation(draft(), { regime: 'formation_initiale', scholarship: 'none' }, FEES);
    const tampered: Dossier = { ...d, steps: { ...d.steps, cvec: { status: 'done', required: false } } };
    expect(missingSteps(tampered)).toContain('cvec');
  });
});

describe('computeFees', () => {
  it.each([
    // [level, year, scholarship, amountCents, exempt, reason]
    ['licence', '2025-2026', 'none', 17800, false, 'standard'],
    ['master', '2025-2026', 'none', 25400, false, 'standard'],
    ['doctorat', '2025-2026', 'none', 39700, false, 'standard'],
    ['ingenieur', '2025-2026', 'none', 62800, false, 'standard'],
    ['licence', '2026-2027', 'none', 18000, false, 'standard'],
    ['master', '2026-2027', 'pending', 25600, false, 'scholarship_pending'],
    ['doctorat', '2026-2027', 'pending', 40000, false, 'scholarship_pending'],
    // Declared, not proven: the amount stays due until the CVEC API or an operator proves it.
    ['licence', '2025-2026', 'granted', 17800, false, 'scholarship_to_verify'],
    ['ingenieur', '2026-2027', 'granted', 63000, false, 'scholarship_to_verify'],
  ] as const)('%s %s scholarship %s → %i cents', (level, academicYear, scholarship, amountCents, exempt, reason) => {
    expect(computeFees({ level, academicYear, scholarship, feesByYear: FEES })).toEqual({ amountCents, currency: 'EUR', exempt, reason });
  });

  it('exempts a granted scholarship proven by the CVEC API (state 71) or confirmed by an operator; refused → standard', () => {
    const base = { level: 'licence', academicYear: '2026-2027', scholarship: 'granted', feesByYear: FEES } as const;
    expect(feeDecision({ ...base, cvecState: 71 })).toMatchObject({ outcome: 'enrolled', fees: { amountCents: 0, exempt: true, reason: 'scholarship_granted' } });
    expect(feeDecision({ ...base, cvecState: 75, review: 'confirmed' })).toMatchObject({ outcome: 'enrolled', payment: { status: 'not_required', method: 'scholarship' } });
    expect(feeDecision({ ...base, cvecState: 75 })).toMatchObject({ outcome: 'scholarship_to_verify', payment: { status: 'due_at_office', amountCents: 18000 } });
    expect(feeDecision({ ...base, review: 'refused' })).toMatchObject({ outcome: 'awaiting_payment', fees: { reason: 'standard' }, payment: { status: 'due', method: 'card' } });
  });

  it('exempts incoming exchange students (they pay their home institution)', () => {
    expect(computeFees({ level: 'master', academicYear: '2026-2027', scholarship: 'none', regime: 'echange_accueil', feesByYear: FEES })).toEqual({
      amountCents: 0,
      currency: 'EUR',
      exempt: true,
      reason: 'exchange_programme',
    });
  });

  it.each([
    ['licence', '2030-2031'],
    ['licence', '__proto__'],
    ['toString', '2025-2026'],
  ])('throws fee_rate_missing for %s %s', (level, academicYear) => {
    expect(() => computeFees({ level: level as Level, academicYear, scholarship: 'none', feesByYear: FEES })).toThrow(expect.objectContaining({ reason: 'fee_rate_missing' }));
  });
});

describe('submit', () => {
  it.each([
    // [regime, scholarship, outcome, payment]
    ['formation_initiale', 'none', 'awaiting_payment', { status: 'due', method: 'card', amountCents: 18000 }],
    ['formation_initiale', 'pending', 'pay_at_office', { status: 'due_at_office', method: 'office', amountCents: 18000 }],
    ['formation_initiale', 'granted', 'scholarship_to_verify', { status: 'due_at_office', method: 'office', amountCents: 18000 }],
    ['formation_continue', 'granted', 'scholarship_to_verify', { status: 'due_at_office', method: 'office', amountCents: 18000 }],
    ['echange_accueil', 'none', 'enrolled', { status: 'not_required', method: 'exempt' }],
    ['formation_continue', 'none', 'awaiting_payment', { status: 'due', method: 'card', amountCents: 18000 }],
  ] as const)('%s with scholarship %s → %s', (regime, scholarship, outcome, payment) => {
    const d = complete(regime, scholarship);
    const s = submitDossier(d, NOW, FEES);
    expect(s.status).toBe(outcome);
    expect(s.submittedAt).toBe(NOW);
    expect(s.payment).toEqual(payment);
    expect(s.enrolledAt).toBe(outcome === 'enrolled' ? NOW : undefined);
  });

  it('a granted scholarship proven by the CVEC certificate (state 71) enrolls at 0 €', () => {
    const s = submitDossier(complete('formation_initiale', 'granted', 'licence', 71), NOW, FEES);
    expect(s).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, reason: 'scholarship_granted' }, payment: { status: 'not_required', method: 'scholarship' } });
  });

  it('echange_accueil only for an admitted exchange student (regime_exchange_not_admitted)', () => {
    expect(() => applySituation(draft(), { regime: 'echange_accueil', scholarship: 'none' }, FEES)).toThrow(expect.objectContaining({ reason: 'regime_exchange_not_admitted' }));
  });

  it('operator review: refused → awaiting_payment (card), confirmed → enrolled, confirmed after a card payment → full refund, still enrolled', () => {
    const toVerify = submitDossier(complete('formation_initiale', 'granted'), NOW, FEES);
    const review = { reason: 'notification CROUS', by: 'op', at: NOW };
    const refused = reviewScholarship(toVerify, { ...review, decision: 'refused' }, FEES).dossier;
    expect(refused).toMatchObject({ status: 'awaiting_payment', payment: { status: 'due', method: 'card', amountCents: 18000 } });
    const confirmed = reviewScholarship(toVerify, { ...review, decision: 'confirmed' }, FEES).dossier;
    expect(confirmed).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, exempt: true }, payment: { status: 'not_required', method: 'scholarship' } });
    const paid: Dossier = { ...refused, status: 'enrolled', payment: { status: 'paid', method: 'card', reference: 'pi_1', amountCents: 18000, checkoutSessionId: 'cs_1', paidAt: NOW } };
    const late = reviewScholarship(paid, { ...review, decision: 'confirmed' }, FEES);
    expect(late.refunds).toMatchObject([{ cause: 'scholarship', paymentReference: 'pi_1', amountCents: 18000, status: 'requested' }]);
    expect(late.dossier).toMatchObject({ status: 'enrolled', fees: { amountCents: 0, reason: 'scholarship_granted' } });
    expect(reviewScholarship(late.dossier, { ...review, decision: 'confirmed' }, FEES).dossier).toBe(late.dossier);
  });

  it('refuses an incomplete dossier, naming the missing steps', () => {
    const d = applyIdentity(draft(), identity);
    expect(() => submitDossier(d, NOW, FEES)).toThrow(expect.objectContaining({ reason: 'incomplete', details: { missing: ['ine', 'situation', 'cvec', 'programme'] } }));
  });

  it('refuses a second submit (step_locked)', () => {
    const s = submitDossier(complete(), NOW, FEES);
    expect(() => submitDossier(s, NOW, FEES)).toThrow(expect.objectContaining({ reason: 'step_locked' }));
  });

  it('does not change the version (the store owns it)', () => {
    expect(submitDossier(complete(), NOW, FEES).version).toBe(0);
  });
});

describe('assertEditable and locked steps', () => {
  it('lets a draft be edited', () => {
    expect(() => assertEditable(draft())).not.toThrow();
  });

  it.each(['submitted', 'awaiting_payment', 'pay_at_office', 'scholarship_to_verify', 'enrolled', 'cancelled'] as const)('locks every step once %s', (status) => {
    const d = withStatus(status);
    expect(() => assertEditable(d)).toThrow(DomainError);
    const edits: Array<() => unknown> = [
      () => applyIdentity(d, identity),
      () => applyIne(d, { ine: '1234567890V', format: 'bea' }),
      () => applyNoIne(d, { noFrenchBac: true, neverEnrolledInFrenchUniversity: true, provisionalIne: '0226D00001U' }),
      () => assignProvisionalIne(d, '0226D00001U'),
      () => applySituation(d, { regime: 'cpge', scholarship: 'none' }, FEES),
      () => applyCvec(d, { certificateNumber: 'AIX6ABC123', state: 75 }),
      () => applyProgramme(d, { programmeCode: 'L1-INFO' }, FEES),
    ];
    // A cancelled dossier says so (not "already submitted").
    for (const edit of edits) expect(edit).toThrow(expect.objectContaining({ reason: status === 'cancelled' ? 'dossier_cancelled' : 'step_locked' }));
  });
});

describe('step rules', () => {
  it('accepts "no INE" only with no French bac and never enrolled', () => {
    const ok = applyNoIne(draft(), { noFrenchBac: true, neverEnrolledInFrenchUniversity: true, provisionalIne: '0226D00001U' });
    expect(ok.steps.ine).toMatchObject({ status: 'done', ine: '0226D00001U', format: 'provisional', source: 'no_ine_declaration' });
    expect(() => applyNoIne(draft(), { noFrenchBac: true, neverEnrolledInFrenchUniversity: false, provisionalIne: '0226D00001U' })).toThrow(
      expect.objectContaining({ reason: 'ine_no_ine_not_allowed' }),
    );
  });

  it('records an operator-generated provisional INE', () => {
    expect(assignProvisionalIne(draft(), '0226D00002V').steps.ine).toEqual({ status: 'done', ine: '0226D00002V', format: 'provisional', source: 'operator' });
  });

  it('keeps the first provisional INE a dossier was given, through a real INE and back', () => {
    const NO_INE = { noFrenchBac: true, neverEnrolledInFrenchUniversity: true };
    const declared = applyNoIne(draft(), { ...NO_INE, provisionalIne: '0226D00001U' });
    expect(declared.provisionalIne).toBe('0226D00001U');
    const real = applyIne(declared, { ine: '1234567890V', format: 'bea' });
    expect(real).toMatchObject({ provisionalIne: '0226D00001U', steps: { ine: { ine: '1234567890V', source: 'student' } } });
    expect(applyNoIne(real, { ...NO_INE, provisionalIne: '0226D00002V' }).steps.ine.ine).toBe('0226D00001U');
    expect(assignProvisionalIne(real, '0226D00002V').steps.ine).toMatchObject({ ine: '0226D00001U', source: 'operator' });
    expect(applyNoIne(assignProvisionalIne(draft(), '0226D00003W'), { ...NO_INE, provisionalIne: '0226D00004X' }).steps.ine.ine).toBe('0226D00003W');
  });

  it.each([98, 0, 72])('refuses a CVEC certificate in state %i', (state) => {
    expect(() => applyCvec(draft(), { certificateNumber: 'AIX6ABC123', state })).toThrow(expect.objectContaining({ reason: 'cvec_state_invalid' }));
  });

  it('confirms only the admitted programme', () => {
    expect(applyProgramme(draft(), { programmeCode: 'L1-INFO' }, FEES).steps.programme).toEqual({ status: 'done', programmeCode: 'L1-INFO' });
    expect(() => applyProgramme(draft(), { programmeCode: 'M1-INFO' }, FEES)).toThrow(expect.objectContaining({ reason: 'programme_not_admitted' }));
  });

  it('recomputes fees when the scholarship changes', () => {
    let d = draft('master');
    expect(d.fees).toEqual({ amountCents: 25600, currency: 'EUR', exempt: false, reason: 'standard' });
    d = applySituation(d, { regime: 'formation_initiale', scholarship: 'granted' }, FEES);
    expect(d.fees).toEqual({ amountCents: 25600, currency: 'EUR', exempt: false, reason: 'scholarship_to_verify' });
    d = applySituation(d, { regime: 'formation_initiale', scholarship: 'pending' }, FEES);
    expect(d.fees).toEqual({ amountCents: 25600, currency: 'EUR', exempt: false, reason: 'scholarship_pending' });
  });

  it('does not mutate its input', () => {
    const d = draft();
    const before = JSON.stringify(d);
    applySituation(applyIdentity(d, identity), { regime: 'cpge', scholarship: 'pending' }, FEES);
    expect(JSON.stringify(d)).toBe(before);
  });
});

describe('payment', () => {
  const awaiting = () => submitDossier(complete(), NOW, FEES);
  const atOffice = () => submitDossier(complete('formation_initiale', 'pending'), NOW, FEES);

  it.each([
    ['awaiting_payment', { ok: true, amountCents: 18000 }],
    ['pay_at_office', { ok: false, reason: 'payment_pay_at_office' }],
    ['enrolled', { ok: false, reason: 'payment_already_done' }],
    ['cancelled', { ok: false, reason: 'payment_cancelled' }],
    ['draft', { ok: false, reason: 'payment_not_due' }],
    ['submitted', { ok: false, reason: 'payment_not_due' }],
  ] as const)('online payment for a %s dossier → %j', (status, expected) => {
    expect(onlinePaymentAllowed(withStatus(status, awaiting()))).toEqual(expected);
  });

  it('never lets a pay-at-office dossier open a checkout', () => {
    expect(() => recordCheckout(atOffice(), 'cs_test_1')).toThrow(expect.objectContaining({ reason: 'payment_pay_at_office' }));
    expect(recordCheckout(awaiting(), 'cs_test_1').payment.checkoutSessionId).toBe('cs_test_1');
  });

  it('enrolls on a confirmed card payment, once', () => {
    const first = completeOnlinePayment(awaiting(), { reference: 'pi_1', amountCents: 18000, at: NOW });
    expect(first.changed).toBe(true);
    expect(first.dossier.status).toBe('enrolled');
    expect(first.dossier.payment).toMatchObject({ status: 'paid', method: 'card', reference: 'pi_1', amountCents: 18000 });
    const again = completeOnlinePayment(first.dossier, { reference: 'pi_1', amountCents: 18000, at: '2026-06-25T10:00:00Z' });
    expect(again).toEqual({ dossier: first.dossier, changed: false });
  });

  it.each([
    ['cancelled', 18000, 'payment_cancelled'],
    ['pay_at_office', 18000, 'payment_pay_at_office'],
    ['awaiting_payment', 100, 'payment_amount_mismatch'],
  ] as const)('ignores a card payment for a %s dossier (%i cents) and says why', (status, amountCents, reason) => {
    const d = withStatus(status, awaiting());
    expect(completeOnlinePayment(d, { reference: 'pi_2', amountCents, at: NOW })).toEqual({ dossier: d, changed: false, reason });
  });

  it('records an office payment for a pay-at-office dossier', () => {
    const d = recordOfficePayment(atOffice(), { kind: 'paid', reference: 'REC-42', at: NOW }, FEES);
    expect(d.status).toBe('enrolled');
    expect(d.payment).toMatchObject({ status: 'paid', method: 'office', reference: 'REC-42', amountCents: 18000 });
  });

  it('records a granted scholarship at the office: exempt and enrolled', () => {
    const d = recordOfficePayment(atOffice(), { kind: 'scholarship_granted', reference: 'CROUS-7', at: NOW }, FEES);
    expect(d.status).toBe('enrolled');
    expect(d.steps.situation.scholarship).toBe('granted');
    expect(d.fees).toEqual({ amountCents: 0, currency: 'EUR', exempt: true, reason: 'scholarship_granted' });
    expect(d.payment).toMatchObject({ status: 'not_required', method: 'scholarship' });
  });

  it.each([
    ['draft', 'payment_not_due'],
    ['enrolled', 'payment_already_done'],
    ['cancelled', 'payment_cancelled'],
  ] as const)('refuses an office payment for a %s dossier', (status, reason) => {
    expect(() => recordOfficePayment(withStatus(status), { kind: 'paid', reference: 'R', at: NOW }, FEES)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('cancelDossier', () => {
  it.each(['draft', 'submitted', 'awaiting_payment', 'pay_at_office', 'enrolled'] as const)('cancels a %s dossier', (status) => {
    const d = cancelDossier(withStatus(status), { reason: 'Demande de l’étudiant', at: NOW });
    expect(d).toMatchObject({ status: 'cancelled', cancelledAt: NOW, cancelReason: 'Demande de l’étudiant' });
  });

  it('refuses to cancel twice', () => {
    expect(() => cancelDossier(withStatus('cancelled'), { reason: 'again', at: NOW })).toThrow(expect.objectContaining({ reason: 'invalid_transition' }));
  });
});
