import { describe, expect, it } from 'vitest';
import { floorClients, floorId, floorSource, meetsFloorTarget, toFloor } from '../../bench/floor';
import { LIMITS, normaliseKey, peakModel, sharedAndPerStudent, stripeEndpoints, writeHotspots, type JourneyLoad } from '../../bench/peak';

const S = (s: string) => ({ S: s });
const READ = { actions: ['GetItem'], items: ['dossier'] } as const;
const WRITE = { actions: ['GetItem', 'PutItem'], items: ['dossier'] } as const;

describe('bench: the floor of a function', () => {
  it('takes the clients its access needs: table, queue, SES, Secrets Manager, and Stripe where it reads the Stripe secret', () => {
    expect(floorClients({})).toEqual([]);
    expect(floorClients({ table: READ })).toEqual(['dynamodb']);
    expect(floorClients({ table: WRITE, secrets: ['session', 'national'], nationalApis: ['ines'] })).toEqual(['dynamodb', 'secretsmanager']);
    expect(floorClients({ table: WRITE, secrets: ['session', 'stripe'] })).toEqual(['dynamodb', 'secretsmanager', 'stripe']);
    expect(floorClients({ table: WRITE, mailQueue: 'send' })).toEqual(['dynamodb', 'sqs']);
    expect(floorClients({ table: WRITE, ses: 'send' })).toEqual(['dynamodb', 'sesv2']);
  });

  it('takes the S3 client where the access declares the bucket, and a presigner only where the function signs', () => {
    expect(floorClients({ table: READ, documents: 'presign' }, { http: true })).toEqual(['dynamodb', 's3Post']);
    expect(floorClients({ table: READ, documents: 'read' }, { http: true })).toEqual(['dynamodb', 's3Url']);
    expect(floorClients({ table: READ, documents: 'read' })).toEqual(['dynamodb', 's3Get']);
    expect(floorClients({ table: READ, certificates: 'read' }, { http: true })).toEqual(['dynamodb', 's3Get']);
    expect(floorClients({ table: WRITE, certificates: 'write' })).toEqual(['dynamodb', 's3Put']);
    const source = floorSource(['dynamodb', 's3Get', 's3Url']);
    expect(source.match(/new S3Client/g)).toHaveLength(1);
    expect(source.match(/import \{ S3Client \}/g)).toHaveLength(1);
    expect(source).toContain("from '@aws-sdk/s3-request-presigner'");
    expect(floorSource(['s3Post'])).toContain('createPresignedPost(s3,');
  });

  it('shares one floor between functions needing the same clients, whatever the table mode', () => {
    expect(floorId(floorClients({ table: READ }))).toBe(floorId(floorClients({ table: WRITE })));
    expect(floorId(['dynamodb', 'secretsmanager', 'stripe'])).toBe('FloorDynamodbSecretsmanagerStripe');
    expect(floorId([])).toBe('FloorNone');
  });

  it('imports each client and calls it once', () => {
    const source = floorSource(['dynamodb', 'stripe']);
    expect(source).toContain("from '@aws-sdk/client-dynamodb'");
    expect(source).toContain("from 'stripe'");
    expect(source).not.toContain('client-sqs');
    expect(source.match(/\.send\(|\.retrieve\(/g)).toHaveLength(2);
    expect(floorSource([])).toContain('Promise.all([])');
  });

  it('divides by the floor, or says why it cannot', () => {
    expect(toFloor(130, 100)).toBeCloseTo(1.3);
    expect(toFloor({ na: 'no bundle' }, 100)).toEqual({ na: 'no bundle' });
    expect(toFloor(100, { na: 'no floor' })).toEqual({ na: 'no floor' });
    expect(toFloor(100, 0)).toEqual({ na: 'floor figure is zero' });
  });

  it('holds functions with clients to 1.3 × their floor, and those without to 60 KB', () => {
    const withClients = { clients: ['dynamodb' as const], bytes: 400_000 };
    expect(meetsFloorTarget({ ...withClients, bytesToFloor: 1.3, initToFloor: 1.29 })).toBe(true);
    expect(meetsFloorTarget({ ...withClients, bytesToFloor: 1.31, initToFloor: 1 })).toBe(false);
    expect(meetsFloorTarget({ ...withClients, bytesToFloor: 1, initToFloor: { na: 'import failed' } })).toBe(false);
    expect(meetsFloorTarget({ clients: [], bytes: 60 * 1024, bytesToFloor: 300, initToFloor: 5 })).toBe(true);
    expect(meetsFloorTarget({ clients: [], bytes: 60 * 1024 + 1, bytesToFloor: 300, initToFloor: 5 })).toBe(false);
  });
});

describe('bench: write hotspots of a journey', () => {
  const dossier = 'DOSSIER#11111111-1111-4111-8111-111111111111';
  const put = (status: string, createdAt = '2026-06-24T09:00:00Z') => ({ pk: S(dossier), sk: S('DOSSIER'), gsi1pk: S(`DOSSIERS#2026-2027#${status}`), gsi1sk: S(`${createdAt}#d`) });

  it('counts write units by item (two per item in a transaction) and index entries only when the index key changes', () => {
    const calls = [
      { op: 'GetItem', input: { Key: { pk: S(dossier) } } },
      { op: 'PutItem', input: { Item: put('draft') } },
      { op: 'PutItem', input: { Item: put('draft') } },
      { op: 'TransactWriteItems', input: { TransactItems: [{ Put: { Item: put('submitted') } }, { Update: { Key: { pk: S('COUNTER#ine'), sk: S('COUNTER') } } }] } },
      { op: 'UpdateItem', input: { Key: { pk: S('SERVICE'), sk: S('STATE') } } },
      { op: 'BatchWriteItem', input: { RequestItems: { t: [{ DeleteRequest: { Key: { pk: S('LOGIN#abcdef0123456789abcdef0123456789') } } }] } } },
    ];
    const { byItem, byIndexPartition } = writeHotspots(calls);
    expect(byItem).toEqual({ [dossier]: 1 + 1 + 2, 'COUNTER#ine': 2, SERVICE: 1, 'LOGIN#abcdef0123456789abcdef0123456789': 1 });
    // draft: put once (the second put keeps the key), then deleted when the entry moves to submitted.
    expect(byIndexPartition).toEqual({ 'DOSSIERS#2026-2027#draft': 2, 'DOSSIERS#2026-2027#submitted': 1 });
  });

  it('tells the items every student shares from each student’s own', () => {
    expect(normaliseKey('DOSSIER#11111111-1111-4111-8111-111111111111')).toBe('DOSSIER#{id}');
    expect(normaliseKey('LOGIN#abcdef0123456789abcdef0123456789')).toBe('LOGIN#{id}');
    expect(normaliseKey('POST /v1/checkout/sessions/cs_test_a1B2/expire')).toBe('POST /v1/checkout/sessions/{id}/expire');
    expect(normaliseKey('DOSSIERS#2026-2027#draft')).toBe('DOSSIERS#2026-2027#draft');
    expect(sharedAndPerStudent({ 'DOSSIER#11111111-1111-4111-8111-111111111111': 9, 'COUNTER#ine': 2, SERVICE: 1 })).toEqual({ shared: { 'COUNTER#ine': 2, SERVICE: 1 }, maxPerStudent: 9 });
  });

  it('groups Stripe requests by endpoint', () => {
    expect(
      stripeEndpoints({ 'Stripe.POST /v1/checkout/sessions': 1, 'Stripe.GET /v1/checkout/sessions/cs_test_1': 0.5, 'Stripe.GET /v1/checkout/sessions/cs_test_2': 0.5, 'DynamoDB.GetItem': 4 }),
    ).toEqual({
      'POST /v1/checkout/sessions': 1,
      'GET /v1/checkout/sessions/{id}': 1,
    });
  });
});

describe('bench: the peak model', () => {
  const journey: JourneyLoad = {
    functions: [
      { id: 'Session', invocations: 1, msPerInvocation: 100 },
      { id: 'GetDossier', invocations: 4, msPerInvocation: 50 },
    ],
    apiRequests: 12,
    sharedItemWrites: { 'COUNTER#x': 0.5 },
    maxWritesToOneStudentItem: 9,
    indexPartitionWrites: { 'DOSSIERS#2026-2027#submitted': 1 },
    stripeByEndpoint: { 'POST /v1/checkout/sessions': 1 },
  };
  const model = (arrivals: number, rateLimit = 500) => peakModel({ arrivals, minutes: 1, stage: 'prod', journey, throttling: { rateLimit, burstLimit: 2 * rateLimit }, serviceStateCacheSeconds: 5 });

  it('applies Little’s law to each function: arrivals per second × invocations × seconds per invocation', () => {
    const r = model(6000); // 100 per second
    expect(r.arrivalsPerSecond).toBe(100);
    expect(r.concurrency).toEqual([
      { id: 'Session', concurrent: 10 },
      { id: 'GetDossier', concurrent: 20 },
    ]);
    expect(r.totalConcurrency).toBeCloseTo(30);
  });

  it('finds the arrival rate at which each limit breaks, and the first one', () => {
    const r = model(6000);
    const byName = Object.fromEntries(r.limits.map((l) => [l.name, l]));
    const stage = r.limits.find((l) => l.name.startsWith('API Gateway stage'))!;
    expect(stage.atModel).toBe(1200);
    expect(stage.breaksAtPerMinute).toBe((60 * 500) / 12);
    expect(byName['Stripe live mode, POST /v1/checkout/sessions']!.breaksAtPerMinute).toBe(60 * LIMITS.stripeEndpointPerSecond);
    expect(byName['DynamoDB writes to item COUNTER#x']!.atModel).toBe(50);
    // Stripe's 25 requests per second per endpoint comes before the stage's 500 requests per second.
    expect(r.firstToBreak).toEqual({ name: 'Stripe live mode, POST /v1/checkout/sessions', atArrivalsPerMinute: 1500 });
    expect(r.exceeded).toContain(stage.name);
    expect(r.limits.map((l) => l.breaksAtPerMinute)).toEqual([...r.limits.map((l) => l.breaksAtPerMinute)].sort((a, b) => a - b));
  });

  it('reports nothing exceeded below every limit, and raising the stage throttle moves its break point', () => {
    expect(model(600).exceeded).toEqual([]);
    const low = model(6000, 500).limits.find((l) => l.name.startsWith('API Gateway stage'))!;
    const high = model(6000, 2000).limits.find((l) => l.name.startsWith('API Gateway stage'))!;
    expect(high.breaksAtPerMinute).toBe(4 * low.breaksAtPerMinute);
  });
});
