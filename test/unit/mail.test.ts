import { describe, expect, it } from 'vitest';
import { entActivation, feesByYear, findProgramme } from '../../config/catalogue';
import { applyCvec, applyIdentity, applyIne, applyProgramme, applySituation, completeOnlinePayment, newDossier, submitDossier, type Dossier } from '../../functions/domain/dossier';
import { MailJob } from '../../functions/domain/mail-job';
import type { SupportRequest } from '../../functions/domain/support-request';
import type { Scholarship } from '../../functions/domain/cvec';
import { payAtOfficeJob, receiptJob, submitMailJobs, supportJobs, synthesisJob } from '../../functions/mail/requests';
import { formatEuros, formatInstant, renderMail } from '../../functions/mail/templates';

const NOW = '2026-07-01T10:00:00.000Z';
const HOSTILE_FIRST = `Zoé <script>alert("x")</script>`;
const HOSTILE_LAST = `N'Diaye & Fils`;

/** A dossier through every step, submitted with the given scholarship status. */
function submitted(scholarship: Scholarship, names: { lastName?: string; firstName?: string; usageName?: string } = {}): Dossier {
  let d = newDossier({
    id: 'dos-1',
    identifier: 'P261234567',
    academicYear: '2026-2027',
    student: { lastName: names.lastName ?? 'Martin', firstName: names.firstName ?? 'Léa', usageName: names.usageName, birthDate: '2008-03-14' },
    programmeCode: 'L1-INFO',
    level: 'licence',
    now: NOW,
    feesByYear,
  });
  d = applyIdentity(d, {
    email: 'lea.martin@example.org',
    phone: '+33612345678',
    address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' },
  });
  d = applyIne(d, { ine: '1234567890V', format: 'bea' });
  d = applySituation(d, { regime: 'formation_initiale', scholarship }, feesByYear);
  // A granted scholarship proven by the CVEC certificate (state 71).
  d = applyCvec(d, { certificateNumber: 'AMU6123456', state: scholarship === 'granted' ? 71 : 75 });
  d = applyProgramme(d, { programmeCode: 'L1-INFO' }, feesByYear);
  return submitDossier(d, NOW, feesByYear);
}

const scolarite = findProgramme('L1-INFO')!.scolarite;

describe('producer helpers', () => {
  it('a nothing-due submit asks for the synthesis mail, with a deterministic id and a resend id', () => {
    const d = submitted('granted');
    expect(submitMailJobs(d).map((j) => j.jobId)).toEqual(['synthesis#dos-1']);
    expect(synthesisJob(d, { resend: 2 }).jobId).toBe('synthesis#dos-1#resend#2');
  });

  it('a scholarship-pending submit asks for the pay-at-office notice; a card payment to come asks for nothing', () => {
    expect(submitMailJobs(submitted('pending')).map((j) => j.jobId)).toEqual(['pay_at_office#dos-1']);
    expect(submitMailJobs(submitted('none'))).toEqual([]);
  });

  it('writes to the identity step e-mail, in the dossier language (French by default)', () => {
    const d = submitted('granted');
    expect(synthesisJob(d)).toMatchObject({ to: ['lea.martin@example.org'], lang: 'fr', summary: { programmeLabel: 'Licence 1 Informatique', feeReason: 'scholarship_granted', scolarite } });
    const en = synthesisJob({ ...d, lang: 'en' });
    expect(en).toMatchObject({ lang: 'en', summary: { programmeLabel: 'Bachelor year 1, Computer Science' } });
    expect(synthesisJob(d, { lang: 'en' }).lang).toBe('en');
  });

  it('falls back to the given e-mail when the dossier has none, and refuses to build a job with no recipient', () => {
    const d = submitted('granted');
    const noEmail = { ...d, steps: { ...d.steps, identity: { ...d.steps.identity, email: undefined } } };
    expect(synthesisJob(noEmail, { fallbackEmail: 'admission@example.org' }).to).toEqual(['admission@example.org']);
    expect(() => synthesisJob(noEmail)).toThrow(/no e-mail/);
  });

  it('refuses jobs that do not fit the dossier status', () => {
    expect(() => synthesisJob(submitted('none'))).toThrow(/enrolled/);
    expect(() => payAtOfficeJob(submitted('granted'))).toThrow(/pay_at_office/);
    expect(() => receiptJob(submitted('none'))).toThrow(/not paid/);
  });

  it('builds jobs that pass the shared schema', () => {
    const paid = completeOnlinePayment(submitted('none'), { reference: 'pi_123', amountCents: 17800, at: NOW }).dossier;
    const request: SupportRequest = {
      id: 'req-1',
      academicYear: '2026-2027',
      receivedAt: NOW,
      lang: 'en',
      identifier: 'P261234567',
      lastName: 'Martin',
      firstName: 'Léa',
      programme: 'L1 Informatique',
      email: 'lea@example.org',
      message: 'Bonjour',
    };
    for (const job of [synthesisJob(submitted('granted')), payAtOfficeJob(submitted('pending')), receiptJob(paid), ...supportJobs(request, 'assistance@example.org')]) {
      expect(MailJob.safeParse(job).success, job.jobId).toBe(true);
    }
  });

  it('refuses a certificates link that is not an http(s) address', () => {
    const job = synthesisJob(submitted('granted'));
    expect(MailJob.safeParse({ ...job, certificatesUrl: 'https://inscription.example.org/termine' }).success).toBe(true);
    for (const certificatesUrl of ['javascript:alert(1)', '/termine', 'https://inscription.example.org/ termine']) {
      expect(MailJob.safeParse({ ...job, certificatesUrl }).success, certificatesUrl).toBe(false);
    }
  });
});

describe('formatting', () => {
  it('formats euros per locale and instants in Paris time', () => {
    expect(formatEuros(17800, 'fr')).toMatch(/^178,00\s€$/u);
    expect(formatEuros(17800, 'en')).toBe('€178.00');
    expect(formatInstant('2026-07-01T10:00:00Z', 'fr')).toBe('1 juillet 2026 à 12:00');
    expect(formatInstant('2026-07-01T10:00:00Z', 'en')).toBe('1 July 2026 at 12:00');
    expect(formatInstant('2026-12-01T10:00:00Z', 'fr')).toBe('1 décembre 2026 à 11:00');
  });
});

describe.each(['fr', 'en'] as const)('templates in %s, with hostile names', (lang) => {
  const hostile = { firstName: HOSTILE_FIRST, lastName: HOSTILE_LAST };

  function expectSafe(html: string) {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Zoé &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('N&#39;Diaye &amp; Fils');
    expect(html).toContain(`<html lang="${lang}">`);
  }

  it('synthesis: summary, exemption, scolarité contacts and ENT activation steps; text keeps the names as written', () => {
    const mail = renderMail(synthesisJob(submitted('granted', hostile), { lang }));
    expectSafe(mail.html);
    expect(mail.to).toEqual(['lea.martin@example.org']);
    expect(mail.jobId).toBe('synthesis#dos-1');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain(scolarite.email);
      expect(part).toContain(scolarite.phone);
      expect(part).toContain(entActivation.url);
      expect(part).toContain('P261234567');
      expect(part).toContain('AMU6123456');
    }
    for (const step of entActivation.steps[lang]) expect(mail.text).toContain(step);
    expect(mail.text).toContain(`${HOSTILE_FIRST} ${HOSTILE_LAST}`);
    expect(mail.text).toContain(lang === 'fr' ? 'Exonération : étudiant(e) boursier(ère)' : 'Exempt: scholarship holder');
    expect(mail.subject).toContain(lang === 'fr' ? 'Licence 1 Informatique' : 'Bachelor year 1, Computer Science');
  });

  it('receipt: amount in euros, payment date in Paris time, reference', () => {
    const paid = completeOnlinePayment(submitted('none', hostile), { reference: 'pi_123', amountCents: 17800, at: NOW }).dossier;
    const mail = renderMail(receiptJob(paid, { lang }));
    expectSafe(mail.html);
    expect(mail.text).toContain(formatEuros(17800, lang));
    expect(mail.text).toContain(lang === 'fr' ? '1 juillet 2026 à 12:00' : '1 July 2026 at 12:00');
    expect(mail.text).toContain('pi_123');
  });

  it('pay at office: amount, pay at the desk on proof, do not come back online, scolarité contacts', () => {
    const mail = renderMail(payAtOfficeJob(submitted('pending', hostile), { lang }));
    expectSafe(mail.html);
    expect(mail.text).toContain(formatEuros(17800, lang));
    expect(mail.text).toMatch(lang === 'fr' ? /ne vous reconnectez pas/ : /do not come back online/);
    expect(mail.text).toContain(scolarite.address);
  });

  it('support: the forward (in French, reply-to the student) holds every field; the acknowledgement speaks the student’s language', () => {
    const request: SupportRequest = {
      id: 'req-1',
      academicYear: '2026-2027',
      receivedAt: NOW,
      lang,
      identifier: 'P261234567',
      lastName: HOSTILE_LAST,
      firstName: HOSTILE_FIRST,
      programme: 'L1 <b>Info</b>',
      email: 'lea@example.org',
      message: 'Bonjour,\nje suis bloquée à l’étape INE.\n<img src=x onerror=alert(1)>',
    };
    const [forward, ack] = supportJobs(request, 'assistance@example.org').map(renderMail);
    expect(forward).toMatchObject({ to: ['assistance@example.org'], replyTo: 'lea@example.org' });
    expect(forward!.subject).toBe(`[Assistance inscription] P261234567 — N'DIAYE & FILS ${HOSTILE_FIRST} — L1 <b>Info</b>`);
    expect(forward!.html).toContain('<html lang="fr">');
    expect(forward!.html).not.toMatch(/<img|<b>|<script/i);
    expect(forward!.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const value of ['P261234567', HOSTILE_LAST, HOSTILE_FIRST, 'L1 <b>Info</b>', 'je suis bloquée à l’étape INE.']) expect(forward!.text).toContain(value);
    expect(forward!.text).toContain(lang === 'fr' ? "Langue de l'étudiant(e) : français" : "Langue de l'étudiant(e) : anglais");

    expect(ack).toMatchObject({ to: ['lea@example.org'] });
    expect(ack!.replyTo).toBeUndefined();
    expect(ack!.html).toContain(`<html lang="${lang}">`);
    expect(ack!.html).not.toMatch(/<script/i);
    expect(ack!.text).toContain('req-1');
    expect(ack!.subject).toBe(lang === 'fr' ? "Votre demande d'assistance a bien été reçue" : 'We have received your support request');
  });

  it('never lets a value break the subject line', () => {
    const request: SupportRequest = {
      id: 'req-2',
      academicYear: '2026-2027',
      receivedAt: NOW,
      lang,
      identifier: 'P261234567',
      lastName: 'Martin',
      firstName: 'Léa\r\nBcc: x@example.org',
      programme: 'L1',
      email: 'lea@example.org',
      message: 'Bonjour',
    };
    const forward = renderMail(supportJobs(request, 'assistance@example.org')[0]);
    expect(forward.subject).toBe('[Assistance inscription] P261234567 — MARTIN Léa Bcc: x@example.org — L1');
  });
});
