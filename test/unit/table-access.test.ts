/**
 * The local stand-in for IAM's DynamoDB grants (scripts/local/table-access.ts): what it
 * refuses is what the role built from the same declaration would refuse on AWS.
 */
import { describe, expect, it } from 'vitest';
import { routes, type Access } from '../../functions/routes';
import { refusal, requestsOf } from '../../scripts/local/table-access';

const access: Access = { table: { actions: ['GetItem', 'PutItem', 'Query'], items: ['dossier', 'service'] } };

describe('table access, checked as IAM would', () => {
  it('allows the declared actions on the declared item kinds', () => {
    expect(refusal(access, { action: 'GetItem', pk: 'DOSSIER#1' })).toBeUndefined();
    expect(refusal(access, { action: 'GetItem', pk: 'SERVICE' })).toBeUndefined();
    expect(refusal(access, { action: 'Query', pk: 'DOSSIER#1' })).toBeUndefined();
  });

  it('refuses other actions, other kinds, a whole key that only starts like one, scans and the index', () => {
    expect(refusal(access, { action: 'DeleteItem', pk: 'DOSSIER#1' })).toMatch(/DeleteItem/);
    expect(refusal(access, { action: 'GetItem', pk: 'ADMISSION#P26' })).toMatch(/ADMISSION/);
    expect(refusal(access, { action: 'GetItem', pk: 'SERVICEX' })).toBeDefined();
    expect(refusal(access, { action: 'Scan' })).toMatch(/Scan/);
    expect(refusal(access, { action: 'Query', index: 'gsi1' })).toMatch(/index/);
    expect(refusal({}, { action: 'GetItem', pk: 'DOSSIER#1' })).toMatch(/no table access/);
  });

  it('authorises a transaction item by item, and a batch key by key', () => {
    expect(
      requestsOf('TransactWriteItemsCommand', {
        TransactItems: [{ Put: { Item: { pk: { S: 'DOSSIER#1' } } } }, { ConditionCheck: { Key: { pk: { S: 'SERVICE' } } } }, { Delete: { Key: { pk: 'OUTBOX#9' } } }],
      }),
    ).toEqual([
      { action: 'PutItem', pk: 'DOSSIER#1' },
      { action: 'ConditionCheckItem', pk: 'SERVICE' },
      { action: 'DeleteItem', pk: 'OUTBOX#9' },
    ]);
    expect(requestsOf('BatchGetItemCommand', { RequestItems: { t: { Keys: [{ pk: 'RATE#a' }, { pk: 'RATE#b' }] } } })).toEqual([
      { action: 'BatchGetItem', pk: 'RATE#a' },
      { action: 'BatchGetItem', pk: 'RATE#b' },
    ]);
    expect(requestsOf('QueryCommand', { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': 'DOSSIER#1' } })).toEqual([
      { action: 'Query', pk: 'DOSSIER#1' },
    ]);
  });

  it('the public and student routes declare no delete', () => {
    for (const r of routes.filter((x) => x.auth !== 'admin')) expect([r.id, r.access.table?.actions.filter((a) => a === 'DeleteItem' || a === 'BatchWriteItem') ?? []]).toEqual([r.id, []]);
  });
});
