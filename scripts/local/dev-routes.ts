/**
 * The local runtime's `/dev` routes (API.md "Local runtime extras"; never deployed): captured
 * mail, and the feeds of the CVEC and INES stand-ins. Payment stand-in routes live with the
 * payments code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { putCvecFixture, putInesFixture } from '../../functions/adapters/dynamo/dev-fixtures';
import { normalizeCvec } from '../../functions/domain/cvec';
import { normalizeIne } from '../../functions/domain/ine';
import { validate } from '../../functions/domain/validate';
import { demoOperatorToken } from './oidc';
import type { LocalOidcInfo } from './runtime';

export interface CapturedMail {
  messageId: string;
  from: string;
  to: string[];
  replyTo: string[];
  /** The mail job it was sent for (`X-Inscrire-Job-Id`). */
  jobId?: string;
  subject: string;
  text?: string;
  html?: string;
  at: string;
}

const CvecFixtureBody = z.object({
  certificateNumber: z.string().min(1).max(64).transform(normalizeCvec),
  lastName: z.string().min(1).max(100),
  firstName: z.string().min(1).max(100),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  state: z.number().int().min(0).max(999),
});

const InesFixtureBody = z.object({
  ine: z.string().min(1).max(64).transform(normalizeIne),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw Object.assign(new Error('too large'), { status: 413 });
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('malformed JSON'), { status: 400 });
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function capturedMail(sesEndpoint: string): Promise<CapturedMail[]> {
  const store = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
    emails: {
      messageId: string;
      from: string;
      replyTo: string[];
      destination: { to: string[] };
      subject: string;
      body: { text?: string; html?: string };
      headers?: { name: string; value: string }[];
      at: number;
    }[];
  };
  return store.emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    replyTo: e.replyTo,
    jobId: e.headers?.find((h) => h.name.toLowerCase() === 'x-inscrire-job-id')?.value,
    subject: e.subject,
    text: e.body.text,
    html: e.body.html,
    at: new Date(e.at * 1000).toISOString(),
  }));
}

function mailPage(mails: CapturedMail[]): string {
  const items = mails
    .slice()
    .reverse()
    .map(
      (
        m,
      ) => `<article><h2>${escapeHtml(m.subject)}</h2><p class="meta">${escapeHtml(m.at)} · de ${escapeHtml(m.from)} · à ${escapeHtml(m.to.join(', '))}${m.replyTo.length ? ` · répondre à ${escapeHtml(m.replyTo.join(', '))}` : ''}${m.jobId ? ` · tâche ${escapeHtml(m.jobId)}` : ''}</p>
<details open><summary>Texte</summary><pre>${escapeHtml(m.text ?? '')}</pre></details>
${m.html ? `<details><summary>HTML</summary><iframe sandbox="" title="${escapeHtml(m.subject)}" srcdoc="${escapeHtml(m.html)}"></iframe></details>` : ''}</article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Courriels capturés — Inscrire (local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}.meta{color:#555}pre{white-space:pre-wrap}iframe{width:100%;height:28rem;border:1px solid #ddd}</style></head>
<body><h1>Courriels capturés (${mails.length})</h1><p>Le serveur SES local retient chaque courriel envoyé, le plus récent en premier. <a href="/dev/mail?format=json">JSON</a> · filtrer par destinataire : <code>/dev/mail?to=adresse</code></p>${items || '<p>Aucun courriel pour le moment.</p>'}</body></html>`;
}

const OperatorTokenBody = z.object({ username: z.string().min(1).max(64) });

export function createDevRoutes(o: { sesEndpoint: string; oidc: LocalOidcInfo }) {
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/dev/')) return false;
    try {
      if (url.pathname === '/dev/mail' && req.method === 'GET') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const mails = (await capturedMail(o.sesEndpoint)).filter((m) => !to || m.to.some((r) => r.toLowerCase() === to));
        const wantsHtml = url.searchParams.get('format') !== 'json' && /text\/html/.test(req.headers.accept ?? '');
        if (wantsHtml) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(mailPage(mails));
        } else {
          send(res, 200, { items: mails });
        }
        return true;
      }
      if (url.pathname === '/dev/cvec' && req.method === 'POST') {
        const r = validate(CvecFixtureBody, await readJson(req));
        if (!r.ok) return (send(res, 422, { error: { code: 'VALIDATION_FAILED', message: 'Invalid CVEC fixture', fields: r.fields } }), true);
        await putCvecFixture(r.data);
        send(res, 201, r.data);
        return true;
      }
      if (url.pathname === '/dev/operator-token' && req.method === 'POST') {
        // A real access token from the local provider: it signs the demo account in through
        // its login form (authorization code + PKCE), as the console does.
        const r = validate(OperatorTokenBody, await readJson(req));
        if (!r.ok) return (send(res, 422, { error: { code: 'VALIDATION_FAILED', message: 'username is required', fields: r.fields } }), true);
        const token = await demoOperatorToken(o.oidc, r.data.username);
        if (!token) {
          const known = o.oidc.accounts.map((a) => a.username).join(', ');
          return (send(res, 422, { error: { code: 'VALIDATION_FAILED', message: `Unknown demo account (${known})`, fields: { username: 'unknown' } } }), true);
        }
        send(res, 200, { token });
        return true;
      }
      if (url.pathname === '/dev/sign-in' && req.method === 'GET') {
        // Where the ops CLI signs in locally (on AWS: INSCRIRE_OIDC_ISSUER and INSCRIRE_OIDC_CLIENT_ID).
        send(res, 200, { issuer: o.oidc.issuer, clientId: o.oidc.consoleClientId });
        return true;
      }
      if (url.pathname === '/dev/ines' && req.method === 'POST') {
        const r = validate(InesFixtureBody, await readJson(req));
        if (!r.ok) return (send(res, 422, { error: { code: 'VALIDATION_FAILED', message: 'Invalid INES fixture', fields: r.fields } }), true);
        await putInesFixture(r.data);
        send(res, 201, r.data);
        return true;
      }
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      send(res, status, { error: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 400 ? 'MALFORMED_JSON' : 'INTERNAL_ERROR', message: (err as Error).message } });
      return true;
    }
    return false;
  };
}
