/**
 * Documents through the whole local runtime (`startLocal`): the student's presigned POST to the
 * local S3, the S3 event to the check job, the status seen through the API within seconds; an
 * operator rejects through the admin API, the mail reaches the SES capture, the student uploads
 * again. The upload-to-status time is printed (a figure, not an assertion).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import { eventually } from '../support/eventually';
import { pdf, png, postUpload } from '../support/files';

const ADMIN = 'documents-local-admin-token';
let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocal({ port: 0, adminToken: ADMIN });
});
afterAll(async () => {
  await rt?.stop();
});

const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(`${rt.url}${path}`, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

async function status(token: string, kind: string): Promise<{ status: string; reason?: string; fileName?: string }> {
  const { items } = (await (await api('/api/dossier/documents', { token })).json()) as { items: { kind: string; status: string }[] };
  return items.find((i) => i.kind === kind)!;
}

async function upload(token: string, kind: string, bytes: Buffer, contentType: string, fileName: string): Promise<number> {
  const res = await api(`/api/dossier/documents/${kind}/uploads`, { method: 'POST', token, body: { fileName, contentType, size: bytes.length } });
  expect(res.status, await res.clone().text()).toBe(201);
  const started = performance.now();
  expect((await postUpload((await res.json()) as { url: string; fields: Record<string, string> }, bytes, fileName)).status).toBe(204);
  await eventually(
    () => status(token, kind),
    (s) => s.fileName === fileName && !['checking', 'missing'].includes(s.status),
    10_000,
  );
  return performance.now() - started;
}

describe('documents in the local runtime', () => {
  it('uploads, checks, rejects with a mail, and takes a new upload', async () => {
    const login = await api('/api/session', { method: 'POST', body: { identifier: 'P261234567', birthDate: '2008-03-14' } });
    expect(login.status).toBe(201);
    const { token, dossier } = (await login.json()) as { token: string; dossier: { id: string } };
    const email = `documents.${Date.now()}@example.org`;
    const identity = await api('/api/dossier/identity', {
      method: 'PUT',
      token,
      body: { email, phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } },
    });
    expect([200, 409]).toContain(identity.status);

    const latencies = [await upload(token, 'identity', pdf(), 'application/pdf', 'identite.pdf'), await upload(token, 'photo', png(300, 400), 'image/png', 'photo.png')];
    expect(await status(token, 'identity')).toMatchObject({ status: 'to_review' });
    expect(await status(token, 'photo')).toMatchObject({ status: 'to_review' });

    const file = await api('/api/dossier/documents/identity/file', { token });
    expect(file.status).toBe(302);
    expect((await fetch(file.headers.get('location')!)).status).toBe(200);

    const review = await fetch(`${rt.url}/api/admin/dossiers/${dossier.id}/documents/photo/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', reason: 'Photo floue' }),
    });
    expect(review.status, await review.clone().text()).toBe(200);
    expect(await status(token, 'photo')).toMatchObject({ status: 'rejected', reason: 'Photo floue' });
    const mails = await eventually(
      async () => ((await (await fetch(`${rt.url}/dev/mail?format=json&to=${encodeURIComponent(email)}`)).json()) as { items: { subject: string; text?: string }[] }).items,
      (items) => items.some((m) => m.subject.includes('refusée')),
    );
    expect(mails.find((m) => m.subject.includes('refusée'))).toBeDefined();

    latencies.push(await upload(token, 'photo', png(600, 800), 'image/png', 'photo-nette.png'));
    expect(await status(token, 'photo')).toMatchObject({ status: 'to_review', fileName: 'photo-nette.png' });
    console.log(`upload-to-status latency (local runtime): ${latencies.map((l) => `${l.toFixed(0)} ms`).join(', ')}`);
  });
});
