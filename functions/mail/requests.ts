/**
 * Producers' helpers: the `MailJob`s a change causes, built from a dossier (or a support
 * request) and the catalogue. Pure. Record a job with `outboxPut(job, now)` IN THE SAME
 * TRANSACTION as the change that causes it, e.g. in `mutateDossier`:
 *
 *     mutateDossier(id, (d) => {
 *       const next = recordOfficePayment(d, …);
 *       return { dossier: next, extra: [outboxPut(synthesisJob(next), now)] };
 *     }, now);
 *
 * Job ids are deterministic per cause (`synthesis#<dossierId>`…), and the outbox refuses a
 * job id it already holds: the transaction is then cancelled. So record a job only on the
 * transition that causes it, never on a retry or a no-op (return the dossier unchanged and
 * `mutateDossier` writes nothing); a deliberate second mail needs a new id (`resend`).
 *
 * Language: the student's mails are written in `dossier.lang`, the language of the request
 * that submitted the dossier (French when unknown); pass `lang` to override it.
 * Recipient: the contact e-mail of the identity step; `fallbackEmail` (the admission's) when
 * the dossier has none.
 */
import { findProgramme } from '../../config/catalogue';
import type { Dossier, Refund } from '../domain/dossier';
import { amountSettledCents } from '../domain/dossier/money';
import type { EnrollmentSummary, MailJob, MailLang } from '../domain/mail-job';
import type { SupportRequest } from '../domain/support-request';
import { ENV, optionalEnv } from '../shared/env';

/** The student page offering the certificates' downloads (web/src/main.ts `/termine`). */
export const CERTIFICATES_PAGE = '/termine';

export interface StudentMailOptions {
  /** @default the dossier's `lang`, else French */
  lang?: MailLang;
  /** Used when the dossier has no contact e-mail (e.g. the admission's e-mail). */
  fallbackEmail?: string;
}

function mailLang(d: Dossier, options: StudentMailOptions = {}): MailLang {
  return options.lang ?? d.lang ?? 'fr';
}

function recipient(d: Dossier, options: StudentMailOptions): string[] {
  const email = d.steps.identity.email ?? options.fallbackEmail;
  if (!email) throw new Error(`Dossier ${d.id} has no e-mail address to write to`);
  return [email];
}

function enrollmentSummary(d: Dossier, lang: MailLang): EnrollmentSummary {
  const programme = findProgramme(d.programmeCode);
  if (!programme) throw new Error(`Dossier ${d.id} refers to programme ${d.programmeCode}, absent from the catalogue`);
  return {
    dossierId: d.id,
    identifier: d.identifier,
    academicYear: d.academicYear,
    lastName: d.student.lastName,
    usageName: d.student.usageName,
    firstName: d.student.firstName,
    programmeCode: programme.code,
    programmeLabel: programme.label[lang],
    ine: d.steps.ine.ine,
    regime: d.steps.situation.regime,
    cvecCertificate: d.steps.cvec.required === false ? undefined : d.steps.cvec.certificateNumber,
    // What was paid so far (the ledger); otherwise what the fees say (0 when exempt).
    amountCents: d.payment.status === 'paid' ? amountSettledCents(d) : d.fees.amountCents,
    feeReason: d.fees.reason,
    paymentMethod: d.payment.method,
    paymentReference: d.payment.reference,
    enrolledAt: d.enrolledAt,
    scolarite: { ...programme.scolarite },
  };
}

function studentJob(d: Dossier, options: StudentMailOptions) {
  const lang = mailLang(d, options);
  return { lang, to: recipient(d, options), summary: enrollmentSummary(d, lang) };
}

/** Id of the synthesis mail of a dossier; `resend` n (1, 2…) for an operator's n-th resend. */
function synthesisJobId(dossierId: string, resend?: number): string {
  return resend === undefined ? `synthesis#${dossierId}` : `synthesis#${dossierId}#resend#${resend}`;
}

/**
 * The synthesis mail of an enrolled dossier (SPEC "Done"): summary, amount paid or exemption,
 * the programme's scolarité contacts, the ENT activation procedure. `resend`: see `synthesisJobId`.
 */
export function synthesisJob(d: Dossier, options: StudentMailOptions & { resend?: number } = {}): MailJob {
  if (d.status !== 'enrolled') throw new Error(`Dossier ${d.id} is ${d.status}: the synthesis mail is for enrolled dossiers`);
  const origin = optionalEnv(ENV.publicOrigin)?.replace(/\/+$/, '');
  return {
    jobId: synthesisJobId(d.id, options.resend),
    template: 'synthesis',
    ...studentJob(d, options),
    ...(origin ? { certificatesUrl: `${origin}${CERTIFICATES_PAGE}` } : {}),
  };
}

/** The receipt of a paid dossier (card or office payment), one per dossier. */
export function receiptJob(d: Dossier, options: StudentMailOptions = {}): MailJob {
  if (d.payment.status !== 'paid' || !d.payment.paidAt) throw new Error(`Dossier ${d.id} is not paid: no receipt`);
  const schedule = d.payment.plan === 'instalments' ? d.payment.instalments?.map((i) => ({ n: i.n, amountCents: i.amountCents, dueOn: i.dueOn, paid: i.status === 'paid' })) : undefined;
  return { jobId: `receipt#${d.id}`, template: 'receipt', paidAt: d.payment.paidAt, ...studentJob(d, options), ...(schedule ? { schedule } : {}) };
}

/** The student's page listing the parts and the money movements, where a part is paid now (web/src/pages/after.ts `done`). */
export const INSTALMENTS_PAGE = CERTIFICATES_PAGE;

/**
 * A declined part (`failed`, retried on `retryOn`, or `overdue`): one mail per part and attempt,
 * with a link to pay it now.
 */
export function instalmentFailedJob(d: Dossier, n: number, attempt: number, options: StudentMailOptions = {}): MailJob {
  const part = d.payment.instalments?.find((i) => i.n === n);
  if (!part || (part.status !== 'failed' && part.status !== 'overdue')) throw new Error(`Dossier ${d.id}: part ${n} is not declined`);
  const origin = optionalEnv(ENV.publicOrigin)?.replace(/\/+$/, '') ?? '';
  return {
    jobId: `instalment_failed#${d.id}#${n}#a${attempt}`,
    template: 'instalment_failed',
    lang: mailLang(d, options),
    to: recipient(d, options),
    firstName: d.student.firstName,
    academicYear: d.academicYear,
    n,
    parts: d.payment.instalments!.length,
    amountCents: part.amountCents,
    ...(part.status === 'failed' && part.retryOn ? { retryOn: part.retryOn } : {}),
    payUrl: `${origin}${INSTALMENTS_PAGE}?echeance=${n}`,
  };
}

/** Scholarship pending: pay at the scolarité desk on proof; do not come back online to pay. */
export function payAtOfficeJob(d: Dossier, options: StudentMailOptions = {}): MailJob {
  if (d.status !== 'pay_at_office') throw new Error(`Dossier ${d.id} is ${d.status}: the pay-at-office notice is for pay_at_office dossiers`);
  return { jobId: `pay_at_office#${d.id}`, template: 'pay_at_office', ...studentJob(d, options) };
}

/** The declared scholarship was refused by an operator: pay online now. */
export function scholarshipRefusedJob(d: Dossier, options: StudentMailOptions = {}): MailJob {
  if (d.status !== 'awaiting_payment') throw new Error(`Dossier ${d.id} is ${d.status}: the refusal notice is for dossiers now awaiting payment`);
  return { jobId: `scholarship_refused#${d.id}`, template: 'scholarship_refused', ...studentJob(d, options) };
}

/**
 * The withdrawal notice: `withdrawn` with its refund (if anything was paid), or `requested`
 * (a supervisor decides). One per dossier.
 */
export function withdrawalJob(d: Dossier, refunds: Refund[], retentionCents: number, options: StudentMailOptions = {}): MailJob {
  if (d.status !== 'withdrawn' && d.status !== 'withdrawal_requested') throw new Error(`Dossier ${d.id} is ${d.status}: the withdrawal notice is for withdrawing dossiers`);
  return {
    jobId: `withdrawal#${d.id}`,
    template: 'withdrawal',
    ...studentJob(d, options),
    outcome: d.status === 'withdrawn' ? 'withdrawn' : 'requested',
    ...(refunds.length > 0 ? { refund: { amountCents: refunds.reduce((sum, r) => sum + r.amountCents, 0), method: refunds[0]!.method } } : {}),
    retentionCents,
  };
}

/**
 * A step of a refund: one mail per refund and step. `decided` tells a decision's refunds at once
 * (pass them all: one card refund per charge); `succeeded` / `failed` each refund Stripe reports.
 */
export function refundJob(d: Dossier, refunds: Refund | Refund[], event: 'decided' | 'succeeded' | 'failed', options: StudentMailOptions = {}): MailJob {
  const list = Array.isArray(refunds) ? refunds : [refunds];
  const refund = list[0];
  if (!refund) throw new Error(`Dossier ${d.id}: a refund mail needs a refund`);
  return {
    jobId: `refund#${refund.id}#${event}`,
    template: 'refund',
    ...studentJob(d, options),
    event,
    cause: refund.cause,
    refund: { amountCents: list.reduce((sum, r) => sum + r.amountCents, 0), method: refund.method },
  };
}

/** The mails a submit causes: the synthesis when nothing is due, the pay-at-office notice, or none (card payment to come). */
export function submitMailJobs(submitted: Dossier): MailJob[] {
  switch (submitted.status) {
    case 'enrolled':
      return [synthesisJob(submitted)];
    case 'pay_at_office':
      return [payAtOfficeJob(submitted)];
    default:
      return [];
  }
}

/**
 * A support request's two mails: the forward to the assistance mailbox (replying answers the
 * student) and the acknowledgement to the student, in the student's language.
 */
export function supportJobs(r: SupportRequest, assistanceEmail: string): [MailJob, MailJob] {
  return [
    {
      jobId: `support_forward#${r.id}`,
      template: 'support_forward',
      lang: 'fr',
      to: [assistanceEmail],
      replyTo: r.email,
      request: {
        requestId: r.id,
        identifier: r.identifier,
        lastName: r.lastName,
        firstName: r.firstName,
        programme: r.programme,
        email: r.email,
        message: r.message,
        receivedAt: r.receivedAt,
        studentLang: r.lang,
      },
    },
    {
      jobId: `support_ack#${r.id}`,
      template: 'support_ack',
      lang: r.lang,
      to: [r.email],
      request: { requestId: r.id, receivedAt: r.receivedAt },
    },
  ];
}
