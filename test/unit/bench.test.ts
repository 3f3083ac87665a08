import { describe, expect, it } from 'vitest';
import { forTwin, itemSize, transactWriteUnits } from '../../bench/aws-calls';
import { percentile } from '../../bench/stats';

const S = (s: string) => ({ S: s });
/** An item of `bytes` bytes by DynamoDB's rules: names and values, here `pk`, `sk`, `d`. */
function item(bytes: number, extra: Record<string, { S: string }> = {}) {
  const base = { pk: S('p'), sk: S('s'), ...extra };
  const used = itemSize(base) + 1; // + the name of `d`
  return { ...base, d: S('x'.repeat(bytes - used)) };
}
const gsi = (sk: string) => ({ gsi1pk: S('DOSSIERS#2026-2027#draft'), gsi1sk: S(sk) });

describe('bench: DynamoDB item size', () => {
  it('counts attribute names and values as DynamoDB does', () => {
    expect(itemSize({ pk: S('abc') })).toBe(5);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ b: { BOOL: true }, z: { NULL: true } })).toBe(4);
    // A map: 3 bytes + for each element 1 byte + its name + its value.
    expect(itemSize({ m: { M: { a: S('xy') } } })).toBe(1 + 3 + 1 + 1 + 2);
    expect(itemSize({ l: { L: [S('a'), S('bc')] } })).toBe(1 + 3 + (1 + 1) + (1 + 2));
    expect(itemSize({ e: S('é') })).toBe(1 + 2);
  });
});

describe('bench: transaction write units', () => {
  it('charges two units per KB per item, taking the larger image', () => {
    const small = item(256);
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: small } }], [undefined], [small])).toBe(2);
    const before = item(900);
    const after = item(1100);
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: after } }], [before], [after])).toBe(4);
  });

  it('adds the index writes: a new entry, or the old one deleted and the new one put when the key changes', () => {
    const created = item(643, gsi('2026-11-28T10:00:00Z#d'));
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: created } }], [undefined], [created])).toBe(2 + 1);
    const before = item(1045, gsi('2026-11-28T10:00:00Z#d'));
    const after = item(1138, gsi('2026-11-28T10:05:00Z#d'));
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: after } }], [before], [after])).toBe(2 * 2 + 2 + 2);
    const unchangedKey = item(1138, gsi('2026-11-28T10:00:00Z#d'));
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: unchangedKey } }], [before], [unchangedKey])).toBe(2 * 2 + 2);
  });

  it('sums over the items of the transaction', () => {
    const a = item(100);
    const b = item(2000);
    expect(transactWriteUnits([{ Put: { TableName: 't', Item: a } }, { Put: { TableName: 't', Item: b } }], [undefined, undefined], [a, b])).toBe(2 + 4);
  });
});

describe('bench: replay against a twin', () => {
  it('swaps the twin’s id and gives the ids the handler generated fresh, consistent values', () => {
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    const generated = '33333333-3333-4333-8333-333333333333';
    const calls = [
      { op: 'GetItem', input: { Key: { pk: S(`DOSSIER#${a}`) } }, ms: 1 },
      { op: 'TransactWriteItems', input: { TransactItems: [{ Put: { Item: { pk: S(`DOSSIER#${a}`), job: S(generated) } } }, { Put: { Item: { pk: S(`OUTBOX#${generated}`) } } }] }, ms: 1 },
    ];
    const [get, tx] = forTwin(calls, { [a]: b });
    expect(JSON.stringify(get!.input)).toContain(`DOSSIER#${b}`);
    const json = JSON.stringify(tx!.input);
    expect(json).not.toContain(a);
    expect(json).not.toContain(generated);
    const fresh = /OUTBOX#([0-9a-f-]{36})/.exec(json)![1]!;
    expect(json).toContain(`"job":{"S":"${fresh}"}`);
  });
});

describe('bench: percentiles', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
