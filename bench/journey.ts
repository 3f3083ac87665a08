/**
 * One student's whole enrollment over HTTP, as the student pages drive it: login, each step,
 * submit, then (when the payment routes exist) the card payment through the local Stripe
 * Checkout stand-in, and the dossier until it reads `enrolled`.
 *
 * Requests only ever go to the local runtime's base URL (127.0.0.1); URLs found in answers
 * (the checkout URL) are never followed, only their session id is used.
 */
import { performance } from 'node:perf_hooks';
import { routes } from '../functions/routes';
import { IDENTITY, type BenchStudent } from './students';

export interface RequestSample {
  /** `METHOD /path/template`, e.g. `PUT /api/dossier/identity`. */
  route: string;
  ms: number;
  status: number;
}

export interface JourneyOutcome {
  ok: boolean;
  /** Why the journey stopped, when it did: route, status and error code (never the answer's data). */
  error?: string;
  dossierId?: string;
}

const hasRoute = (method: string, path: string) => routes.some((r) => r.method === method && r.path === path);

/** Which parts of the payment flow exist in the route list right now. */
export function paymentFlow(): { payment: boolean; webhook: boolean } {
  return { payment: hasRoute('POST', '/api/dossier/payment'), webhook: hasRoute('POST', '/api/payments/webhook') };
}

export interface JourneyOptions {
  /** Loopback base URL of the local runtime. */
  base: string;
  /** Pay by card (scholarship "none") when the payment routes exist; else a granted scholarship (nothing due). */
  pay: boolean;
  /** `performance.now()` after which the journey gives up. */
  deadline: number;
  /**
   * `instalments`: pay in three parts — the first by Checkout, then the local runtime runs the
   * InstalmentsDue job (`POST /dev/jobs/InstalmentsDue {at}`) on each later part's due day, and
   * the journey waits for each part to read paid (the off-session charge's signed webhook).
   * @default 'full'
   */
  plan?: 'full' | 'instalments';
  onRequest?(sample: RequestSample): void;
}

class JourneyError extends Error {}

export async function runJourney(student: BenchStudent, o: JourneyOptions): Promise<JourneyOutcome> {
  let token = '';
  let dossierId: string | undefined;

  const call = async (method: string, template: string, path: string, expected: (status: number) => boolean, body?: unknown): Promise<Record<string, any>> => {
    const remaining = o.deadline - performance.now();
    if (remaining <= 0) throw new JourneyError(`global timeout before ${method} ${template}`);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${o.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect (e.g. the stand-in's return page) is an answer, not a place to go.
        redirect: 'manual',
        signal: AbortSignal.timeout(Math.ceil(remaining)),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw new JourneyError(`${method} ${template}: ${(err as Error).name} ${(err as Error).message}`.trim());
    } finally {
      o.onRequest?.({ route: `${method} ${template}`, ms: performance.now() - t0, status });
    }
    let parsed: Record<string, any> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      // Not JSON (e.g. a stand-in page): only the status matters then.
    }
    if (!expected(status)) {
      // Error codes and messages only: the service's messages name fields, never their values.
      const error = parsed.error as { code?: string; message?: string } | undefined;
      throw new JourneyError(`${method} ${template} → ${status} ${error?.code ?? ''} ${error?.message?.slice(0, 120) ?? ''}`.trim());
    }
    return parsed;
  };

  const is = (code: number) => (status: number) => status === code;
  try {
    const session = await call('POST', '/api/session', '/api/session', is(201), { identifier: student.admission.identifier, birthDate: student.admission.birthDate });
    token = session.token as string;
    dossierId = session.dossier?.id as string | undefined;
    await call('PUT', '/api/dossier/identity', '/api/dossier/identity', is(200), IDENTITY);
    await call('PUT', '/api/dossier/ine', '/api/dossier/ine', is(200), { ine: student.ine });
    await call('PUT', '/api/dossier/situation', '/api/dossier/situation', is(200), { regime: 'formation_initiale', scholarship: o.pay ? 'none' : 'granted' });
    await call('PUT', '/api/dossier/cvec', '/api/dossier/cvec', is(200), { certificateNumber: student.cvecNumber });
    await call('PUT', '/api/dossier/programme', '/api/dossier/programme', is(200), { programmeCode: student.admission.programmeCode });
    const submitted = await call('POST', '/api/dossier/submit', '/api/dossier/submit', is(200));
    let status = submitted.status as string;
    let later: { n: number; dueOn: string }[] = [];
    if (o.pay && status === 'awaiting_payment') {
      const checkout = await call('POST', '/api/dossier/payment', '/api/dossier/payment', is(201), o.plan === 'instalments' ? { plan: 'instalments' } : undefined);
      later = o.plan === 'instalments' ? ((checkout.schedule as { n: number; dueOn: string }[]) ?? []).filter((x) => x.n > 1) : [];
      const sessionId = encodeURIComponent(String(checkout.sessionId));
      await call('POST', '/dev/checkout/{sessionId}/pay', `/dev/checkout/${sessionId}/pay`, (st) => st >= 200 && st < 400);
    }
    // The webhook may land after the stand-in answers: read the dossier until it is enrolled.
    while (status !== 'enrolled') {
      status = (await call('GET', '/api/dossier', '/api/dossier', is(200))).status as string;
      if (status !== 'enrolled') await new Promise((r) => setTimeout(r, 100));
    }
    // The later parts, each on its due day (08:30 Paris in summer), charged off-session by the job.
    for (const part of later) {
      await call('POST', '/dev/jobs/{jobId}', '/dev/jobs/InstalmentsDue', is(200), { at: `${part.dueOn}T06:30:00Z` });
      let paid = false;
      while (!paid) {
        const d = await call('GET', '/api/dossier', '/api/dossier', is(200));
        paid = (d.payment?.instalments as { n: number; status: string }[] | undefined)?.find((x) => x.n === part.n)?.status === 'paid';
        if (!paid) await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { ok: true, dossierId };
  } catch (err) {
    if (err instanceof JourneyError) return { ok: false, error: err.message, dossierId };
    throw err;
  }
}
