import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as putService } from '../../functions/admin/put-service';
import { routes } from '../../functions/routes';
import { handler as getDossier } from '../../functions/steps/get-dossier';
import { handler as identity } from '../../functions/steps/identity';
import { httpEvent, invoke } from '../support/events';
import { getAdmission } from '../../functions/adapters/dynamo/admissions';
import { handler as sessionHandler } from '../../functions/public/session';
import { admitStudent, loggedInStudent } from '../support/students';
import { studentReadyToSubmit } from '../support/wizard';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
const OPERATOR = 'arn:aws:iam::123456789012:user/operator';
const setMode = (mode: 'open' | 'closed' | 'calendar') => invoke(putService, httpEvent({ method: 'PUT', body: { mode, reason: 'Test fermeture' }, adminPrincipal: OPERATOR }));

beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(async () => {
  await setMode('calendar');
  vi.useRealTimers();
});

// Every route a student uses (their own routes and the login) must be behind the gate, but
// those the route list declares open while closed (an enrolled student's certificates, logout).
// The login is gated after its credentials are checked: it has its own tests below.
const gated = routes.filter((r) => r.auth === 'student' && !r.openWhenClosed);
const openWhenClosed = routes.filter((r) => r.openWhenClosed);

describe('closed service', () => {
  it('covers the student routes of the route list', () => {
    expect(gated.map((r) => r.id)).toEqual(expect.arrayContaining(['GetDossier', 'StepIdentity', 'Submit']));
  });

  it('refuses a login while closed (503) to a student not enrolled yet, creating no dossier', async () => {
    const admission = await admitStudent();
    await setMode('closed');
    const res = await invoke(sessionHandler, httpEvent({ method: 'POST', body: { identifier: admission.identifier, birthDate: admission.birthDate }, lang: 'en' }));
    expect(res.statusCode).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_CLOSED');
    expect((await getAdmission(admission.identifier, admission.academicYear))?.dossierId).toBeUndefined();
  });

  it('lets an enrolled student sign in and read the dossier while closed (to pay what remains, follow a refund), and still refuses the wizard', async () => {
    const student = await studentReadyToSubmit({ email: 'closed.enrolled@example.org', scholarship: 'granted', cvecState: 71 });
    expect((await student.submit()).body.status).toBe('enrolled');
    await setMode('closed');
    const relogin = await invoke(sessionHandler, httpEvent({ method: 'POST', body: { identifier: student.admission.identifier, birthDate: student.admission.birthDate } }));
    expect(relogin.statusCode).toBe(201);
    const read = await invoke(getDossier, httpEvent({ path: '/api/dossier', token: relogin.body.token }));
    expect(read.statusCode).toBe(200);
    expect(read.body.status).toBe('enrolled');
    const step = await invoke(identity, httpEvent({ method: 'PUT', path: '/api/dossier/identity', token: relogin.body.token, body: {} }));
    expect(step.statusCode).toBe(503);
  });

  it.each(gated.map((r) => [r.id, r] as const))('%s answers 503 SERVICE_CLOSED while closed', async (_id, route) => {
    const { token } = await loggedInStudent();
    await setMode('closed');
    const { handler } = (await import(pathToFileURL(resolve(route.entry)).href)) as { handler: typeof getDossier };
    const res = await invoke(handler, httpEvent({ method: route.method, path: route.path, token, body: route.method === 'GET' ? undefined : {}, lang: 'en' }));
    expect(res.statusCode).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_CLOSED');
    expect(res.body.error.message).toMatch(/closed/);
  });

  it.each(openWhenClosed.map((r) => [r.id, r] as const))('%s still answers while closed, as the route list declares', async (_id, route) => {
    const { token } = await loggedInStudent();
    await setMode('closed');
    const { handler } = (await import(pathToFileURL(resolve(route.entry)).href)) as { handler: typeof getDossier };
    const res = await invoke(handler, httpEvent({ method: route.method, path: route.path, token, pathParameters: route.path.includes('{kind}') ? { kind: 'enrollment' } : undefined, lang: 'en' }));
    expect(res.statusCode).not.toBe(503);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('between windows the answer gives the next opening, in French by default', async () => {
    const admission = await admitStudent();
    vi.setSystemTime(new Date('2026-08-01T10:00:00Z'));
    const res = await invoke(sessionHandler, httpEvent({ method: 'POST', body: { identifier: admission.identifier, birthDate: admission.birthDate } }));
    expect(res.statusCode).toBe(503);
    expect(res.body.error.nextOpening).toBe('2026-08-25T07:00:00.000Z');
    expect(res.body.error.message).toContain('25 août 2026');
  });

  it('nothing a student entered is lost by closing and reopening', async () => {
    const { token } = await loggedInStudent();
    const saved = await invoke(
      identity,
      httpEvent({ method: 'PUT', token, body: { email: 'lea@example.org', phone: '+44 20 7946 0958', address: { line1: '1 High St', postalCode: 'SW1A 1AA', city: 'London', country: 'GB' } } }),
    );
    expect(saved.statusCode).toBe(200);
    await setMode('closed');
    expect((await invoke(getDossier, httpEvent({ token }))).statusCode).toBe(503);
    await setMode('calendar');
    const after = await invoke(getDossier, httpEvent({ token }));
    expect(after.statusCode).toBe(200);
    expect(after.body.steps.identity).toMatchObject({ status: 'done', email: 'lea@example.org', phone: '+442079460958' });
  });
});
