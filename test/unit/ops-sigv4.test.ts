import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../scripts/ops';

/**
 * `ops` against an API that stands for API Gateway's IAM authorizer: every request received is
 * checked with an independent implementation of Signature Version 4 (AWS's published algorithm,
 * node:crypto only), so a signing mistake in the CLI cannot be hidden by the library that made it.
 */
interface Received {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

const KEY = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', session: 'session-token-example' };
const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature the request should carry, per https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html */
function expectedSignature(r: Received, secret: string): { given: string; expected: string; scope: string[]; signedHeaders: string[] } {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(r.headers.authorization));
  if (!m) throw new Error(`not a SigV4 authorization: ${r.headers.authorization}`);
  const [, credential, signed, given] = m as unknown as [string, string, string, string];
  const scope = credential.split('/');
  const signedHeaders = signed.split(';');
  const query = [...r.url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x! < y! ? -1 : 1) : a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${String(r.headers[h]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [r.method, r.url.pathname, query, headers, signed, hex(r.body)].join('\n');
  const amzDate = String(r.headers['x-amz-date']);
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope.slice(1).join('/'), hex(canonical)].join('\n');
  const [, date, region, service, terminator] = scope as [string, string, string, string, string];
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), terminator);
  return { given, expected: createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'), scope, signedHeaders };
}

let server: Server;
let base: string;
const received: Received[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method!, url: new URL(req.url!, 'http://x'), headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url!.startsWith('/api/admin/service') ? { open: true, mode: 'closed' } : { items: [], next: null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The default credential chain starts with the environment.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: KEY.id, AWS_SECRET_ACCESS_KEY: KEY.secret, AWS_SESSION_TOKEN: KEY.session });
  delete process.env.AWS_PROFILE;
});
afterEach(() => {
  received.length = 0;
});
afterAll(async () => {
  process.env = saved;
  await new Promise((r) => server.close(r));
});

async function ops(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {} });
  return { code, out, err };
}

describe('ops with IAM (SigV4)', () => {
  it('signs a query for execute-api in the given region, with the session token, and no bearer token', async () => {
    const res = await ops('find', '--status', 'pay_at_office', '--url', base, '--sigv4', '--region', 'eu-west-3');
    expect(res).toMatchObject({ code: 0, out: 'Aucun dossier trouvé.\n' });
    const [r] = received;
    const check = expectedSignature(r!, KEY.secret);
    expect(check.given).toBe(check.expected);
    expect(check.scope).toEqual([KEY.id, expect.stringMatching(/^\d{8}$/), 'eu-west-3', 'execute-api', 'aws4_request']);
    expect(check.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
    expect(r!.headers['x-amz-security-token']).toBe(KEY.session);
    expect(r!.url.search).toBe('?status=pay_at_office&limit=20');
  });

  it('signs a body too (a wrong byte would break the signature)', async () => {
    const res = await ops('close', '--reason', 'Incident « paiement » — été', '--url', base, '--sigv4', '--region', 'eu-west-3');
    expect(res.code).toBe(0);
    const [r] = received;
    expect(JSON.parse(r!.body)).toEqual({ mode: 'closed', reason: 'Incident « paiement » — été' });
    const check = expectedSignature(r!, KEY.secret);
    expect(check.given).toBe(check.expected);
    expect(check.signedHeaders).toContain('content-type');
    expect(expectedSignature({ ...r!, body: r!.body.replace('été', 'ete') }, KEY.secret).expected).not.toBe(check.given);
  });

  it('refuses to guess the region of an address that does not name one', async () => {
    expect(await ops('status', '--url', 'http://127.0.0.1:9', '--sigv4')).toMatchObject({ code: 2, err: expect.stringContaining('--region') });
  });
});
