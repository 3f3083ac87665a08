import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { CertificateEvent } from '../../domain/certificates/events';
import type { CertificateRecord, CertificateKind, RevocationReason } from '../../domain/certificates/model';
import { VERIFY_POLICY } from '../../domain/rate-limits';
import { batchGetItems, ddb, isConditionFailure, tableName } from './client';
import { dossierPk, type TransactItem } from './dossiers';
import { tableSchema } from './table-schema';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Certificates (keys owned here). Three item kinds:
 * - the certificate, under its verification code (`CERTIFICATE#<code>`): what a verification
 *   reads, with the subject snapshot the PDFs are rendered from, and its revocation;
 * - in the dossier's partition, one slot per issue and kind (`CERTIFICATE#ISSUE#<issueId>#<kind>`)
 *   holding the code given: a retried issue finds it and reuses it, never drawing a second code;
 * - in the dossier's partition, the current certificate of each kind (`CERTIFICATE#CURRENT#<kind>`),
 *   with its issue's sequence: a later issue replaces it (and revokes it), an older one cannot.
 * Certificate events (the stream's work items) live under `CERTEVENT#<eventId>`.
 */
const codeKey = (code: string) => ({ pk: `${KEY_PREFIXES.certificate}${code}`, sk: 'CERTIFICATE' });
const slotKey = (dossierId: string, issueId: string, kind: CertificateKind) => ({ pk: dossierPk(dossierId), sk: `CERTIFICATE#ISSUE#${issueId}#${kind}` });
const CURRENT_PREFIX = 'CERTIFICATE#CURRENT#';
const currentKey = (dossierId: string, kind: CertificateKind) => ({ pk: dossierPk(dossierId), sk: `${CURRENT_PREFIX}${kind}` });
/** A certificate event's item (the certificate job's work item, read from the stream). */
export const certificateEventKey = (eventId: string) => ({ pk: `${KEY_PREFIXES.certificateEvent}${eventId}`, sk: 'CERTEVENT' });

/** The item type the certificate job's stream filter selects (see `jobs` in routes.ts). */
export const CERTIFICATE_EVENT_ITEM_TYPE = 'certificate_event';
/** Events are work items: kept a while after the stream (24 h) handed them over, then expire. */
const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;

/** The event's item, to add to the transaction of the change causing it (recorded once per id). */
export function certificateEventPut(event: CertificateEvent, now: Date): TransactItem {
  const checked = CertificateEvent.parse(event);
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...certificateEventKey(checked.eventId),
        type: CERTIFICATE_EVENT_ITEM_TYPE,
        body: JSON.stringify(checked),
        createdAt: now.toISOString(),
        [tableSchema.ttlAttribute]: Math.floor(now.getTime() / 1000) + EVENT_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * The event a stream image holds; undefined for any other item. A certificate event this code
 * cannot read (written by a newer producer while this job still runs the older code, during a
 * deploy) throws, so that the job reports it and the stream retries it rather than losing it.
 */
export function certificateEventFromImage(image: Record<string, AttributeValue> | undefined): CertificateEvent | undefined {
  if (image?.type?.S !== CERTIFICATE_EVENT_ITEM_TYPE) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(image.body?.S ?? '');
  } catch {
    throw new Error('Unreadable certificate event: its body is not JSON');
  }
  const parsed = CertificateEvent.safeParse(body);
  if (!parsed.success) throw new Error('Unreadable certificate event: its body does not match the schema');
  return parsed.data;
}

/**
 * A stored record, read as written: reserveCertificates stores only records the issuer built
 * from the dossier, and every other adapter reads its items the same way (a parse here would
 * turn a record written before a schema change into a 500, and keep zod in the read routes).
 */
const recordOf = (item: Record<string, unknown> | undefined) => item?.certificate as CertificateRecord | undefined;

export async function getCertificate(code: string): Promise<CertificateRecord | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: codeKey(code), ConsistentRead: true }));
  return recordOf(out.Item);
}

/** The codes an issue already drew, by kind. */
export async function issuedCodes(dossierId: string, issueId: string): Promise<Partial<Record<CertificateKind, string>>> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dossierPk(dossierId), ':prefix': `CERTIFICATE#ISSUE#${issueId}#` },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries((out.Items ?? []).map((i) => [i.kind as CertificateKind, i.code as string]));
}

/** The dossier's current certificates (one per kind at most), revoked ones included. */
export async function currentCertificates(dossierId: string): Promise<CertificateRecord[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dossierPk(dossierId), ':prefix': CURRENT_PREFIX },
      ConsistentRead: true,
    }),
  );
  const items = await batchGetItems((out.Items ?? []).map((i) => codeKey(i.code as string)));
  return items.flatMap((i) => recordOf(i) ?? []);
}

export type ReserveOutcome = 'reserved' | 'already_reserved' | 'refused';

/**
 * Records an issue's certificates in one transaction, only while the dossier is `enrolled`
 * and no later issue is current: each code (never reused), the issue's slots (so a retry finds
 * them), the current pointers, and the revocation of the certificates they replace.
 * `already_reserved`: a concurrent delivery of the same issue won (read the slots);
 * `refused`: the dossier is no longer enrolled, or a later issue is current.
 */
export async function reserveCertificates(records: CertificateRecord[], replaced: CertificateRecord[], now: Date): Promise<ReserveOutcome> {
  const first = records[0];
  if (!first) return 'refused';
  const items: TransactItem[] = [
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: { pk: dossierPk(first.dossierId), sk: 'DOSSIER' },
        ConditionExpression: 'dossier.#status = :enrolled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':enrolled': 'enrolled' },
      },
    },
  ];
  for (const r of records) {
    items.push(
      { Put: { TableName: tableName(), Item: { ...codeKey(r.code), type: 'certificate', dossierId: r.dossierId, certificate: r }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: { ...slotKey(r.dossierId, r.issueId, r.kind), type: 'certificate_slot', kind: r.kind, code: r.code }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName(),
          Item: { ...currentKey(r.dossierId, r.kind), type: 'certificate_current', kind: r.kind, code: r.code, sequence: r.sequence },
          ConditionExpression: 'attribute_not_exists(pk) OR #seq < :seq',
          ExpressionAttributeNames: { '#seq': 'sequence' },
          ExpressionAttributeValues: { ':seq': r.sequence },
        },
      },
    );
  }
  for (const old of replaced) items.push(revokeUpdate(old.code, 'superseded', now));
  try {
    await ddb.send(new TransactWriteCommand({ TransactItems: items }));
    return 'reserved';
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const codes = await issuedCodes(first.dossierId, first.issueId);
    return Object.keys(codes).length > 0 ? 'already_reserved' : 'refused';
  }
}

function revokeUpdate(code: string, reason: RevocationReason, now: Date): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: codeKey(code),
      // The first revocation stands: a later one (cancel after a correction) changes nothing.
      UpdateExpression: 'SET certificate.revokedAt = if_not_exists(certificate.revokedAt, :now), certificate.revokedReason = if_not_exists(certificate.revokedReason, :reason)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString(), ':reason': reason },
    },
  };
}

/** Revokes every current certificate of the dossier; returns the codes revoked now. */
export async function revokeCurrentCertificates(dossierId: string, reason: RevocationReason, now: Date): Promise<string[]> {
  const current = (await currentCertificates(dossierId)).filter((r) => r.revokedAt === undefined);
  for (const r of current) await ddb.send(new UpdateCommand(revokeUpdate(r.code, reason, now).Update as ConstructorParameters<typeof UpdateCommand>[0]));
  return current.map((r) => r.code);
}

/** Both PDFs of the certificate are stored: it can be downloaded. */
export async function markStored(code: string, now: Date): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: codeKey(code),
      UpdateExpression: 'SET certificate.storedAt = if_not_exists(certificate.storedAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}

/** Counts one verification for `sourceIp`; false (with the seconds to wait) once the minute's cap (VERIFY_POLICY, domain/rate-limits.ts) is reached. */
export async function takeVerificationSlot(sourceIp: string, now: Date): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const minute = Math.floor(now.getTime() / 60_000);
  // A hash: no address in the table's keys.
  const who = createHash('sha256').update(sourceIp).digest('hex').slice(0, 32);
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `${KEY_PREFIXES.verifyRate}${who}#${minute}`, sk: 'RATE' },
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'count', '#ttl': tableSchema.ttlAttribute },
        ExpressionAttributeValues: { ':one': 1, ':max': VERIFY_POLICY.perAddressPerMinute, ':ttl': (minute + 2) * 60 },
      }),
    );
    return { allowed: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { allowed: false, retryAfterSeconds: Math.max(1, 60 - Math.floor((now.getTime() % 60_000) / 1000)) };
  }
}
