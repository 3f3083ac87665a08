import { documents as documentRules } from '../../config/catalogue';
import { getDossier } from '../adapters/dynamo/dossiers';
import { documentKind, objectKey } from '../domain/documents';
import type { Dossier, StoredDocument } from '../domain/dossier';
import { AppError, notFound, unauthenticated } from '../shared/errors';

export { documentRules };

/** 404 UNKNOWN_DOCUMENT: a kind this dossier has no use for (API.md). */
export const unknownDocument = () => new AppError(404, 'UNKNOWN_DOCUMENT');

/** The caller's own dossier (the token names it). */
export async function ownDossier(dossierId: string): Promise<Dossier> {
  const d = await getDossier(dossierId);
  if (!d) throw unauthenticated();
  return d;
}

/** The uploaded file of `kind` (404 UNKNOWN_DOCUMENT for a kind without use, 404 NOT_FOUND before any upload). */
export function uploadedFile(d: Dossier, kind: string): { key: string; stored: StoredDocument } {
  const stored = d.documents?.[kind];
  if (!stored && !documentKind(d, kind, documentRules)) throw unknownDocument();
  if (!stored?.sequencer) throw notFound();
  return { key: objectKey(d.id, kind, stored.keyToken), stored };
}
