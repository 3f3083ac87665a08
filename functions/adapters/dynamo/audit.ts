import { randomUUID } from 'node:crypto';
import { tableName } from './client';

/**
 * Audit entries live in the partition of what they are about (the service state, a dossier),
 * under `AUDIT#<time>#<id>`, so one query returns a subject and its whole trail in order.
 */
export interface AuditEntry {
  actor: string;
  action: string;
  at: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
}

export const auditKeyPrefix = 'AUDIT#';

export function auditPut(subjectPk: string, entry: AuditEntry) {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: subjectPk, sk: `${auditKeyPrefix}${entry.at}#${randomUUID()}`, type: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function fromAuditItem(item: Record<string, unknown>): AuditEntry {
  const { actor, action, at, reason, before, after } = item as unknown as AuditEntry;
  return { actor, action, at, reason, before, after };
}
