/**
 * Corrections of imported civil status (SPEC "Corrections of imported data"): the student asks
 * (field, proposed value, message); an operator accepts (the admission and the dossier change:
 * a corrected birth date is the one to log in with) or rejects with a reason. Pure.
 */
import * as z from 'zod/mini';
import { dossierStudentOf } from './admission';
import { text } from './text';
import type { Dossier } from './dossier';
import { birthDate, personName, REASON_LENGTH } from './schemas';
import { preprocess, requiredOr } from './schema-parts';
import type { FieldCode } from './messages/fields';

export const CorrectionField = /* @__PURE__ */ z.enum(['birthName', 'usageName', 'firstNames', 'birthDate', 'birthPlace', 'sex', 'nationality'], {
  error: /* @__PURE__ */ requiredOr('invalid_choice'),
});
export type CorrectionField = z.infer<typeof CorrectionField>;

/** POST /api/dossier/corrections */
const CorrectionFields = /* @__PURE__ */ z.lazy(() =>
  z.object({ field: CorrectionField, proposedValue: z.string({ error: requiredOr('invalid_type') }), message: text(2000, { multiline: true, noMarkup: true }) }),
);
export const CorrectionBody = /* @__PURE__ */ z.lazy(() => {
  /** How each field's proposed value is checked (the same rules as an import). */
  const VALUE: Record<CorrectionField, z.ZodMiniType<string>> = {
    birthName: personName(),
    usageName: personName(),
    firstNames: personName(200),
    birthDate: birthDate(),
    birthPlace: text(100, { noMarkup: true }),
    sex: z.enum(['F', 'M', 'X'], { error: requiredOr('invalid_choice') }),
    nationality: text(100, { noMarkup: true }),
  };
  return z.pipe(
    CorrectionFields,
    z.transform((b: z.output<typeof CorrectionFields>, ctx) => {
      const value = VALUE[b.field].safeParse(b.proposedValue);
      if (!value.success) {
        ctx.issues.push({ code: 'custom', path: ['proposedValue'], message: value.error.issues[0]?.message ?? ('invalid' satisfies FieldCode), input: b.proposedValue });
        return z.NEVER;
      }
      return { ...b, proposedValue: value.data };
    }),
  );
});
export type CorrectionBody = z.infer<typeof CorrectionBody>;

/** POST /api/admin/corrections/{id} and …/documents/{kind}/review: a reason is required to reject. */
export const DecisionBody = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      decision: z.enum(['accept', 'reject'], { error: requiredOr('invalid_choice') }),
      reason: preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), z.optional(text(REASON_LENGTH.max, { multiline: true }))),
    })
    .check(
      z.superRefine((b, ctx) => {
        if (b.decision === 'reject' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required' satisfies FieldCode });
      }),
    ),
);
export type DecisionBody = z.infer<typeof DecisionBody>;

export const CORRECTION_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];

export interface Correction {
  id: string;
  dossierId: string;
  academicYear: string;
  identifier: string;
  field: CorrectionField;
  proposedValue: string;
  /** The value when asked (for the operator's comparison and the audit). */
  currentValue: string | null;
  message: string;
  status: CorrectionStatus;
  reason?: string;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

/** What the student sees of a correction (API.md). */
export const correctionView = (c: Correction) => ({ id: c.id, field: c.field, proposedValue: c.proposedValue, status: c.status, ...(c.reason ? { reason: c.reason } : {}), createdAt: c.createdAt });

export type CorrectableAdmission = { birthName: string; usageName?: string; firstNames: string; birthDate: string; birthPlace: string; sex: string; nationality: string };

/** The admission with the correction applied. */
export function correctedAdmission<A extends CorrectableAdmission>(a: A, field: CorrectionField, value: string): A {
  return { ...a, [field]: value } as A;
}

/** The dossier's copy of the civil status, brought in line with the corrected admission. */
export function correctedDossier(d: Dossier, a: CorrectableAdmission): Dossier {
  const student = dossierStudentOf(a);
  const same = student.lastName === d.student.lastName && student.firstName === d.student.firstName && student.birthDate === d.student.birthDate && student.usageName === d.student.usageName;
  return same ? d : { ...d, student };
}

/** The fields' names, for mails and pages. */
export const CORRECTION_FIELD_LABELS: Record<CorrectionField, { fr: string; en: string }> = {
  birthName: { fr: 'Nom de naissance', en: 'Birth name' },
  usageName: { fr: "Nom d'usage", en: 'Usual name' },
  firstNames: { fr: 'Prénoms', en: 'First names' },
  birthDate: { fr: 'Date de naissance', en: 'Date of birth' },
  birthPlace: { fr: 'Lieu de naissance', en: 'Place of birth' },
  sex: { fr: 'Sexe', en: 'Sex' },
  nationality: { fr: 'Nationalité', en: 'Nationality' },
};
