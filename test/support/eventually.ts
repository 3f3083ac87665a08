/**
 * Polls until `check` passes or the timeout expires; returns the last value either way (caches,
 * the mail pipeline). The timeout is on the monotonic clock, so it also expires in tests that fake `Date`.
 */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last = await fn();
  while (!check(last) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}
