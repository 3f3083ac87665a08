/**
 * The local stand-in for a `rate(n minutes)` schedule (scripts/local/scheduler.ts): it runs
 * the job every n minutes with the payload the real schedule sends, never two runs at once,
 * and stops cleanly.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRateSchedule, type RatePayload } from '../../scripts/local/scheduler';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-07-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('local rate schedule', () => {
  it('fires every `minutes` with the scheduled time, and not before', async () => {
    const fired: RatePayload[] = [];
    const schedule = startRateSchedule(5, async (payload) => {
      fired.push(payload);
    });

    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000);

    expect(fired).toEqual([{ scheduledFor: '2026-07-01T10:05:00.000Z' }, { scheduledFor: '2026-07-01T10:10:00.000Z' }]);
    await schedule.stop();
  });

  it('skips a tick while the previous run is still going, and logs a failed run', async () => {
    const log = vi.fn();
    let finish: () => void = () => undefined;
    let runs = 0;
    const schedule = startRateSchedule(
      1,
      () =>
        new Promise<void>((resolve, reject) => {
          runs += 1;
          if (runs === 1) finish = resolve;
          else reject(new Error('boom'));
        }),
      log,
    );

    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(runs).toBe(2);
    expect(log).toHaveBeenCalledWith('! scheduled run failed: boom');
    await schedule.stop();
  });

  it('stop() waits for the run in progress and fires no more', async () => {
    let finish: () => void = () => undefined;
    let runs = 0;
    const schedule = startRateSchedule(1, () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))));
    await vi.advanceTimersByTimeAsync(60_000);

    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    expect(stopped).toBe(true);
    expect(runs).toBe(1);
  });

  it('does not keep the process alive', () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const schedule = startRateSchedule(5, async () => undefined);
    expect((setIntervalSpy.mock.results[0]!.value as NodeJS.Timeout).hasRef()).toBe(false);
    void schedule.stop();
    setIntervalSpy.mockRestore();
  });
});
