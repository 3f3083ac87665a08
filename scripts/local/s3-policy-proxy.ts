/**
 * The local S3: `s3rver` (a real S3-protocol server from npm) behind a small proxy that does
 * what s3rver leaves out and AWS does, so that the browser's presigned POST is judged locally
 * as S3 judges it:
 *
 * - browser POST uploads: the policy's Signature V4 (credential scope, HMAC of the policy),
 *   its expiry, and every condition (exact / `eq` / `starts-with` on each form field, the
 *   `bucket`, `content-length-range`), and no form field the policy does not cover; refusals
 *   are S3's XML errors with S3's status codes (403 AccessDenied / SignatureDoesNotMatch /
 *   InvalidAccessKeyId, 400 EntityTooLarge / EntityTooSmall / InvalidArgument);
 * - presigned GETs (query Signature V4): expiry and signature;
 * - after each stored object (POST or PUT), an S3 event notification (the AWS record shape,
 *   with a per-process increasing `sequencer`) handed to `onObjectCreated`, as S3 invokes the
 *   check function on AWS;
 * - CORS for the allowed origins (the bucket's CORS rule on AWS).
 *
 * Requests signed in the Authorization header (the SDK's own calls) must carry the local
 * access key; s3rver itself checks no V4 signature, so the proxy forwards them unsigned.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  s3: { s3SchemaVersion: string; bucket: { name: string; arn: string }; object: { key: string; size: number; eTag: string; sequencer: string } };
}
export interface S3Event {
  Records: S3EventRecord[];
}

export interface LocalS3Options {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Folder for the objects; a fresh temporary folder when absent. */
  dataDir?: string;
  /** Origins the browser may upload from (read at each request: the runtime's origin is known late). */
  allowedOrigins?: () => string[];
  onObjectCreated?: (event: S3Event) => void;
  /** The clock policies and URLs are judged by. @default Date.now */
  now?: () => number;
}

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/** Larger than any upload the service allows; S3's own limit on a POST is far higher. */
const MAX_POST_BYTES = 64 * 1024 * 1024;

function s3Error(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'application/xml', ...headers });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`);
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `20260101T000000Z` → epoch ms. */
function amzDateMs(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Condition = Record<string, string> | [string, string | number, string | number];

/** S3's checks of a browser POST (Signature V4 policy); throws a `Refusal` as S3 answers. */
export function verifyPostPolicy(o: { fields: Map<string, string>; bucket: string; fileSize: number; credentials: LocalS3Options['credentials']; region: string; now: number }): void {
  const get = (name: string) => o.fields.get(name.toLowerCase());
  const policy = get('policy');
  const signature = get('x-amz-signature');
  const credential = get('x-amz-credential');
  if (!policy || !signature || !credential || get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || !get('x-amz-date')) {
    throw new Refusal(403, 'AccessDenied', 'Bucket POST must contain a policy, x-amz-algorithm, x-amz-credential, x-amz-date and x-amz-signature');
  }
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (accessKeyId !== o.credentials.accessKeyId) throw new Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (!date || region !== o.region || service !== 's3' || terminator !== 'aws4_request') throw new Refusal(400, 'AuthorizationQueryParametersError', 'Invalid credential scope');
  const expected = createHmac('sha256', signingKey(o.credentials.secretAccessKey, date, region, service))
    .update(policy, 'utf8')
    .digest('hex');
  if (!sameHex(expected, signature)) throw new Refusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');

  let doc: { expiration?: string; conditions?: Condition[] };
  try {
    doc = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof doc;
  } catch {
    throw new Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = Date.parse(doc.expiration ?? '');
  if (!Number.isFinite(expiration)) throw new Refusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.');
  if (expiration <= o.now) throw new Refusal(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');

  const values = new Map(o.fields);
  values.set('bucket', o.bucket);
  const covered = new Set<string>(['policy', 'x-amz-signature', 'file', 'bucket']);
  for (const c of doc.conditions ?? []) {
    if (Array.isArray(c)) {
      const [op, a, b] = c;
      if (op === 'content-length-range') {
        if (o.fileSize > Number(b)) throw new Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        if (o.fileSize < Number(a)) throw new Refusal(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
        continue;
      }
      const name = String(a).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const value = values.get(name) ?? '';
      const ok = op === 'eq' ? value === String(b) : op === 'starts-with' ? value.startsWith(String(b)) : false;
      if (!ok) throw new Refusal(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
    } else {
      for (const [k, v] of Object.entries(c)) {
        const name = k.toLowerCase();
        covered.add(name);
        if ((values.get(name) ?? '') !== v) throw new Refusal(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(['eq', `$${k}`, v])}`);
      }
    }
  }
  const extra = [...o.fields.keys()].filter((k) => !covered.has(k) && !k.startsWith('x-ignore-'));
  if (extra.length > 0) throw new Refusal(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
}

/** S3's checks of a presigned (query Signature V4) request; throws a `Refusal`. */
export function verifyPresignedQuery(o: {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  credentials: LocalS3Options['credentials'];
  region: string;
  now: number;
}): void {
  const q = o.query;
  const credential = q.get('X-Amz-Credential') ?? '';
  const amzDate = q.get('X-Amz-Date') ?? '';
  const expires = Number(q.get('X-Amz-Expires'));
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  const [accessKeyId, date, region, service] = credential.split('/');
  if (accessKeyId !== o.credentials.accessKeyId) throw new Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const signedAt = amzDateMs(amzDate);
  if (!Number.isFinite(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604800)
    throw new Refusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Date and X-Amz-Expires must be valid');
  if (o.now > signedAt + expires * 1000) throw new Refusal(403, 'AccessDenied', 'Request has expired');
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map(
      (h) =>
        `${h}:${String(o.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [o.method, o.path, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const expected = createHmac('sha256', signingKey(o.credentials.secretAccessKey, date ?? '', region ?? '', service ?? ''))
    .update(stringToSign)
    .digest('hex');
  if (!sameHex(expected, q.get('X-Amz-Signature') ?? '')) throw new Refusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts s3rver on a loopback port and the enforcing proxy in front of it (the endpoint to use). */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  // @ts-expect-error s3rver ships no type declarations
  const { default: S3rver } = (await import('s3rver')) as unknown as { default: new (o: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> } };
  const directory = options.dataDir ?? join(tmpdir(), `inscrire-s3-${process.pid}-${Date.now()}`);
  mkdirSync(directory, { recursive: true });
  const innerPort = await freePort();
  const inner = new S3rver({ port: innerPort, address: '127.0.0.1', silent: true, directory, vhostBuckets: false, resetOnClose: !options.dataDir });
  await inner.run();
  const now = options.now ?? Date.now;
  let counter = 0;
  // Increasing within the process and across restarts (the clock leads), fixed width.
  const sequencer = () => `${now().toString(16).padStart(12, '0')}${(counter++ % 0x10000).toString(16).padStart(4, '0')}`.toUpperCase();

  const emit = (eventName: string, bucket: string, key: string, size: number, eTag: string) => {
    const record: S3EventRecord = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: options.region,
      eventTime: new Date(now()).toISOString(),
      eventName,
      // S3 URL-encodes keys in events (spaces as '+').
      s3: { s3SchemaVersion: '1.0', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size, eTag, sequencer: sequencer() } },
    };
    options.onObjectCreated?.({ Records: [record] });
  };

  const cors = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin || !(options.allowedOrigins?.() ?? []).includes(origin)) return {};
    return { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': '*', 'access-control-expose-headers': 'ETag', vary: 'Origin' };
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer | undefined,
    headers: Record<string, string>,
    after?: (status: number, resHeaders: IncomingMessage['headers']) => void,
    overrides: Record<string, string> = {},
  ) =>
    new Promise<void>((resolve) => {
      const out = httpRequest({ host: '127.0.0.1', port: innerPort, method: req.method, path, headers }, (innerRes) => {
        const status = innerRes.statusCode ?? 500;
        res.writeHead(status, { ...innerRes.headers, ...(status < 300 ? overrides : {}), ...cors(req) });
        innerRes.pipe(res);
        innerRes.on('end', () => {
          after?.(status, innerRes.headers);
          resolve();
        });
      });
      out.on('error', () => {
        if (!res.headersSent) s3Error(res, 503, 'ServiceUnavailable', 'Local S3 unavailable');
        resolve();
      });
      if (body) out.end(body);
      else req.pipe(out);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').filter(Boolean);
    const bucket = segments[0] ? decodeURIComponent(segments[0]) : '';
    if (req.method === 'OPTIONS') {
      const headers = cors(req);
      if (!headers['access-control-allow-origin']) return s3Error(res, 403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
      res.writeHead(200, headers);
      return res.end();
    }
    const clock = now();

    // A browser upload: the form is judged here, then stored without its authentication fields.
    if (req.method === 'POST' && segments.length === 1 && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      const body = await readBody(req, MAX_POST_BYTES);
      if (!body) return s3Error(res, 400, 'MaxPostPreDataLengthExceeded', 'Your POST request fields preceding the upload file were too large.', cors(req));
      let form: FormData;
      try {
        form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: new Uint8Array(body) }).formData();
      } catch {
        return s3Error(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', cors(req));
      }
      const fields = new Map<string, string>();
      let file: File | undefined;
      for (const [name, value] of form.entries()) {
        // S3 ignores whatever follows the file.
        if (name.toLowerCase() === 'file') {
          file = typeof value === 'string' ? new File([value], 'file') : value;
          break;
        }
        if (typeof value === 'string') fields.set(name.toLowerCase(), value);
      }
      if (!file) return s3Error(res, 400, 'InvalidArgument', 'POST requires exactly one file upload per request.', cors(req));
      try {
        verifyPostPolicy({ fields, bucket, fileSize: file.size, credentials: options.credentials, region: options.region, now: clock });
      } catch (err) {
        if (err instanceof Refusal) return s3Error(res, err.status, err.code, err.message, cors(req));
        throw err;
      }
      const stored = new FormData();
      for (const [name, value] of fields)
        if (!['policy', 'x-amz-signature', 'x-amz-credential', 'x-amz-algorithm', 'x-amz-date', 'x-amz-security-token'].includes(name))
          stored.append(name === 'content-type' ? 'Content-Type' : name, value);
      stored.append('file', file, 'file');
      const encoded = new Response(stored);
      const innerBody = Buffer.from(await encoded.arrayBuffer());
      const key = fields.get('key')!;
      return forward(req, res, `/${encodeURIComponent(bucket)}`, innerBody, { 'content-type': encoded.headers.get('content-type')!, 'content-length': String(innerBody.length) }, (status, h) => {
        if (status < 300) emit('ObjectCreated:Post', bucket, key, file.size, String(h.etag ?? '').replace(/"/g, ''));
      });
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'authorization') headers[k] = v;
    if (url.searchParams.has('X-Amz-Signature')) {
      try {
        verifyPresignedQuery({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, credentials: options.credentials, region: options.region, now: clock });
      } catch (err) {
        if (err instanceof Refusal) return s3Error(res, err.status, err.code, err.message, cors(req));
        throw err;
      }
    } else {
      const auth = req.headers.authorization ?? '';
      const keyId = /Credential=([^/]+)\//.exec(auth)?.[1];
      if (keyId !== options.credentials.accessKeyId)
        return s3Error(res, 403, keyId ? 'InvalidAccessKeyId' : 'AccessDenied', keyId ? 'The AWS Access Key Id you provided does not exist in our records.' : 'Access Denied');
    }
    // s3rver refuses response-* overrides on the (now anonymous) request: S3 applies them, so the proxy does.
    const overrides: Record<string, string> = {};
    for (const k of [...url.searchParams.keys()]) {
      if (k.startsWith('response-')) overrides[k.slice('response-'.length)] = url.searchParams.get(k)!;
      if (k.startsWith('X-Amz-') || k.startsWith('response-')) url.searchParams.delete(k);
    }
    const path = `${url.pathname}${url.searchParams.size ? `?${url.searchParams}` : ''}`;
    const isObjectPut = req.method === 'PUT' && segments.length > 1 && !url.searchParams.has('uploadId') && !req.headers['x-amz-copy-source'];
    const size = Number(req.headers['content-length'] ?? 0);
    return forward(
      req,
      res,
      path,
      undefined,
      headers,
      (status, h) => {
        if (isObjectPut && status < 300) emit('ObjectCreated:Put', bucket, decodeURIComponent(segments.slice(1).join('/')), size, String(h.etag ?? '').replace(/"/g, ''));
      },
      overrides,
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      else res.end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await inner.close();
    },
  };
}
