import { applySituation } from '../domain/dossier';
import { SituationBody } from '../domain/schemas';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { feesByYear, updateOwnDossier } from '../shared/student';

/** PUT /api/dossier/situation — enrollment regime and scholarship status (fees follow). */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(SituationBody) }, async ({ body, student, now }) =>
  updateOwnDossier(student.dossierId, (d) => applySituation(d, body, feesByYear), now),
);
