import { findProgramme } from '../../config/catalogue';
import { instalmentsConfig } from '../../config/instalments';
import { getDossier, mutateDossier } from '../adapters/dynamo/dossiers';
import { createCheckoutSession, createCustomer, expireCheckoutSession, retrieveCheckoutSession } from '../adapters/stripe';
import {
  amountDueNow,
  assertInstalmentPayable,
  choosePlan,
  checkoutLapsesSoon,
  DomainError,
  isDomainError,
  onlinePaymentAllowed,
  type PaymentPlan,
  planCheckout,
  recordCheckout,
  recordInstalmentCheckout,
  type Dossier,
  type ScheduledPart,
} from '../domain/dossier';
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

/** The shortest lifetime Stripe accepts for a Checkout session (its `expires_at` rule), in minutes. */
const STRIPE_SHORTEST_SESSION_MINUTES = 30;

/**
 * Stripe's shortest session lifetime plus a minute for clock skew and transit, rounded up to
 * the minute: a request repeated within that minute sends identical parameters under the same
 * idempotency key, which Stripe requires.
 */
export function checkoutExpiry(now: Date): Date {
  const minute = 60_000;
  return new Date(Math.ceil((now.getTime() + (STRIPE_SHORTEST_SESSION_MINUTES + 1) * minute) / minute) * minute);
}

/**
 * The same in every language: concurrent requests from tabs in two languages send identical
 * parameters under one idempotency key, so Stripe answers them all with ONE session.
 */
function description(d: Dossier): string {
  const label = findProgramme(d.programmeCode)?.label.fr ?? d.programmeCode;
  return `Droits d'inscription / Registration fees ${d.academicYear} — ${label}`;
}

export interface StartedCheckout {
  checkoutUrl: string;
  sessionId: string;
  expiresAt: string;
  reused: boolean;
  plan: PaymentPlan;
  /** The parts and their due dates (one part, due now, when paying in full). */
  schedule: ScheduledPart[];
}

const scheduleOf = (d: Dossier, plan: PaymentPlan, now: Date): ScheduledPart[] =>
  plan === 'instalments' && d.payment.instalments
    ? d.payment.instalments.map(({ n, amountCents, dueOn }) => ({ n, amountCents, dueOn }))
    : [{ n: 1, amountCents: d.fees.amountCents, dueOn: now.toISOString().slice(0, 10) }];

/**
 * The dossier as it will be once `plan` is recorded (DomainError refusals thrown): paying in parts
 * is refused with `instalments_not_allowed` to a dossier that may pay online but not in parts,
 * or that pays at the desk; an enrolled or cancelled one gets the online payment's own refusal.
 */
function planned(d: Dossier, plan: PaymentPlan, now: Date): Dossier {
  const allowed = onlinePaymentAllowed(d);
  if (!allowed.ok && (plan === 'full' || (allowed.reason !== 'payment_pay_at_office' && allowed.reason !== 'payment_scholarship_to_verify'))) throw new DomainError(allowed.reason);
  return choosePlan(d, plan, now, instalmentsConfig);
}

export async function startCheckout(dossierId: string, lang: Lang, now: Date, choice: PaymentPlan = 'full'): Promise<StartedCheckout> {
  const stored = await getDossier(dossierId);
  if (!stored) throw unauthenticated();
  const dossier = planned(stored, choice, now);
  // A refused dossier (pay at the desk, enrolled, cancelled) is answered without asking Stripe.
  const recordedId = onlinePaymentAllowed(dossier).ok ? dossier.payment.checkoutSessionId : undefined;
  const recorded = recordedId ? await retrieveCheckoutSession(recordedId) : undefined;
  const plan = planCheckout(dossier, recorded, now);
  // The recorded session is for another plan (or another schedule): it is replaced.
  const samePlan = dossier === stored && (stored.payment.plan ?? 'full') === choice;
  if (plan.action === 'reuse' && recorded?.url && samePlan) {
    return { checkoutUrl: recorded.url, sessionId: recorded.id, expiresAt: recorded.expiresAt, reused: true, plan: choice, schedule: scheduleOf(dossier, choice, now) };
  }
  if (recordedId && recorded?.status === 'open' && (plan.action === 'reuse' || plan.expireRecorded)) await closeCheckout(recordedId);
  const customerId =
    choice === 'instalments' ? (dossier.payment.customerId ?? (await createCustomer({ dossierId: dossier.id, academicYear: dossier.academicYear, email: dossier.steps.identity.email }))) : undefined;

  const expiresAt = checkoutExpiry(now);
  const origin = requireEnv(ENV.publicOrigin);
  const session = await createCheckoutSession({
    dossierId: dossier.id,
    academicYear: dossier.academicYear,
    amountCents: amountDueNow(dossier),
    currency: dossier.fees.currency,
    description: description(dossier),
    customerEmail: dossier.steps.identity.email,
    // Stripe picks the page's language from the browser: a language-independent request.
    lang: 'auto',
    successUrl: `${origin}${PAYMENT_RETURN_PATH}?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}${PAYMENT_CANCEL_PATH}`,
    expiresAt,
    // Every dossier change bumps its version: concurrent or retried requests for the same
    // state share a key (and get the same session), whatever their language; a later attempt
    // gets a new one.
    idempotencyKey: `checkout-${dossier.id}-v${dossier.version}-${choice === 'instalments' ? 'instalments-' : ''}${expiresAt.getTime() / 1000}`,
    ...(customerId ? { instalments: { customerId, n: 1 } } : {}),
  });
  let winner: string | undefined;
  try {
    await mutateDossier(
      dossier.id,
      (d) => {
        winner = undefined;
        // Another request recorded its own session meanwhile (straddling an expiry minute):
        // it wins, so the dossier keeps one payable session.
        const recordedNow = d.payment.checkoutSessionId;
        if (recordedNow && recordedNow !== session.id && recordedNow !== recordedId) {
          winner = recordedNow;
          return d;
        }
        const chosen = planned(d, choice, now);
        const withCustomer = customerId && chosen.payment.customerId !== customerId ? { ...chosen, payment: { ...chosen.payment, customerId } } : chosen;
        return recordCheckout(withCustomer, session.id);
      },
      now,
    );
  } catch (err) {
    // The dossier changed meanwhile (an operator cancelled it…): nobody may pay that session.
    if (isDomainError(err)) await expireCheckoutSession(session.id);
    throw err;
  }
  if (winner) {
    await expireCheckoutSession(session.id);
    const won = await retrieveCheckoutSession(winner);
    if (won?.url && won.status === 'open') return { checkoutUrl: won.url, sessionId: won.id, expiresAt: won.expiresAt, reused: true, plan: choice, schedule: scheduleOf(dossier, choice, now) };
    throw new DomainError('payment_processing');
  }
  return { checkoutUrl: session.url, sessionId: session.id, expiresAt: session.expiresAt, reused: false, plan: choice, schedule: scheduleOf(dossier, choice, now) };
}

/**
 * Paying part `n` of a plan now, by Checkout (a failed, overdue or future part): its session is
 * reused while open; the card typed is saved on the dossier's Customer for the parts after it.
 * While the session is open the daily job leaves the part alone; a part the job is charging is
 * refused (`payment_processing`), so a part is never paid twice.
 */
export async function startInstalmentCheckout(dossierId: string, n: number, now: Date): Promise<Omit<StartedCheckout, 'plan' | 'schedule'>> {
  const dossier = await getDossier(dossierId);
  if (!dossier) throw unauthenticated();
  const part = assertInstalmentPayable(dossier, n);
  if (part.checkoutSessionId && part.checkoutExpiresAt && !checkoutLapsesSoon(part.checkoutExpiresAt, now)) {
    const recorded = await retrieveCheckoutSession(part.checkoutSessionId);
    if (recorded?.status === 'complete') throw new DomainError('payment_processing');
    if (recorded?.status === 'open' && recorded.url) return { checkoutUrl: recorded.url, sessionId: recorded.id, expiresAt: recorded.expiresAt, reused: true };
  }
  const customerId = dossier.payment.customerId ?? (await createCustomer({ dossierId: dossier.id, academicYear: dossier.academicYear, email: dossier.steps.identity.email }));
  const expiresAt = checkoutExpiry(now);
  const origin = requireEnv(ENV.publicOrigin);
  const session = await createCheckoutSession({
    dossierId: dossier.id,
    academicYear: dossier.academicYear,
    amountCents: part.amountCents,
    currency: dossier.fees.currency,
    description: `${description(dossier)} — ${n}/${dossier.payment.instalments!.length}`,
    lang: 'auto',
    successUrl: `${origin}${PAYMENT_RETURN_PATH}?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}${PAYMENT_CANCEL_PATH}`,
    expiresAt,
    idempotencyKey: `checkout-${dossier.id}-n${n}-v${dossier.version}-${expiresAt.getTime() / 1000}`,
    instalments: { customerId, n },
  });
  try {
    await mutateDossier(
      dossier.id,
      (d) => {
        const recorded = recordInstalmentCheckout(d, n, { id: session.id, expiresAt: session.expiresAt });
        return recorded.payment.customerId ? recorded : { ...recorded, payment: { ...recorded.payment, customerId } };
      },
      now,
    );
  } catch (err) {
    // The job started charging the part meanwhile, or it was paid: nobody may pay that session.
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
