import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { getServiceRecord, storeComputedState } from '../adapters/dynamo/service-state';
import { computeServiceState } from '../domain/windows';
import { observedJob } from '../shared/job';
import { logger } from '../shared/logger';
import { currentStage } from '../shared/stage';

/** What each EventBridge Scheduler schedule sends (lib/constructs/schedules.ts). */
export const WindowSwitchEvent = z.object({
  action: z.enum(['open', 'close']),
  windowId: z.string(),
  scheduledFor: z.optional(z.string()),
});

/**
 * Invoked at each window's opening and closing. It does not trust the event's action: it
 * computes the state from the calendar, the operator override and now, and stores it, so a
 * late, repeated or out-of-order invocation still leaves the right state.
 */
export const handler = observedJob(async (event: unknown, _context: Context) => {
  const parsed = WindowSwitchEvent.safeParse(event);
  const now = new Date();
  const record = await getServiceRecord();
  const state = computeServiceState(currentStage().calendar, record.override, now);
  const stored = await storeComputedState(state, now);
  const expected = parsed.success ? parsed.data.action === 'open' : undefined;
  const calendarOpen = state.window !== null;
  if (expected !== undefined && expected !== calendarOpen) {
    logger.warn('Schedule fired outside its transition; state computed from the calendar', {
      action: parsed.success ? parsed.data.action : undefined,
      calendarOpen,
    });
  }
  logger.info('Service state computed', { open: state.open, reason: state.reason, windowId: state.window?.id ?? null, stored });
  return { open: state.open, reason: state.reason, windowId: state.window?.id ?? null, stored };
});
