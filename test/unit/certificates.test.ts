import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { university } from '../../config/catalogue';
import { certificateDocument, formatDate } from '../../functions/certificates/content';
import { CODE_ALPHABET, CODE_BITS, CODE_RANDOM_BYTES, normalizeCode, verificationCodeFrom } from '../../functions/domain/certificates/code';
import { enrollmentIssue, issuedKinds, receiptOutdated, reissue, revocation } from '../../functions/domain/certificates/events';
import { fontFile, wrap } from '../../functions/certificates/pdf';
import { CERTIFICATE_FONTS } from '../../functions/certificates/fonts';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { certificateSubject, holderOf, verificationView, type CertificateRecord } from '../../functions/domain/certificates/model';
import { newDossier, type Dossier, type Movement } from '../../functions/domain/dossier';
import { feesByYear, findProgramme } from '../../config/catalogue';

const programme = findProgramme('L1-INFO')!;

function enrolledDossier(over: Partial<Dossier> = {}): Dossier {
  const d = newDossier({
    id: '0b7c6f1e-1111-4222-8333-444455556666',
    identifier: 'P261234567',
    academicYear: '2026-2027',
    student: { lastName: 'Martin', firstName: 'Léa Anne', birthDate: '2008-03-14' },
    programmeCode: 'L1-INFO',
    level: 'licence',
    now: '2026-07-01T08:00:00Z',
    feesByYear,
  });
  return {
    ...d,
    status: 'enrolled',
    enrolledAt: '2026-07-01T10:00:00Z',
    steps: { ...d.steps, ine: { status: 'done', ine: '123456789AB' }, situation: { status: 'done', regime: 'formation_initiale', scholarship: 'none' } },
    fees: { amountCents: 17800, currency: 'EUR', exempt: false, reason: 'standard' },
    payment: { status: 'paid', method: 'card', reference: 'pi_3Q', amountCents: 17800, paidAt: '2026-07-01T09:59:00Z' },
    ...over,
  };
}

const record = (d: Dossier, kind: 'enrollment' | 'payment', over: Partial<CertificateRecord> = {}): CertificateRecord => ({
  code: 'ABCDE-FGHJK-MNPQR-STUVW',
  kind,
  dossierId: d.id,
  issueId: 'certificates#x#issue#0',
  sequence: 0,
  issuedAt: '2026-07-01T10:00:05Z',
  subject: certificateSubject(d, { university, programme }),
  ...over,
});

describe('verification codes', () => {
  it('carry at least 80 bits from an alphabet without 0, O, 1 or I', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(80);
    expect(CODE_ALPHABET).not.toMatch(/[0O1I]/);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
  });

  it('are grouped in fives, and read back whatever the case or separators', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: CODE_RANDOM_BYTES, maxLength: CODE_RANDOM_BYTES }), (bytes) => {
        const code = verificationCodeFrom(bytes);
        expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){3}$/);
        expect(normalizeCode(code)).toBe(code);
        expect(normalizeCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
      }),
    );
  });

  it('refuse what cannot be a code instead of guessing', () => {
    expect(normalizeCode('ABCDE-FGHJK-MNPQR-STUV0')).toBeUndefined();
    expect(normalizeCode('ABCDE-FGHJK-MNPQR')).toBeUndefined();
    expect(normalizeCode('')).toBeUndefined();
    expect(normalizeCode('A'.repeat(500))).toBeUndefined();
  });
});

describe('holder', () => {
  it.each([
    [{ firstName: 'Léa Anne', lastName: 'Martin' }, 'L. MARTIN'],
    [{ firstName: 'éloïse', lastName: 'Lefèvre' }, 'É. LEFÈVRE'],
    [{ firstName: 'Jean-Pierre', lastName: 'Dupont', usageName: 'Durand' }, 'J. DURAND'],
  ])('%o → %s', (who, expected) => {
    expect(holderOf(who)).toBe(expected);
  });
});

describe('the certificates’ content', () => {
  it('the enrollment certificate states the university, year, identity, INE and programme (FR)', () => {
    const doc = certificateDocument(record(enrolledDossier(), 'enrollment'), 'fr', 'https://inscription.example.org/verifier/ABCDE-FGHJK-MNPQR-STUVW');
    expect(doc.title).toBe('Certificat de scolarité');
    expect(doc.university).toBe('Aix-Marseille Université');
    expect(doc.statement).toContain('Léa Anne Martin est régulièrement inscrit(e)');
    expect(doc.statement).toContain('2026-2027');
    expect(Object.fromEntries(doc.rows)).toMatchObject({
      'Nom de naissance': 'MARTIN',
      'Prénom(s)': 'Léa Anne',
      'Date de naissance': '14 mars 2008',
      INE: '123456789AB',
      Formation: 'Licence 1 Informatique (L1-INFO)',
      Niveau: 'Licence',
      Composante: 'Faculté des Sciences',
      "Régime d'inscription": 'Formation initiale',
      "Date d'inscription": '1 juillet 2026',
    });
    expect(doc.payments).toBeUndefined();
    expect(doc.verification).toMatchObject({ code: 'ABCDE-FGHJK-MNPQR-STUVW', url: 'https://inscription.example.org/verifier/ABCDE-FGHJK-MNPQR-STUVW' });
  });

  it('the receipt lists each amount paid with its method, reference and date, in euros (EN)', () => {
    const doc = certificateDocument(record(enrolledDossier(), 'payment'), 'en', 'u');
    expect(doc.title).toBe('Receipt for registration fees');
    expect(doc.payments?.lines).toEqual([['1 July 2026', '€178.00', 'Card (online)', 'pi_3Q']]);
    expect(doc.payments?.total).toEqual(['Total paid', '€178.00']);
    expect(doc.statement).toContain('€178.00');
  });

  it('the receipt in French formats amounts the French way', () => {
    const doc = certificateDocument(
      record(enrolledDossier({ payment: { status: 'paid', method: 'office', reference: 'Q-2026-0042', amountCents: 25400, paidAt: '2026-07-02T08:00:00Z' } }), 'payment'),
      'fr',
      'u',
    );
    expect(doc.payments?.lines[0]).toEqual(['2 juillet 2026', '254,00\u00a0€', 'En scolarité', 'Q-2026-0042']);
  });

  it('the receipt of a plan lists each part paid so far, from the ledger, and what is left to pay', () => {
    const part = (n: number, reference: string, status: Movement['status'], at: string, updatedAt?: string): Movement => ({
      kind: 'instalment',
      n,
      amountCents: n === 1 ? 5934 : 5933,
      at,
      ...(updatedAt ? { updatedAt } : {}),
      reference,
      status,
      method: 'card',
    });
    const d = enrolledDossier({
      payment: { status: 'paid', method: 'card', plan: 'instalments', reference: 'pi_1', amountCents: 5934, paidAt: '2026-07-01T09:59:00Z' },
      movements: [
        part(1, 'pi_1', 'succeeded', '2026-07-01T09:59:00Z'),
        part(2, 'pi_2', 'failed', '2026-08-05T06:00:00Z', '2026-08-05T06:00:02Z'),
        part(2, 'pi_2b', 'succeeded', '2026-08-08T06:00:00Z', '2026-08-08T06:00:02Z'),
        part(3, 'pi_3', 'pending', '2026-09-05T06:00:00Z'),
      ],
    });
    const doc = certificateDocument(record(d, 'payment'), 'fr', 'u');
    expect(doc.payments?.lines).toEqual([
      ['1 juillet 2026', '59,34\u00a0€', 'Carte bancaire (en ligne)', 'pi_1'],
      ['8 août 2026', '59,33\u00a0€', 'Carte bancaire (en ligne)', 'pi_2b'],
    ]);
    expect(doc.payments?.total).toEqual(['Total payé', '118,67\u00a0€']);
    expect(doc.payments?.balance).toEqual(['Reste à payer', '59,33\u00a0€']);
    expect(certificateDocument(record(enrolledDossier(), 'payment'), 'en', 'u').payments?.balance).toBeUndefined();
  });

  it('a reference wider than its column is broken, never cut: every line fits and nothing is lost', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(fontFile(CERTIFICATE_FONTS.regular), { subset: true });
    const reference = 'pi_test_FU0nFkHwXhaYNDh7Oc5YFmfkXXXXXXXXXXXXXXXXXXXX';
    const lines = wrap(`Réf. ${reference}`, font, 10, 120);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(120);
    expect(lines.join('').replace(/\s+/g, '')).toBe(`Réf.${reference}`);
    expect(wrap('59,33 €', font, 10, 120)).toEqual(['59,33 €']);
  });

  it('an exempt student gets an exemption attestation, with the reason and no amount', () => {
    const exempt = enrolledDossier({
      fees: { amountCents: 0, currency: 'EUR', exempt: true, reason: 'scholarship_granted' },
      payment: { status: 'not_required', method: 'scholarship' },
    });
    const fr = certificateDocument(record(exempt, 'payment'), 'fr', 'u');
    expect(fr.title).toBe("Attestation d'exonération des droits d'inscription");
    expect(fr.statement).toContain('boursier');
    expect(fr.payments).toBeUndefined();
    expect(certificateDocument(record(exempt, 'payment'), 'en', 'u').title).toBe('Certificate of registration fee exemption');
  });

  it('a birth date is a calendar date: never shifted by the time zone', () => {
    expect(formatDate('2008-01-01', 'fr')).toBe('1 janvier 2008');
    expect(formatDate('2008-12-31', 'en')).toBe('31 December 2008');
  });

  it('a dossier that is not enrolled has no certificate', () => {
    expect(() => certificateSubject({ ...enrolledDossier(), status: 'cancelled' }, { university, programme })).toThrow(/enrolled/);
  });
});

describe('verification view', () => {
  it('never reveals the birth date, the INE or the identifier', () => {
    const view = verificationView(record(enrolledDossier(), 'enrollment'), 'fr');
    expect(view).toEqual({
      valid: true,
      kind: 'enrollment',
      academicYear: '2026-2027',
      programme: 'Licence 1 Informatique',
      programmeCode: 'L1-INFO',
      holder: 'L. MARTIN',
      issuedAt: '2026-07-01T10:00:05Z',
      revokedAt: null,
    });
    const text = JSON.stringify(view);
    for (const secret of ['2008-03-14', '123456789AB', 'P261234567', 'Léa']) expect(text).not.toContain(secret);
  });

  it('says revoked once revoked', () => {
    const view = verificationView(record(enrolledDossier(), 'payment', { revokedAt: '2026-07-03T00:00:00Z', revokedReason: 'cancelled' }), 'en');
    expect(view).toMatchObject({ valid: false, revokedAt: '2026-07-03T00:00:00Z', programme: 'Bachelor year 1, Computer Science' });
  });
});

describe('certificate events', () => {
  it('have one id per cause, so a retried change cannot record an issue twice', () => {
    expect(enrollmentIssue('d').eventId).toBe(enrollmentIssue('d').eventId);
    expect(reissue('d', 1, 'correction').eventId).not.toBe(reissue('d', 2, 'correction').eventId);
    expect(reissue('d', 1, 'operator').eventId).not.toBe(enrollmentIssue('d').eventId);
    expect(() => reissue('d', 0, 'operator')).toThrow();
    expect(revocation('d', 'cancelled')).toMatchObject({ action: 'revoke', reason: 'cancelled' });
  });

  it('a part paid after the enrollment re-issues the receipt only; the other causes issue both', () => {
    expect(issuedKinds('payment')).toEqual(['payment']);
    for (const cause of ['enrolled', 'correction', 'operator'] as const) expect([...issuedKinds(cause)].sort()).toEqual(['enrollment', 'payment']);
    const enrolled = enrolledDossier({ movements: [{ kind: 'instalment', n: 1, amountCents: 5934, at: 'a', reference: 'pi_1', status: 'succeeded', method: 'card' }] });
    const charged = (status: Movement['status']): Dossier => ({
      ...enrolled,
      movements: [...enrolled.movements!, { kind: 'instalment', n: 2, amountCents: 5933, at: 'b', reference: 'pi_2', status, method: 'card' }],
    });
    expect(receiptOutdated(enrolled, charged('succeeded'))).toBe(true);
    expect(receiptOutdated(enrolled, charged('pending'))).toBe(false);
    expect(receiptOutdated(enrolled, charged('failed'))).toBe(false);
    expect(receiptOutdated(charged('succeeded'), charged('succeeded'))).toBe(false);
    // A part charged twice: the second charge, flagged as not owed, settles nothing.
    const twice: Dossier = {
      ...charged('succeeded'),
      movements: [...charged('succeeded').movements!, { kind: 'instalment', n: 2, amountCents: 5933, at: 'c', reference: 'pi_2b', status: 'succeeded', method: 'card' }],
      payment: { ...enrolled.payment, anomalies: [{ reason: 'payment_already_done', eventId: 'evt_2b', checkoutSessionId: '', reference: 'pi_2b', amountCents: 5933, currency: 'eur', at: 'c' }] },
    };
    expect(receiptOutdated(charged('succeeded'), twice)).toBe(false);
    // The enrollment's own payment is on the first issue already.
    expect(receiptOutdated({ ...enrolled, status: 'awaiting_payment' }, enrolled)).toBe(false);
  });
});
