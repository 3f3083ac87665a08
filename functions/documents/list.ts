import { documentItems } from '../domain/documents';
import type { DocumentsView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';
import { documentRules, ownDossier } from './shared';

/** GET /api/dossier/documents — the documents the caller's dossier needs or holds, with their status. */
export const handler = httpHandler({ auth: studentSession }, async ({ student }): Promise<HttpResult<DocumentsView>> => {
  const d = await ownDossier(student.dossierId);
  return { statusCode: 200, body: { items: documentItems(d, documentRules) } };
});
