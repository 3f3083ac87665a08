import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { feesByYear, findProgramme } from '../../../config/catalogue';
import { dossierStudentOf } from '../../domain/admission';
import { changedMovements, findMovement, newDossier, type Dossier, type DossierStatus } from '../../domain/dossier';
import { dossierDelta } from '../../domain/stats';
import { backoff } from '../../shared/backoff';
import { unauthenticated } from '../../shared/errors';
import { ConcurrentUpdateError, UnknownProgrammeError } from '../../shared/failures';
import { logger } from '../../shared/logger';
import { admissionFromItem, admissionKey, unchangedSince, type Admission } from './admissions';
import { auditKeyPrefix, auditPut, fromAuditItem, type AuditEntry } from './audit';
import { instalmentIndexItems } from './instalments';
import { refundRetryIndexItems } from './refund-retries';
import { batchGetItems, ddb, isConditionFailure, isWriteConflict, gsi1Page, itemsOf, tableName } from './client';
import type { Page } from './cursor';
import { reviewQueueItems } from './document-queue';
import { ineLookupItems } from './ine-lookup';
import { statsStamp } from './stats';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Dossiers: one per student and academic year, keys owned here. Every write is guarded by
 * the dossier's version (optimistic locking through a condition expression); callers mutate
 * through `mutateDossier`, which retries on a lost race so concurrent requests never lose an
 * update. Audit entries and outbox items ride in the same transaction as the change.
 */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const dossierPk = (id: string) => `${KEY_PREFIXES.dossier}${id}`;
const SK = 'DOSSIER';
const statusIndexPk = (academicYear: string, status: DossierStatus) => `DOSSIERS#${academicYear}#${status}`;

/** `before`: the dossier as stored until this write (undefined: a new one), for the dashboard's counters. */
function toItem(d: Dossier, now: string, before: Dossier | undefined) {
  return {
    pk: dossierPk(d.id),
    sk: SK,
    type: 'dossier',
    // Operators' listing by status, newest dossier first. The sort key is stable so that a
    // wizard step (same status) does not rewrite the index entry.
    gsi1pk: statusIndexPk(d.academicYear, d.status),
    gsi1sk: `${d.createdAt}#${d.id}`,
    updatedAt: now,
    dossier: d,
    // What this write changes in the dashboard's counters (functions/adapters/dynamo/stats.ts).
    ...statsStamp(`${dossierPk(d.id)}#v${d.version}`, d.academicYear, dossierDelta(before, d)),
  };
}

export async function getDossier(id: string): Promise<Dossier | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: dossierPk(id), sk: SK }, ConsistentRead: true }));
  return out.Item?.dossier as Dossier | undefined;
}

/**
 * The dossier's session generation (undefined when there is no such dossier): a token issued
 * for another generation is refused (functions/shared/tokens.ts); `cancelled` says why it moved.
 */
export async function sessionGeneration(id: string): Promise<{ generation: number; cancelled: boolean } | undefined> {
  const out = await ddb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: dossierPk(id), sk: SK },
      ConsistentRead: true,
      ProjectionExpression: 'dossier.sessionGeneration, dossier.#status, pk',
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
  if (!out.Item) return undefined;
  const d = out.Item.dossier as { sessionGeneration?: number; status?: string } | undefined;
  return { generation: d?.sessionGeneration ?? 0, cancelled: d?.status === 'cancelled' };
}

/**
 * The student's dossier for an admission, created on first login. Creation and the link on
 * the admission are one transaction, so two first logins at once still make one dossier.
 */
export async function ensureDossier(admission: Admission, now: Date): Promise<Dossier> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (admission.dossierId) {
      const existing = await getDossier(admission.dossierId);
      if (existing) return existing;
    }
    const programme = findProgramme(admission.programmeCode);
    if (!programme) {
      // An operator data error (a programme since removed from the catalogue): nothing the
      // student can fix, so they are sent to the scolarité; logged as an error for the operators.
      logger.error('Admission refers to an unknown programme', { programmeCode: admission.programmeCode });
      throw new UnknownProgrammeError();
    }
    const dossier = newDossier({
      id: randomUUID(),
      identifier: admission.identifier,
      academicYear: admission.academicYear,
      student: dossierStudentOf(admission),
      programmeCode: admission.programmeCode,
      level: programme.level,
      exchangeStudent: admission.exchangeStudent === true,
      now: now.toISOString(),
      feesByYear,
    });
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName(), Item: toItem(dossier, now.toISOString(), undefined), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: tableName(),
                Key: admissionKey(admission.identifier, admission.academicYear),
                UpdateExpression: 'SET dossierId = :id',
                // Still the admission the dossier is made from: an operator may be re-importing it.
                ConditionExpression: `${unchangedSince(admission).condition} AND attribute_not_exists(dossierId)`,
                ExpressionAttributeValues: { ':id': dossier.id, ...unchangedSince(admission).values },
              },
            },
          ],
        }),
      );
      return dossier;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // Another first login won (read the link it wrote), or the admission was re-imported (read it anew).
      const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: admissionKey(admission.identifier, admission.academicYear), ConsistentRead: true }));
      if (!out.Item) throw new ConcurrentUpdateError();
      admission = admissionFromItem(out.Item);
    }
  }
  throw new ConcurrentUpdateError();
}

/** Writes `next` if the stored version is still `next.version` (`before`, as read); stores version + 1. */
export async function saveDossier(next: Dossier, before: Dossier, now: Date, extra: TransactItem[] = []): Promise<Dossier> {
  const saved: Dossier = { ...next, version: next.version + 1 };
  const put = {
    TableName: tableName(),
    Item: toItem(saved, now.toISOString(), before),
    // The version lives inside the item's `dossier` map.
    ConditionExpression: 'dossier.version = :v',
    ExpressionAttributeValues: { ':v': next.version },
  };
  // The operators' queue of documents to review and their INE lookup follow the dossier in the same transaction.
  const items = [...extra, ...reviewQueueItems(before, saved), ...ineLookupItems(before, saved, now)];
  if (items.length === 0) await ddb.send(new PutCommand(put));
  else await ddb.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...items] }));
  return saved;
}

/**
 * Marks a draft dossier as drawing a provisional INE for `token`: one conditional write, so of
 * concurrent callers exactly one holds the draw. Refused (false) when the dossier already
 * holds a number, is no longer a draft, or another draw started after `staleBefore` (an older
 * one belongs to a caller that died). The version moves on, so a concurrent step re-reads the
 * dossier and keeps the mark.
 */
export async function reserveProvisionalIneDraw(id: string, token: string, now: Date, staleBefore: Date): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: dossierPk(id), sk: SK },
        UpdateExpression: 'SET dossier.provisionalIneDraw = :draw, dossier.version = dossier.version + :one',
        ConditionExpression:
          'attribute_exists(pk) AND dossier.#status = :draft AND attribute_not_exists(dossier.provisionalIne) AND (attribute_not_exists(dossier.provisionalIneDraw) OR dossier.provisionalIneDraw.#at < :stale)',
        ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
        ExpressionAttributeValues: { ':draw': { token, at: now.toISOString() }, ':one': 1, ':draft': 'draft', ':stale': staleBefore.toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Records the number drawn under the reservation `token` as the dossier's provisional INE, or
 * (`ine` undefined) gives the reservation up. False when the reservation is no longer this
 * caller's (it went stale and another caller took it over).
 */
export async function settleProvisionalIneDraw(id: string, token: string, ine: string | undefined): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: dossierPk(id), sk: SK },
        UpdateExpression: `${ine ? 'SET dossier.provisionalIne = :ine, ' : 'SET '}dossier.version = dossier.version + :one REMOVE dossier.provisionalIneDraw`,
        ConditionExpression: 'dossier.provisionalIneDraw.#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': token, ':one': 1, ...(ine ? { ':ine': ine } : {}) },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export interface Mutation {
  dossier: Dossier;
  /** Written in the same transaction (audit entries, outbox items). */
  extra?: TransactItem[];
  /** Who causes the change, for the money movements' audit entries (default `service`). */
  actor?: string;
}

/**
 * One audit entry per money movement the change adds or updates (SPEC: every money movement
 * audited), in the same transaction as the change: no movement is ever stored unaudited.
 */
export function movementAudits(before: Dossier, after: Dossier, actor: string, now: Date): TransactItem[] {
  return changedMovements(before, after).map((m) =>
    auditPut(dossierPk(after.id), { actor, action: `money.${m.kind}.${m.status}`, at: now.toISOString(), reason: m.reason, before: findMovement(before, m.kind, m.reference) ?? null, after: m }),
  );
}

/**
 * Reads the dossier, applies `change`, writes it back guarded by its version; on a lost race
 * starts over with fresh data (with jitter), so every concurrent change lands. `change` must
 * be pure apart from the returned items (it may run more than once).
 */
export async function mutateDossier(id: string, change: (current: Dossier) => Promise<Mutation | Dossier> | Mutation | Dossier, now = new Date(), maxAttempts = 40): Promise<Dossier> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await getDossier(id);
    // A token for a dossier that no longer exists: the same answer as GET /api/dossier.
    if (!current) throw unauthenticated();
    const result = await change(current);
    const mutation: Mutation = 'dossier' in result ? result : { dossier: result };
    if (mutation.dossier === current) return current;
    try {
      const audits = movementAudits(current, mutation.dossier, mutation.actor ?? 'service', now);
      const indexes = [...instalmentIndexItems(dossierPk(id), current, mutation.dossier), ...refundRetryIndexItems(dossierPk(id), current, mutation.dossier)];
      return await saveDossier({ ...mutation.dossier, version: current.version }, current, now, [...(mutation.extra ?? []), ...audits, ...indexes]);
    } catch (err) {
      if (!isConditionFailure(err) && !isWriteConflict(err)) throw err;
      await backoff(attempt + 1, { firstMs: 10, maxMs: 200 });
    }
  }
  throw new ConcurrentUpdateError();
}

/** The dossier's audit trail, oldest first. */
export async function dossierAuditTrail(id: string): Promise<AuditEntry[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dossierPk(id), ':prefix': auditKeyPrefix },
    }),
  );
  return (out.Items ?? []).map(fromAuditItem);
}

/**
 * Writes `items` only while the dossier is still at `d.version`: for actions that record
 * something about a dossier (a mail to resend) without changing it. With `moveVersionOn`, the
 * write also moves the version on (a certificate re-issue that a payment in flight must follow).
 */
export async function writeIfUnchanged(d: Dossier, items: TransactItem[], o: { moveVersionOn?: boolean } = {}): Promise<void> {
  const key = { TableName: tableName(), Key: { pk: dossierPk(d.id), sk: SK }, ConditionExpression: 'dossier.version = :v' };
  // `moveVersionOn`: a change that read the dossier before these items were written then fails
  // its own condition and starts again from what they record.
  const guard: TransactItem = o.moveVersionOn
    ? { Update: { ...key, UpdateExpression: 'SET dossier.version = dossier.version + :one', ExpressionAttributeValues: { ':v': d.version, ':one': 1 } } }
    : { ConditionCheck: { ...key, ExpressionAttributeValues: { ':v': d.version } } };
  await ddb.send(new TransactWriteCommand({ TransactItems: [guard, ...items] }));
}

export interface ListedDossier {
  dossier: Dossier;
  updatedAt: string;
}

/** The year's dossiers in one status, most recently created first. */
export async function listDossiersByStatus(academicYear: string, status: DossierStatus, limit: number, cursor?: string): Promise<Page<ListedDossier>> {
  const page = await gsi1Page(statusIndexPk(academicYear, status), { limit, cursor, newestFirst: true });
  return { items: (await itemsOf(page.items)).map((i) => ({ dossier: i.dossier as Dossier, updatedAt: i.updatedAt as string })), next: page.next };
}

/** Several dossiers at once (at most 100 ids), with their last change; unknown ids are left out. */
export async function getDossiers(ids: string[]): Promise<Map<string, ListedDossier>> {
  const items = await batchGetItems([...new Set(ids)].map((id) => ({ pk: dossierPk(id), sk: SK })));
  return new Map(items.map((i) => [(i.dossier as Dossier).id, { dossier: i.dossier as Dossier, updatedAt: i.updatedAt as string }]));
}
