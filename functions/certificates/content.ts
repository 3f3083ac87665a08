/**
 * The content model of the two certificates: what each PDF says, in French or English, as
 * plain structured text. Pure, so it is tested without rendering a PDF; `pdf.ts` only lays it
 * out. Dates are in the university's time zone (the stage's calendar); amounts in euros in the document's locale.
 */
import { formatEuros, regimeLabel } from '../domain/labels';
import { LOCALES } from '../domain/messages/lang';
import { currentStage } from '../shared/stage';
import { isExempt, type CertificateKind, type CertificateLang, type CertificateRecord } from '../domain/certificates/model';

export interface CertificateDocument {
  lang: CertificateLang;
  kind: CertificateKind;
  /** PDF metadata title and the page's heading. */
  title: string;
  university: string;
  academicYearLine: string;
  statement: string;
  rows: [label: string, value: string][];
  /** The receipt's table of amounts paid (absent on an exemption attestation). */
  payments?: {
    header: [string, string, string, string];
    lines: [string, string, string, string][];
    total: [string, string];
    /** What the fees still ask (parts of the plan not paid yet), when anything. */
    balance?: [string, string];
  };
  issuedLine: string;
  verification: { code: string; url: string; label: string; instructions: string };
  footer: string;
}

const LEVELS: Record<string, Record<CertificateLang, string>> = {
  licence: { fr: 'Licence', en: 'Bachelor' },
  master: { fr: 'Master', en: 'Master' },
  doctorat: { fr: 'Doctorat', en: 'Doctorate' },
  ingenieur: { fr: "Diplôme d'ingénieur", en: 'Engineering degree' },
};

const METHODS: Record<'card' | 'office', Record<CertificateLang, string>> = {
  card: { fr: 'Carte bancaire (en ligne)', en: 'Card (online)' },
  office: { fr: 'En scolarité', en: 'At the scolarité desk' },
};

const EXEMPTIONS: Record<string, Record<CertificateLang, string>> = {
  scholarship_granted: { fr: 'étudiant(e) boursier(ère) sur critères sociaux', en: 'holder of a needs-based scholarship' },
  exchange_programme: { fr: "étudiant(e) en programme d'échange (droits acquittés dans l'établissement d'origine)", en: 'exchange student (fees paid to the home institution)' },
};

export function formatDate(iso: string, lang: CertificateLang): string {
  // A bare date (birth date) is a calendar date, not an instant: no time zone shift.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : currentStage().calendar.timeZone, dateStyle: 'long' }).format(date);
}

/** The document for one certificate in one language; `verifyUrl` is `<publicOrigin>/verifier/<code>`. */
export function certificateDocument(r: CertificateRecord, lang: CertificateLang, verifyUrl: string): CertificateDocument {
  const s = r.subject;
  const fr = lang === 'fr';
  const exempt = isExempt(s);
  const name = [s.firstName, s.usageName ? `${s.usageName} (${fr ? 'né(e)' : 'born'} ${s.lastName})` : s.lastName].join(' ');
  const identity: [string, string][] = [
    [fr ? 'Nom de naissance' : 'Birth name', s.lastName.toLocaleUpperCase('fr')],
    ...(s.usageName ? ([[fr ? "Nom d'usage" : 'Usual name', s.usageName.toLocaleUpperCase('fr')]] as [string, string][]) : []),
    [fr ? 'Prénom(s)' : 'First name(s)', s.firstName],
    [fr ? 'Date de naissance' : 'Date of birth', formatDate(s.birthDate, lang)],
    ['INE', s.ine ?? (fr ? 'en cours d’attribution' : 'being assigned')],
    [fr ? 'Identifiant' : 'Student identifier', s.identifier],
  ];
  const enrollment: [string, string][] = [
    [fr ? 'Formation' : 'Programme', `${s.programmeLabel[lang]} (${s.programmeCode})`],
    [fr ? 'Niveau' : 'Level', LEVELS[s.level]?.[lang] ?? s.level],
    [fr ? 'Composante' : 'Faculty', s.component],
    ...(s.regime ? ([[fr ? "Régime d'inscription" : 'Enrollment regime', regimeLabel(s.regime, lang)]] as [string, string][]) : []),
    [fr ? "Date d'inscription" : 'Enrollment date', formatDate(s.enrolledAt, lang)],
  ];

  let title: string;
  let statement: string;
  let payments: CertificateDocument['payments'];
  if (r.kind === 'enrollment') {
    title = fr ? 'Certificat de scolarité' : 'Certificate of enrollment';
    statement = fr
      ? `${s.university.fr} certifie que ${name} est régulièrement inscrit(e) pour l'année universitaire ${s.academicYear} dans la formation ci-dessous.`
      : `${s.university.en} certifies that ${name} is duly enrolled for the academic year ${s.academicYear} in the programme below.`;
  } else if (exempt) {
    title = fr ? "Attestation d'exonération des droits d'inscription" : 'Certificate of registration fee exemption';
    const why = EXEMPTIONS[s.feeReason]?.[lang] ?? (fr ? 'exonération' : 'exemption');
    statement = fr
      ? `${s.university.fr} atteste que ${name} est exonéré(e) des droits d'inscription pour l'année universitaire ${s.academicYear} : ${why}. Aucun montant n'est dû.`
      : `${s.university.en} certifies that ${name} is exempt from registration fees for the academic year ${s.academicYear}: ${why}. Nothing is due.`;
  } else {
    title = fr ? 'Attestation de paiement des droits d’inscription' : 'Receipt for registration fees';
    const total = s.payments.reduce((sum, p) => sum + p.amountCents, 0);
    statement = fr
      ? `${s.university.fr} atteste avoir reçu de ${name} le paiement des droits d'inscription de l'année universitaire ${s.academicYear}, pour un total de ${formatEuros(total, lang)}.`
      : `${s.university.en} acknowledges receipt from ${name} of the registration fees for the academic year ${s.academicYear}, ${formatEuros(total, lang)} in total.`;
    payments = {
      header: fr ? ['Date', 'Montant', 'Moyen de paiement', 'Référence'] : ['Date', 'Amount', 'Method', 'Reference'],
      lines: s.payments.map((p) => [formatDate(p.paidAt, lang), formatEuros(p.amountCents, lang), METHODS[p.method][lang], p.reference ?? '—']),
      total: [fr ? 'Total payé' : 'Total paid', formatEuros(total, lang)],
      ...(total < s.feesCents ? { balance: [fr ? 'Reste à payer' : 'Balance due', formatEuros(s.feesCents - total, lang)] as [string, string] } : {}),
    };
  }

  return {
    lang,
    kind: r.kind,
    title,
    university: s.university[lang],
    academicYearLine: fr ? `Année universitaire ${s.academicYear}` : `Academic year ${s.academicYear}`,
    statement,
    rows: [...identity, ...enrollment],
    payments,
    issuedLine: fr ? `Délivré le ${formatDate(r.issuedAt, lang)}, pour servir et valoir ce que de droit.` : `Issued on ${formatDate(r.issuedAt, lang)}, for whatever purpose it may serve.`,
    verification: {
      code: r.code,
      url: verifyUrl,
      label: fr ? 'Code de vérification' : 'Verification code',
      instructions: fr ? "Toute personne peut vérifier l'authenticité de ce document en scannant le QR code ou sur :" : 'Anyone can check that this document is genuine by scanning the QR code or at:',
    },
    footer: fr
      ? 'Document délivré électroniquement, sans signature manuscrite. Seule la vérification en ligne fait foi.'
      : 'Electronically issued document, without a handwritten signature. Only the online verification is authoritative.',
  };
}
