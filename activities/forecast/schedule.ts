import type { Client } from '@temporalio/client';
import { ensureIntervalSchedule } from '../interval-schedule';

/** One forecast schedule per task queue (so test stacks on one server do not meet). */
export const forecastScheduleId = (taskQueue: string): string => `forecast-${taskQueue}`;

/** The schedule that starts `forecastRefresh` every FORECAST_INTERVAL; `off` removes it. */
export async function ensureForecastSchedule(client: Client, opts: { taskQueue: string; interval: string }): Promise<void> {
  await ensureIntervalSchedule(client, {
    scheduleId: forecastScheduleId(opts.taskQueue), workflowType: 'forecastRefresh', taskQueue: opts.taskQueue,
    interval: opts.interval, purpose: 'lead times measured again, predicted gaps recorded and withdrawn',
  });
}
