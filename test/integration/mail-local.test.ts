/**
 * The mail pipeline in the whole local runtime (`startLocal`): a demo student enrolls through
 * the HTTP API and `/dev/mail` then holds exactly one synthesis mail for them; the support
 * form follows the real calendar.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entActivation, findProgramme } from '../../config/catalogue';
import { stageConfig } from '../../config/stages';
import type { CapturedMail } from '../../scripts/local/dev-routes';
import { startLocal, type LocalRuntime } from '../../scripts/local/runtime';
import { eventually } from '../support/eventually';

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocal({ port: 0 });
});
afterAll(async () => {
  await rt?.stop();
});

const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(`${rt.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
async function mailQueueDepth(): Promise<number> {
  // startLocal pointed the SDK at its emulators.
  const sqs = new SQSClient({});
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: rt.queues.mailQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  sqs.destroy();
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
const devMail = async (to: string) => ((await (await fetch(`${rt.url}/dev/mail?format=json&to=${encodeURIComponent(to)}`)).json()) as { items: CapturedMail[] }).items;

describe('mail in the local runtime', () => {
  it('a demo student enrolling with nothing due finds exactly one synthesis mail in /dev/mail, with the scolarité contacts and the ENT steps', async () => {
    const { academicYear } = (await (await api('/api/status')).json()) as { academicYear: string };
    const login = await api('/api/session', { method: 'POST', body: { identifier: 'P261234567', birthDate: '2008-03-14' } });
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    const email = 'lea.martin.local@example.org';
    const steps: [string, unknown][] = [
      ['identity', { email, phone: '06 12 34 56 78', address: { line1: '3 place Victor Hugo', postalCode: '13003', city: 'Marseille', country: 'FR' } }],
      ['ine', { ine: '1234567890V' }],
      ['situation', { regime: 'formation_initiale', scholarship: 'granted' }],
      ['cvec', { certificateNumber: `AMU${academicYear.slice(3, 4)}123456` }],
      ['programme', { programmeCode: 'L1-INFO' }],
    ];
    for (const [step, body] of steps) {
      const res = await api(`/api/dossier/${step}`, { method: 'PUT', token, body });
      expect(res.status, `${step}: ${await res.clone().text()}`).toBe(200);
    }

    const submitted = await api('/api/dossier/submit', { method: 'POST', token });

    expect(submitted.status).toBe(200);
    expect(((await submitted.json()) as { status: string }).status).toBe('enrolled');
    const mails = await eventually(
      () => devMail(email),
      (m) => m.length > 0,
    );
    // Nothing else is on its way once the mail queue is idle: still exactly one.
    await eventually(
      () => mailQueueDepth(),
      (depth) => depth === 0,
    );
    expect(await devMail(email)).toHaveLength(1);
    const [synthesis] = mails;
    expect(synthesis!.jobId).toMatch(/^synthesis#/);
    const scolarite = findProgramme('L1-INFO')!.scolarite;
    for (const expected of [scolarite.name, scolarite.email, scolarite.phone, scolarite.address, entActivation.url, ...entActivation.steps.fr]) {
      expect(synthesis!.text).toContain(expected);
    }

    const page = await fetch(`${rt.url}/dev/mail`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Votre inscription administrative');
  });

  it('the support form follows the calendar: forwarded to the assistance mailbox in a window, refused with the reopening date outside', async () => {
    const status = (await (await api('/api/status')).json()) as { supportOpen: boolean; nextOpening: string | null };
    const body = { identifier: 'P261234567', lastName: 'Martin', firstName: 'Léa', programme: 'L1 Informatique', email: 'lea.support@example.org', message: 'Je ne trouve pas mon INE.' };

    const res = await api('/api/support', { method: 'POST', body });

    if (status.supportOpen) {
      expect(res.status).toBe(202);
      const { requestId } = (await res.json()) as { requestId: string };
      const forwarded = await eventually(
        async () => (await devMail(stageConfig('dev').assistanceEmail)).filter((m) => m.jobId === `support_forward#${requestId}`),
        (m) => m.length > 0,
      );
      expect(forwarded).toHaveLength(1);
      expect(forwarded[0]!.text).toContain(body.message);
    } else {
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { code: string; nextOpening: string; message: string } };
      expect(error.code).toBe('SUPPORT_CLOSED');
      expect(error.nextOpening).toBe(status.nextOpening);
      expect(error.message).toMatch(/Réouverture le .+ \d{4}/);
    }
  });
});
