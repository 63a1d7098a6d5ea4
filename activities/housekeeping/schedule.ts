import type { Client } from '@temporalio/client';
import { ensureIntervalSchedule } from '../interval-schedule';

/** One housekeeping schedule per task queue (so test stacks on one server do not meet). */
export const housekeepingScheduleId = (taskQueue: string): string => `housekeeping-${taskQueue}`;

/** The schedule that starts `housekeeping` every HOUSEKEEPING_INTERVAL; `off` removes it. */
export async function ensureHousekeepingSchedule(client: Client, opts: { taskQueue: string; interval: string }): Promise<void> {
  await ensureIntervalSchedule(client, {
    scheduleId: housekeepingScheduleId(opts.taskQueue), workflowType: 'housekeeping', taskQueue: opts.taskQueue,
    interval: opts.interval, purpose: 'erasure after retention, idempotency purge',
  });
}
