import { applyProgramme } from '../domain/dossier';
import { ProgrammeBody } from '../domain/schemas';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { feesByYear, updateOwnDossier } from '../shared/student';

/** PUT /api/dossier/programme — confirms the admitted programme; the dossier shows its fees. */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(ProgrammeBody) }, async ({ body, student, now }) =>
  updateOwnDossier(student.dossierId, (d) => applyProgramme(d, body, feesByYear), now),
);
