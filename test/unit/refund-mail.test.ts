/** The withdrawal and refund mails (functions/mail/templates.ts), in French and English. */
import { describe, expect, it } from 'vitest';
import { awaitingCardPayment, draftDossier } from '../support/dossiers';
import { withdrawalRules } from '../../config/catalogue';
import { completeOnlinePayment, refundScholarship, requestWithdrawal, type Dossier, type FeesByYear } from '../../functions/domain/dossier';
import { MailJob } from '../../functions/domain/mail-job';
import { refundJob, withdrawalJob } from '../../functions/mail/requests';
import { formatEuros, renderMail } from '../../functions/mail/templates';

const FEES: FeesByYear = { '2026-2027': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 } };
const AT = '2026-07-01T10:00:00.000Z';
const RULES = { ...withdrawalRules, timeZone: 'Europe/Paris' };
const RETENTION = withdrawalRules.retentionCents;

function paid(): Dossier {
  const d = draftDossier({ id: 'dos-1', at: AT, feesByYear: FEES, student: { lastName: 'Martin', firstName: 'Léa', birthDate: '2008-03-14' } });
  const awaiting = awaitingCardPayment({ ...d, steps: { ...d.steps, identity: { status: 'done', email: 'lea.martin@example.org' } } }, 17800);
  return completeOnlinePayment(awaiting, { reference: 'pi_1', amountCents: 17800, at: AT }).dossier;
}

describe.each(['fr', 'en'] as const)('refund mails (%s)', (lang) => {
  it('withdrawn before the start: the refund, the retention kept, the certificates no longer valid', () => {
    const { dossier, refunds } = requestWithdrawal(paid(), { reason: 'x', at: AT }, RULES);
    const job = withdrawalJob(dossier, refunds, RETENTION, { lang });
    expect(MailJob.safeParse(job).success).toBe(true);
    const mail = renderMail(job);
    expect(mail.text).toContain(formatEuros(17800 - RETENTION, lang));
    expect(mail.text).toContain(formatEuros(RETENTION, lang));
    expect(mail.text).toMatch(lang === 'fr' ? /ne sont plus valables/ : /no longer valid/);
    expect(mail.to).toEqual(['lea.martin@example.org']);
  });

  it('withdrawal requested after the start: the scolarité decides', () => {
    const { dossier } = requestWithdrawal(paid(), { reason: 'x', at: '2026-10-02T10:00:00.000Z' }, RULES);
    const mail = renderMail(withdrawalJob(dossier, [], RETENTION, { lang }));
    expect(mail.text).toMatch(lang === 'fr' ? /décidé par la scolarité/ : /decided by the scolarité office/);
  });

  it('scholarship refund decided, then succeeded or failed', () => {
    const { dossier, refunds } = refundScholarship(paid(), { at: AT, by: 'agent', reason: 'CROUS' });
    const decided = renderMail(refundJob(dossier, refunds, 'decided', { lang }));
    expect(decided.text).toContain(formatEuros(17800, lang));
    expect(decided.text).toMatch(lang === 'fr' ? /remboursés en totalité/ : /refunded in full/);
    expect(renderMail(refundJob(dossier, refunds[0]!, 'succeeded', { lang })).subject).toMatch(lang === 'fr' ? /effectué/ : /done/);
    expect(renderMail(refundJob(dossier, refunds[0]!, 'failed', { lang })).text).toMatch(lang === 'fr' ? /vous contactera/ : /will contact you/);
  });
});
