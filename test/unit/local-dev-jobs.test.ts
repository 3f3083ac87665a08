/** The local runtime's scheduled jobs: `POST /dev/jobs/{jobId} {at}` and the daily schedule's next run (Paris time). */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDef } from '../../functions/routes';
import { jobs } from '../../functions/routes';
import { refundRetryConfig } from '../../config/refunds';
import { createDevJobs } from '../../scripts/local/dev-jobs';
import { nextDailyRun } from '../../scripts/local/scheduler';

const received: unknown[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const fake: JobDef[] = [
    { id: 'InstalmentsDue', entry: 'x', trigger: { kind: 'daily', hour: 8, minute: 0, timeZone: 'Europe/Paris' }, access: {} },
    { id: 'Mailer', entry: 'y', trigger: { kind: 'mailQueue', batchSize: 10 }, access: {} },
  ];
  const handle = createDevJobs({
    jobs: fake,
    load: async () => async (event) => {
      received.push(event);
      return { ran: true };
    },
  });
  server = createServer((req, res) => void handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((h) => h || res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const post = (id: string, body?: string) => fetch(`${base}/dev/jobs/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('POST /dev/jobs/{jobId}', () => {
  it('runs a scheduled job with the event its schedule sends, as if at `at`', async () => {
    const res = await post('InstalmentsDue', JSON.stringify({ at: '2026-08-05T08:00:00+02:00' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobId: 'InstalmentsDue', scheduledFor: '2026-08-05T06:00:00.000Z', result: { ran: true } });
    expect(received.at(-1)).toEqual({ scheduledFor: '2026-08-05T06:00:00.000Z' });
  });

  it('refuses a bad `at` (422 naming it), an unknown or unscheduled job (404)', async () => {
    const bad = await post('InstalmentsDue', JSON.stringify({ at: 'tomorrow' }));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields).toEqual({ at: 'invalid_format' });
    expect((await post('Mailer')).status).toBe(404);
    expect((await post('Nope')).status).toBe(404);
  });

  it('the route list schedules InstalmentsDue daily, in Paris time', () => {
    expect(jobs.find((j) => j.id === 'InstalmentsDue')?.trigger).toMatchObject({ kind: 'daily', timeZone: 'Europe/Paris' });
  });

  it('the route list runs RefundRetry every few minutes on the Paris clock (a rate job: npm start schedules it, /dev/jobs runs it)', () => {
    expect(jobs.find((j) => j.id === 'RefundRetry')?.trigger).toMatchObject({ kind: 'rate', minutes: refundRetryConfig.everyMinutes, timeZone: 'Europe/Paris' });
  });
});

describe('the daily schedule', () => {
  const at = { hour: 8, minute: 0, timeZone: 'Europe/Paris' };
  it('fires at 08:00 Paris: 06:00 UTC in summer, 07:00 UTC in winter, the next day once passed', () => {
    expect(nextDailyRun(at, new Date('2026-08-05T05:00:00Z')).toISOString()).toBe('2026-08-05T06:00:00.000Z');
    expect(nextDailyRun(at, new Date('2026-08-05T06:00:00Z')).toISOString()).toBe('2026-08-06T06:00:00.000Z');
    expect(nextDailyRun(at, new Date('2026-12-31T20:00:00Z')).toISOString()).toBe('2027-01-01T07:00:00.000Z');
  });
});
