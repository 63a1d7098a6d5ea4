import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { durationToMs } from '../../domain/duration';

/** One housekeeping schedule per task queue (so test stacks on one server do not meet). */
export const housekeepingScheduleId = (taskQueue: string): string => `housekeeping-${taskQueue}`;

/**
 * Creates the Temporal Schedule that starts `housekeeping` every HOUSEKEEPING_INTERVAL, or brings
 * an existing one to it: safe at every worker start, from several workers at once. `off` removes it.
 */
export async function ensureHousekeepingSchedule(client: Client, opts: { taskQueue: string; interval: string }): Promise<void> {
  const scheduleId = housekeepingScheduleId(opts.taskQueue);
  const handle = client.schedule.getHandle(scheduleId);
  if (opts.interval.trim() === 'off') {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return;
  }
  const spec = { intervals: [{ every: durationToMs(opts.interval) }] };
  const action = { type: 'startWorkflow' as const, workflowType: 'housekeeping', taskQueue: opts.taskQueue, workflowId: scheduleId, args: [] as [] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { purpose: 'erasure after retention, idempotency purge' } });
    return;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies }));
}
