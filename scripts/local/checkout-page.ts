/**
 * The local stand-in for Stripe's hosted checkout page (API.md "Local runtime extras"; never
 * deployed). `GET /dev/checkout/{id}`: what is being paid, a Pay button and a way back (JSON —
 * the session and the events delivered for it — unless a browser asks for HTML).
 * `POST /dev/checkout/{id}/pay`: the Pay button. The Stripe stand-in completes the session and
 * delivers the signed `checkout.session.completed` to the webhook through the local API
 * Gateway; then the browser goes to the success URL, as with Stripe.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UNIVERSITY_TIME_ZONE } from '../../config/stage-runtime';
import { StripeApiError } from './stripe-refunds';
import type { LineItem, SessionObject, StripeStandin } from './stripe-standin';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function page(session: SessionObject, lineItems: LineItem[]): string {
  const money = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: session.currency.toUpperCase() }).format(cents / 100);
  const until = new Intl.DateTimeFormat('fr-FR', { timeZone: UNIVERSITY_TIME_ZONE, timeStyle: 'short' }).format(new Date(session.expires_at * 1000));
  const lines = lineItems.map((l) => `<tr><td>${escapeHtml(l.name)}</td><td>${money(l.unitAmount * l.quantity)}</td></tr>`).join('');
  const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Annuler et revenir à mon dossier</a></p>` : '';
  const action =
    session.status === 'open'
      ? `<form method="post" action="/dev/checkout/${encodeURIComponent(session.id)}/pay"><p><label><input type="checkbox" name="card" value="declines_later"> Carte qui sera refusée lors des prélèvements suivants</label></p><button type="submit">Payer ${money(session.amount_total)}</button></form>
<p>Page valable jusqu'à ${until}.</p>${cancel}`
      : `<p role="status">Cette session de paiement est ${session.status === 'complete' ? 'déjà payée' : 'expirée'}.</p>${cancel}`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paiement (simulateur local) — Inscrire</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}.note{background:#fff4ce;padding:.5rem 1rem;border-radius:6px}table{width:100%;border-collapse:collapse}td{padding:.5rem 0;border-bottom:1px solid #ddd}td+td{text-align:right}button{font:inherit;padding:.75rem 1.5rem;margin-top:1rem;background:#635bff;color:#fff;border:0;border-radius:6px;cursor:pointer}</style></head>
<body><main><p class="note">Simulateur local de Stripe Checkout : aucune carte n'est demandée ni débitée.</p>
<h1>Paiement</h1><table><tbody>${lines}</tbody></table><p><strong>Total : ${money(session.amount_total)}</strong></p>${action}</main></body></html>`;
}

export function createCheckoutPage(stripe: StripeStandin) {
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = /^\/dev\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    if (!match) return false;
    const id = decodeURIComponent(match[1]!);
    if (!match[2] && req.method === 'GET') {
      const entry = stripe.find(id);
      if (!entry) return (json(res, 404, { error: { code: 'NOT_FOUND', message: `Session de paiement inconnue : ${id}` } }), true);
      if (url.searchParams.get('format') !== 'json' && /text\/html/.test(req.headers.accept ?? '')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page(entry.session, entry.lineItems));
      } else {
        json(res, 200, entry);
      }
      return true;
    }
    if (match[2] && req.method === 'POST') {
      // The form's body (`card=…`), or JSON `{card:"declines_later"}`: a card whose later off-session charges decline.
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
      let card: unknown;
      try {
        card = /json/.test(req.headers['content-type'] ?? '') ? (JSON.parse(raw || '{}') as { card?: unknown }).card : new URLSearchParams(raw).get('card');
      } catch {
        return (json(res, 400, { error: { code: 'MALFORMED_JSON', message: 'Corps JSON illisible.' } }), true);
      }
      if (card !== undefined && card !== null && card !== '' && card !== 'succeeds' && card !== 'declines_later') {
        return (json(res, 422, { error: { code: 'VALIDATION_FAILED', message: 'card : "succeeds" ou "declines_later".', fields: { card: 'invalid_choice' } } }), true);
      }
      try {
        const { session, delivery } = await stripe.pay(id, card === 'declines_later' ? 'declines_later' : 'succeeds');
        if (delivery.status < 200 || delivery.status >= 300) {
          return (json(res, 502, { error: { code: 'WEBHOOK_FAILED', message: `Le webhook a répondu ${delivery.status || 'rien (injoignable)'} à ${delivery.eventId}.` } }), true);
        }
        res.writeHead(303, { location: session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id), 'cache-control': 'no-store' });
        res.end();
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        json(res, err.status === 404 ? 404 : 409, { error: { code: err.status === 404 ? 'NOT_FOUND' : 'CHECKOUT_CLOSED', message: err.message } });
      }
      return true;
    }
    json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Méthode non autorisée pour cette adresse.' } });
    return true;
  };
}
