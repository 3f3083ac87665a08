import { DynamoDBClient, GetItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateEventKey } from '../../functions/adapters/dynamo/certificates';
import { tableName } from '../../functions/adapters/dynamo/client';
import { KEY_PREFIXES } from '../../functions/adapters/dynamo/key-prefixes';
import { enrollmentIssue, issueEventId, issueEventIdPrefix, revocation } from '../../functions/domain/certificates/events';
import { handler as certificateJob } from '../../functions/events/certificates';
import { handler as file } from '../../functions/steps/certificate-file';
import { context, httpEvent } from './events';

let sequence = 1000;
// The raw client: the stream carries attribute values as GetItem returns them.
const raw = new DynamoDBClient({});

const recordedEvent = async (eventId: string) => {
  const { pk, sk } = certificateEventKey(eventId);
  return (await raw.send(new GetItemCommand({ TableName: tableName(), Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }))).Item;
};

/**
 * The issues recorded for a dossier, in their order (the enrollment's first). A re-issue's number
 * comes from a counter drawn before its transaction, so a retried change may leave a gap.
 */
export async function certificateIssueIds(dossierId: string): Promise<string[]> {
  const prefix = `${KEY_PREFIXES.certificateEvent}${issueEventIdPrefix(dossierId)}`;
  const numbers: number[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out = await raw.send(
      new ScanCommand({ TableName: tableName(), FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: prefix } }, ProjectionExpression: 'pk', ExclusiveStartKey: start }),
    );
    numbers.push(...(out.Items ?? []).map((i) => Number(i.pk!.S!.slice(prefix.length))));
    start = out.LastEvaluatedKey;
  } while (start);
  numbers.sort((a, b) => a - b);
  return numbers.map((n) => issueEventId(dossierId, n));
}

/**
 * Delivers recorded certificate events to the certificate job as the table's stream would
 * (an INSERT record with the item's new image). Returns the job's batch response.
 */
export async function deliverCertificateEvents(eventIds: string[]) {
  const records: DynamoDBStreamEvent['Records'] = [];
  for (const eventId of eventIds) {
    const item = await recordedEvent(eventId);
    if (!item) throw new Error(`No certificate event ${eventId} recorded`);
    records.push({
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(++sequence), NewImage: item as Record<string, AttributeValue> },
    });
  }
  return certificateJob({ Records: records });
}

export const enrollmentEventId = (dossierId: string) => enrollmentIssue(dossierId).eventId;
/** The n-th re-issue (a correction, an operator's request, a part paid later), in the order they were caused. */
export const reissueEventId = (dossierId: string, n: number) => issueEventId(dossierId, n);
export const revocationEventId = (dossierId: string) => revocation(dossierId, 'cancelled').eventId;

/** The student downloads a certificate (GET /api/dossier/certificates/{kind}); `pdf` when one came back. */
export async function downloadCertificate(token: string, kind: string, lang?: string) {
  const res = (await file(httpEvent({ path: `/api/dossier/certificates/${kind}`, token, pathParameters: { kind }, query: lang ? { lang } : undefined }), context)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
    isBase64Encoded?: boolean;
  };
  return { ...res, pdf: res.isBase64Encoded ? Buffer.from(res.body, 'base64') : undefined };
}

/** A PDF's text, laid out as on the page (poppler's pdftotext). */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'certificate-'));
  writeFileSync(join(dir, 'c.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
}
