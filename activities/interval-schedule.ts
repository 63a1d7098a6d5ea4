import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { durationToMs } from '../domain/duration';

/**
 * Creates the Temporal Schedule that starts `workflowType` every `interval`, or brings an
 * existing one to it: safe at every worker start, from several workers at once. `off` removes it.
 * The schedule id is the workflow id too, so two runs of it never overlap (SKIP).
 */
export async function ensureIntervalSchedule(
  client: Client,
  opts: { scheduleId: string; workflowType: string; taskQueue: string; interval: string; purpose: string },
): Promise<void> {
  const { scheduleId } = opts;
  const handle = client.schedule.getHandle(scheduleId);
  if (opts.interval.trim() === 'off') {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return;
  }
  const spec = { intervals: [{ every: durationToMs(opts.interval) }] };
  const action = { type: 'startWorkflow' as const, workflowType: opts.workflowType, taskQueue: opts.taskQueue, workflowId: scheduleId, args: [] as [] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { purpose: opts.purpose } });
    return;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies }));
}
