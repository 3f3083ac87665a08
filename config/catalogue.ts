/**
 * The university's catalogue: programmes, national fee rates per academic year, the académie
 * code used for provisional INEs, and the digital-workspace (ENT) activation procedure that
 * the synthesis mail gives. Pure data shared by the functions and the local runtime.
 */
import type { Lang } from '../functions/domain/messages/lang';

export type Level = 'licence' | 'master' | 'doctorat' | 'ingenieur';

export interface Scolarite {
  name: string;
  email: string;
  phone: string;
  address: string;
}

export interface Programme {
  code: string;
  label: Record<Lang, string>;
  level: Level;
  component: string;
  scolarite: Scolarite;
}

/**
 * National registration fees in euro cents, per academic year.
 * 2025-2026: the ministry's published rates. 2026-2027 repeats them until the new decree is
 * published; update this table when it is.
 */
export const feesByYear: Record<string, Record<Level, number>> = {
  '2025-2026': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 },
  '2026-2027': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 },
  '2027-2028': { licence: 17800, master: 25400, doctorat: 39700, ingenieur: 62800 },
};

/**
 * SPEC "Withdrawal and refunds" (the rules: functions/domain/dossier/withdrawal.ts). The academic
 * year `YYYY-YYYY+1` starts on `academicYearStart` of its first year, wall-clock time in the
 * stage's calendar time zone (config/stages.ts); before it a withdrawing student is refunded what
 * was paid minus `retentionCents`, after it a supervisor decides up to that amount.
 */
export const withdrawalRules = {
  academicYearStart: { month: 9, day: 1, hour: 0, minute: 0, second: 0 },
  retentionCents: 2300,
} as const;

/** The university, as its certificates name it (functions/certificates). */
export const university = { fr: 'Aix-Marseille Université', en: 'Aix-Marseille University' } as const;

/** Two-digit académie code that prefixes provisional INEs (Aix-Marseille: 02 in this catalogue). */
export const academieCode = '02';

const scolSciences: Scolarite = {
  name: 'Scolarité Faculté des Sciences — site Saint-Charles',
  email: 'sciences-scolarite@example.org',
  phone: '+33 4 13 55 00 00',
  address: '3 place Victor Hugo, 13003 Marseille',
};
const scolALLSH: Scolarite = {
  name: 'Scolarité ALLSH — site Schuman',
  email: 'allsh-scolarite@example.org',
  phone: '+33 4 13 55 30 00',
  address: '29 avenue Robert Schuman, 13100 Aix-en-Provence',
};
const scolEco: Scolarite = {
  name: "Scolarité Faculté d'Économie et de Gestion",
  email: 'feg-scolarite@example.org',
  phone: '+33 4 42 91 48 00',
  address: '14 avenue Jules Ferry, 13100 Aix-en-Provence',
};
const scolPolytech: Scolarite = {
  name: 'Scolarité Polytech Marseille',
  email: 'polytech-scolarite@example.org',
  phone: '+33 4 91 82 85 00',
  address: '163 avenue de Luminy, 13009 Marseille',
};

export const programmes: Programme[] = [
  {
    code: 'L1-INFO',
    label: { fr: 'Licence 1 Informatique', en: 'Bachelor year 1, Computer Science' },
    level: 'licence',
    component: 'Faculté des Sciences',
    scolarite: scolSciences,
  },
  {
    code: 'L1-LLCER-ANG',
    label: { fr: 'Licence 1 LLCER Anglais', en: 'Bachelor year 1, English Studies' },
    level: 'licence',
    component: 'ALLSH',
    scolarite: scolALLSH,
  },
  {
    code: 'L3-ECO',
    label: { fr: 'Licence 3 Économie et gestion', en: 'Bachelor year 3, Economics and Management' },
    level: 'licence',
    component: "Faculté d'Économie et de Gestion",
    scolarite: scolEco,
  },
  {
    code: 'M1-INFO',
    label: { fr: 'Master 1 Informatique', en: 'Master year 1, Computer Science' },
    level: 'master',
    component: 'Faculté des Sciences',
    scolarite: scolSciences,
  },
  {
    code: 'M2-MIAGE',
    label: { fr: 'Master 2 MIAGE', en: 'Master year 2, Business Information Systems' },
    level: 'master',
    component: "Faculté d'Économie et de Gestion",
    scolarite: scolEco,
  },
  {
    code: 'DOC-PHYS',
    label: { fr: 'Doctorat Physique', en: 'PhD in Physics' },
    level: 'doctorat',
    component: 'Faculté des Sciences',
    scolarite: scolSciences,
  },
  {
    code: 'ING-INFO',
    label: { fr: 'Cycle ingénieur Informatique', en: 'Engineering degree, Computer Science' },
    level: 'ingenieur',
    component: 'Polytech Marseille',
    scolarite: scolPolytech,
  },
];

/** The digital workspace (ENT) and student account activation procedure, for the synthesis mail. */
export const entActivation = {
  url: 'https://ent.example.org/activation',
  steps: {
    fr: [
      "Rendez-vous sur la page d'activation de votre compte.",
      'Saisissez votre numéro étudiant (indiqué dans ce mail) et votre date de naissance.',
      'Choisissez votre mot de passe et acceptez la charte informatique.',
      "Connectez-vous à l'ENT : messagerie, emploi du temps et certificat de scolarité y sont disponibles.",
    ],
    en: [
      'Go to the account activation page.',
      'Enter your student number (given in this mail) and your date of birth.',
      'Choose your password and accept the IT charter.',
      'Sign in to the digital workspace (ENT): mail, timetable and enrollment certificate are there.',
    ],
  },
};

export function findProgramme(code: string): Programme | undefined {
  return programmes.find((p) => p.code === code);
}

export function feeCents(level: Level, academicYear: string): number | undefined {
  return feesByYear[academicYear]?.[level];
}

/**
 * Supporting documents (SPEC "Supporting documents"): which kinds a dossier needs, by its
 * situation, the types each accepts and the limits the upload policy and the check job apply.
 * `when`: `always`; `scholarship` values or `regime` values of the situation step; `correction`
 * (offered while the student has asked for a correction, to prove it).
 */
export type DocumentCondition = { always: true } | { scholarship: readonly string[] } | { regime: readonly string[] } | { correction: true };

export interface DocumentKindDef {
  kind: string;
  label: { fr: string; en: string };
  /** MIME types accepted (each also checked against the file's first bytes). */
  types: readonly ('application/pdf' | 'image/jpeg' | 'image/png')[];
  when: DocumentCondition;
  /** Required for the dossier to be complete; otherwise offered. @default true */
  required?: boolean;
}

export const documents = {
  /**
   * The largest file a presigned POST accepts, in bytes (S3 enforces it through the policy): 5 MiB
   * written out, since esbuild keeps an unused initialiser holding arithmetic, and this object
   * would then ride in every bundle that imports the catalogue without reading it.
   */
  maxBytes: 5_242_880,
  /** Seconds a presigned POST stays valid. */
  uploadExpirySeconds: 600,
  /** Seconds a download URL stays valid. */
  downloadExpirySeconds: 60,
  /** The smallest student-card photo, in pixels. */
  photoMinPixels: { width: 300, height: 400 },
  /** Files are deleted this many months after the academic year ends (the eve of the next `academicYearStart`). */
  retentionMonthsAfterYear: 18,
  kinds: [
    {
      kind: 'identity',
      label: { fr: "Pièce d'identité (carte ou passeport)", en: 'Identity document (ID card or passport)' },
      types: ['application/pdf', 'image/jpeg', 'image/png'],
      when: { always: true },
    },
    { kind: 'photo', label: { fr: "Photo d'identité (carte d'étudiant)", en: 'Passport photo (student card)' }, types: ['image/jpeg', 'image/png'], when: { always: true } },
    {
      kind: 'crous_notification',
      label: { fr: 'Notification de bourse du CROUS', en: 'CROUS scholarship notification' },
      types: ['application/pdf', 'image/jpeg', 'image/png'],
      when: { scholarship: ['granted', 'pending'] },
    },
    {
      kind: 'apprenticeship_contract',
      label: { fr: "Contrat d'apprentissage", en: 'Apprenticeship contract' },
      types: ['application/pdf', 'image/jpeg', 'image/png'],
      when: { regime: ['apprentissage'] },
    },
    {
      kind: 'correction_proof',
      label: { fr: "Justificatif de correction d'état civil", en: 'Proof for a civil-status correction' },
      types: ['application/pdf', 'image/jpeg', 'image/png'],
      when: { correction: true },
      required: false,
    },
  ] satisfies DocumentKindDef[] as readonly DocumentKindDef[],
};
