/**
 * POST /api/support: open with the calendar windows only; validated; rate-limited per
 * identifier, mailbox and source address; stored for the operators; forwarded through the real
 * mail pipeline (table stream → relay → queue → mailer → SES capture).
 */
import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { stageConfig } from '../../config/stages';
import { handler as putService } from '../../functions/admin/put-service';
import { listSupportRequests } from '../../functions/adapters/dynamo/support-requests';
import { SUPPORT_POLICY } from '../../functions/domain/rate-limits';
import { handler as mailer } from '../../functions/events/mailer';
import { handler as relay } from '../../functions/events/outbox-relay';
import { handler as statusHandler } from '../../functions/public/status';
import { handler as support } from '../../functions/public/support';
import { toKnownError } from '../../functions/shared/domain-errors';
import { logger } from '../../functions/shared/logger';
import { METRIC } from '../../functions/shared/metrics';
import { httpEvent, invoke } from '../support/events';
import { captureStdout, emfWith } from '../support/stdout';
import { eventually, mailTo, startMailQueuePoller, startOutboxStreamPoller } from '../support/mail';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
const BETWEEN_WINDOWS = new Date('2026-08-01T10:00:00Z');
const ASSISTANCE = stageConfig('dev').assistanceEmail;

/** A fresh identifier per request body, so the per-identifier limit only bites where a test wants it. */
function body(overrides: Record<string, unknown> = {}) {
  const n = String(randomInt(0, 10_000_000)).padStart(7, '0');
  return {
    identifier: `P26${n}`,
    lastName: "N'Diaye",
    firstName: 'Zoé',
    programme: 'Licence 1 Informatique',
    email: `zoe-${n}@example.org`,
    message: `Bonjour,\nje n'ai pas d'INE (demande ${n}).`,
    ...overrides,
  };
}
/** From a fresh client address each time: the per-address limit has its own test. */
function send(b: unknown, lang?: 'fr' | 'en') {
  const event = httpEvent({ method: 'POST', path: '/api/support', body: b, lang });
  event.requestContext.http.sourceIp = `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  return invoke(support, event);
}
function sendFrom(sourceIp: string, b: unknown) {
  const event = httpEvent({ method: 'POST', path: '/api/support', body: b });
  event.requestContext.http.sourceIp = sourceIp;
  return invoke(support, event);
}
const setMode = (mode: 'open' | 'closed' | 'calendar') =>
  invoke(putService, httpEvent({ method: 'PUT', body: { mode, reason: 'Test assistance' }, adminPrincipal: 'arn:aws:iam::123456789012:user/operator' }));

let pollers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  pollers = [await startMailQueuePoller(mailer), await startOutboxStreamPoller(relay)];
});
afterAll(async () => {
  for (const p of pollers) await p.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(async () => {
  await setMode('calendar');
  vi.useRealTimers();
});

describe('outside the enrollment windows', () => {
  it('refuses with 503 SUPPORT_CLOSED and the reopening date, in French by default and in English', async () => {
    vi.setSystemTime(BETWEEN_WINDOWS);

    const refused = body();
    const fr = await send(refused);
    const en = await send(body(), 'en');

    expect(fr.statusCode).toBe(503);
    expect(fr.body.error).toMatchObject({ code: 'SUPPORT_CLOSED', nextOpening: '2026-08-25T09:00:00+02:00' });
    expect(fr.body.error.message).toContain('mardi 25 août 2026 à 09:00');
    expect(en.statusCode).toBe(503);
    expect(en.body.error.message).toContain('Tuesday, 25 August 2026 at 09:00');
    const stored = (await listSupportRequests({ academicYear: '2026-2027', limit: 100 })).items;
    expect(stored.filter((r) => r.identifier === refused.identifier)).toEqual([]);
  });

  it('opens when an operator forces the service open outside a window, and /api/status.supportOpen says so (issue 11 point 4)', async () => {
    vi.setSystemTime(BETWEEN_WINDOWS);
    await setMode('open');

    const res = await send(body());
    const status = await invoke(statusHandler, httpEvent({ method: 'GET', path: '/api/status' }));

    expect(res.statusCode).toBe(202);
    expect(status.body).toMatchObject({ open: true, reason: 'forced_open', supportOpen: true });
  });

  it('stays open when an operator forces the service closed inside a window (blocked students need it most)', async () => {
    vi.setSystemTime(IN_WINDOW);
    await setMode('closed');

    const res = await send(body());
    const status = await invoke(statusHandler, httpEvent({ method: 'GET', path: '/api/status' }));

    expect(res.statusCode).toBe(202);
    expect(status.body).toMatchObject({ open: false, supportOpen: true });
  });
});

describe('inside a window', () => {
  it('stores the request and forwards it to the assistance mailbox, replying to the student, with an acknowledgement in their language', async () => {
    // Names are validated (letters, apostrophes…); the free-text fields may hold markup.
    const b = body({ lastName: "O'Brien-Lefèvre", firstName: 'Éloïse', programme: 'L1 <b>Info</b>', message: 'Bloquée <script>alert(1)</script>\nMerci' });

    const res = await send(b, 'en');

    expect(res.statusCode).toBe(202);
    const { requestId } = res.body as { requestId: string };
    const forward = await eventually(
      () => mailTo((m) => m.to.includes(ASSISTANCE) && m.jobId === `support_forward#${requestId}`),
      (m) => m.length > 0,
    );
    expect(forward).toHaveLength(1);
    expect(forward[0]!.replyTo).toEqual([b.email]);
    for (const value of [b.identifier, b.lastName, b.firstName, b.programme, ...b.message.split('\n')]) expect(forward[0]!.text).toContain(value);
    expect(forward[0]!.html).not.toMatch(/<script|<b>/);
    expect(forward[0]!.html).toContain('O&#39;Brien-Lefèvre');
    expect(forward[0]!.html).toContain('Bloquée &lt;script&gt;alert(1)&lt;/script&gt;');

    const [ack] = await eventually(
      () => mailTo(b.email),
      (m) => m.length > 0,
    );
    expect(ack).toMatchObject({ jobId: `support_ack#${requestId}`, subject: 'We have received your support request' });

    const listed = await listSupportRequests({ academicYear: '2026-2027', limit: 100 });
    expect(listed.items.find((r) => r.id === requestId)).toMatchObject({ ...b, lang: 'en', receivedAt: IN_WINDOW.toISOString() });
  });

  it('stays open when an operator forces the service closed during a window', async () => {
    await setMode('closed');
    expect((await send(body())).statusCode).toBe(202);
  });

  it('names the wrong fields (422), in English on request, and refuses malformed JSON (400)', async () => {
    const res = await send(body({ email: 'not-an-address', message: '   ', lastName: 'R2-D2' }), 'en');
    expect(res.statusCode).toBe(422);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'lastName', 'message']);
    expect(res.body.error.fields.email).toMatch(/e-mail address is not valid/);

    const malformed = await invoke(support, httpEvent({ method: 'POST', path: '/api/support', rawBody: '{"identifier":', headers: { 'content-type': 'application/json' } }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
  });

  it('accepts 3 requests per identifier an hour, then 429 with Retry-After, and again after the hour', async () => {
    const identifier = body().identifier;
    for (let i = 0; i < 3; i++) expect((await send(body({ identifier }))).statusCode).toBe(202);

    const printed = captureStdout();
    let limited: Awaited<ReturnType<typeof send>>;
    try {
      limited = await send(body({ identifier }));
    } finally {
      printed.restore();
    }
    expect(limited.statusCode).toBe(429);
    expect(limited.body.error.code).toBe('SUPPORT_RATE_LIMITED');
    // A student writing too often is not an attack: no AbuseRefusals (functions/domain/rate-limits.ts ALARMED_SCOPES).
    expect(emfWith(printed.lines(), METRIC.abuseRefusals)).toEqual([]);
    expect(Number(limited.headers['retry-after'])).toBe(3600);

    vi.setSystemTime(new Date(IN_WINDOW.getTime() + 3600 * 1000 + 1000));
    expect((await send(body({ identifier }))).statusCode).toBe(202);
  });

  it('accepts 3 requests per mailbox an hour, whatever the identifier, sub-address or case typed', async () => {
    const n = String(randomInt(0, 10_000_000)).padStart(7, '0');
    const emails = [`victim-${n}@example.org`, `Victim-${n}+a@example.org`, `victim-${n}+b@EXAMPLE.org`, `victim-${n}+c@example.org`];
    const results = [];
    for (const email of emails) results.push(await send(body({ email })));

    expect(results.map((r) => r.statusCode)).toEqual([202, 202, 202, 429]);
    expect(results[3]!.body.error.code).toBe('SUPPORT_RATE_LIMITED');
    expect(Number(results[3]!.headers['retry-after'])).toBe(3600);
    const stored = (await listSupportRequests({ academicYear: '2026-2027', limit: 100 })).items.filter((r) => r.email.toLowerCase().startsWith(`victim-${n}`));
    expect(stored).toHaveLength(3);
  });

  it('accepts the per-address quota of requests an hour, then 429, alarmed (AbuseRefusals); another address is not limited', async () => {
    const ip = `203.0.113.${randomInt(1, 255)}`;
    for (let i = 0; i < SUPPORT_POLICY.perAddress.max; i++) expect((await sendFrom(ip, body())).statusCode).toBe(202);

    const printed = captureStdout();
    let limited: Awaited<ReturnType<typeof sendFrom>>;
    try {
      limited = await sendFrom(ip, body());
    } finally {
      printed.restore();
    }
    expect(limited.statusCode).toBe(429);
    // The metric the abuse alarm watches (lib/constructs/monitoring.ts); a refusal per identifier is not one (next test).
    expect(emfWith(printed.lines(), METRIC.abuseRefusals).map((doc) => doc[METRIC.abuseRefusals])).toEqual([1]);
    expect(Number(limited.headers['retry-after'])).toBe(3600);
    expect((await sendFrom('198.51.100.7', body())).statusCode).toBe(202);
  });

  it('behind CloudFront counts the viewer’s own address (origin-verify checked), never a forged one (issue 11 point 6)', async () => {
    process.env.ORIGIN_VERIFY_SECRET = 'origin-verify-test-secret';
    try {
      const edge = `192.0.2.${randomInt(1, 255)}`;
      const viewer =
        (address: string, proof = 'origin-verify-test-secret') =>
        (b: unknown) => {
          const event = httpEvent({ method: 'POST', path: '/api/support', body: b, headers: { 'cloudfront-viewer-address': `${address}:443`, 'x-origin-verify': proof } });
          return invoke(support, { ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, sourceIp: edge } } });
        };
      const a = viewer(`198.18.${randomInt(0, 255)}.1`);
      for (let i = 0; i < SUPPORT_POLICY.perAddress.max; i++) expect((await a(body())).statusCode).toBe(202);
      expect((await a(body())).statusCode).toBe(429);
      // Another student behind the same CloudFront edge is not limited by the first one.
      expect((await viewer(`198.18.${randomInt(0, 255)}.2`)(body())).statusCode).toBe(202);
      // A forged viewer address (wrong secret) counts as the edge's own address.
      const forged = viewer('198.18.0.99', 'guess');
      for (let i = 0; i < SUPPORT_POLICY.perAddress.max; i++) expect((await forged(body())).statusCode).toBe(202);
      expect((await viewer('198.18.0.100', 'guess')(body())).statusCode).toBe(429);
    } finally {
      delete process.env.ORIGIN_VERIFY_SECRET;
    }
  });

  it('lets no more than 3 concurrent requests of one identifier through, and stores only those', async () => {
    const identifier = body().identifier;
    const results = await Promise.all(Array.from({ length: 8 }, () => send(body({ identifier }))));
    expect(results.filter((r) => r.statusCode === 202)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(5);
    // Every page: earlier tests of this file stored many requests at the same (frozen) time.
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await listSupportRequests({ academicYear: '2026-2027', limit: 100, cursor });
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(all.filter((r) => r.identifier === identifier)).toHaveLength(3);
  });
});

describe('the operators’ listing', () => {
  it('lists newest first, page by page, and refuses a forged cursor', async () => {
    const year = '2026-2027';
    const ids: string[] = [];
    for (let minute = 0; minute < 3; minute++) {
      // In the second window: after every request the other tests store (some outside the first).
      vi.setSystemTime(new Date(Date.parse('2026-09-01T10:00:00Z') + (minute + 1) * 86_400_000));
      ids.push((await send(body())).body.requestId);
    }

    const first = await listSupportRequests({ academicYear: year, limit: 2 });
    const second = await listSupportRequests({ academicYear: year, limit: 2, cursor: first.next! });

    expect(first.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(second.items[0]!.id).toBe(ids[0]);
    const forged = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'DOSSIERS#2026-2027#enrolled', gsi1sk: 'z' })).toString('base64url');
    // The adapter's failure, as the HTTP edge answers it.
    const answer = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => toKnownError(e),
      );
    await expect(answer(listSupportRequests({ academicYear: year, limit: 10, cursor: forged }))).resolves.toMatchObject({ statusCode: 422, fields: { cursor: 'cursor_invalid' } });
    await expect(answer(listSupportRequests({ academicYear: year, limit: 10, cursor: 'not-a-cursor' }))).resolves.toMatchObject({ statusCode: 422 });
  });
});

describe('logs', () => {
  it('carry none of the request’s personal data, from the request to the sent mails', async () => {
    const b = body({ lastName: 'Zébulonnière', firstName: 'Anaïs', message: 'Mon numéro secret est 0699887766.' });
    let output = '';
    logger.setLogLevel('DEBUG');
    const spies = [process.stdout, process.stderr].map((stream) => {
      const original = stream.write.bind(stream);
      return vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    });
    try {
      const { requestId } = (await send(b)).body as { requestId: string };
      await eventually(
        () => mailTo(b.email),
        (m) => m.length > 0,
      );
      await eventually(
        () => mailTo((m) => m.jobId === `support_forward#${requestId}`),
        (m) => m.length > 0,
      );
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      logger.setLogLevel('ERROR');
    }

    expect(output).toContain('Mail sent'); // the capture works
    for (const value of [b.identifier, b.lastName, b.firstName, b.email, '0699887766']) expect(output).not.toContain(value);
  });
});
