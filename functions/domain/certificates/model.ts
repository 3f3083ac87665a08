/**
 * The certificates' data (SPEC "Certificates"): what is certified, snapshotted from the dossier
 * when it is issued, and what anyone may learn by verifying a code. Pure.
 */
import * as z from 'zod/mini';
import type { Dossier } from '../dossier';
import { FeeReason, Level, settlementsOf } from '../dossier';

/** `enrollment`: certificat de scolarité; `payment`: attestation de paiement (or of exemption). */
export const CERTIFICATE_KINDS = ['enrollment', 'payment'] as const;
export const CertificateKind = /* @__PURE__ */ z.enum(CERTIFICATE_KINDS);
export type CertificateKind = z.infer<typeof CertificateKind>;

export const CERTIFICATE_LANGS = ['fr', 'en'] as const;
export const CertificateLang = /* @__PURE__ */ z.enum(CERTIFICATE_LANGS);
export type CertificateLang = z.infer<typeof CertificateLang>;

const Bilingual = /* @__PURE__ */ z.lazy(() => z.object({ fr: z.string(), en: z.string() }));

/** One amount paid (each instalment is one line). */
export const PaymentLine = /* @__PURE__ */ z.lazy(() =>
  z.object({
    amountCents: z.number().check(z.int(), z.nonnegative()),
    method: z.enum(['card', 'office']),
    reference: z.optional(z.string()),
    paidAt: z.string(),
  }),
);
export type PaymentLine = z.infer<typeof PaymentLine>;

/** What both certificates of one issue state, frozen at issue time. Holds personal data. */
export const CertificateSubject = /* @__PURE__ */ z.lazy(() =>
  z.object({
    dossierId: z.string(),
    identifier: z.string(),
    academicYear: z.string(),
    university: Bilingual,
    lastName: z.string(),
    usageName: z.optional(z.string()),
    firstName: z.string(),
    birthDate: z.string(),
    ine: z.optional(z.string()),
    programmeCode: z.string(),
    programmeLabel: Bilingual,
    level: Level,
    component: z.string(),
    regime: z.optional(z.string()),
    enrolledAt: z.string(),
    feesCents: z.number().check(z.int(), z.nonnegative()),
    feeReason: FeeReason,
    /** Empty for an exempt student: the payment certificate is then an exemption attestation. */
    payments: z.array(PaymentLine),
  }),
);
export type CertificateSubject = z.infer<typeof CertificateSubject>;

export interface SubjectCatalogue {
  university: { fr: string; en: string };
  programme: { label: { fr: string; en: string }; level: Level; component: string };
}

/** The snapshot of an enrolled dossier. */
export function certificateSubject(d: Dossier, catalogue: SubjectCatalogue): CertificateSubject {
  if (d.status !== 'enrolled' || !d.enrolledAt) throw new Error(`Dossier ${d.id} is ${d.status}: certificates are for enrolled dossiers`);
  const paid = d.payment.status === 'paid' && (d.payment.method === 'card' || d.payment.method === 'office');
  return {
    dossierId: d.id,
    identifier: d.identifier,
    academicYear: d.academicYear,
    university: { ...catalogue.university },
    lastName: d.student.lastName,
    usageName: d.student.usageName,
    firstName: d.student.firstName,
    birthDate: d.student.birthDate,
    ine: d.steps.ine.ine,
    programmeCode: d.programmeCode,
    programmeLabel: { ...catalogue.programme.label },
    level: catalogue.programme.level,
    component: catalogue.programme.component,
    regime: d.steps.situation.regime,
    enrolledAt: d.enrolledAt,
    feesCents: d.fees.amountCents,
    feeReason: d.fees.reason,
    // One line per charge that settled the fees (each instalment paid so far), from the ledger.
    payments: paid ? settlementsOf(d).map((m) => ({ amountCents: m.amountCents, method: m.method === 'office' ? 'office' : 'card', reference: m.reference, paidAt: m.updatedAt ?? m.at })) : [],
  };
}

/** Nothing was paid: the payment certificate attests the exemption. */
export const isExempt = (s: CertificateSubject) => s.payments.length === 0;

/**
 * How a verification names the holder: the initial of the first given name and the name in
 * capitals ("L. MARTIN"), enough to match a person to a document, not to find the person.
 */
export function holderOf(s: Pick<CertificateSubject, 'firstName' | 'lastName' | 'usageName'>): string {
  const first = s.firstName.trim().split(/[\s-]+/)[0] ?? '';
  const initial = [...first][0]?.toLocaleUpperCase('fr') ?? '';
  const name = (s.usageName?.trim() || s.lastName.trim()).toLocaleUpperCase('fr');
  return initial ? `${initial}. ${name}` : name;
}

export const RevocationReason = /* @__PURE__ */ z.enum(['cancelled', 'withdrawn', 'superseded']);
export type RevocationReason = z.infer<typeof RevocationReason>;

/** One certificate (one kind, one code; rendered in French and English). */
export const CertificateRecord = /* @__PURE__ */ z.lazy(() =>
  z.object({
    code: z.string(),
    kind: CertificateKind,
    dossierId: z.string(),
    /** The issue it belongs to (the enrollment, a correction, an operator's re-issue). */
    issueId: z.string(),
    /** Orders the issues of a dossier: 0 at enrollment, then 1, 2… */
    sequence: z.number().check(z.int(), z.nonnegative()),
    issuedAt: z.string(),
    subject: CertificateSubject,
    /** Set once both PDFs are stored. */
    storedAt: z.optional(z.string()),
    revokedAt: z.optional(z.string()),
    revokedReason: z.optional(RevocationReason),
  }),
);
export type CertificateRecord = z.infer<typeof CertificateRecord>;

/** GET /api/verify/{code} (API.md): never the birth date, the INE or the identifier. */
export interface VerificationView {
  valid: boolean;
  kind: CertificateKind;
  academicYear: string;
  programme: string;
  programmeCode: string;
  holder: string;
  issuedAt: string;
  revokedAt: string | null;
}

export function verificationView(r: CertificateRecord, lang: CertificateLang): VerificationView {
  return {
    valid: r.revokedAt === undefined,
    kind: r.kind,
    academicYear: r.subject.academicYear,
    programme: r.subject.programmeLabel[lang],
    programmeCode: r.subject.programmeCode,
    holder: holderOf(r.subject),
    issuedAt: r.issuedAt,
    revokedAt: r.revokedAt ?? null,
  };
}

/** What the student's listing shows (API.md `GET /api/dossier/certificates`). */
export function studentCertificateView(r: CertificateRecord) {
  return { kind: r.kind, verificationCode: r.code, issuedAt: r.issuedAt, ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}) };
}
