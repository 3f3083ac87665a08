import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../../functions/shared/http';
import { httpEvent } from '../support/events';

describe('the HTTP handler factory', () => {
  it('answers 503 with Retry-After, not 500, when the function is about to time out', async () => {
    const slow = httpHandler({ auth: 'public' }, async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { statusCode: 200, body: { late: true } };
    });
    const context = { getRemainingTimeInMillis: () => 60 } as unknown as Context;
    const res = (await slow(httpEvent({ lang: 'en' }), context)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringMatching(/try again/) });
  });

  it('turns an unexpected error into a 500 in the API shape without leaking it', async () => {
    const broken = httpHandler({ auth: 'public' }, async () => {
      throw new Error('secret internals: table pk=DOSSIER#123');
    });
    const res = (await broken(httpEvent({}), { getRemainingTimeInMillis: () => 10_000 } as unknown as Context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internals');
    expect(JSON.parse(res.body).error.code).toBe('INTERNAL_ERROR');
  });
});

describe('scrubbing an unexpected error message before it is logged', () => {
  it('masks e-mail addresses, dates and identifier-like runs, keeps what broke', async () => {
    const { scrub } = await import('../../functions/shared/http');
    const out = scrub("ValidationException: bad value lea.martin@example.org born 2008-03-14 or 14/03/2008, INE 1234567890V, login P261234567, at key 'address'");
    expect(out).toBe("ValidationException: bad value <email> born <date> or <date>, INE <id>, login <id>, at key 'address'");
  });
});
