import * as z from 'zod/mini';
import { FeeReason, PaymentMethod } from './dossier';
import { LANGS, type Lang } from './messages/lang';

/**
 * A mail job: what every producer records (in the outbox, in the same transaction as the
 * change that causes it) and the mailer consumes from the queue. One schema for both sides.
 * The job carries a snapshot of what the mail says, so it reads the same whenever it is sent.
 * `jobId` is deterministic per cause (e.g. `synthesis#<dossierId>`): the mailer sends each
 * job id at most once. Build jobs with the helpers of `functions/mail/requests.ts`.
 */
export const MailLang = /* @__PURE__ */ z.enum(LANGS);
export type MailLang = Lang;
const Email = /* @__PURE__ */ z.lazy(() => z.email().check(z.maxLength(254)));

const Scolarite = /* @__PURE__ */ z.lazy(() => z.object({ name: z.string(), email: z.string(), phone: z.string(), address: z.string() }));

/** What the synthesis mail and the receipts summarise. */
export const EnrollmentSummary = /* @__PURE__ */ z.lazy(() =>
  z.object({
    dossierId: z.string(),
    identifier: z.string(),
    academicYear: z.string(),
    /** Birth name. */
    lastName: z.string(),
    usageName: z.optional(z.string()),
    firstName: z.string(),
    programmeCode: z.string(),
    /** In the mail's language. */
    programmeLabel: z.string(),
    ine: z.optional(z.string()),
    regime: z.optional(z.string()),
    cvecCertificate: z.optional(z.string()),
    amountCents: z.number().check(z.int(), z.nonnegative()),
    /** Why nothing or something was due. */
    feeReason: FeeReason,
    /** How it was settled (null while nothing is settled yet). */
    paymentMethod: z.nullable(PaymentMethod),
    paymentReference: z.optional(z.string()),
    enrolledAt: z.optional(z.string()),
    scolarite: Scolarite,
  }),
);
export type EnrollmentSummary = z.infer<typeof EnrollmentSummary>;

/** A refund as the student's mails tell it: how much, and who pays it back (Stripe to the card, or the accounting office). */
export const RefundMail = /* @__PURE__ */ z.lazy(() => z.object({ amountCents: z.number().check(z.int(), z.nonnegative()), method: z.enum(['card', 'office']) }));

const base = { jobId: z.string().check(z.minLength(1), z.maxLength(200)), lang: MailLang, to: z.array(Email).check(z.minLength(1), z.maxLength(5)) };

export const SupportForwardRequest = /* @__PURE__ */ z.lazy(() =>
  z.object({
    requestId: z.string(),
    identifier: z.string(),
    lastName: z.string(),
    firstName: z.string(),
    programme: z.string(),
    email: z.string(),
    message: z.string(),
    receivedAt: z.string(),
    /** The language the student wrote in, so the assistance can answer in it. */
    studentLang: MailLang,
  }),
);

export const MailJob = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion('template', [
    /** Enrollment complete: summary, scolarité contacts, ENT activation procedure. */
    z.object({
      ...base,
      template: z.literal('synthesis'),
      summary: EnrollmentSummary,
      /**
       * The page where the student downloads the certificates (absent in jobs recorded before
       * them). A link in a mail: an http(s) address, which zod's `z.url()` (any scheme) would not ensure.
       */
      certificatesUrl: z.optional(z.string().check(z.regex(/^https?:\/\/\S+$/))),
    }),
    /** Online or office payment receipt; on an instalment plan, the schedule of the parts. */
    z.object({
      ...base,
      template: z.literal('receipt'),
      summary: EnrollmentSummary,
      paidAt: z.string(),
      schedule: z.optional(z.array(z.object({ n: z.number().check(z.int()), amountCents: z.number().check(z.int()), dueOn: z.string(), paid: z.boolean() }))),
    }),
    /** A part of an instalment plan was declined: retried once, or now overdue; a link pays it by Checkout. */
    z.object({
      ...base,
      template: z.literal('instalment_failed'),
      firstName: z.string(),
      academicYear: z.string(),
      n: z.number().check(z.int()),
      parts: z.number().check(z.int()),
      amountCents: z.number().check(z.int()),
      /** The day of the automatic retry (absent: none left, the part is overdue). */
      retryOn: z.optional(z.string()),
      payUrl: z.string(),
    }),
    /** Scholarship pending: pay at the scolarité desk on proof, do not come back online to pay. */
    z.object({ ...base, template: z.literal('pay_at_office'), summary: EnrollmentSummary }),
    /** The declared granted scholarship was not confirmed: the fees are to be paid online. */
    z.object({ ...base, template: z.literal('scholarship_refused'), summary: EnrollmentSummary }),
    /**
     * The student withdrew: `withdrawn` (before the academic year's start, with the refund, or none
     * when nothing was paid) or `requested` (after it: a supervisor decides). Certificates revoked.
     */
    z.object({
      ...base,
      template: z.literal('withdrawal'),
      summary: EnrollmentSummary,
      outcome: z.enum(['withdrawn', 'requested']),
      refund: z.optional(RefundMail),
      /** What is kept of the fees (config/catalogue.ts `withdrawalRules`), said in the mail. */
      retentionCents: z.number().check(z.int(), z.nonnegative()),
    }),
    /**
     * A refund's steps: `decided` (a supervisor's decision on a withdrawal, or a scholarship
     * confirmed after payment), then Stripe's outcome, `succeeded` or `failed`.
     */
    z.object({
      ...base,
      template: z.literal('refund'),
      summary: EnrollmentSummary,
      event: z.enum(['decided', 'succeeded', 'failed']),
      cause: z.enum(['withdrawal', 'scholarship']),
      refund: RefundMail,
    }),
    /** A support request, forwarded to the assistance mailbox (in French: the staff's language). */
    z.object({ ...base, template: z.literal('support_forward'), replyTo: Email, request: SupportForwardRequest }),
    /**
     * The acknowledgement of a support request, to the student. It quotes nothing the sender
     * typed (no name, no message): anyone can send the form with someone else's address, and the
     * acknowledgement must not carry their text into that inbox.
     */
    z.object({ ...base, template: z.literal('support_ack'), request: z.object({ requestId: z.string(), receivedAt: z.string() }) }),
    /** An operator rejected a supporting document: why, and where to upload it again. */
    z.object({ ...base, template: z.literal('document_rejected'), firstName: z.string(), documentLabel: z.string(), reason: z.string(), documentsUrl: z.string() }),
    /** An operator decided on a correction of the civil status. */
    z.object({ ...base, template: z.literal('correction_decided'), firstName: z.string(), fieldLabel: z.string(), proposedValue: z.string(), accepted: z.boolean(), reason: z.optional(z.string()) }),
  ]),
);
export type MailJob = z.infer<typeof MailJob>;
export type MailTemplate = MailJob['template'];
