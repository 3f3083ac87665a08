import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import { eventually } from '../support/eventually';

let rt: LocalRuntime;
const ADMIN = 'integration-admin-token-0123456789';

beforeAll(async () => {
  rt = await startLocal({ port: 0, adminToken: ADMIN });
});
afterAll(async () => {
  await rt?.stop();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${rt.url}${path}`, init);
const admin = (mode: string, reason: string, token = ADMIN) =>
  api('/api/admin/service', {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode, reason }),
  });

describe('the local runtime', () => {
  it('answers /api/status with the API contract', async () => {
    const res = await api('/api/status');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['open', 'reason', 'window', 'nextOpening', 'supportOpen', 'academicYear']));
    expect(body.academicYear).toMatch(/^\d{4}-\d{4}$/);
  });

  it('guards admin routes: 401 without a token or with one the JWT authorizer refuses', async () => {
    expect((await api('/api/admin/service')).status).toBe(401);
    expect((await admin('closed', 'Essai', 'not-the-token')).status).toBe(401);
  });

  it('forcing closed turns student routes to 503 with a next opening, reopening restores them', async () => {
    const open = await admin('open', 'Test intégration : ouverture');
    expect(open.status).toBe(200);
    const login = () => api('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: '00000000', birthDate: '2000-01-01' }) });
    expect((await eventually(login, (r) => r.status !== 503)).status).toBe(401);

    expect((await admin('closed', 'Test intégration : fermeture')).status).toBe(200);
    // A demo student not enrolled yet (scripts/local/seed.ts): while closed, the right credentials get 503.
    const demoLogin = () => api('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'P261234567', birthDate: '2008-03-14' }) });
    const closed = await eventually(demoLogin, (r) => r.status === 503);
    expect(closed.status).toBe(503);
    const body = await closed.json();
    expect(body.error.code).toMatch(/^SERVICE_CLOSED/);
    expect((await api('/api/status').then((r) => r.json())).reason).toBe('forced_closed');

    expect((await admin('open', 'Test intégration : réouverture')).status).toBe(200);
    expect((await eventually(login, (r) => r.status !== 503)).status).toBe(401);
  });

  it('answers 404 in the API error shape for an unknown path', async () => {
    const res = await api('/api/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers like API Gateway for a method a path has no route for, and a bad path encoding', async () => {
    const wrongMethod = await api('/api/status', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toEqual({ message: 'Not Found' });
    const badEncoding = await api('/api/admin/dossiers/%E0', { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(badEncoding.status).toBe(400);
  });

  it('survives a malformed Host header (it used to crash the process)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: rt.port, path: '/api/status', headers: { host: 'a b' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    // The Host header plays no part in routing: the request is answered, the process lives on.
    expect(status).toBe(200);
    expect((await api('/api/status')).status).toBe(200);
  });
});
