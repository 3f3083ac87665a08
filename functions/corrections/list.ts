import { dossierCorrections } from '../adapters/dynamo/corrections';
import { correctionView } from '../domain/corrections';
import type { CorrectionsView } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { studentSession } from '../shared/student-session';

/** GET /api/dossier/corrections — the caller's requests, oldest first. */
export const handler = httpHandler({ auth: studentSession }, async ({ student }): Promise<HttpResult<CorrectionsView>> => {
  const items = await dossierCorrections(student.dossierId);
  return { statusCode: 200, body: { items: items.map(correctionView) } };
});
