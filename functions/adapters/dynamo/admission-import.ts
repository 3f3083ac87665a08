import { BatchGetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { feesByYear, findProgramme } from '../../../config/catalogue';
import { admissionChanges, refreshDossierFromAdmission } from '../../domain/admission';
import type { LineProblem, ValidLine } from '../../domain/admission-import';
import { isDomainError, type Dossier } from '../../domain/dossier';
import type { AdmissionRecord } from '../../domain/schemas';
import { backoff, type BackoffPolicy } from '../../shared/backoff';
import { logger } from '../../shared/logger';
import { admissionAuditPk, admissionKey, admissionToItem, unchangedSince, type Admission } from './admissions';
import { auditPut } from './audit';
import { ddb, isConditionFailure, tableName } from './client';
import { dossierPk, getDossier, saveDossier, writeIfUnchanged, type TransactItem } from './dossiers';
import { KEY_PREFIXES } from './key-prefixes';

/**
 * Writes imported admissions. The rule "re-import updates, never duplicates, unless the
 * dossier is submitted" is enforced by condition expressions, never by a read alone:
 *
 * - Lines go in groups of 100: one consistent BatchGetItem tells, for each, whether its
 *   admission is new, unchanged, changed, or linked to a dossier; new and changed ones are then
 *   written in transactions (≤ 100 items) whose conditions assert exactly that prediction:
 *   `attribute_not_exists(pk)` for a new one, "same `updatedAt` and still no dossier" for a
 *   changed one (with its audit entry). A prediction overtaken by a concurrent write cancels
 *   the transaction; the group is read again and retried, with backoff, as it is when throttled.
 * - A changed admission whose student already logged in is written together with its draft
 *   dossier brought up to date (or a check that the dossier did not move): the dossier's
 *   version condition proves it was still a draft. A submitted or cancelled dossier freezes it.
 * - Unchanged lines are not written at all (a daily re-import of the whole list costs reads).
 * - Whatever is not done by `deadline` is reported as not processed, never dropped silently:
 *   re-sending the file finishes it, without duplicates.
 */
export type LineOutcome = { line: number; outcome: 'imported' | 'updated' | 'unchanged' } | { line: number; outcome: 'rejected'; problem: LineProblem };

export interface ImportContext {
  actor: string;
  importId: string;
  now: Date;
  /** `performance.now()` after which no new write starts (a monotonic clock: immune to clock changes). */
  deadline: number;
}

const GROUP_SIZE = 100;
const MAX_ITEMS_PER_TRANSACTION = 100;
const CONCURRENT_GROUPS = 8;
const CONCURRENT_LINKED = 8;
const MAX_ATTEMPTS = 6;

/** Overtaken by a concurrent write (a condition), a transaction conflict, or throttled inside a transaction. */
const isRetryable = (err: unknown) => isConditionFailure(err) || ['TransactionCanceledException', 'TransactionConflictException'].includes((err as Error | null)?.name ?? '');

const IMPORT_BACKOFF: BackoffPolicy = { firstMs: 100, maxMs: 2000 };

/** Runs `fn` over `items` with at most `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function readAdmissions(admissions: AdmissionRecord[]): Promise<Map<string, Admission>> {
  const found = new Map<string, Admission>();
  let keys: Record<string, unknown>[] = admissions.map((a) => admissionKey(a.identifier, a.academicYear));
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt > 0) await backoff(attempt, IMPORT_BACKOFF);
    const out = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of out.Responses?.[tableName()] ?? []) found.set(`${item.pk}|${item.sk}`, item as Admission);
    keys = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return found;
}

const storedKey = (a: AdmissionRecord) => {
  const k = admissionKey(a.identifier, a.academicYear);
  return `${k.pk}|${k.sk}`;
};

function admissionItem(a: AdmissionRecord, ctx: ImportContext, dossierId?: string) {
  const at = ctx.now.toISOString();
  return admissionToItem({ ...a, ...(dossierId ? { dossierId } : {}), importedBy: ctx.actor, importedAt: at, importId: ctx.importId }, at);
}

function admissionAudit(a: AdmissionRecord, change: NonNullable<ReturnType<typeof admissionChanges>>, ctx: ImportContext): TransactItem {
  return auditPut(admissionAuditPk(a.identifier, a.academicYear), {
    actor: ctx.actor,
    action: 'admission.update',
    at: ctx.now.toISOString(),
    reason: `import ${ctx.importId}`,
    before: change.before,
    after: change.after,
  });
}

/** A transaction is all or nothing: pack whole lines (1 or 2 items each) up to the limit. */
function packTransactions(writes: { line: number; items: TransactItem[] }[]): { lines: number[]; items: TransactItem[] }[] {
  const txs: { lines: number[]; items: TransactItem[] }[] = [];
  for (const w of writes) {
    const last = txs[txs.length - 1];
    if (last && last.items.length + w.items.length <= MAX_ITEMS_PER_TRANSACTION) {
      last.lines.push(w.line);
      last.items.push(...w.items);
    } else {
      txs.push({ lines: [w.line], items: [...w.items] });
    }
  }
  return txs;
}

async function writeGroup(group: ValidLine[], ctx: ImportContext, outcomes: Map<number, LineOutcome>, linked: { line: ValidLine; old: Admission }[]) {
  let pending = group;
  for (let attempt = 0; pending.length > 0 && attempt < MAX_ATTEMPTS && performance.now() < ctx.deadline; attempt++) {
    if (attempt > 0) await backoff(attempt, IMPORT_BACKOFF);
    const stored = await readAdmissions(pending.map((l) => l.admission));
    const writes: { line: number; items: TransactItem[]; outcome: 'imported' | 'updated' }[] = [];
    for (const l of pending) {
      const old = stored.get(storedKey(l.admission));
      if (!old) {
        writes.push({
          line: l.line,
          outcome: 'imported',
          items: [{ Put: { TableName: tableName(), Item: admissionItem(l.admission, ctx), ConditionExpression: 'attribute_not_exists(pk)' } }],
        });
        continue;
      }
      const change = admissionChanges(old, l.admission);
      if (!change) outcomes.set(l.line, { line: l.line, outcome: 'unchanged' });
      else if (old.dossierId) linked.push({ line: l, old });
      else {
        const guard = unchangedSince(old);
        writes.push({
          line: l.line,
          outcome: 'updated',
          items: [
            {
              Put: {
                TableName: tableName(),
                Item: admissionItem(l.admission, ctx),
                ConditionExpression: `${guard.condition} AND attribute_not_exists(dossierId)`,
                ...(Object.keys(guard.values).length ? { ExpressionAttributeValues: guard.values } : {}),
              },
            },
            admissionAudit(l.admission, change, ctx),
          ],
        });
      }
    }
    const outcomeOf = new Map(writes.map((w) => [w.line, w.outcome]));
    const retry = new Set<number>();
    // Settle every transaction before giving up on any: no write may land after the report is made.
    const results = await Promise.allSettled(
      packTransactions(writes).map(async (tx) => {
        try {
          await ddb.send(new TransactWriteCommand({ TransactItems: tx.items }));
          for (const line of tx.lines) outcomes.set(line, { line, outcome: outcomeOf.get(line)! });
        } catch (err) {
          if (!isRetryable(err)) throw err;
          for (const line of tx.lines) retry.add(line);
        }
      }),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    pending = pending.filter((l) => retry.has(l.line));
  }
}

/** What of a dossier comes from its admission, for the audit trail. */
const admissionPart = (d: Dossier) => ({ student: d.student, programmeCode: d.programmeCode, level: d.level, fees: d.fees, steps: d.steps });

/** A changed admission whose student logged in: only while the dossier is a draft, together with it. */
async function writeLinked(l: ValidLine, old: Admission, ctx: ImportContext): Promise<LineOutcome> {
  const a = l.admission;
  const level = findProgramme(a.programmeCode)!.level;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && performance.now() < ctx.deadline; attempt++) {
    if (attempt > 0) {
      await backoff(attempt, IMPORT_BACKOFF);
      const fresh = (await readAdmissions([a])).get(storedKey(a));
      if (!fresh?.dossierId) return { line: l.line, outcome: 'rejected', problem: { code: 'IMPORT_NOT_PROCESSED' } };
      old = fresh;
    }
    const change = admissionChanges(old, a);
    if (!change) return { line: l.line, outcome: 'unchanged' };
    const dossier = await getDossier(old.dossierId!);
    if (!dossier) return { line: l.line, outcome: 'rejected', problem: { code: 'IMPORT_NOT_PROCESSED' } };
    let refreshed: ReturnType<typeof refreshDossierFromAdmission>;
    try {
      refreshed = refreshDossierFromAdmission(dossier, a, level, feesByYear);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return { line: l.line, outcome: 'rejected', problem: { code: 'IMPORT_DOSSIER_LOCKED', params: { status: dossier.status } } };
    }
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: admissionItem(a, ctx, dossier.id),
          ConditionExpression: `${unchangedSince(old).condition} AND dossierId = :dossierId`,
          ExpressionAttributeValues: { ...unchangedSince(old).values, ':dossierId': dossier.id },
        },
      },
      admissionAudit(a, change, ctx),
    ];
    try {
      if (refreshed === dossier) await writeIfUnchanged(dossier, items);
      else {
        const audit = { actor: ctx.actor, action: 'dossier.admission_update', at: ctx.now.toISOString(), reason: `import ${ctx.importId}` };
        items.push(auditPut(dossierPk(dossier.id), { ...audit, before: admissionPart(dossier), after: admissionPart(refreshed) }));
        await saveDossier(refreshed, dossier, ctx.now, items);
      }
      return { line: l.line, outcome: 'updated' };
    } catch (err) {
      if (!isRetryable(err)) throw err;
    }
  }
  return { line: l.line, outcome: 'rejected', problem: { code: 'IMPORT_NOT_PROCESSED' } };
}

/** Writes the valid lines; every line gets an outcome. */
export async function writeAdmissions(lines: ValidLine[], ctx: ImportContext): Promise<LineOutcome[]> {
  const outcomes = new Map<number, LineOutcome>();
  const linked: { line: ValidLine; old: Admission }[] = [];
  const groups: ValidLine[][] = [];
  for (let i = 0; i < lines.length; i += GROUP_SIZE) groups.push(lines.slice(i, i + GROUP_SIZE));

  await pool(groups, CONCURRENT_GROUPS, async (group) => {
    try {
      await writeGroup(group, ctx, outcomes, linked);
    } catch (err) {
      // One group failing (after the SDK's own retries) must not lose the report of the others.
      logger.error('Admission import group failed', { importId: ctx.importId, errorName: (err as Error).name });
    }
  });
  await pool(linked, CONCURRENT_LINKED, async ({ line, old }) => {
    try {
      outcomes.set(line.line, await writeLinked(line, old, ctx));
    } catch (err) {
      logger.error('Admission import line failed', { importId: ctx.importId, errorName: (err as Error).name });
    }
  });
  return lines.map((l) => outcomes.get(l.line) ?? { line: l.line, outcome: 'rejected', problem: { code: 'IMPORT_NOT_PROCESSED' } });
}

/** One audit entry per import call: who, when, how many (no personal data). */
export async function recordImport(ctx: ImportContext, summary: Record<string, number | string>): Promise<void> {
  const { Put } = auditPut(KEY_PREFIXES.admissionImports, { actor: ctx.actor, action: 'admissions.import', at: ctx.now.toISOString(), after: { importId: ctx.importId, ...summary } });
  await ddb.send(new PutCommand(Put));
}
