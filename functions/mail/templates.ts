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
import type { EnrollmentSummary, MailJob, MailLang } from '../domain/mail-job';

/** SPEC: the university works in Paris time, whatever the server's zone. */
const TIME_ZONE = 'Europe/Paris';
const LOCALE: Record<MailLang, string> = { fr: 'fr-FR', en: 'en-GB' };

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
// Formatting

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function formatEuros(cents: number, lang: MailLang): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function formatInstant(iso: string, lang: MailLang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: TIME_ZONE, dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

/** A subject is one header line: user-supplied text must not break it. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const REGIMES: Record<string, Record<MailLang, string>> = {
  formation_initiale: { fr: 'Formation initiale', en: 'Initial education' },
  reprise_etudes_non_financee: { fr: "Reprise d'études non financée", en: 'Return to studies (not funded)' },
  apprentissage: { fr: 'Apprentissage', en: 'Apprenticeship' },
  ifsi: { fr: 'Élève en IFSI', en: 'Nursing school (IFSI) student' },
  cpge: { fr: 'Élève de CPGE', en: 'Preparatory class (CPGE) student' },
  formation_continue: { fr: 'Formation continue', en: 'Continuing education' },
  contrat_professionnalisation: { fr: 'Contrat de professionnalisation', en: 'Professional training contract' },
  echange_accueil: { fr: 'Échange international (accueil)', en: 'Incoming international exchange' },
};

const METHODS: Record<'card' | 'office', Record<MailLang, string>> = {
  card: { fr: 'par carte bancaire', en: 'by card' },
  office: { fr: 'en scolarité', en: 'at the scolarité desk' },
};

const LANG_NAMES: Record<MailLang, string> = { fr: 'français', en: 'anglais' };

function studentName(s: EnrollmentSummary): string {
  return `${s.firstName} ${s.usageName ?? s.lastName}`;
}

/** What was due and how it was settled, in one line. */
function feesLine(s: EnrollmentSummary, lang: MailLang): string {
  if (s.feeReason === 'scholarship_granted' || s.paymentMethod === 'scholarship') {
    return lang === 'fr' ? 'Exonération : étudiant(e) boursier(ère)' : 'Exempt: scholarship holder';
  }
  if (s.feeReason === 'exchange_programme') {
    return lang === 'fr'
      ? "Exonération : échange international (droits réglés dans l'établissement d'origine)"
      : 'Exempt: international exchange (fees paid to the home institution)';
  }
  const amount = formatEuros(s.amountCents, lang);
  if (s.paymentMethod === 'card' || s.paymentMethod === 'office') {
    const method = METHODS[s.paymentMethod][lang];
    return lang === 'fr' ? `${amount} payés ${method}` : `${amount} paid ${method}`;
  }
  return amount;
}

function summaryRows(s: EnrollmentSummary, lang: MailLang, withFees: boolean): Block {
  const fr = lang === 'fr';
  return rows([
    [fr ? 'Année universitaire' : 'Academic year', s.academicYear],
    [fr ? 'Identifiant' : 'Identifier', s.identifier],
    [fr ? 'Nom de naissance' : 'Birth name', s.lastName],
    [fr ? "Nom d'usage" : 'Usual name', s.usageName],
    [fr ? 'Prénom' : 'First name', s.firstName],
    ['INE', s.ine],
    [fr ? 'Formation' : 'Programme', `${s.programmeLabel} (${s.programmeCode})`],
    [fr ? 'Régime' : 'Enrollment regime', s.regime ? (REGIMES[s.regime]?.[lang] ?? s.regime) : undefined],
    [fr ? 'Attestation CVEC' : 'CVEC certificate', s.cvecCertificate],
    ...(withFees ? ([[fr ? "Droits d'inscription" : 'Registration fees', feesLine(s, lang)]] as [string, string][]) : []),
    [fr ? 'Référence du paiement' : 'Payment reference', withFees ? s.paymentReference : undefined],
    [fr ? 'Référence du dossier' : 'File reference', s.dossierId],
  ]);
}

function scolariteBlocks(s: EnrollmentSummary, lang: MailLang): Block[] {
  const fr = lang === 'fr';
  return [
    h(fr ? 'Questions pédagogiques et rendez-vous' : 'Questions about your studies and appointments'),
    p(
      fr
        ? "Pour toute question d'ordre pédagogique ou pour prendre rendez-vous, contactez le service de scolarité dont vous dépendez (n'utilisez pas l'adresse d'assistance à l'inscription en ligne) :"
        : 'For any question about your studies or to make an appointment, contact your scolarité office (do not use the online-enrollment assistance address):',
    ),
    rows([
      [fr ? 'Service' : 'Office', s.scolarite.name],
      [fr ? 'Courriel' : 'E-mail', s.scolarite.email],
      [fr ? 'Téléphone' : 'Phone', s.scolarite.phone],
      [fr ? 'Adresse' : 'Address', s.scolarite.address],
    ]),
  ];
}

const NO_REPLY: Record<MailLang, string> = {
  fr: 'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
  en: 'This e-mail is sent automatically: please do not reply to it.',
};

// ---------------------------------------------------------------------------------------------
// Templates

type Job<T extends MailJob['template']> = Extract<MailJob, { template: T }>;

function synthesis(job: Job<'synthesis'>): Content {
  const { summary: s, lang } = job;
  const fr = lang === 'fr';
  return {
    subject: fr
      ? `Votre inscription administrative ${s.academicYear} est validée — ${s.programmeLabel}`
      : `Your ${s.academicYear} administrative enrollment is complete — ${s.programmeLabel}`,
    blocks: [
      p(fr ? `Bonjour ${studentName(s)},` : `Dear ${studentName(s)},`),
      p(
        fr
          ? `Votre inscription administrative pour l'année universitaire ${s.academicYear} est enregistrée. Voici la synthèse de votre inscription ; conservez ce courriel.`
          : `Your administrative enrollment for the ${s.academicYear} academic year is recorded. Here is its summary; please keep this e-mail.`,
      ),
      h(fr ? 'Votre inscription' : 'Your enrollment'),
      summaryRows(s, lang, true),
      ...scolariteBlocks(s, lang),
      h(fr ? 'Activer votre espace numérique de travail (ENT) et votre compte étudiant' : 'Activate your digital workspace (ENT) and student account'),
      p(fr ? `Votre identifiant : ${s.identifier}` : `Your identifier: ${s.identifier}`),
      { kind: 'ol', items: entActivation.steps[lang] },
      { kind: 'link', label: fr ? "Page d'activation" : 'Activation page', url: entActivation.url },
      p(NO_REPLY[lang]),
    ],
  };
}

function receipt(job: Job<'receipt'>): Content {
  const { summary: s, lang } = job;
  const fr = lang === 'fr';
  const method = s.paymentMethod === 'card' || s.paymentMethod === 'office' ? METHODS[s.paymentMethod][lang] : undefined;
  return {
    subject: fr ? `Reçu de paiement — droits d'inscription ${s.academicYear}` : `Payment receipt — ${s.academicYear} registration fees`,
    blocks: [
      p(fr ? `Bonjour ${studentName(s)},` : `Dear ${studentName(s)},`),
      p(
        fr
          ? `Nous avons bien reçu le paiement de vos droits d'inscription pour l'année universitaire ${s.academicYear}. Ce reçu vaut justificatif de paiement.`
          : `We have received the payment of your registration fees for the ${s.academicYear} academic year. This receipt is your proof of payment.`,
      ),
      rows([
        [fr ? 'Montant' : 'Amount', formatEuros(s.amountCents, lang)],
        [fr ? 'Payé' : 'Paid', method],
        [fr ? 'Date' : 'Date', formatInstant(job.paidAt, lang)],
        [fr ? 'Référence du paiement' : 'Payment reference', s.paymentReference],
      ]),
      h(fr ? 'Votre inscription' : 'Your enrollment'),
      summaryRows(s, lang, false),
      p(NO_REPLY[lang]),
    ],
  };
}

function payAtOffice(job: Job<'pay_at_office'>): Content {
  const { summary: s, lang } = job;
  const fr = lang === 'fr';
  const amount = formatEuros(s.amountCents, lang);
  return {
    subject: fr
      ? `Votre inscription ${s.academicYear} : paiement à effectuer en scolarité`
      : `Your ${s.academicYear} enrollment: fees to be paid at the scolarité desk`,
    blocks: [
      p(fr ? `Bonjour ${studentName(s)},` : `Dear ${studentName(s)},`),
      p(
        fr
          ? `Votre dossier d'inscription est validé. Votre demande de bourse est en cours de traitement par le CROUS : le paiement de vos droits d'inscription (${amount}) se fera en scolarité, sur production des pièces justificatives (notification de bourse du CROUS).`
          : `Your enrollment file has been submitted. Your scholarship application is being processed by the CROUS: your registration fees (${amount}) will be paid at the scolarité desk, on presentation of supporting documents (the CROUS scholarship notification).`,
      ),
      p(
        fr
          ? 'Attention : ne vous reconnectez pas ultérieurement pour effectuer le paiement en ligne. Le paiement de votre dossier se fait uniquement en scolarité.'
          : 'Important: do not come back online later to pay. Your file can only be paid at the scolarité desk.',
      ),
      p(
        fr
          ? "Votre inscription sera définitive après votre passage en scolarité ; vous recevrez alors le courriel de synthèse avec la procédure d'activation de votre espace numérique de travail."
          : 'Your enrollment becomes final after your visit to the scolarité desk; you will then receive the summary e-mail with the procedure to activate your digital workspace.',
      ),
      h(fr ? 'Votre dossier' : 'Your file'),
      summaryRows(s, lang, false),
      ...scolariteBlocks(s, lang),
      p(NO_REPLY[lang]),
    ],
  };
}

function scholarshipRefused(job: Job<'scholarship_refused'>): Content {
  const { summary: s, lang } = job;
  const fr = lang === 'fr';
  const amount = formatEuros(s.amountCents, lang);
  return {
    subject: fr ? `Votre inscription ${s.academicYear} : bourse non confirmée, droits à payer en ligne` : `Your ${s.academicYear} enrollment: scholarship not confirmed, fees to pay online`,
    blocks: [
      p(fr ? `Bonjour ${studentName(s)},` : `Dear ${studentName(s)},`),
      p(
        fr
          ? `La scolarité n'a pas pu confirmer la bourse que vous avez déclarée. Vos droits d'inscription (${amount}) sont à payer en ligne : reconnectez-vous au service d'inscription pour payer par carte.`
          : `The scolarité office could not confirm the scholarship you declared. Your registration fees (${amount}) are to be paid online: sign in to the enrollment service again to pay by card.`,
      ),
      h(fr ? 'Votre dossier' : 'Your file'),
      summaryRows(s, lang, false),
      ...scolariteBlocks(s, lang),
      p(NO_REPLY[lang]),
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
  const fr = lang === 'fr';
  return {
    subject: fr ? "Votre demande d'assistance a bien été reçue" : 'We have received your support request',
    blocks: [
      p(fr ? 'Bonjour,' : 'Hello,'),
      p(
        fr
          ? `Nous avons bien reçu votre demande d'assistance du ${formatInstant(r.receivedAt, lang)} (référence ${r.requestId}). L'assistance à l'inscription administrative en ligne vous répondra par courriel ; elle traite les demandes pendant les périodes d'inscription uniquement.`
          : `We have received your support request of ${formatInstant(r.receivedAt, lang)} (reference ${r.requestId}). The online-enrollment assistance will answer by e-mail; it handles requests during the enrollment periods only.`,
      ),
      p(
        fr
          ? "Pour les questions d'ordre pédagogique ou les prises de rendez-vous, contactez le service de scolarité dont vous dépendez : ses coordonnées figurent dans les contacts et dans le courriel de synthèse de votre inscription."
          : 'For questions about your studies or appointments, contact your scolarité office: its details are in the contacts and in the summary e-mail of your enrollment.',
      ),
      p(NO_REPLY[lang]),
    ],
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
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

function text(blocks: Block[], lang: MailLang): string {
  const colon = lang === 'fr' ? ' : ' : ': ';
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
          return b.text.split(/\r?\n/).map((line) => `> ${line}`).join('\n');
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
