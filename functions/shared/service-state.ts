import { getServiceRecord } from '../adapters/dynamo/service-state';
import { computeServiceState, type ServiceState } from '../domain/windows';
import { currentStage } from './stage';

/**
 * The effective service state: the stored operator override applied to the calendar at
 * `now`. It is computed on every read rather than trusted from the last stored
 * computation, so a late or missed schedule can never leave the service open or shut.
 * The override is read from DynamoDB at most every few seconds per execution environment
 * (SPEC: "cached for seconds, not minutes").
 */
let cache: { override: Awaited<ReturnType<typeof getServiceRecord>>['override']; readAt: number } | undefined;

function cacheMillis(): number {
  const fromEnv = process.env.SERVICE_STATE_CACHE_SECONDS;
  const seconds = fromEnv !== undefined ? Number(fromEnv) : currentStage().serviceStateCacheSeconds;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 5000;
}

export async function effectiveServiceState(now = new Date()): Promise<ServiceState> {
  if (!cache || Date.now() - cache.readAt >= cacheMillis()) {
    const record = await getServiceRecord();
    cache = { override: record.override, readAt: Date.now() };
  }
  return computeServiceState(currentStage().calendar, cache.override, now);
}

/** Drops the cached override (after this environment changed it itself). */
export function forgetServiceState(): void {
  cache = undefined;
}
