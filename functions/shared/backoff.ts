/**
 * The one retry pause of the code base: exponential, capped, jittered, so that writers that
 * lost the same race (a condition, a transaction conflict, a throttle) do not collide again.
 * Each caller states its own policy next to the loop it paces.
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry's pause; it doubles with each further retry. */
  firstMs: number;
  /** Largest ceiling. */
  maxMs: number;
  /** Added to every pause. @default 0 */
  minMs?: number;
  /**
   * `full`: anywhere between 0 and the ceiling (AWS's "full jitter", the best spread);
   * `equal`: between half the ceiling and the ceiling (never a near-zero pause).
   * @default 'full'
   */
  jitter?: 'full' | 'equal';
}

/** The pause before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, retry - 1));
  const spread = policy.jitter === 'equal' ? ceiling * (0.5 + random() / 2) : ceiling * random();
  return (policy.minMs ?? 0) + spread;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits the pause before retry number `retry` (1 for the first retry). */
export const backoff = (retry: number, policy: BackoffPolicy) => sleep(backoffDelay(retry, policy));
