import { findProgramme } from '../../config/catalogue';
import { getDossier, mutateDossier } from '../adapters/dynamo/dossiers';
import { createCheckoutSession, expireCheckoutSession, retrieveCheckoutSession } from '../adapters/stripe';
import { DomainError, isDomainError, onlinePaymentAllowed, planCheckout, recordCheckout, type Dossier } from '../domain/dossier';
import type { Lang } from '../domain/messages/errors';
import { ENV, requireEnv } from '../shared/env';
import { unauthenticated } from '../shared/errors';

/**
 * Starting (or resuming) a student's card payment: one Stripe Checkout session per attempt,
 * for the amount the server computed at submit, reused while it can still be paid.
 *
 * Return pages of the student site (Stripe substitutes `{CHECKOUT_SESSION_ID}`):
 * `/paiement/retour?session_id=…` after paying, `/paiement/annule` when the student gives up.
 * Neither confirms anything: only the signed webhook does.
 */
export const PAYMENT_RETURN_PATH = '/paiement/retour';
export const PAYMENT_CANCEL_PATH = '/paiement/annule';

/**
 * Stripe's shortest session lifetime (30 minutes) plus a minute for clock skew and transit,
 * rounded up to the minute: a request repeated within that minute sends identical parameters
 * under the same idempotency key, which Stripe requires.
 */
export function checkoutExpiry(now: Date): Date {
  const minute = 60_000;
  return new Date(Math.ceil((now.getTime() + 31 * minute) / minute) * minute);
}

function description(d: Dossier, lang: Lang): string {
  const label = findProgramme(d.programmeCode)?.label[lang] ?? d.programmeCode;
  return lang === 'en' ? `Registration fees ${d.academicYear} — ${label}` : `Droits d'inscription ${d.academicYear} — ${label}`;
}

export interface StartedCheckout {
  checkoutUrl: string;
  sessionId: string;
  expiresAt: string;
  reused: boolean;
}

export async function startCheckout(dossierId: string, lang: Lang, now: Date): Promise<StartedCheckout> {
  const dossier = await getDossier(dossierId);
  if (!dossier) throw unauthenticated();
  // A refused dossier (pay at the desk, enrolled, cancelled) is answered without asking Stripe.
  const recordedId = onlinePaymentAllowed(dossier).ok ? dossier.payment.checkoutSessionId : undefined;
  const recorded = recordedId ? await retrieveCheckoutSession(recordedId) : undefined;
  const plan = planCheckout(dossier, recorded, now);
  if (plan.action === 'reuse' && recorded?.url) {
    return { checkoutUrl: recorded.url, sessionId: recorded.id, expiresAt: recorded.expiresAt, reused: true };
  }
  if (plan.action === 'create' && plan.expireRecorded && recordedId) await closeCheckout(recordedId);

  const expiresAt = checkoutExpiry(now);
  const origin = requireEnv(ENV.publicOrigin);
  const session = await createCheckoutSession({
    dossierId: dossier.id,
    academicYear: dossier.academicYear,
    amountCents: dossier.fees.amountCents,
    currency: dossier.fees.currency,
    description: description(dossier, lang),
    customerEmail: dossier.steps.identity.email,
    lang,
    successUrl: `${origin}${PAYMENT_RETURN_PATH}?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}${PAYMENT_CANCEL_PATH}`,
    expiresAt,
    // Every dossier change bumps its version: concurrent or retried requests for the same
    // state share a key (and get the same session); a later attempt gets a new one. The
    // language is part of it: the page's locale and description depend on it.
    idempotencyKey: `checkout-${dossier.id}-v${dossier.version}-${lang}-${expiresAt.getTime() / 1000}`,
  });
  try {
    await mutateDossier(dossier.id, (d) => recordCheckout(d, session.id), now);
  } catch (err) {
    // The dossier changed meanwhile (an operator cancelled it…): nobody may pay that session.
    if (isDomainError(err)) await expireCheckoutSession(session.id);
    throw err;
  }
  return { checkoutUrl: session.url, sessionId: session.id, expiresAt: session.expiresAt, reused: false };
}

/**
 * Makes a recorded session unpayable. One completed meanwhile holds the student's payment,
 * whose confirmation is on its way: nothing may replace or overrule it (`payment_processing`).
 */
async function closeCheckout(sessionId: string): Promise<void> {
  if ((await expireCheckoutSession(sessionId)) === 'complete') throw new DomainError('payment_processing');
}

/**
 * Before an operator settles a dossier otherwise (office payment, cancellation): the student's
 * Checkout session is closed so it can no longer be paid, or the operator is refused while a
 * card payment just made awaits its confirmation (`payment_processing`).
 */
export async function closeStudentCheckout(d: Dossier): Promise<void> {
  if (d.status === 'awaiting_payment' && d.payment.checkoutSessionId) await closeCheckout(d.payment.checkoutSessionId);
}

/**
 * Whether `latest` holds no Checkout session but the one `closed` had (or none: its expiry may
 * already have been applied). Otherwise the student opened another one meanwhile, still payable.
 */
export const noNewCheckout = (closed: Dossier, latest: Dossier): boolean => latest.payment.checkoutSessionId === undefined || latest.payment.checkoutSessionId === closed.payment.checkoutSessionId;
