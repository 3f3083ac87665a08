/**
 * IAM's DynamoDB grants, played locally: each function's calls to the table are checked
 * against what its entry declares in functions/routes.ts (`access.table`: actions and the
 * partition-key prefixes of its items), as the role the CDK builds from the same entry
 * (lib/constructs/service-function.ts `bindTable`) would on AWS. A call the grant would refuse
 * fails with AccessDeniedException, so a declaration missing an action or an item kind fails
 * the tests and the local runtime instead of production.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendFileSync } from 'node:fs';
import { leadingKeyAllowed, type Access, type TableAction } from '../../functions/routes';

interface Caller {
  id: string;
  access: Access;
}

const current = new AsyncLocalStorage<Caller>();

/** Runs `fn` as the function of `entry` (a route or job): its table calls are checked against its access. */
export function asEntry<T>(entry: Caller, fn: () => T): T {
  return current.run({ id: entry.id, access: entry.access }, fn);
}

/** Stand-in fixtures of the national services (local only, never granted on AWS). */
const LOCAL_ONLY_PREFIX = 'DEV#';

interface Request {
  action: TableAction | 'Scan';
  /** The partition key value, or undefined (a scan, an index query). */
  pk?: string;
  index?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : undefined);

/** The partition key value a Query's key condition names. */
function queryPk(input: Record<string, any>): string | undefined {
  const m = /(?:^|\s|\()#?(\w+)\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''));
  if (!m) return undefined;
  return str(input.ExpressionAttributeValues?.[m[2]!]);
}

/** What a command asks DynamoDB for, as IAM authorises it (a transaction item by item). */
export function requestsOf(command: string, input: Record<string, any>): Request[] {
  const name = command.replace(/Command$/, '');
  switch (name) {
    case 'GetItem':
    case 'Get':
      return [{ action: 'GetItem', pk: str(input.Key?.pk) }];
    case 'PutItem':
    case 'Put':
      return [{ action: 'PutItem', pk: str(input.Item?.pk) }];
    case 'UpdateItem':
    case 'Update':
      return [{ action: 'UpdateItem', pk: str(input.Key?.pk) }];
    case 'DeleteItem':
    case 'Delete':
      return [{ action: 'DeleteItem', pk: str(input.Key?.pk) }];
    case 'Query':
      return [input.IndexName ? { action: 'Query', index: String(input.IndexName) } : { action: 'Query', pk: queryPk(input) }];
    case 'Scan':
      return [{ action: 'Scan' }];
    case 'BatchGetItem':
    case 'BatchGet':
      return Object.values(input.RequestItems ?? {}).flatMap((r: any) => (r.Keys ?? []).map((k: any) => ({ action: 'BatchGetItem' as const, pk: str(k.pk) })));
    case 'BatchWriteItem':
    case 'BatchWrite':
      return Object.values(input.RequestItems ?? {}).flatMap((rs: any) =>
        (rs ?? []).map((r: any) => ({ action: 'BatchWriteItem' as const, pk: str(r.PutRequest?.Item?.pk ?? r.DeleteRequest?.Key?.pk) })),
      );
    case 'TransactWriteItems':
    case 'TransactWrite':
      return (input.TransactItems ?? []).map((t: any) =>
        t.Put
          ? { action: 'PutItem', pk: str(t.Put.Item?.pk) }
          : t.Update
            ? { action: 'UpdateItem', pk: str(t.Update.Key?.pk) }
            : t.Delete
              ? { action: 'DeleteItem', pk: str(t.Delete.Key?.pk) }
              : { action: 'ConditionCheckItem', pk: str(t.ConditionCheck?.Key?.pk) },
      );
    case 'TransactGetItems':
    case 'TransactGet':
      return (input.TransactItems ?? []).map((t: any) => ({ action: 'GetItem', pk: str(t.Get?.Key?.pk) }));
    default:
      return [];
  }
}

/** Why the grant built from `access` would refuse `r`, or undefined if it allows it. */
export function refusal(access: Access, r: Request): string | undefined {
  const table = access.table;
  if (!table) return `no table access (${r.action})`;
  if (r.action === 'Scan' || !table.actions.includes(r.action)) return `action ${r.action} not granted`;
  if (r.index !== undefined) return table.index ? undefined : `index ${r.index} not granted`;
  if (r.pk === undefined) return `no partition key in a ${r.action}`;
  if (r.pk.startsWith(LOCAL_ONLY_PREFIX)) return undefined;
  return leadingKeyAllowed(table, r.pk) ? undefined : `items ${r.pk.split('#')[0]}# not granted (${r.action})`;
}

/**
 * Checks every call `client` makes on behalf of an entry run with `asEntry` (calls outside
 * one, the runtime's own set-up and the tests' arrangements, are not checked).
 * `INSCRIRE_TABLE_ACCESS_LOG`: a file to append every checked request to (one JSON line each).
 */
export function enforceTableAccess(client: DynamoDBDocumentClient): void {
  const log = process.env.INSCRIRE_TABLE_ACCESS_LOG;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const caller = current.getStore();
      if (caller) {
        const requests = requestsOf(String(context.commandName ?? ''), args.input as Record<string, any>);
        for (const r of requests) {
          if (log) appendFileSync(log, `${JSON.stringify({ id: caller.id, ...r, pk: r.pk?.split('#')[0] })}\n`);
          const why = refusal(caller.access, r);
          if (why) {
            const err = new Error(`${caller.id} is not authorized to perform dynamodb:${r.action}: ${why} (functions/routes.ts access.table)`);
            err.name = 'AccessDeniedException';
            throw err;
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'inscrireTableAccess', priority: 'high', override: true },
  );
}
