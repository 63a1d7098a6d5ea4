import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../activities/housekeeping/housekeeping-activities';

const acts = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/**
 * Started by the housekeeping Schedule (activities/housekeeping/schedule.ts): erasure after the
 * retention period, erasures cut short by an outage finished, old Idempotency-Key responses
 * purged. Each step is idempotent, so an overlapping or repeated run does no harm.
 */
export async function housekeeping(): Promise<{ erased: number; finished: number; purged: number }> {
  const { erased, finished } = await acts.eraseDueCases();
  const purged = await acts.purgeIdempotencyKeys();
  return { erased, finished, purged };
}
