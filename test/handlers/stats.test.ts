/**
 * GET /api/admin/stats on DynamoDB Local: the writes stamp their change, this file's table
 * stream feeds the stats job through the local event source mapping, and the answer comes from
 * the counters. Replayed and re-split records are counted once.
 */
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ddb, tableName } from '../../functions/adapters/dynamo/client';
import { mutateDossier } from '../../functions/adapters/dynamo/dossiers';
import { handler as officePayment } from '../../functions/admin/office-payment';
import { handler as stats } from '../../functions/admin/stats';
import { handler as documentsQueue } from '../../functions/documents/admin-queue';
import { handler as supportHandled } from '../../functions/admin/support-handled';
import { handler as supportRequests } from '../../functions/admin/support-requests';
import type { Dossier } from '../../functions/domain/dossier';
import { dossierContribution, addDelta, statsView, type StatsDelta } from '../../functions/domain/stats';
import { handler as statsJob } from '../../functions/events/stats';
import { handler as support } from '../../functions/public/support';
import { jobs } from '../../functions/routes';
import { startStreamPoller } from '../../scripts/local/stream-poller';
import { httpEvent, invoke } from '../support/events';
import { eventually } from '../support/eventually';
import { asOperator, studentThroughWizard } from '../support/operators';
import { loggedInStudent } from '../support/students';

const IN_WINDOW = new Date('2026-07-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: IN_WINDOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every record the job was handed by the local event source mapping. */
const seen: DynamoDBRecord[] = [];
let poller: { stop(): Promise<void> };
const dynamodb = new DynamoDBClient({});
const streams = new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
beforeAll(async () => {
  const job = jobs.find((j) => j.id === 'Stats')!;
  poller = await startStreamPoller({
    dynamodb,
    streams,
    tableName: tableName(),
    job,
    handler: (event, context) => {
      seen.push(...event.Records);
      return statsJob(event, context);
    },
    idleMillis: 100,
    retryMillis: 100,
  });
});
afterAll(async () => {
  await poller.stop();
  dynamodb.destroy();
  streams.destroy();
});

const getStats = async () => {
  const res = await asOperator(stats, { route: 'AdminStats' });
  expect(res.statusCode).toBe(200);
  return res.body;
};

/** The figures counted the slow way, from every dossier in the table (what the counters must equal). */
async function countedByScan() {
  let totals: StatsDelta = {};
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of out.Items ?? []) if (item.type === 'dossier') totals = addDelta(totals, dossierContribution(item.dossier as Dossier));
    start = out.LastEvaluatedKey;
  } while (start);
  return statsView('2026-2027', totals);
}

describe('GET /api/admin/stats', () => {
  it('follows the dossiers, the enrollments per hour, the money and the queues, from the counters', async () => {
    // Arrange: one draft, one awaiting payment, one paid at the desk, one support request.
    const draft = await loggedInStudent({ programmeCode: 'M1-INFO' });
    const awaiting = await studentThroughWizard({ scholarship: 'none', submit: true });
    const atOffice = await studentThroughWizard({ scholarship: 'pending', submit: true });
    expect(awaiting.dossier.status).toBe('awaiting_payment');
    const paid = await asOperator(officePayment, { route: 'AdminOfficePayment', id: atOffice.dossier.id, body: { kind: 'paid', reference: 'QUITTANCE-7' } });
    expect(paid.body.status).toBe('enrolled');
    const body = { identifier: draft.admission.identifier, lastName: 'Martin', firstName: 'Léa', programme: 'M1 Informatique', email: 'lea.martin@example.org', message: 'Je n’ai pas d’INE.' };
    expect((await invoke(support, httpEvent({ method: 'POST', path: '/api/support', body }))).statusCode).toBe(202);

    // Act / Assert: the counters catch up with what the table holds.
    const expected = { byStatus: { draft: 1, awaiting_payment: 1, enrolled: 1 }, collectedCents: paid.body.payment.amountCents };
    const s = await eventually(getStats, (v) => isDeepStrictEqual(v.byStatus, expected.byStatus) && v.queues.supportRequests === 1, 60_000);
    expect(s).toMatchObject({
      academicYear: '2026-2027',
      byStatus: expected.byStatus,
      perHour: [{ hour: '2026-07-01T10:00:00Z', enrolled: 1 }],
      collectedCents: 17800,
      queues: { documentsToReview: 0, correctionsPending: 0, instalmentsOverdue: 0, anomalies: 0, supportRequests: 1 },
    });
    expect(s.byProgramme).toEqual(expect.arrayContaining([{ code: 'M1-INFO', counts: { draft: 1 } }]));
    const scanned = await countedByScan();
    expect({ ...s, queues: { ...s.queues, supportRequests: 0 } }).toEqual(scanned);

    // The support request handled: it leaves the queue, once, however often it is marked.
    const list = await asOperator(supportRequests, { route: 'AdminSupportRequests' });
    const requestId = list.body.items[0].id as string;
    for (let i = 0; i < 2; i++) {
      const res = await asOperator(supportHandled, { route: 'AdminSupportHandled', id: requestId, groups: ['operator'] });
      expect(res.statusCode).toBe(200);
    }
    expect((await asOperator(supportRequests, { route: 'AdminSupportRequests' })).body.items[0]).toMatchObject({ id: requestId, handledBy: expect.any(String) });
    expect((await eventually(getStats, (v) => v.queues.supportRequests === 0, 60_000)).queues.supportRequests).toBe(0);
    const unknown = await asOperator(supportHandled, { route: 'AdminSupportHandled', id: 'nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.error.code).toBe('SUPPORT_REQUEST_NOT_FOUND');
  }, 180_000);

  it('counts every concurrent change once, and a replayed or re-split batch changes nothing', async () => {
    const before = await getStats();
    // Logged in one after the other (a burst of logins from one address is the rate limits' business).
    const students: Awaited<ReturnType<typeof loggedInStudent>>[] = [];
    for (let i = 0; i < 8; i++) students.push(await loggedInStudent());
    // Concurrent changes of one dossier's status: each lands (versioned writes), each counted once.
    await Promise.all(students.map((st, i) => mutateDossier(st.dossier.id, (d) => ({ ...d, status: i % 2 ? 'cancelled' : d.status, cancelledAt: i % 2 ? IN_WINDOW.toISOString() : undefined }))));
    const draftsNow = (before.byStatus.draft ?? 0) + 4;
    const settled = await eventually(getStats, (v) => v.byStatus.draft === draftsNow && v.byStatus.cancelled === 4, 60_000);
    expect(settled.byStatus).toMatchObject({ draft: draftsNow, cancelled: 4 });
    expect(settled).toEqual({ ...(await countedByScan()), queues: settled.queues });

    // Lambda's retries: the whole batch again, then its halves (bisect), then one record twice.
    const records = [...seen];
    const replay = (rs: DynamoDBRecord[]) => statsJob({ Records: rs } as DynamoDBStreamEvent, {} as Context);
    await replay(records);
    await replay(records.slice(0, Math.floor(records.length / 2)));
    await replay(records.slice(Math.floor(records.length / 2)));
    await replay([records[0]!, records[0]!]);
    expect(await getStats()).toEqual(settled);
  }, 180_000);

  it('keeps the queue of documents to review with the dossier, and counts it', async () => {
    const { dossier } = await loggedInStudent();
    const listed = async () =>
      ((await asOperator(documentsQueue, { route: 'AdminDocumentsToReview', groups: ['operator'] })).body.items as { dossierId: string; kind: string }[]).filter((i) => i.dossierId === dossier.id);
    const before = (await getStats()).queues.documentsToReview;
    const at = IN_WINDOW.toISOString();
    await mutateDossier(dossier.id, (d) => ({
      ...d,
      documents: { photo: { status: 'to_review', keyToken: 'k1', sequencer: '01', fileName: 'photo.png', updatedAt: at }, identity: { status: 'checking', keyToken: 'k2', sequencer: '01' } },
    }));
    expect(await listed()).toEqual([expect.objectContaining({ dossierId: dossier.id, kind: 'photo', fileName: 'photo.png', since: at })]);
    expect((await eventually(getStats, (v) => v.queues.documentsToReview === before + 1, 60_000)).queues.documentsToReview).toBe(before + 1);

    await mutateDossier(dossier.id, (d) => ({
      ...d,
      documents: { ...d.documents, photo: { ...d.documents!.photo!, status: 'accepted' }, identity: { ...d.documents!.identity!, status: 'to_review' } },
    }));
    expect((await listed()).map((i) => i.kind)).toEqual(['identity']);
    await mutateDossier(dossier.id, (d) => ({ ...d, documents: { ...d.documents, identity: { ...d.documents!.identity!, status: 'rejected' } } }));
    expect(await listed()).toEqual([]);
    expect((await eventually(getStats, (v) => v.queues.documentsToReview === before, 60_000)).queues.documentsToReview).toBe(before);
    expect((await asOperator(documentsQueue, { route: 'AdminDocumentsToReview', query: { cursor: 'nope!' } })).statusCode).toBe(422);
  }, 180_000);

  it('needs an operator', async () => {
    const res = await asOperator(stats, { route: 'AdminStats', principal: null });
    expect(res.statusCode).toBe(401);
    const asAgent = await asOperator(stats, { route: 'AdminStats', groups: ['operator'] });
    expect(asAgent.statusCode).toBe(200);
  });
});
