import { describe, expect, it } from 'vitest';
import { eurosToCents } from '../../web/src/gestion/pages/money';

/** The refund form's amount: euros as a person types them, to the API's cents, without floating point. */
describe('eurosToCents', () => {
  it.each([
    ['155', 15500],
    ['155,5', 15550],
    ['100,50', 10050],
    ['155.05', 15505],
    ['0', 0],
    ['0,01', 1],
    ['1 234,56', 123456],
    ['1\u202f234,56 €', 123456],
    [' 19,99 ', 1999],
  ])('%j → %i cents', (text, cents) => {
    expect(eurosToCents(text)).toBe(cents);
  });

  it.each(['', '-5', '1,234', '12,', ',5', 'abc', '1e3', '155,50,1', '12345678'])('refuses %j', (text) => {
    expect(eurosToCents(text)).toBeUndefined();
  });
});
