import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3, type S3Event } from '../../scripts/local/s3-policy-proxy';

/**
 * The local S3 judges a browser upload as S3 does: the real SDK's presigned POST works
 * unchanged, and an expired, tampered or out-of-policy form gets S3's refusal.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const region = 'eu-west-3';
let s3: LocalS3;
let client: S3Client;
let offsetMs = 0;
const events: S3Event[] = [];
const Bucket = 'policy-test';

beforeAll(async () => {
  s3 = await startLocalS3({ credentials, region, now: () => Date.now() + offsetMs, onObjectCreated: (e) => events.push(e), allowedOrigins: () => ['http://localhost:3000'] });
  client = new S3Client({ endpoint: s3.endpoint, region, credentials, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});
beforeEach(() => {
  offsetMs = 0;
  events.length = 0;
});

const presign = (key = 'documents/a/photo/tok', maxBytes = 1000) =>
  createPresignedPost(client, {
    Bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', 'application/pdf'],
    ],
    Fields: { 'Content-Type': 'application/pdf' },
    Expires: 60,
  });

async function post(url: string, fields: Record<string, string>, file: Uint8Array | string, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), 'x.pdf');
  const res = await fetch(url, { method: 'POST', body: form, headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('browser POST uploads', () => {
  it('accepts the SDK presigned POST as is, stores the file and emits the S3 event', async () => {
    const { url, fields } = await presign();
    const res = await post(url, fields, '%PDF-1.4 hello');
    expect(res.status).toBe(204);
    const got = await client.send(new GetObjectCommand({ Bucket, Key: fields.key }));
    expect(await got.Body!.transformToString()).toBe('%PDF-1.4 hello');
    expect(got.ContentType).toBe('application/pdf');
    expect(events).toHaveLength(1);
    const r = events[0]!.Records[0]!;
    expect(r.eventName).toBe('ObjectCreated:Post');
    expect(r.s3.bucket.name).toBe(Bucket);
    expect(decodeURIComponent(r.s3.object.key)).toBe('documents/a/photo/tok');
    expect(r.s3.object.size).toBe(14);
    expect(r.s3.object.eTag).toBe((got.ETag ?? '').replace(/"/g, ''));
  });

  it('gives later uploads greater sequencers', async () => {
    const { url, fields } = await presign();
    await post(url, fields, '%PDF-1');
    await post(url, fields, '%PDF-2');
    const [a, b] = events.map((e) => e.Records[0]!.s3.object.sequencer);
    expect(b! > a!).toBe(true);
  });

  it('refuses an expired policy', async () => {
    const { url, fields } = await presign();
    offsetMs = 61_000;
    const res = await post(url, fields, '%PDF-1.4');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>AccessDenied</Code>');
    expect(res.text).toContain('Policy expired');
    expect(events).toHaveLength(0);
  });

  it('refuses a tampered policy (signature mismatch)', async () => {
    const { url, fields } = await presign('documents/a/photo/tok', 1000);
    const policy = JSON.parse(Buffer.from(fields.Policy!, 'base64').toString()) as { conditions: unknown[] };
    policy.conditions = policy.conditions.map((c) => (Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10_000_000] : c));
    const res = await post(url, { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, 'x'.repeat(2000));
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses another key than the policy fixes', async () => {
    const { url, fields } = await presign('documents/a/photo/tok');
    const res = await post(url, { ...fields, key: 'documents/b/photo/tok' }, '%PDF-1.4');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Policy Condition failed');
  });

  it('refuses a file larger than the range', async () => {
    const { url, fields } = await presign('documents/a/photo/tok', 1000);
    const res = await post(url, fields, new Uint8Array(1001));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
  });

  it('refuses an empty file', async () => {
    const { url, fields } = await presign();
    const res = await post(url, fields, new Uint8Array(0));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooSmall</Code>');
  });

  it('refuses another content type', async () => {
    const { url, fields } = await presign();
    const res = await post(url, { ...fields, 'Content-Type': 'text/html' }, '<html>');
    expect(res.status).toBe(403);
    expect(res.text).toContain('$Content-Type');
  });

  it('refuses a form field the policy does not cover', async () => {
    const { url, fields } = await presign();
    const res = await post(url, { ...fields, acl: 'public-read' }, '%PDF-1.4');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Extra input fields: acl');
  });

  it('answers CORS preflights for the allowed origin only', async () => {
    const { url } = await presign();
    const ok = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const no = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(no.status).toBe(403);
  });
});

describe('presigned GET URLs', () => {
  it('serves a valid URL, refuses an expired or tampered one', async () => {
    const { url, fields } = await presign('documents/a/identity/tok');
    await post(url, fields, '%PDF-1.4 get');
    const signed = await getSignedUrl(client, new GetObjectCommand({ Bucket, Key: 'documents/a/identity/tok' }), { expiresIn: 30 });
    const ok = await fetch(signed);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('%PDF-1.4 get');

    const tampered = signed.replace('identity', 'photo');
    expect((await fetch(tampered)).status).toBe(403);

    offsetMs = 31_000;
    const expired = await fetch(signed);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('refuses an unsigned request', async () => {
    const res = await fetch(`${s3.endpoint}/${Bucket}/documents/a/identity/tok`);
    expect(res.status).toBe(403);
  });
});
