import { setOverride } from '../../functions/adapters/dynamo/service-state';
import { computeServiceState } from '../../functions/domain/windows';
import { currentStage } from '../../functions/shared/stage';

/** Forces the service open (an operator override, audited like any), so tests run all year. */
export async function forceServiceOpen(): Promise<void> {
  const now = new Date();
  const override = { mode: 'open' as const, reason: 'Tests: service ouvert', by: 'test', at: now.toISOString() };
  await setOverride(override, computeServiceState(currentStage().calendar, override, now), {
    actor: 'test',
    action: 'service.open',
    at: now.toISOString(),
    reason: override.reason,
    before: { override: null },
    after: { override, open: true },
  });
}
