import { createSocket } from 'node:dgram';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonAddress, parseTraceHeader, recordStripeResponse, subsegmentDocument, traced } from '../../functions/shared/tracing';

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

/** A UDP server standing for the X-Ray daemon; resolves with the documents it receives. */
async function daemon() {
  const socket = createSocket('udp4');
  const received: string[] = [];
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.on('message', (m) => received.push(m.toString('utf8')));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    async next(): Promise<Record<string, unknown>> {
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const doc = received.shift();
      if (!doc) throw new Error('no subsegment received');
      const [header, body] = doc.split('\n');
      expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
      return JSON.parse(body!) as Record<string, unknown>;
    },
    received,
    close: () => socket.close(),
  };
}

/** A DynamoDB client answering every request itself with `status` (no network). */
function fakeDynamo(status: number, body: string) {
  return new DynamoDBClient({
    region: 'eu-west-3',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: { statusCode: status, reason: '', headers: { 'x-amzn-requestid': 'REQ123', 'content-type': 'application/x-amz-json-1.0' }, body: new Blob([body]).stream() as never },
      }),
    } as never,
  });
}

const saved = { trace: process.env._X_AMZN_TRACE_ID, daemon: process.env.AWS_XRAY_DAEMON_ADDRESS };
afterEach(() => {
  process.env._X_AMZN_TRACE_ID = saved.trace;
  process.env.AWS_XRAY_DAEMON_ADDRESS = saved.daemon;
  if (saved.trace === undefined) delete process.env._X_AMZN_TRACE_ID;
  if (saved.daemon === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
});

describe('tracing: X-Ray subsegments without the X-Ray SDK', () => {
  it('reads the trace header and the daemon address as Lambda sets them', () => {
    expect(parseTraceHeader(TRACE)).toEqual({ root: '1-5759e988-bd862e3fe1be46a994272793', parent: '53995c3f42cd8ad8', sampled: true });
    expect(parseTraceHeader('Root=1-a-b;Parent=c;Sampled=0')?.sampled).toBe(false);
    expect(parseTraceHeader('Root=1-a-b')).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(daemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
    expect(daemonAddress(undefined)).toBeUndefined();
  });

  it('marks throttles, client errors and faults as X-Ray does', () => {
    const t = parseTraceHeader(TRACE)!;
    const doc = (status?: number, failed?: boolean) => JSON.parse(subsegmentDocument(t, { name: 'DynamoDB', namespace: 'aws', start: 1, end: 2, status, failed }, 'abc').split('\n')[1]!);
    expect(doc(200)).toMatchObject({ id: 'abc', trace_id: t.root, parent_id: t.parent, type: 'subsegment', http: { response: { status: 200 } } });
    expect(doc(200)).not.toHaveProperty('error');
    expect(doc(429)).toMatchObject({ throttle: true, error: true });
    expect(doc(400)).toMatchObject({ error: true });
    expect(doc(503)).toMatchObject({ fault: true });
    expect(doc(undefined, true)).toMatchObject({ fault: true });
  });

  it('sends one subsegment per SDK command, with operation, region, request id and status but no parameters', async () => {
    const d = await daemon();
    try {
      process.env._X_AMZN_TRACE_ID = TRACE;
      process.env.AWS_XRAY_DAEMON_ADDRESS = d.address;
      const client = traced(fakeDynamo(200, '{"Item":{"pk":{"S":"x"}}}'));
      await client.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'secret-identifier' } } }));
      const doc = await d.next();
      expect(doc).toMatchObject({
        name: 'DynamoDB',
        namespace: 'aws',
        trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        parent_id: '53995c3f42cd8ad8',
        type: 'subsegment',
        aws: { operation: 'GetItem', region: 'eu-west-3', request_id: 'REQ123', retries: 0 },
        http: { response: { status: 200 } },
      });
      expect(doc.end_time as number).toBeGreaterThanOrEqual(doc.start_time as number);
      expect(JSON.stringify(doc)).not.toContain('secret-identifier');

      // A refused call is recorded as an error and still throws.
      const failing = traced(fakeDynamo(400, '{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"bad"}'));
      await expect(failing.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'x' } } }))).rejects.toThrow();
      expect(await d.next()).toMatchObject({ name: 'DynamoDB', error: true, http: { response: { status: 400 } } });

      recordStripeResponse({ method: 'POST', path: '/v1/checkout/sessions?expand[]=x', status: 200, request_start_time: 1_000, request_end_time: 1_250 });
      expect(await d.next()).toMatchObject({
        name: 'api.stripe.com',
        namespace: 'remote',
        start_time: 1,
        end_time: 1.25,
        http: { request: { method: 'POST', url: 'https://api.stripe.com/v1/checkout/sessions' } },
      });
    } finally {
      d.close();
    }
  });

  it('sends nothing when the invocation is not sampled or not traced', async () => {
    const d = await daemon();
    try {
      process.env.AWS_XRAY_DAEMON_ADDRESS = d.address;
      process.env._X_AMZN_TRACE_ID = TRACE.replace('Sampled=1', 'Sampled=0');
      await traced(fakeDynamo(200, '{}')).send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'x' } } }));
      delete process.env._X_AMZN_TRACE_ID;
      await traced(fakeDynamo(200, '{}')).send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'x' } } }));
      await new Promise((r) => setTimeout(r, 100));
      expect(d.received).toEqual([]);
    } finally {
      d.close();
    }
  });
});
