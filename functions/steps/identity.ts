import { applyIdentity } from '../domain/dossier';
import { IdentityBody } from '../domain/contacts';
import { httpHandler } from '../shared/http';
import { jsonBody } from '../shared/json-body';
import { studentSession } from '../shared/student-session';
import { updateOwnDossier } from '../shared/student';

/** PUT /api/dossier/identity — contacts (civil status comes from the admission and is only confirmed). */
export const handler = httpHandler({ auth: studentSession, body: jsonBody(IdentityBody) }, async ({ body, student, now }) => updateOwnDossier(student.dossierId, (d) => applyIdentity(d, body), now));
