/**
 * Admissions (API.md "An admission") and what they mean for the dossier made from them.
 *
 * A dossier keeps a copy of its admission's civil status and programme (the student confirms
 * them; the CVEC and INES checks use them). Re-importing an admission while the dossier is
 * still a draft brings the copy up to date, and sends the student back to the steps that were
 * checked against what changed; once the dossier is submitted the admission is frozen.
 *
 * Pure: no I/O.
 */
import { assertEditable, dossierFees, type Dossier, type DossierStudent, type FeesByYear, type Level } from './dossier';
import type { AdmissionRecord } from './schemas';

/** The fields of an admission, in API.md's order (also the CSV columns). */
export const ADMISSION_FIELDS = [
  'identifier',
  'source',
  'birthName',
  'usageName',
  'firstNames',
  'sex',
  'birthDate',
  'birthPlace',
  'birthCountry',
  'nationality',
  'email',
  'programmeCode',
  'academicYear',
] as const satisfies readonly (keyof AdmissionRecord)[];
export type AdmissionField = (typeof ADMISSION_FIELDS)[number];

/**
 * A name as operators type it into a search box: case, accents, ligatures, spaces, hyphens and
 * apostrophes ignored ("N'Diaye" = "ndiaye", "Lefèvre" = "LEFEVRE", "Le Gall" = "legall").
 * Letters of any script are kept.
 */
export function nameSearchKey(s: string): string {
  return s
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The student as the dossier records them: birth name, usage name, first of the first names. */
export function dossierStudentOf(a: Pick<AdmissionRecord, 'birthName' | 'usageName' | 'firstNames' | 'birthDate'>): DossierStudent {
  const firstName = a.firstNames.split(/[ ,]+/).find((s) => s !== '') ?? a.firstNames;
  return { lastName: a.birthName, ...(a.usageName ? { usageName: a.usageName } : {}), firstName, birthDate: a.birthDate };
}

/** The fields whose value differs, as `{before, after}` (absent when nothing changed). */
export function admissionChanges(before: Partial<Record<AdmissionField, unknown>>, after: AdmissionRecord): { before: Partial<AdmissionRecord>; after: Partial<AdmissionRecord> } | undefined {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const f of ADMISSION_FIELDS) {
    if ((before[f] ?? undefined) !== (after[f] ?? undefined)) {
      was[f] = before[f] ?? null;
      now[f] = after[f] ?? null;
    }
  }
  return Object.keys(now).length ? { before: was as Partial<AdmissionRecord>, after: now as Partial<AdmissionRecord> } : undefined;
}

/**
 * The draft dossier brought in line with its re-imported admission (DomainError `step_locked`
 * once submitted or cancelled: the admission can no longer change). A new programme must be
 * confirmed again; a new civil status invalidates the CVEC certificate checked against it, a
 * new birth date an INES verified with it. Fees follow the level. Returns `d` itself when the
 * dossier's copy is already up to date.
 */
export function refreshDossierFromAdmission(d: Dossier, a: AdmissionRecord, level: Level, feesByYear: FeesByYear): Dossier {
  assertEditable(d);
  const student = dossierStudentOf(a);
  const civilStatusChanged = student.lastName !== d.student.lastName || student.firstName !== d.student.firstName || student.birthDate !== d.student.birthDate;
  const programmeChanged = a.programmeCode !== d.programmeCode || level !== d.level;
  if (!civilStatusChanged && !programmeChanged && student.usageName === d.student.usageName) return d;

  let steps = d.steps;
  if (programmeChanged) steps = { ...steps, programme: { status: 'todo' } };
  if (civilStatusChanged && steps.cvec.certificateNumber !== undefined) {
    steps = { ...steps, cvec: { status: steps.cvec.required === false ? 'done' : 'todo', ...(steps.cvec.required !== undefined ? { required: steps.cvec.required } : {}) } };
  }
  if (student.birthDate !== d.student.birthDate && steps.ine.format === 'ines') steps = { ...steps, ine: { status: 'todo' } };
  const next: Dossier = { ...d, student, programmeCode: a.programmeCode, level, steps };
  return { ...next, fees: dossierFees(next, feesByYear) };
}
