import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { tableName } from '../../functions/adapters/dynamo/client';
import { handler as certificateJob } from '../../functions/events/certificates';

let sequence = 1000;
// The raw client: the stream carries attribute values as GetItem returns them.
const raw = new DynamoDBClient({});

/**
 * Delivers recorded certificate events to the certificate job as the table's stream would
 * (an INSERT record with the item's new image). Returns the job's batch response.
 */
export async function deliverCertificateEvents(eventIds: string[]) {
  const records: DynamoDBStreamEvent['Records'] = [];
  for (const eventId of eventIds) {
    const out = await raw.send(new GetItemCommand({ TableName: tableName(), Key: { pk: { S: `CERTEVENT#${eventId}` }, sk: { S: 'CERTEVENT' } }, ConsistentRead: true }));
    if (!out.Item) throw new Error(`No certificate event ${eventId} recorded`);
    records.push({
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(++sequence), NewImage: out.Item as Record<string, AttributeValue> },
    });
  }
  return certificateJob({ Records: records });
}

export const enrollmentEventId = (dossierId: string) => `certificates#${dossierId}#issue#0`;
export const revocationEventId = (dossierId: string) => `certificates#${dossierId}#revoke#cancelled`;
