import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Override, ServiceState } from '../../domain/windows';
import { auditKeyPrefix, auditPut, fromAuditItem, type AuditEntry } from './audit';
import { ddb, isConditionFailure, tableName } from './client';
import { KEY_PREFIXES } from './key-prefixes';

/** The service's open/closed state: one item, keys owned here. */
const PK = KEY_PREFIXES.service;
const SK = 'STATE';

export interface ServiceRecord {
  override: Override | null;
  /** Last state the window switch (or an operator action) computed and stored. */
  open?: boolean;
  reason?: string;
  windowId?: string | null;
  nextTransitionAt?: string;
  computedAt?: string;
}

export async function getServiceRecord(): Promise<ServiceRecord> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: PK, sk: SK }, ConsistentRead: true }));
  const item = out.Item;
  return {
    override: (item?.override as Override | undefined) ?? null,
    open: item?.open as boolean | undefined,
    reason: item?.reason as string | undefined,
    windowId: item?.windowId as string | null | undefined,
    nextTransitionAt: item?.nextTransitionAt as string | undefined,
    computedAt: item?.computedAt as string | undefined,
  };
}

function computedFields(state: ServiceState, at: Date) {
  return {
    ':open': state.open,
    ':reason': state.reason,
    ':windowId': state.window?.id ?? null,
    ':next': state.nextTransitionAt.toISOString(),
    ':at': at.toISOString(),
  };
}

/**
 * Stores a state computed at `at`. Idempotent and order-safe: a repeated or late invocation
 * computed at an earlier instant than the stored one changes nothing.
 * @returns false when a newer computation was already stored.
 */
export async function storeComputedState(state: ServiceState, at: Date): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: PK, sk: SK },
        UpdateExpression: 'SET #open = :open, #reason = :reason, windowId = :windowId, nextTransitionAt = :next, computedAt = :at',
        ConditionExpression: 'attribute_not_exists(computedAt) OR computedAt <= :at',
        ExpressionAttributeNames: { '#open': 'open', '#reason': 'reason' },
        ExpressionAttributeValues: computedFields(state, at),
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Sets or clears the operator override together with the resulting state and its audit
 * entry, in one transaction: no override without its trail.
 */
export async function setOverride(override: Override | null, state: ServiceState, audit: AuditEntry): Promise<void> {
  await ddb.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: { pk: PK, sk: SK },
            UpdateExpression: 'SET #override = :override, #open = :open, #reason = :reason, windowId = :windowId, nextTransitionAt = :next, computedAt = :at',
            ExpressionAttributeNames: { '#open': 'open', '#reason': 'reason', '#override': 'override' },
            ExpressionAttributeValues: { ':override': override, ...computedFields(state, new Date(audit.at)) },
          },
        },
        auditPut(PK, audit),
      ],
    }),
  );
}

/** The most recent operator actions on the service, newest first. */
export async function serviceAuditTrail(limit = 20): Promise<AuditEntry[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': auditKeyPrefix },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(fromAuditItem);
}
