import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { getServiceRecord } from '../../functions/adapters/dynamo/service-state';
import { handler as getService } from '../../functions/admin/get-service';
import { handler as putService } from '../../functions/admin/put-service';
import { handler as windowSwitch } from '../../functions/events/window-switch';
import { handler as status } from '../../functions/public/status';
import { forgetServiceState } from '../../functions/shared/service-state';
import { httpEvent, invoke } from '../support/events';

const OPERATOR = 'arn:aws:iam::123456789012:user/operator-jeanne';
const put = (body: unknown, principal: string | null = OPERATOR) => invoke(putService, httpEvent({ method: 'PUT', path: '/api/admin/service', body, adminPrincipal: principal ?? undefined }));

beforeEach(async () => {
  vi.useRealTimers();
  await ddb.send(new DeleteCommand({ TableName: tableName(), Key: { pk: 'SERVICE', sk: 'STATE' } }));
  forgetServiceState();
});

describe('GET /api/status', () => {
  it('during a window: open, with the window in Paris time', async () => {
    vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
    const res = await invoke(status, httpEvent({ path: '/api/status' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      open: true,
      reason: 'window_open',
      window: { id: 'juin-juillet', opensAt: '2026-06-24T09:00:00+02:00', closesAt: '2026-07-16T23:59:59+02:00' },
      nextOpening: null,
      supportOpen: true,
      academicYear: '2026-2027',
    });
  });

  it('between windows: closed with the next opening, message in English on request', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T10:00:00Z'), toFake: ['Date'] });
    const res = await invoke(status, httpEvent({ path: '/api/status', lang: 'en' }));
    expect(res.body).toMatchObject({ open: false, reason: 'between_windows', window: null, nextOpening: '2027-06-24T09:00:00+02:00', supportOpen: false });
    expect(res.body.message).toMatch(/closed/);
  });
});

describe('PUT /api/admin/service', () => {
  it('forces closed during a window, audited with who, why, before and after', async () => {
    vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
    const res = await put({ mode: 'closed', reason: 'Incident paiement' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ open: false, reason: 'forced_closed', override: { mode: 'closed', reason: 'Incident paiement', by: OPERATOR } });

    const admin = await invoke(getService, httpEvent({ path: '/api/admin/service', adminPrincipal: OPERATOR }));
    expect(admin.body.override).toMatchObject({ mode: 'closed' });
    expect(admin.body.audit[0]).toMatchObject({
      actor: OPERATOR,
      action: 'service.closed',
      reason: 'Incident paiement',
      before: { override: null },
      after: { override: { mode: 'closed' }, open: false },
    });
    expect(admin.body.calendar.windows[0]).toEqual({ id: 'juin-juillet', opensAt: '2026-06-24T09:00:00+02:00', closesAt: '2026-07-16T23:59:59+02:00' });
  });

  it('back to the calendar clears the override', async () => {
    vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z'), toFake: ['Date'] });
    await put({ mode: 'closed', reason: 'Incident paiement' });
    const res = await put({ mode: 'calendar', reason: 'Incident résolu' });
    expect(res.body).toMatchObject({ open: true, reason: 'window_open', override: null });
    expect((await getServiceRecord()).override).toBeNull();
  });

  it('refuses an unknown mode or a missing reason, naming the field', async () => {
    const bad = await put({ mode: 'ajar' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['mode', 'reason']);
  });

  it('refuses a caller the JWT authorizer did not identify', async () => {
    const res = await put({ mode: 'open', reason: 'Ouverture anticipée' }, null);
    expect(res.statusCode).toBe(401);
    expect((await getServiceRecord()).override).toBeNull();
  });
});

describe('window switch', () => {
  it('stores the calendar state, whatever the schedule said, and is idempotent', async () => {
    vi.useFakeTimers({ now: new Date('2026-06-24T07:00:05Z'), toFake: ['Date'] });
    const first = await windowSwitch({ action: 'open', windowId: 'juin-juillet', scheduledFor: '2026-06-24T07:00:00Z' });
    const again = await windowSwitch({ action: 'open', windowId: 'juin-juillet', scheduledFor: '2026-06-24T07:00:00Z' });
    expect(first).toMatchObject({ open: true, windowId: 'juin-juillet', stored: true });
    expect(again).toMatchObject({ open: true, stored: true });
    expect(await getServiceRecord()).toMatchObject({ open: true, reason: 'window_open', windowId: 'juin-juillet', nextTransitionAt: '2026-07-16T22:00:00.000Z' });
  });

  it('a late "open" fired after the window closed still stores closed', async () => {
    vi.useFakeTimers({ now: new Date('2026-07-17T08:00:00Z'), toFake: ['Date'] });
    const res = await windowSwitch({ action: 'open', windowId: 'juin-juillet' });
    expect(res).toMatchObject({ open: false, reason: 'between_windows' });
    expect((await getServiceRecord()).open).toBe(false);
  });

  it('a stale invocation does not overwrite a newer computation', async () => {
    vi.useFakeTimers({ now: new Date('2026-07-17T08:00:00Z'), toFake: ['Date'] });
    await windowSwitch({ action: 'close', windowId: 'juin-juillet' });
    vi.setSystemTime(new Date('2026-07-10T08:00:00Z'));
    const stale = await windowSwitch({ action: 'open', windowId: 'juin-juillet' });
    expect(stale.stored).toBe(false);
    expect((await getServiceRecord()).open).toBe(false);
  });

  it('respects an operator override', async () => {
    vi.useFakeTimers({ now: new Date('2026-06-24T07:00:00Z'), toFake: ['Date'] });
    await put({ mode: 'closed', reason: 'Maintenance base de données' });
    const res = await windowSwitch({ action: 'open', windowId: 'juin-juillet' });
    expect(res).toMatchObject({ open: false, reason: 'forced_closed' });
  });
});
