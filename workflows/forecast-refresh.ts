import { proxyActivities } from '@temporalio/workflow';
import type { ForecastActivities } from '../activities/forecast/forecast-activities';

const acts = proxyActivities<ForecastActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/**
 * Started by the forecast Schedule (activities/forecast/schedule.ts): the lead times measured
 * again from the log, and each case told which of its required interventions are likely to be
 * late. Idempotent: a case records only what changed, so a repeated run does no harm.
 */
export async function forecastRefresh(): Promise<{ cases: number; told: number; recorded: number; failed: number }> {
  return acts.refreshForecasts();
}
