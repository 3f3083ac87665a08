import { getAdmission } from '../adapters/dynamo/admissions';
import { correctionPut, newCorrectionId } from '../adapters/dynamo/corrections';
import { mutateDossier } from '../adapters/dynamo/dossiers';
import { CorrectionBody, type Correction } from '../domain/corrections';
import { assertNotCancelled } from '../domain/dossier';
import type { CorrectionCreated } from '../shared/contracts';
import { httpHandler, type HttpResult } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { logger } from '../shared/logger';
import { ownDossier } from '../documents/shared';

/**
 * POST /api/dossier/corrections — the student asks for a correction of the imported civil
 * status. Stored with the dossier's flag that offers a `correction_proof` document, in one
 * transaction. Open at any time after login, submitted or not, until the dossier is cancelled.
 */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(CorrectionBody) }, async ({ student, body, now }): Promise<HttpResult<CorrectionCreated>> => {
  const d = await ownDossier(student.dossierId);
  assertNotCancelled(d);
  const admission = await getAdmission(d.identifier, d.academicYear);
  const correction: Correction = {
    id: newCorrectionId(d.id),
    dossierId: d.id,
    academicYear: d.academicYear,
    identifier: d.identifier,
    field: body.field,
    proposedValue: body.proposedValue,
    currentValue: (admission?.[body.field] as string | undefined) ?? null,
    message: body.message,
    status: 'pending',
    createdAt: now.toISOString(),
  };
  await mutateDossier(
    d.id,
    (x) => {
      assertNotCancelled(x);
      return { dossier: { ...x, correctionAsked: true }, extra: [correctionPut(correction)] };
    },
    now,
  );
  logger.info('Correction requested', { dossierId: d.id, field: body.field });
  return { statusCode: 201, body: { id: correction.id, status: correction.status } };
});
