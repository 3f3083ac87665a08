import { applyIdentity } from '../domain/dossier';
import { IdentityBody } from '../domain/contacts';
import { httpHandler } from '../shared/http';
import { updateOwnDossier } from '../shared/student';

/** PUT /api/dossier/identity — contacts (civil status comes from the admission and is only confirmed). */
export const handler = httpHandler({ auth: 'student', body: IdentityBody }, async ({ body, student, now }) => updateOwnDossier(student.dossierId, (d) => applyIdentity(d, body), now));
