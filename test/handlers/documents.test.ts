import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { documents as catalogueDocuments } from '../../config/catalogue';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { dossierAuditTrail, mutateDossier } from '../../functions/adapters/dynamo/dossiers';
import { outboxKey } from '../../functions/adapters/dynamo/outbox';
import { handler as adminFile } from '../../functions/documents/admin-file';
import { handler as adminQueue } from '../../functions/documents/admin-queue';
import { handler as file } from '../../functions/documents/file';
import { handler as list } from '../../functions/documents/list';
import { handler as review } from '../../functions/documents/review';
import { handler as upload } from '../../functions/documents/upload';
import { logger } from '../../functions/shared/logger';
import { METRIC } from '../../functions/shared/metrics';
import { deliver, hold, release } from '../support/documents-s3';
import { eventually } from '../support/eventually';
import { httpEvent, invoke } from '../support/events';
import { pdf, png, postUpload } from '../support/files';
import { forceServiceOpen } from '../support/open-service';
import { captureStdout, emfDocuments } from '../support/stdout';
import { loggedInStudent } from '../support/students';

/**
 * Documents against DynamoDB Local and the file's own local S3 (s3rver behind the proxy that
 * enforces S3's POST policy): real presigned POSTs, real S3 events to the check job.
 */
const OPERATOR = 'arn:aws:iam::000000000000:user/agent';

beforeAll(forceServiceOpen);

const documents = (token: string) => invoke(list, httpEvent({ path: '/api/dossier/documents', token }));
const item = async (token: string, kind: string) => ((await documents(token)).body.items as { kind: string; status: string; reason?: string; fileName?: string }[]).find((i) => i.kind === kind);
const presign = (token: string, kind: string, body: unknown, lang?: 'fr' | 'en') =>
  invoke(upload, httpEvent({ method: 'POST', path: `/api/dossier/documents/${kind}/uploads`, token, body, lang, pathParameters: { kind } }));

async function uploadFile(token: string, kind: string, bytes: Buffer, contentType: string, fileName: string) {
  const res = await presign(token, kind, { fileName, contentType, size: bytes.length });
  expect(res.statusCode).toBe(201);
  const posted = await postUpload(res.body, bytes, fileName);
  expect(posted.status).toBe(204);
}

const settled = (token: string, kind: string) =>
  eventually(
    () => item(token, kind),
    (i) => i !== undefined && i.status !== 'checking' && i.status !== 'missing',
  );

describe('documents a dossier needs', () => {
  it('lists identity and photo as required and missing; a CROUS notification once a scholarship is declared', async () => {
    const { token, dossier } = await loggedInStudent();
    const res = await documents(token);
    expect(res.statusCode).toBe(200);
    // Each with its name in both languages and the types an upload may declare, from the catalogue.
    const def = (kind: string) => catalogueDocuments.kinds.find((k) => k.kind === kind)!;
    expect(res.body.items).toEqual([
      { kind: 'identity', label: def('identity').label, types: def('identity').types, required: true, status: 'missing' },
      { kind: 'photo', label: def('photo').label, types: ['image/jpeg', 'image/png'], required: true, status: 'missing' },
    ]);
    await mutateDossier(dossier.id, (d) => ({ ...d, steps: { ...d.steps, situation: { status: 'done', regime: 'apprentissage', scholarship: 'pending' } } }));
    const kinds = ((await documents(token)).body.items as { kind: string }[]).map((i) => i.kind);
    expect(kinds).toEqual(['identity', 'photo', 'crous_notification', 'apprenticeship_contract']);
  });
});

describe('POST /api/dossier/documents/{kind}/uploads', () => {
  it('answers a presigned POST whose policy fixes key, type and size', async () => {
    const { token } = await loggedInStudent();
    const res = await presign(token, 'identity', { fileName: 'carte.pdf', contentType: 'application/pdf', size: 1234 });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ url: expect.stringContaining(process.env.DOCUMENTS_BUCKET!), maxBytes: 5 * 1024 * 1024, expiresAt: expect.any(String) });
    expect(res.body.fields.key).toMatch(/^documents\/[0-9a-f-]{36}\/identity\/[A-Za-z0-9_-]{24}$/);
    const policy = JSON.parse(Buffer.from(res.body.fields.Policy, 'base64').toString());
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 5 * 1024 * 1024]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    const again = await presign(token, 'identity', { fileName: 'autre.pdf', contentType: 'application/pdf', size: 10 });
    expect(again.body.fields.key).toBe(res.body.fields.key);
  });

  it('refuses a wrong declared type or size with 422 naming the field, in the student language', async () => {
    const { token } = await loggedInStudent();
    const type = await presign(token, 'photo', { fileName: 'photo.pdf', contentType: 'application/pdf', size: 100 });
    expect(type.statusCode).toBe(422);
    expect(type.body.error.code).toBe('DOCUMENT_TYPE_NOT_ALLOWED');
    expect(Object.keys(type.body.error.fields)).toEqual(['contentType']);
    const size = await presign(token, 'identity', { fileName: 'big.pdf', contentType: 'application/pdf', size: 5 * 1024 * 1024 + 1 }, 'en');
    expect(size.statusCode).toBe(422);
    expect(size.body.error.code).toBe('DOCUMENT_TOO_LARGE');
    expect(size.body.error.fields.size).toMatch(/larger/);
    const empty = await presign(token, 'identity', { fileName: 'vide.pdf', contentType: 'application/pdf', size: 0 });
    expect(empty.statusCode).toBe(422);
    expect(Object.keys(empty.body.error.fields)).toEqual(['size']);
  });

  it('answers 404 UNKNOWN_DOCUMENT for a kind the dossier has no use for', async () => {
    const { token } = await loggedInStudent();
    for (const kind of ['crous_notification', 'nonsense']) {
      const res = await presign(token, kind, { fileName: 'x.pdf', contentType: 'application/pdf', size: 10 });
      expect(res.statusCode).toBe(404);
      expect(res.body.error.code).toBe('UNKNOWN_DOCUMENT');
    }
  });
});

describe('the check job on S3 events', () => {
  it('puts a real PDF to review, keeping its name', async () => {
    const { token } = await loggedInStudent();
    await uploadFile(token, 'identity', pdf(), 'application/pdf', 'Carte d’identité.pdf');
    expect(await settled(token, 'identity')).toMatchObject({ status: 'to_review', fileName: 'Carte d’identité.pdf', contentType: 'application/pdf' });
  });

  it('rejects a photo under 300×400 px and accepts one of that size', async () => {
    const { token } = await loggedInStudent();
    await uploadFile(token, 'photo', png(299, 400), 'image/png', 'petite.png');
    expect(await settled(token, 'photo')).toMatchObject({ status: 'rejected', reason: 'photo_too_small' });
    await uploadFile(token, 'photo', png(300, 400), 'image/png', 'bonne.png');
    expect(
      await eventually(
        () => item(token, 'photo'),
        (i) => i?.fileName === 'bonne.png' && i.status !== 'checking',
      ),
    ).toMatchObject({ status: 'to_review' });
  });

  it('rejects content that does not match the declared type, and a truncated file', async () => {
    const { token } = await loggedInStudent();
    await uploadFile(token, 'identity', png(400, 400), 'application/pdf', 'pas-un-pdf.pdf');
    expect(await settled(token, 'identity')).toMatchObject({ status: 'rejected', reason: 'file_type_mismatch' });
    const { token: other } = await loggedInStudent();
    await uploadFile(other, 'identity', pdf().subarray(0, 200), 'application/pdf', 'coupe.pdf');
    expect(await settled(other, 'identity')).toMatchObject({ status: 'rejected', reason: 'file_truncated' });
  });

  it('keeps the last complete upload when two race, whatever order their events arrive in', async () => {
    const { token } = await loggedInStudent();
    const held = hold();
    try {
      await uploadFile(token, 'identity', pdf('first'), 'application/pdf', 'first.pdf');
      await uploadFile(token, 'identity', pdf('second').subarray(0, 100), 'application/pdf', 'second.pdf');
      expect(held).toHaveLength(2);
      // The later event first, then the earlier one (S3 does not promise order).
      await deliver(held[1]!);
      await deliver(held[0]!);
    } finally {
      release();
    }
    expect(await item(token, 'identity')).toMatchObject({ status: 'rejected', reason: 'file_truncated', fileName: 'second.pdf' });
  });

  it('counts a refused file in the DocumentCheckFailures metric (EMF), none for an accepted one, and tags its log lines with the request id', async () => {
    const { token } = await loggedInStudent();
    const held = hold();
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    try {
      await uploadFile(token, 'identity', pdf().subarray(0, 200), 'application/pdf', 'coupe.pdf');
      await uploadFile(token, 'photo', png(300, 400), 'image/png', 'bonne.png');
      expect(held).toHaveLength(2);
      const refused = captureStdout();
      try {
        await deliver(held[0]!, { awsRequestId: 'check-refused', functionName: 'inscrire-DocumentCheck' } as Context);
      } finally {
        refused.restore();
      }
      const accepted = captureStdout();
      try {
        await deliver(held[1]!, { awsRequestId: 'check-accepted', functionName: 'inscrire-DocumentCheck' } as Context);
      } finally {
        accepted.restore();
      }
      expect(emfDocuments(refused.lines())).toHaveLength(1);
      expect(emfDocuments(refused.lines())[0]).toMatchObject({ [METRIC.documentCheckFailures]: 1, service: 'inscrire' });
      expect(emfDocuments(accepted.lines())).toEqual([]);
      const logs = refused.lines().filter((l) => !('_aws' in l));
      expect(logs.map((l) => l.message)).toContain('Document checked');
      for (const l of logs) expect(l).toMatchObject({ function_request_id: 'check-refused' });
      expect(refused.text()).not.toContain('coupe.pdf');
    } finally {
      logger.setLogLevel(level as never);
      release();
    }
    expect(await item(token, 'identity')).toMatchObject({ status: 'rejected', reason: 'file_truncated' });
    expect(await item(token, 'photo')).toMatchObject({ status: 'to_review' });
  });
});

describe('downloads', () => {
  it('redirects the owner to a short-lived URL of the file; nothing before an upload', async () => {
    const { token } = await loggedInStudent();
    const none = await invoke(file, httpEvent({ path: '/api/dossier/documents/identity/file', token, pathParameters: { kind: 'identity' } }));
    expect(none.statusCode).toBe(404);
    const bytes = pdf('mine');
    await uploadFile(token, 'identity', bytes, 'application/pdf', 'mine.pdf');
    await settled(token, 'identity');
    const res = await invoke(file, httpEvent({ path: '/api/dossier/documents/identity/file', token, pathParameters: { kind: 'identity' } }));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toContain('X-Amz-Expires=60');
    const got = await fetch(res.headers.location!);
    expect(got.status, await got.clone().text()).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe('operator review', () => {
  it('rejects with a reason (audited, mailed), and the student uploads again', async () => {
    const { token, dossier } = await loggedInStudent();
    await uploadFile(token, 'photo', png(300, 400), 'image/png', 'photo.png');
    await settled(token, 'photo');
    const opened = await invoke(adminFile, httpEvent({ path: 'x', adminPrincipal: OPERATOR, pathParameters: { id: dossier.id, kind: 'photo' } }));
    expect(opened.statusCode).toBe(302);

    const noReason = await invoke(review, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body: { decision: 'reject' }, pathParameters: { id: dossier.id, kind: 'photo' } }));
    expect(noReason.statusCode).toBe(422);
    expect(Object.keys(noReason.body.error.fields)).toEqual(['reason']);

    const res = await invoke(review, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body: { decision: 'reject', reason: 'Photo floue' }, pathParameters: { id: dossier.id, kind: 'photo' } }));
    expect(res.statusCode).toBe(200);
    expect(res.body.documents).toContainEqual(expect.objectContaining({ kind: 'photo', status: 'rejected', reason: 'Photo floue' }));
    expect(JSON.stringify(res.body)).not.toContain('keyToken');
    const trail = await dossierAuditTrail(dossier.id);
    expect(trail).toContainEqual(expect.objectContaining({ actor: OPERATOR, action: 'document.reject', reason: 'photo: Photo floue' }));
    const job = (await ddb.send(new GetCommand({ TableName: tableName(), Key: outboxKey(`document_rejected#${dossier.id}#photo#${res.body.version - 1}`), ConsistentRead: true }))).Item;
    expect(JSON.parse(job!.body as string)).toMatchObject({ template: 'document_rejected', reason: 'Photo floue', documentsUrl: expect.stringMatching(/\/pieces-justificatives$/) });

    await uploadFile(token, 'photo', png(600, 800), 'image/png', 'nouvelle.png');
    expect(
      await eventually(
        () => item(token, 'photo'),
        (i) => i?.fileName === 'nouvelle.png' && i.status === 'to_review',
      ),
    ).toMatchObject({ status: 'to_review' });
    const accepted = await invoke(review, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body: { decision: 'accept' }, pathParameters: { id: dossier.id, kind: 'photo' } }));
    expect(accepted.body.documents).toContainEqual(expect.objectContaining({ kind: 'photo', status: 'accepted' }));
  });

  it("lists a document in the operators' queue while it waits for review, and only then, once per document", async () => {
    const { token, dossier } = await loggedInStudent();
    const queued = async () => {
      const items: { dossierId: string; kind: string; fileName: string | null }[] = [];
      let cursor: string | undefined;
      do {
        const res = await invoke(adminQueue, httpEvent({ path: '/api/admin/documents', adminPrincipal: OPERATOR, query: { limit: '100', ...(cursor ? { cursor } : {}) } }));
        expect(res.statusCode).toBe(200);
        items.push(...res.body.items);
        cursor = res.body.next ?? undefined;
      } while (cursor);
      return items.filter((i) => i.dossierId === dossier.id);
    };
    expect(await queued()).toEqual([]);
    await uploadFile(token, 'identity', pdf(), 'application/pdf', 'cni.pdf');
    await settled(token, 'identity');
    expect(await queued()).toEqual([expect.objectContaining({ kind: 'identity', fileName: 'cni.pdf' })]);
    // A new upload replaces the entry (one per document), named after the new file.
    await uploadFile(token, 'identity', pdf(), 'application/pdf', 'cni3.pdf');
    await eventually(
      () => item(token, 'identity'),
      (i) => i?.fileName === 'cni3.pdf' && i.status === 'to_review',
    );
    expect(await queued()).toEqual([expect.objectContaining({ kind: 'identity', fileName: 'cni3.pdf' })]);
    const accepted = await invoke(review, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body: { decision: 'accept' }, pathParameters: { id: dossier.id, kind: 'identity' } }));
    expect(accepted.statusCode).toBe(200);
    expect(await queued()).toEqual([]);
  });

  it("takes back every cursor of the operators' queue, however long the document kind in its key", async () => {
    const { token } = await loggedInStudent();
    await uploadFile(token, 'identity', pdf(), 'application/pdf', 'cni.pdf');
    await settled(token, 'identity');
    const page = (cursor?: string) => invoke(adminQueue, httpEvent({ path: '/api/admin/documents', adminPrincipal: OPERATOR, query: { limit: '1', ...(cursor ? { cursor } : {}) } }));
    const first = await page();
    expect(first.statusCode).toBe(200);
    const next = first.body.next as string;
    // The same cursor for an entry whose sort key ends in a longer kind (the catalogue's kinds are the university's to name).
    const key = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as Record<string, string>;
    const longer = Buffer.from(JSON.stringify({ ...key, gsi1sk: `${key.gsi1sk}_attestation_de_responsabilite_civile` }), 'utf8').toString('base64url');
    expect(longer.length).toBeGreaterThan(300);
    expect((await page(longer)).statusCode).toBe(200);
  });

  it('refuses to review a document never uploaded', async () => {
    const { dossier } = await loggedInStudent();
    const res = await invoke(review, httpEvent({ method: 'POST', adminPrincipal: OPERATOR, body: { decision: 'accept' }, pathParameters: { id: dossier.id, kind: 'identity' } }));
    expect(res.statusCode).toBe(404);
  });
});
