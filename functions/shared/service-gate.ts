import type { MiddlewareObj } from '@middy/core';
import { formatInstant } from '../domain/labels';
import { announcedOpening } from '../domain/windows';
import { AppError } from './errors';
import { type Event, lang } from './http';
import { effectiveServiceState } from './service-state';
import { currentStage } from './stage';

/**
 * The closed-service gate of the student routes (SPEC "Enrollment windows"). Brought by the
 * student session check (./student-session.ts), so that admin and public routes, which are never
 * gated, do not carry the windows, the calendar and the service state (issue 16, cold starts).
 */

/** The 503 a student route answers while closed, with the next opening; undefined while open. */
export async function closedServiceRefusal(event: Event, now = new Date()): Promise<AppError | undefined> {
  const state = await effectiveServiceState(now);
  if (state.open) return undefined;
  const { calendar } = currentStage();
  const opening = announcedOpening(calendar, state, now);
  const details = { nextOpening: opening?.toISOString() ?? null, reason: state.reason };
  if (!opening || state.reason === 'forced_closed') {
    // A forced closure has no known end: announce no date rather than a wrong one.
    return new AppError(503, 'SERVICE_CLOSED', { messageKey: 'SERVICE_CLOSED_NO_DATE', details: { ...details, nextOpening: null } });
  }
  return new AppError(503, 'SERVICE_CLOSED', { params: { nextOpening: formatInstant(opening, lang(event), calendar.timeZone, 'full') }, details });
}

/** Every gated route answers 503 while closed (`closedServiceRefusal`). */
export const serviceGate = (): MiddlewareObj<Event> => ({
  before: async (request) => {
    const refusal = await closedServiceRefusal(request.event);
    if (refusal) throw refusal;
  },
});
