import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../functions/shared/backoff';

describe('jittered backoff', () => {
  const policy = { firstMs: 100, maxMs: 1000 };

  it('doubles the ceiling with each retry, up to the cap', () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, policy, top)).toBeCloseTo(100, 2);
    expect(backoffDelay(2, policy, top)).toBeCloseTo(200, 2);
    expect(backoffDelay(4, policy, top)).toBeCloseTo(800, 2);
    expect(backoffDelay(5, policy, top)).toBeCloseTo(1000, 2);
    expect(backoffDelay(60, policy, top)).toBeCloseTo(1000, 2);
  });

  it('full jitter spreads the pause from zero to the ceiling', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('equal jitter never goes under half the ceiling', () => {
    const equal = { ...policy, jitter: 'equal' as const };
    expect(backoffDelay(3, equal, () => 0)).toBe(200);
    expect(backoffDelay(3, equal, () => 0.5)).toBe(300);
  });

  it('adds the floor to every pause', () => {
    const constant = { firstMs: 20, maxMs: 20, minMs: 5 };
    expect(backoffDelay(1, constant, () => 0)).toBe(5);
    expect(backoffDelay(9, constant, () => 0.5)).toBe(15);
  });

  it('uses Math.random by default and stays within bounds', () => {
    for (let retry = 1; retry < 20; retry++) {
      const d = backoffDelay(retry, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});
