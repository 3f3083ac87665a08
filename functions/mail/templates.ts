/**
 * The mails, in French and English: pure rendering of a `MailJob` into what SES sends.
 *
 * Each template is written once as a short list of blocks (paragraphs, label/value rows, lists,
 * a quoted message); the blocks are rendered twice, to plain text and to HTML, so the two
 * parts always say the same thing and every interpolated value is HTML-escaped in exactly one
 * place (`html()`). Amounts are formatted in euros for the mail's locale; instants are shown
 * in the university's time zone.
 */
import { entActivation } from '../../config/catalogue';
import type { RenderedMail } from '../adapters/ses';
import { formatEuros as formatAmount, formatInstant as formatZoned, paymentMethodLabel, regimeLabel } from '../domain/labels';
import type { EnrollmentSummary, MailJob, MailLang } from '../domain/mail-job';
import { LOCALES } from '../domain/messages/lang';
import { currentStage } from '../shared/stage';

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'h'; text: string }
  | { kind: 'rows'; rows: [label: string, value: string | undefined][] }
  | { kind: 'ol'; items: string[] }
  | { kind: 'link'; label: string; url: string }
  /** Someone else's words (a support message), kept as written. */
  | { kind: 'quote'; text: string };

const p = (text: string): Block => ({ kind: 'p', text });
const h = (text: string): Block => ({ kind: 'h', text });
const rows = (r: [string, string | undefined][]): Block => ({ kind: 'rows', rows: r });

interface Content {
  subject: string;
  blocks: Block[];
}

// ---------------------------------------------------------------------------------------------
// Formatting (names and formats: functions/domain/labels.ts)

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const formatEuros = (cents: number, lang: MailLang) => formatAmount(cents, lang);

/** SPEC: instants in the university's time zone (the stage's `calendar.timeZone`), whatever the server's zone. */
export const formatInstant = (iso: string, lang: MailLang) => formatZoned(iso, lang, currentStage().calendar.timeZone);

/** A subject is one header line: user-supplied text must not break it. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function studentName(s: EnrollmentSummary): string {
  return `${s.firstName} ${s.usageName ?? s.lastName}`;
}

// ---------------------------------------------------------------------------------------------
// The words, once per language

interface MailText {
  /** Between a label and its value in the text part. */
  colon: string;
  dear(name: string): string;
  hello(name: string): string;
  /** A greeting naming no one (a mail that must quote nothing the sender typed). */
  helloNoName: string;
  noReply: string;
  summary: {
    academicYear: string;
    identifier: string;
    birthName: string;
    usageName: string;
    firstName: string;
    programme: string;
    regime: string;
    cvec: string;
    fees: string;
    paymentReference: string;
    fileReference: string;
  };
  fees: { scholarship: string; exchange: string; paid(amount: string, method: string): string };
  scolarite: { heading: string; intro: string; office: string; email: string; phone: string; address: string };
  yourEnrollment: string;
  synthesis: { subject(year: string, programme: string): string; intro(year: string): string; entHeading: string; yourIdentifier(id: string): string; activationPage: string };
  receipt: {
    subject(year: string): string;
    intro(year: string): string;
    amount: string;
    paid: string;
    date: string;
    schedule(parts: number): string;
    part(n: number, parts: number, amount: string, date: string, paid: boolean): string;
  };
  instalmentFailed: {
    subject(n: number, parts: number): string;
    declined(n: number, parts: number, amount: string): string;
    retry(date: string): string;
    overdue: string;
    payNow: string;
    link: string;
  };
  payAtOffice: { subject(year: string): string; intro(amount: string): string; warning: string; after: string; yourFile: string };
  scholarshipRefused: { subject(year: string): string; intro(amount: string): string; yourFile: string };
  supportAck: { subject: string; received(when: string, reference: string): string; scolarite: string };
  certificates: { heading: string; intro: string; download: string };
  documentRejected: { subject(document: string): string; rejected(document: string): string; uploadAgain: string; documents: string };
  withdrawal: {
    subject(year: string): string;
    withdrawn(year: string): string;
    requested(year: string): string;
    certificates: string;
    refundCard(amount: string, retention: string): string;
    refundOffice(amount: string, retention: string): string;
    nothingPaid: string;
    nothingLeft: string;
    yourFile: string;
  };
  refund: {
    subject(event: 'decided' | 'succeeded' | 'failed'): string;
    decidedWithdrawal(amount: string): string;
    decidedNothing: string;
    decidedScholarship(amount: string): string;
    byCard: string;
    byOffice: string;
    succeeded(amount: string): string;
    failed(amount: string): string;
  };
  correction: {
    subject(accepted: boolean): string;
    accepted(field: string, value: string): string;
    rejected(field: string, value: string): string;
    newBirthDate: string;
  };
}

const FR: MailText = {
  colon: ' : ',
  dear: (name) => `Bonjour ${name},`,
  hello: (name) => `Bonjour ${name},`,
  helloNoName: 'Bonjour,',
  noReply: 'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
  summary: {
    academicYear: 'Année universitaire',
    identifier: 'Identifiant',
    birthName: 'Nom de naissance',
    usageName: "Nom d'usage",
    firstName: 'Prénom',
    programme: 'Formation',
    regime: 'Régime',
    cvec: 'Attestation CVEC',
    fees: "Droits d'inscription",
    paymentReference: 'Référence du paiement',
    fileReference: 'Référence du dossier',
  },
  fees: {
    scholarship: 'Exonération : étudiant(e) boursier(ère)',
    exchange: "Exonération : échange international (droits réglés dans l'établissement d'origine)",
    paid: (amount, method) => `${amount} payés ${method}`,
  },
  scolarite: {
    heading: 'Questions pédagogiques et rendez-vous',
    intro:
      "Pour toute question d'ordre pédagogique ou pour prendre rendez-vous, contactez le service de scolarité dont vous dépendez (n'utilisez pas l'adresse d'assistance à l'inscription en ligne) :",
    office: 'Service',
    email: 'Courriel',
    phone: 'Téléphone',
    address: 'Adresse',
  },
  yourEnrollment: 'Votre inscription',
  synthesis: {
    subject: (year, programme) => `Votre inscription administrative ${year} est validée — ${programme}`,
    intro: (year) => `Votre inscription administrative pour l'année universitaire ${year} est enregistrée. Voici la synthèse de votre inscription ; conservez ce courriel.`,
    entHeading: 'Activer votre espace numérique de travail (ENT) et votre compte étudiant',
    yourIdentifier: (id) => `Votre identifiant : ${id}`,
    activationPage: "Page d'activation",
  },
  receipt: {
    subject: (year) => `Reçu de paiement — droits d'inscription ${year}`,
    intro: (year) => `Nous avons bien reçu le paiement de vos droits d'inscription pour l'année universitaire ${year}. Ce reçu vaut justificatif de paiement.`,
    amount: 'Montant',
    paid: 'Payé',
    date: 'Date',
    schedule: (parts) => `Votre échéancier (paiement en ${parts} fois)`,
    part: (n, parts, amount, date, paid) => `Échéance ${n}/${parts} : ${amount}, ${paid ? 'payée' : `prélevée le ${date}`}`,
  },
  instalmentFailed: {
    subject: (n, parts) => `Échéance ${n}/${parts} de vos droits d'inscription refusée`,
    declined: (n, parts, amount) => `Le prélèvement de l'échéance ${n}/${parts} (${amount}) sur votre carte a été refusé par votre banque.`,
    retry: (date) => `Un nouveau prélèvement sera tenté automatiquement le ${date}. Vous pouvez aussi la payer dès maintenant :`,
    overdue: "Le second prélèvement a lui aussi été refusé : l'échéance est en retard. Payez-la dès maintenant en ligne, ou contactez votre scolarité :",
    payNow: 'Vous pouvez aussi régler en une fois tout ce qui reste dû depuis votre dossier.',
    link: "Payer l'échéance",
  },
  payAtOffice: {
    subject: (year) => `Votre inscription ${year} : paiement à effectuer en scolarité`,
    intro: (amount) =>
      `Votre dossier d'inscription est validé. Votre demande de bourse est en cours de traitement par le CROUS : le paiement de vos droits d'inscription (${amount}) se fera en scolarité, sur production des pièces justificatives (notification de bourse du CROUS).`,
    warning: 'Attention : ne vous reconnectez pas ultérieurement pour effectuer le paiement en ligne. Le paiement de votre dossier se fait uniquement en scolarité.',
    after: "Votre inscription sera définitive après votre passage en scolarité ; vous recevrez alors le courriel de synthèse avec la procédure d'activation de votre espace numérique de travail.",
    yourFile: 'Votre dossier',
  },
  scholarshipRefused: {
    subject: (year) => `Votre inscription ${year} : bourse non confirmée, droits à payer en ligne`,
    intro: (amount) =>
      `La scolarité n'a pas pu confirmer la bourse que vous avez déclarée. Vos droits d'inscription (${amount}) sont à payer en ligne : reconnectez-vous au service d'inscription pour payer par carte.`,
    yourFile: 'Votre dossier',
  },
  supportAck: {
    subject: "Votre demande d'assistance a bien été reçue",
    received: (when, reference) =>
      `Nous avons bien reçu votre demande d'assistance du ${when} (référence ${reference}). L'assistance à l'inscription administrative en ligne vous répondra par courriel ; elle traite les demandes pendant les périodes d'inscription uniquement.`,
    scolarite:
      "Pour les questions d'ordre pédagogique ou les prises de rendez-vous, contactez le service de scolarité dont vous dépendez : ses coordonnées figurent dans les contacts et dans le courriel de synthèse de votre inscription.",
  },
  certificates: {
    heading: 'Vos certificats',
    intro: "Votre certificat de scolarité et votre attestation de paiement (ou d'exonération), en PDF vérifiables en ligne, sont à télécharger sur votre dossier :",
    download: 'Télécharger mes certificats',
  },
  documentRejected: {
    subject: (document) => `Pièce justificative refusée : ${document}`,
    rejected: (document) => `Votre pièce « ${document} » a été refusée par le service de scolarité, pour la raison suivante :`,
    uploadAgain: 'Vous pouvez en déposer une nouvelle à tout moment depuis votre dossier :',
    documents: 'Pièces justificatives',
  },
  withdrawal: {
    subject: (year) => `Votre désistement de l'inscription ${year}`,
    withdrawn: (year) => `Votre désistement de l'inscription administrative ${year} est enregistré : vous n'êtes plus inscrit(e) à l'université pour cette année.`,
    requested: (year) =>
      `Votre demande de désistement de l'inscription administrative ${year} est enregistrée. L'année universitaire ayant commencé, le remboursement éventuel de vos droits est décidé par la scolarité : vous recevrez un courriel de sa décision.`,
    certificates: 'Votre certificat de scolarité et votre attestation de paiement ne sont plus valables.',
    refundCard: (amount, retention) =>
      `Vous serez remboursé(e) de ${amount} (vos droits d'inscription moins ${retention} retenus) sur la carte utilisée pour le paiement ; un courriel vous confirmera le remboursement.`,
    refundOffice: (amount, retention) =>
      `Vous serez remboursé(e) de ${amount} (vos droits d'inscription moins ${retention} retenus) par le service comptable de l'université, vos droits ayant été payés en scolarité.`,
    nothingPaid: "Vous n'aviez pas de droits d'inscription à payer : il n'y a rien à rembourser.",
    nothingLeft: "Il ne reste rien à vous rembourser au titre de ces droits d'inscription.",
    yourFile: 'Votre dossier',
  },
  refund: {
    subject: (event) =>
      event === 'decided' ? "Remboursement de vos droits d'inscription" : event === 'succeeded' ? 'Votre remboursement est effectué' : "Votre remboursement n'a pas pu être effectué",
    decidedWithdrawal: (amount) => `La scolarité a statué sur votre demande de désistement : vos droits d'inscription vous sont remboursés à hauteur de ${amount}.`,
    decidedNothing: "La scolarité a statué sur votre demande de désistement : votre désistement est enregistré, sans remboursement de vos droits d'inscription.",
    decidedScholarship: (amount) =>
      `Votre bourse est confirmée : vos droits d'inscription (${amount}) vous sont remboursés en totalité. Votre inscription est maintenue et vos certificats restent valables.`,
    byCard: 'Le remboursement est fait sur la carte utilisée pour le paiement ; un courriel vous le confirmera.',
    byOffice: "Vos droits ayant été payés en scolarité, le remboursement est fait par le service comptable de l'université.",
    succeeded: (amount) => `Le remboursement de ${amount} a été effectué sur la carte utilisée pour le paiement. Selon votre banque, il apparaît sur votre compte sous quelques jours.`,
    failed: (amount) => `Le remboursement de ${amount} sur la carte utilisée pour le paiement n'a pas pu être effectué. La scolarité vous contactera pour vous rembourser autrement.`,
  },
  correction: {
    subject: (accepted) => (accepted ? 'Votre demande de correction est acceptée' : 'Votre demande de correction est refusée'),
    accepted: (field, value) => `Votre demande de correction (${field} : ${value}) est acceptée : votre dossier est corrigé.`,
    rejected: (field, value) => `Votre demande de correction (${field} : ${value}) est refusée, pour la raison suivante :`,
    newBirthDate: 'Connectez-vous désormais avec cette date de naissance.',
  },
};

const EN: MailText = {
  colon: ': ',
  dear: (name) => `Dear ${name},`,
  hello: (name) => `Hello ${name},`,
  helloNoName: 'Hello,',
  noReply: 'This e-mail is sent automatically: please do not reply to it.',
  summary: {
    academicYear: 'Academic year',
    identifier: 'Identifier',
    birthName: 'Birth name',
    usageName: 'Usual name',
    firstName: 'First name',
    programme: 'Programme',
    regime: 'Enrollment regime',
    cvec: 'CVEC certificate',
    fees: 'Registration fees',
    paymentReference: 'Payment reference',
    fileReference: 'File reference',
  },
  fees: {
    scholarship: 'Exempt: scholarship holder',
    exchange: 'Exempt: international exchange (fees paid to the home institution)',
    paid: (amount, method) => `${amount} paid ${method}`,
  },
  scolarite: {
    heading: 'Questions about your studies and appointments',
    intro: 'For any question about your studies or to make an appointment, contact your scolarité office (do not use the online-enrollment assistance address):',
    office: 'Office',
    email: 'E-mail',
    phone: 'Phone',
    address: 'Address',
  },
  yourEnrollment: 'Your enrollment',
  synthesis: {
    subject: (year, programme) => `Your ${year} administrative enrollment is complete — ${programme}`,
    intro: (year) => `Your administrative enrollment for the ${year} academic year is recorded. Here is its summary; please keep this e-mail.`,
    entHeading: 'Activate your digital workspace (ENT) and student account',
    yourIdentifier: (id) => `Your identifier: ${id}`,
    activationPage: 'Activation page',
  },
  receipt: {
    subject: (year) => `Payment receipt — ${year} registration fees`,
    intro: (year) => `We have received the payment of your registration fees for the ${year} academic year. This receipt is your proof of payment.`,
    amount: 'Amount',
    paid: 'Paid',
    date: 'Date',
    schedule: (parts) => `Your payment schedule (${parts} parts)`,
    part: (n, parts, amount, date, paid) => `Part ${n}/${parts}: ${amount}, ${paid ? 'paid' : `charged on ${date}`}`,
  },
  instalmentFailed: {
    subject: (n, parts) => `Part ${n}/${parts} of your registration fees was declined`,
    declined: (n, parts, amount) => `Your bank declined the charge of part ${n}/${parts} (${amount}) on your card.`,
    retry: (date) => `It will be charged again automatically on ${date}. You may also pay it now:`,
    overdue: 'The second charge was declined too: the part is overdue. Pay it now online, or contact your scolarité office:',
    payNow: 'You may also pay everything still due at once from your file.',
    link: 'Pay this part',
  },
  payAtOffice: {
    subject: (year) => `Your ${year} enrollment: fees to be paid at the scolarité desk`,
    intro: (amount) =>
      `Your enrollment file has been submitted. Your scholarship application is being processed by the CROUS: your registration fees (${amount}) will be paid at the scolarité desk, on presentation of supporting documents (the CROUS scholarship notification).`,
    warning: 'Important: do not come back online later to pay. Your file can only be paid at the scolarité desk.',
    after: 'Your enrollment becomes final after your visit to the scolarité desk; you will then receive the summary e-mail with the procedure to activate your digital workspace.',
    yourFile: 'Your file',
  },
  scholarshipRefused: {
    subject: (year) => `Your ${year} enrollment: scholarship not confirmed, fees to pay online`,
    intro: (amount) =>
      `The scolarité office could not confirm the scholarship you declared. Your registration fees (${amount}) are to be paid online: sign in to the enrollment service again to pay by card.`,
    yourFile: 'Your file',
  },
  supportAck: {
    subject: 'We have received your support request',
    received: (when, reference) =>
      `We have received your support request of ${when} (reference ${reference}). The online-enrollment assistance will answer by e-mail; it handles requests during the enrollment periods only.`,
    scolarite: 'For questions about your studies or appointments, contact your scolarité office: its details are in the contacts and in the summary e-mail of your enrollment.',
  },
  certificates: {
    heading: 'Your certificates',
    intro: 'Your certificate of enrollment and your payment (or exemption) receipt, PDFs anyone can check online, are ready to download from your file:',
    download: 'Download my certificates',
  },
  documentRejected: {
    subject: (document) => `Supporting document rejected: ${document}`,
    rejected: (document) => `Your document "${document}" was rejected by the scolarité office, for this reason:`,
    uploadAgain: 'You may upload a new one at any time from your file:',
    documents: 'Supporting documents',
  },
  withdrawal: {
    subject: (year) => `Your withdrawal from the ${year} enrollment`,
    withdrawn: (year) => `Your withdrawal from the ${year} administrative enrollment is recorded: you are no longer enrolled at the university for this year.`,
    requested: (year) =>
      `Your request to withdraw from the ${year} administrative enrollment is recorded. As the academic year has started, any refund of your fees is decided by the scolarité office: you will receive an e-mail with its decision.`,
    certificates: 'Your certificate of enrollment and your payment receipt are no longer valid.',
    refundCard: (amount, retention) => `You will be refunded ${amount} (your registration fees minus ${retention} kept) to the card used for the payment; an e-mail will confirm the refund.`,
    refundOffice: (amount, retention) =>
      `You will be refunded ${amount} (your registration fees minus ${retention} kept) by the university's accounting office, as your fees were paid at the scolarité desk.`,
    nothingPaid: 'You had no registration fees to pay: there is nothing to refund.',
    nothingLeft: 'Nothing is left to refund to you from these registration fees.',
    yourFile: 'Your file',
  },
  refund: {
    subject: (event) => (event === 'decided' ? 'Refund of your registration fees' : event === 'succeeded' ? 'Your refund is done' : 'Your refund could not be made'),
    decidedWithdrawal: (amount) => `The scolarité office has decided on your withdrawal request: your registration fees are refunded up to ${amount}.`,
    decidedNothing: 'The scolarité office has decided on your withdrawal request: your withdrawal is recorded, without a refund of your registration fees.',
    decidedScholarship: (amount) => `Your scholarship is confirmed: your registration fees (${amount}) are refunded in full. Your enrollment stands and your certificates remain valid.`,
    byCard: 'The refund goes to the card used for the payment; an e-mail will confirm it.',
    byOffice: "As your fees were paid at the scolarité desk, the university's accounting office makes the refund.",
    succeeded: (amount) => `The refund of ${amount} has been made to the card used for the payment. Depending on your bank, it shows on your account within a few days.`,
    failed: (amount) => `The refund of ${amount} to the card used for the payment could not be made. The scolarité office will contact you to refund you another way.`,
  },
  correction: {
    subject: (accepted) => (accepted ? 'Your correction request was accepted' : 'Your correction request was rejected'),
    accepted: (field, value) => `Your correction request (${field}: ${value}) was accepted: your file is corrected.`,
    rejected: (field, value) => `Your correction request (${field}: ${value}) was rejected, for this reason:`,
    newBirthDate: 'From now on, sign in with this date of birth.',
  },
};

const TEXT: Readonly<Record<MailLang, MailText>> = { fr: FR, en: EN };

const LANG_NAMES: Record<MailLang, string> = { fr: 'français', en: 'anglais' };

/** What was due and how it was settled, in one line. */
function feesLine(s: EnrollmentSummary, lang: MailLang): string {
  const t = TEXT[lang].fees;
  if (s.feeReason === 'scholarship_granted' || s.paymentMethod === 'scholarship') return t.scholarship;
  if (s.feeReason === 'exchange_programme') return t.exchange;
  const amount = formatEuros(s.amountCents, lang);
  if (s.paymentMethod === 'card' || s.paymentMethod === 'office') return t.paid(amount, paymentMethodLabel(s.paymentMethod, lang));
  return amount;
}

function summaryRows(s: EnrollmentSummary, lang: MailLang, withFees: boolean): Block {
  const t = TEXT[lang].summary;
  return rows([
    [t.academicYear, s.academicYear],
    [t.identifier, s.identifier],
    [t.birthName, s.lastName],
    [t.usageName, s.usageName],
    [t.firstName, s.firstName],
    ['INE', s.ine],
    [t.programme, `${s.programmeLabel} (${s.programmeCode})`],
    [t.regime, s.regime ? regimeLabel(s.regime, lang) : undefined],
    [t.cvec, s.cvecCertificate],
    ...(withFees ? ([[t.fees, feesLine(s, lang)]] as [string, string][]) : []),
    [t.paymentReference, withFees ? s.paymentReference : undefined],
    [t.fileReference, s.dossierId],
  ]);
}

function scolariteBlocks(s: EnrollmentSummary, lang: MailLang): Block[] {
  const t = TEXT[lang].scolarite;
  return [
    h(t.heading),
    p(t.intro),
    rows([
      [t.office, s.scolarite.name],
      [t.email, s.scolarite.email],
      [t.phone, s.scolarite.phone],
      [t.address, s.scolarite.address],
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Templates

type Job<T extends MailJob['template']> = Extract<MailJob, { template: T }>;

function synthesis(job: Job<'synthesis'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang];
  return {
    subject: t.synthesis.subject(s.academicYear, s.programmeLabel),
    blocks: [
      p(t.dear(studentName(s))),
      p(t.synthesis.intro(s.academicYear)),
      h(t.yourEnrollment),
      summaryRows(s, lang, true),
      ...(job.certificatesUrl ? [h(t.certificates.heading), p(t.certificates.intro), { kind: 'link', label: t.certificates.download, url: job.certificatesUrl } as Block] : []),
      ...scolariteBlocks(s, lang),
      h(t.synthesis.entHeading),
      p(t.synthesis.yourIdentifier(s.identifier)),
      { kind: 'ol', items: entActivation.steps[lang] },
      { kind: 'link', label: t.synthesis.activationPage, url: entActivation.url },
      p(t.noReply),
    ],
  };
}

function receipt(job: Job<'receipt'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang];
  const method = s.paymentMethod === 'card' || s.paymentMethod === 'office' ? paymentMethodLabel(s.paymentMethod, lang) : undefined;
  return {
    subject: t.receipt.subject(s.academicYear),
    blocks: [
      p(t.dear(studentName(s))),
      p(t.receipt.intro(s.academicYear)),
      rows([
        [t.receipt.amount, formatEuros(s.amountCents, lang)],
        [t.receipt.paid, method],
        [t.receipt.date, formatInstant(job.paidAt, lang)],
        [t.summary.paymentReference, s.paymentReference],
      ]),
      ...(job.schedule
        ? [
            h(t.receipt.schedule(job.schedule.length)),
            { kind: 'ol', items: job.schedule.map((x) => t.receipt.part(x.n, job.schedule!.length, formatEuros(x.amountCents, lang), formatDay(x.dueOn, lang), x.paid)) } as Block,
          ]
        : []),
      h(t.yourEnrollment),
      summaryRows(s, lang, false),
      p(t.noReply),
    ],
  };
}

function payAtOffice(job: Job<'pay_at_office'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang];
  return {
    subject: t.payAtOffice.subject(s.academicYear),
    blocks: [
      p(t.dear(studentName(s))),
      p(t.payAtOffice.intro(formatEuros(s.amountCents, lang))),
      p(t.payAtOffice.warning),
      p(t.payAtOffice.after),
      h(t.payAtOffice.yourFile),
      summaryRows(s, lang, false),
      ...scolariteBlocks(s, lang),
      p(t.noReply),
    ],
  };
}

function scholarshipRefused(job: Job<'scholarship_refused'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang];
  return {
    subject: t.scholarshipRefused.subject(s.academicYear),
    blocks: [
      p(t.dear(studentName(s))),
      p(t.scholarshipRefused.intro(formatEuros(s.amountCents, lang))),
      h(t.scholarshipRefused.yourFile),
      summaryRows(s, lang, false),
      ...scolariteBlocks(s, lang),
      p(t.noReply),
    ],
  };
}

/** For the assistance staff: always in French, whatever the student's language. */
function supportForward(job: Job<'support_forward'>): Content {
  const r = job.request;
  return {
    subject: `[Assistance inscription] ${r.identifier} — ${r.lastName.toUpperCase()} ${r.firstName} — ${r.programme}`,
    blocks: [
      p(`Demande d'assistance reçue le ${formatInstant(r.receivedAt, 'fr')} (référence ${r.requestId}).`),
      rows([
        ['Identifiant', r.identifier],
        ['Nom', r.lastName],
        ['Prénom', r.firstName],
        ['Filière', r.programme],
        ['Courriel', r.email],
        ["Langue de l'étudiant(e)", LANG_NAMES[r.studentLang]],
      ]),
      h('Message'),
      { kind: 'quote', text: r.message },
      p("Répondre à ce courriel répond directement à l'étudiant(e)."),
    ],
  };
}

function supportAck(job: Job<'support_ack'>): Content {
  const { request: r, lang } = job;
  const t = TEXT[lang];
  return {
    subject: t.supportAck.subject,
    blocks: [p(t.helloNoName), p(t.supportAck.received(formatInstant(r.receivedAt, lang), r.requestId)), p(t.supportAck.scolarite), p(t.noReply)],
  };
}

/** A calendar date (YYYY-MM-DD) as the mail's language writes it. */
const formatDay = (date: string, lang: MailLang) => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

function instalmentFailed(job: Job<'instalment_failed'>): Content {
  const t = TEXT[job.lang];
  return {
    subject: t.instalmentFailed.subject(job.n, job.parts),
    blocks: [
      p(t.hello(job.firstName)),
      p(t.instalmentFailed.declined(job.n, job.parts, formatEuros(job.amountCents, job.lang))),
      p(job.retryOn ? t.instalmentFailed.retry(formatDay(job.retryOn, job.lang)) : t.instalmentFailed.overdue),
      { kind: 'link', label: t.instalmentFailed.link, url: job.payUrl },
      p(t.instalmentFailed.payNow),
      p(t.noReply),
    ],
  };
}

function documentRejected(job: Job<'document_rejected'>): Content {
  const t = TEXT[job.lang];
  return {
    subject: t.documentRejected.subject(job.documentLabel),
    blocks: [
      p(t.hello(job.firstName)),
      p(t.documentRejected.rejected(job.documentLabel)),
      { kind: 'quote', text: job.reason },
      p(t.documentRejected.uploadAgain),
      { kind: 'link', label: t.documentRejected.documents, url: job.documentsUrl },
      p(t.noReply),
    ],
  };
}

function correctionDecided(job: Job<'correction_decided'>): Content {
  const t = TEXT[job.lang];
  const field = job.fieldLabel ?? '';
  const value = job.proposedValue ?? '';
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return {
    subject: t.correction.subject(job.accepted),
    blocks: [
      p(t.hello(job.firstName)),
      p(job.accepted ? t.correction.accepted(field, value) : t.correction.rejected(field, value)),
      ...(job.accepted ? [] : [{ kind: 'quote' as const, text: job.reason ?? '' }]),
      ...(job.accepted && job.fieldLabel && isDate ? [p(t.correction.newBirthDate)] : []),
      p(t.noReply),
    ],
  };
}

function withdrawal(job: Job<'withdrawal'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang];
  const amount = job.refund ? formatEuros(job.refund.amountCents, lang) : '';
  const retention = formatEuros(job.retentionCents, lang);
  const refundLine = !job.refund
    ? t.withdrawal.nothingPaid
    : job.refund.amountCents === 0
      ? t.withdrawal.nothingLeft
      : job.refund.method === 'office'
        ? t.withdrawal.refundOffice(amount, retention)
        : t.withdrawal.refundCard(amount, retention);
  return {
    subject: t.withdrawal.subject(s.academicYear),
    blocks: [
      p(t.dear(studentName(s))),
      p(job.outcome === 'withdrawn' ? t.withdrawal.withdrawn(s.academicYear) : t.withdrawal.requested(s.academicYear)),
      ...(job.outcome === 'withdrawn' ? [p(refundLine)] : []),
      p(t.withdrawal.certificates),
      h(t.withdrawal.yourFile),
      summaryRows(s, lang, false),
      ...scolariteBlocks(s, lang),
      p(t.noReply),
    ],
  };
}

function refund(job: Job<'refund'>): Content {
  const { summary: s, lang } = job;
  const t = TEXT[lang].refund;
  const amount = formatEuros(job.refund.amountCents, lang);
  const how = job.refund.method === 'office' ? t.byOffice : t.byCard;
  let lines: string[];
  if (job.event === 'succeeded') lines = [t.succeeded(amount)];
  else if (job.event === 'failed') lines = [t.failed(amount)];
  else if (job.cause === 'scholarship') lines = [t.decidedScholarship(amount), how];
  else lines = job.refund.amountCents === 0 ? [t.decidedNothing] : [t.decidedWithdrawal(amount), how];
  return {
    subject: t.subject(job.event),
    blocks: [p(TEXT[lang].dear(studentName(s))), ...lines.map(p), h(TEXT[lang].withdrawal.yourFile), summaryRows(s, lang, false), ...scolariteBlocks(s, lang), p(TEXT[lang].noReply)],
  };
}

function content(job: MailJob): Content {
  switch (job.template) {
    case 'synthesis':
      return synthesis(job);
    case 'receipt':
      return receipt(job);
    case 'pay_at_office':
      return payAtOffice(job);
    case 'support_forward':
      return supportForward(job);
    case 'support_ack':
      return supportAck(job);
    case 'scholarship_refused':
      return scholarshipRefused(job);
    case 'document_rejected':
      return documentRejected(job);
    case 'instalment_failed':
      return instalmentFailed(job);
    case 'correction_decided':
      return correctionDecided(job);
    case 'withdrawal':
      return withdrawal(job);
    case 'refund':
      return refund(job);
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

function text(blocks: Block[], lang: MailLang): string {
  const { colon } = TEXT[lang];
  return `${blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return b.text;
        case 'h':
          return `${b.text}\n${'-'.repeat(Math.min(b.text.length, 72))}`;
        case 'rows':
          return b.rows.flatMap(([label, value]) => (value === undefined ? [] : [`${label}${colon}${value}`])).join('\n');
        case 'ol':
          return b.items.map((item, i) => `${i + 1}. ${item}`).join('\n');
        case 'link':
          return `${b.label}${colon}${b.url}`;
        case 'quote':
          return b.text
            .split(/\r?\n/)
            .map((line) => `> ${line}`)
            .join('\n');
      }
    })
    .join('\n\n')}\n`;
}

const STYLE = {
  body: 'margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  h: 'font-size:18px;margin:24px 0 8px',
  th: 'text-align:left;vertical-align:top;padding:2px 16px 2px 0;font-weight:bold;white-space:nowrap',
  td: 'vertical-align:top;padding:2px 0',
  quote: 'margin:8px 0;padding:8px 12px;border-left:4px solid #999;white-space:pre-wrap',
};

function html(subject: string, blocks: Block[], lang: MailLang): string {
  const e = escapeHtml;
  const body = blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${e(b.text)}</p>`;
        case 'h':
          return `<h2 style="${STYLE.h}">${e(b.text)}</h2>`;
        case 'rows':
          return `<table role="presentation" style="border-collapse:collapse">${b.rows
            .flatMap(([label, value]) => (value === undefined ? [] : [`<tr><th scope="row" style="${STYLE.th}">${e(label)}</th><td style="${STYLE.td}">${e(value)}</td></tr>`]))
            .join('')}</table>`;
        case 'ol':
          return `<ol>${b.items.map((item) => `<li>${e(item)}</li>`).join('')}</ol>`;
        case 'link':
          return `<p><a href="${e(b.url)}">${e(b.label)}</a> — ${e(b.url)}</p>`;
        case 'quote':
          return `<blockquote style="${STYLE.quote}">${e(b.text)}</blockquote>`;
      }
    })
    .join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="${STYLE.body}"><div style="max-width:640px;margin:0 auto">
${body}
</div></body></html>
`;
}

/** The mail a job stands for: recipients, subject, and the same content as text and HTML. */
export function renderMail(job: MailJob): RenderedMail {
  const { subject, blocks } = content(job);
  // The forward is written for the (French-speaking) assistance staff.
  const lang = job.template === 'support_forward' ? 'fr' : job.lang;
  const line = oneLine(subject);
  return {
    to: job.to,
    replyTo: job.template === 'support_forward' ? job.replyTo : undefined,
    subject: line,
    text: text(blocks, lang),
    html: html(line, blocks, lang),
    jobId: job.jobId,
  };
}
