/**
 * Supporting documents (SPEC "Supporting documents"): which kinds a dossier needs, the upload
 * request's checks, the object key (the automatic check of the bytes: ./file-check.ts) and the statuses
 *
 *     missing ─► checking ─► to_review ─► accepted | rejected      (upload again from any status)
 *                        └─► rejected (file_type_mismatch, photo_too_small, file_empty, file_truncated)
 *
 * Pure: the catalogue's rules are passed in. Uploads of one kind race only through S3: each
 * S3 event carries a sequencer (greater = later on the same key), and a status is recorded
 * only for an upload later than the one the dossier knows, so the last complete upload wins
 * whatever order the events arrive in.
 */
import type { DocumentKindDef } from '../../config/catalogue';
import { DomainError, type Dossier, type StoredDocument } from './dossier';
import type { FieldCode } from './messages/fields';
import type { Lang } from './messages/lang';

export type DocumentRules = {
  maxBytes: number;
  photoMinPixels: { width: number; height: number };
  kinds: readonly DocumentKindDef[];
};

export interface DocumentItem {
  kind: string;
  /** The kind's name in each language (config/catalogue.ts); the kind itself for one the catalogue no longer has. */
  label: Readonly<Record<Lang, string>>;
  /** The content types an upload of this kind may declare; none when the dossier no longer needs the kind. */
  types: readonly string[];
  required: boolean;
  status: StoredDocument['status'];
  reason?: string;
  fileName?: string;
  contentType?: string;
  size?: number;
  updatedAt?: string;
}

/** The kinds this dossier has a use for, in catalogue order. */
export function applicableKinds(d: Dossier, rules: Pick<DocumentRules, 'kinds'>): DocumentKindDef[] {
  const { scholarship, regime } = d.steps.situation;
  return rules.kinds.filter((k) => {
    const w = k.when;
    if ('always' in w) return true;
    if ('scholarship' in w) return scholarship !== undefined && w.scholarship.includes(scholarship);
    if ('regime' in w) return regime !== undefined && w.regime.includes(regime);
    return d.correctionAsked === true;
  });
}

/** The kind named by a path, if this dossier has a use for it (else the API's 404 UNKNOWN_DOCUMENT). */
export function documentKind(d: Dossier, kind: string, rules: Pick<DocumentRules, 'kinds'>): DocumentKindDef | undefined {
  return applicableKinds(d, rules).find((k) => k.kind === kind);
}

/**
 * The dossier's documents as the API shows them (GET /api/dossier/documents and the dossier's
 * `documents`). A file uploaded for a kind the dossier no longer needs (the situation changed)
 * is still listed, as not required, so the student and the operators can see it.
 */
export function documentItems(d: Dossier, rules: Pick<DocumentRules, 'kinds'>): DocumentItem[] {
  const applicable = applicableKinds(d, rules);
  const stored = d.documents ?? {};
  const kinds = [...applicable.map((k) => k.kind), ...Object.keys(stored).filter((k) => !applicable.some((a) => a.kind === k))];
  return kinds.map((kind) => {
    const def = applicable.find((k) => k.kind === kind);
    const label = (def ?? rules.kinds.find((k) => k.kind === kind))?.label ?? { fr: kind, en: kind };
    const s = stored[kind];
    const item: DocumentItem = { kind, label, types: def?.types ?? [], required: def ? def.required !== false : false, status: s?.status ?? 'missing' };
    if (s?.reason !== undefined) item.reason = s.reason;
    if (s?.fileName !== undefined) item.fileName = s.fileName;
    if (s?.contentType !== undefined) item.contentType = s.contentType;
    if (s?.size !== undefined) item.size = s.size;
    if (s?.updatedAt !== undefined) item.updatedAt = s.updatedAt;
    return item;
  });
}

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
}

/** Field → reason code for what the upload request declares wrong (empty when acceptable). */
export function uploadRefusals(
  def: DocumentKindDef,
  req: UploadRequest,
  rules: Pick<DocumentRules, 'maxBytes'>,
): { code: 'DOCUMENT_TYPE_NOT_ALLOWED' | 'DOCUMENT_TOO_LARGE'; fields: Record<string, FieldCode> } | undefined {
  if (!(def.types as readonly string[]).includes(req.contentType)) return { code: 'DOCUMENT_TYPE_NOT_ALLOWED', fields: { contentType: 'document_type_not_allowed' } };
  if (req.size > rules.maxBytes) return { code: 'DOCUMENT_TOO_LARGE', fields: { size: 'document_too_large' } };
  return undefined;
}

/** The dossier with a key token for `kind` (kept once drawn: re-uploads replace the same object). */
export function withKeyToken(d: Dossier, kind: string, token: string): Dossier {
  if (d.documents?.[kind]) return d;
  return { ...d, documents: { ...(d.documents ?? {}), [kind]: { status: 'missing', keyToken: token } } };
}

const KEY = /^documents\/([0-9a-f-]{36})\/([a-z_]{1,40})\/([A-Za-z0-9_-]{16,64})$/;

/** The S3 key of a dossier's document: the dossier and kind in clear (for the check job), then the unguessable token. */
export function objectKey(dossierId: string, kind: string, token: string): string {
  return `documents/${dossierId}/${kind}/${token}`;
}

export function parseObjectKey(key: string): { dossierId: string; kind: string; token: string } | undefined {
  const m = KEY.exec(key);
  return m ? { dossierId: m[1]!, kind: m[2]!, token: m[3]! } : undefined;
}

/** S3 sequencers: hexadecimal strings, compared after right-padding the shorter with zeros. */
export function compareSequencers(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  const pa = a.toUpperCase().padEnd(n, '0');
  const pb = b.toUpperCase().padEnd(n, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

export interface UploadEvent {
  kind: string;
  token: string;
  sequencer: string;
  eTag: string;
  size: number;
  fileName?: string;
  contentType?: string;
  at: string;
}

/**
 * An upload has landed: the document is `checking` this upload, unless the dossier already
 * knows a later one (an event arriving late), or the token is not the document's.
 */
export function beginCheck(d: Dossier, e: UploadEvent): Dossier {
  const current = d.documents?.[e.kind];
  if (!current || current.keyToken !== e.token) return d;
  if (current.sequencer && compareSequencers(current.sequencer, e.sequencer) >= 0) return d;
  const next: StoredDocument = {
    status: 'checking',
    keyToken: current.keyToken,
    sequencer: e.sequencer,
    eTag: e.eTag,
    size: e.size,
    updatedAt: e.at,
    ...(e.fileName !== undefined ? { fileName: e.fileName } : {}),
    ...(e.contentType !== undefined ? { contentType: e.contentType } : {}),
  };
  return { ...d, documents: { ...d.documents, [e.kind]: next } };
}

export type CheckResult = { ok: true } | { ok: false; reason: RejectionReason };
export type RejectionReason = 'file_type_mismatch' | 'photo_too_small' | 'file_empty' | 'file_truncated';

/** Records the check of the upload `sequencer`, if it is still the one being checked. */
export function completeCheck(d: Dossier, kind: string, sequencer: string, result: CheckResult, at: string, file: { fileName?: string; contentType?: string } = {}): Dossier {
  const current = d.documents?.[kind];
  if (!current || current.status !== 'checking' || current.sequencer !== sequencer) return d;
  const { reason: _old, ...kept } = current;
  const rest = { ...kept, ...(file.fileName !== undefined ? { fileName: file.fileName } : {}), ...(file.contentType !== undefined ? { contentType: file.contentType } : {}) };
  const next: StoredDocument = result.ok ? { ...rest, status: 'to_review', updatedAt: at } : { ...rest, status: 'rejected', reason: result.reason, updatedAt: at };
  return { ...d, documents: { ...d.documents, [kind]: next } };
}

/** Whether an operator may decide on a document in `status` (a first decision, or one to change). */
export const isReviewable = (status: StoredDocument['status']): boolean => status === 'to_review' || status === 'accepted' || status === 'rejected';

/** An operator's decision on a document waiting for review (or a decision to change). */
export function reviewDocument(d: Dossier, kind: string, decision: 'accept' | 'reject', reason: string | undefined, at: string): Dossier {
  const current = d.documents?.[kind];
  if (!current || !isReviewable(current.status) || !current.sequencer) {
    throw new DomainError('document_not_reviewable', { status: current?.status ?? 'missing' });
  }
  const { reason: _old, ...rest } = current;
  const next: StoredDocument = decision === 'accept' ? { ...rest, status: 'accepted', updatedAt: at } : { ...rest, status: 'rejected', reason: reason ?? '', updatedAt: at };
  return { ...d, documents: { ...d.documents, [kind]: next } };
}

// The check of the file's bytes (magic numbers, completeness, the photo's size) is in
// ./file-check.ts: only the document-check job loads the image decoder it needs.
