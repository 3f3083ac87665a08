/**
 * What the API answers (API.md), as types: the handlers return these (`httpHandler` is
 * generic in its response), the student pages (web/src/api.ts) and the `ops` CLI
 * (scripts/ops/*) read them. Types only: importing this module bundles nothing.
 */
import type { Admission } from '../adapters/dynamo/admissions';
import type { AuditEntry } from '../adapters/dynamo/audit';
import type { Page } from '../adapters/dynamo/cursor';
import type { QueuedDocument } from '../adapters/dynamo/document-queue';
import type { ListedAnomaly } from '../adapters/dynamo/stripe-events';
import type { ListedSupportRequest } from '../adapters/dynamo/support-requests';
import type { PresignedUpload } from '../adapters/s3';
import type { studentCertificateView, VerificationView } from '../domain/certificates/model';
import type { Correction, correctionView } from '../domain/corrections';
import type { DocumentItem } from '../domain/documents';
import type { DossierStatus, dossierView, PaymentAnomaly } from '../domain/dossier';
import type { rejectionView } from '../domain/admission-import';
import type { WithdrawalTerms } from '../domain/dossier/withdrawal';
import type { ErrorCode } from '../domain/messages/errors';
import type { FieldCode } from '../domain/messages/fields';
import type { StatsView } from '../domain/stats';
import type { SupportRequest } from '../domain/support-request';
import type { Override, StateReason } from '../domain/windows';

export type { Page };

/** Every error: `error.code` and a message in the caller's language; per field, why (API.md "Errors"). */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field path → message, in the caller's language. */
    fields?: Record<string, string>;
    /** Field path → reason code. */
    reasons?: Record<string, FieldCode>;
    /** Non-personal details of the refusal (e.g. `missingSteps`, `nextOpening`). */
    [detail: string]: unknown;
  };
}

// ---- Students

/** API.md "The dossier": the stored dossier and where the wizard resumes. */
export type DossierView = ReturnType<typeof dossierView>;

/** GET /api/dossier: an enrolled dossier also says what withdrawing now would mean (functions/domain/dossier/withdrawal.ts). */
export type OwnDossierView = DossierView & { withdrawalTerms?: WithdrawalTerms };
export type { WithdrawalTerms };

/** POST /api/session. */
export interface SessionView {
  token: string;
  expiresAt: string;
  dossier: DossierView;
}

/** An enrollment window, its instants as ISO 8601 with the stage's offset. */
export interface WindowView {
  id: string;
  opensAt: string;
  closesAt: string;
}

/** GET /api/status. */
export interface StatusView {
  open: boolean;
  reason: StateReason;
  message: string;
  window: WindowView | null;
  nextOpening: string | null;
  /** `nextOpening` in words, in the caller's language and the stage's time zone. */
  nextOpeningText: string | null;
  supportOpen: boolean;
  academicYear: string;
  timeZone: string;
}

export interface ProgrammeItem {
  code: string;
  /** In the caller's language. */
  label: string;
  level: string;
  component: string;
  feesCents: number | null;
  scolarite: { name: string; email: string; phone: string; address: string };
}

/** GET /api/programmes. */
export interface ProgrammesView {
  academicYear: string;
  items: ProgrammeItem[];
}

/** POST /api/dossier/payment/instalments/{n}. */
export interface InstalmentCheckoutView {
  checkoutUrl: string;
  sessionId: string;
  expiresAt: string;
  reused: boolean;
}

/** POST /api/dossier/payment. */
export interface CheckoutView extends InstalmentCheckoutView {
  plan: 'full' | 'instalments';
  /** The parts and their due dates (YYYY-MM-DD, Paris); one part when paying in full. */
  schedule: { n: number; amountCents: number; dueOn: string }[];
}

/** POST /api/support. */
export interface SupportAccepted {
  requestId: string;
}

/** GET /api/dossier/documents. */
export interface DocumentsView {
  items: DocumentItem[];
}
export type { DocumentItem };

/** POST /api/dossier/documents/{kind}/uploads: the presigned POST (every field, then `file`) and the size it allows. */
export type UploadView = PresignedUpload & { maxBytes: number };

/** GET /api/dossier/corrections. */
export interface CorrectionsView {
  items: ReturnType<typeof correctionView>[];
}

/** POST /api/dossier/corrections. */
export type CorrectionCreated = Pick<Correction, 'id' | 'status'>;

/** One certificate of GET /api/dossier/certificates. */
export type StudentCertificate = ReturnType<typeof studentCertificateView>;

/** GET /api/dossier/certificates: those whose PDF is stored. */
export interface CertificatesView {
  items: StudentCertificate[];
}

/** GET /api/verify/{code}. */
export type { VerificationView };

// ---- Operators

export type { AuditEntry };

/** GET /api/admin/dossiers/{id}. */
export type AdminDossierView = DossierView & {
  admission: Admission | null;
  /** The latest of `paymentAnomalies`, if any. */
  paymentAnomaly: PaymentAnomaly | null;
  /** Every payment that could not be accepted or is owed back, oldest first. */
  paymentAnomalies: PaymentAnomaly[];
  /** The operators' changes to the admission and to the dossier, oldest first. */
  audit: (AuditEntry & { subject: 'admission' | 'dossier' })[];
  /**
   * The most a supervisor may refund now (`POST …/refund`), from the withdrawal rules
   * (functions/domain/dossier/withdrawal.ts `refundableCents`); null unless a decision is awaited
   * (`withdrawal_requested`).
   */
  refundableCents: number | null;
};

/** One anomaly of GET /api/admin/payment-anomalies, with whose dossier it is (null: no dossier of ours). */
export type PaymentAnomalyItem = ListedAnomaly & {
  dossier: { identifier: string; lastName: string; firstName: string; programmeCode: string; status: DossierStatus } | null;
};

/** GET /api/admin/payment-anomalies: newest first, `next` for the following page (`?cursor=`). */
export type PaymentAnomaliesPage = Page<PaymentAnomalyItem>;
export type { ListedAnomaly };

/** One dossier of GET /api/admin/instalments/overdue. */
export interface OverdueInstalmentsItem {
  dossierId: string;
  identifier: string;
  lastName: string;
  firstName: string;
  programmeCode: string;
  overdue: { n: number; amountCents: number; dueOn: string; failureCode?: string }[];
  overdueCents: number;
}

/** GET /api/admin/instalments/overdue: a page of a year's list, oldest due day first; `count` is this page's, `next` the following page (`?cursor=`). */
export interface OverdueInstalmentsView extends Page<OverdueInstalmentsItem> {
  academicYear: string;
  count: number;
}

/** PUT /api/admin/service. */
export type ServiceUpdateView = StatusView & { override: Override | null };

/** GET /api/admin/service. */
export type ServiceView = ServiceUpdateView & {
  lastSwitch: { at: string; open?: boolean; reason?: string } | null;
  calendar: { timeZone: string; windows: WindowView[] };
  audit: AuditEntry[];
};

/** One match of GET /api/admin/dossiers: a dossier, or an admission whose student has not logged in yet. */
export interface SearchItem {
  id: string | null;
  identifier: string;
  academicYear: string;
  status: DossierStatus | 'no_dossier';
  lastName: string;
  usageName: string | null;
  firstName: string;
  programmeCode: string;
  scholarship: string | null;
  paymentStatus: string | null;
  updatedAt: string | null;
}

/** GET /api/admin/dossiers. */
export type SearchPage = Page<SearchItem> & { academicYear: string };

/** GET /api/admin/support-requests: newest first, each with whether and by whom it was handled. */
export type SupportPage = Page<ListedSupportRequest> & { academicYear: string };
export type { ListedSupportRequest, SupportRequest };

/** GET /api/admin/corrections: a year's requests in one status, oldest first. */
export type AdminCorrectionsPage = Page<Correction> & { academicYear: string };

/** POST /api/admin/corrections/{id}: the decision taken. */
export type CorrectionDecided = Pick<Correction, 'id' | 'status' | 'reason'>;

/** POST /api/admin/dossiers/{id}/certificates/reissue: 202, the reissue under way. */
export interface ReissueAccepted {
  eventId: string;
}

/** GET /api/admin/documents: the documents waiting for a review, oldest first. */
export type DocumentsQueuePage = Page<QueuedDocument> & { academicYear: string };

/** GET /api/admin/dossiers/{id}/documents/{kind}/file?view=inline: a short-lived URL to show the file. */
export interface DocumentFileView {
  url: string;
  contentType: string | null;
}

/** GET /api/admin/stats. */
export type { StatsView };

/** One rejected line of an admissions import. */
export type ImportRejection = ReturnType<typeof rejectionView>;

/** POST /api/admin/admissions. */
export interface ImportResult {
  importId: string;
  lines: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  rejected: ImportRejection[];
  ignoredColumns: string[];
}

/** POST /api/admin/dossiers/{id}/resend-mail. */
export interface MailQueued {
  jobId: string;
}
