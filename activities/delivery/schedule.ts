import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import { durationToMs } from '../../domain/duration';

/** One digest schedule per task queue (so test stacks on one server do not meet). */
export const digestScheduleId = (taskQueue: string): string => `daily-digest-${taskQueue}`;

/** DIGEST_INTERVAL as a schedule spec: `P1D`/`PT5S` → an interval; a cron line → Swedish time unless CRON_TZ= says otherwise. */
export function digestSpec(interval: string): ScheduleSpec {
  const value = interval.trim();
  if (value.startsWith('P')) return { intervals: [{ every: durationToMs(value) }] };
  const tz = /^CRON_TZ=(\S+)\s+(.+)$/.exec(value);
  return { cronExpressions: [tz ? tz[2]! : value], timezone: tz ? tz[1]! : 'Europe/Stockholm' };
}

export type DigestScheduleResult = 'created' | 'updated' | 'removed' | 'off';

/**
 * Creates the Temporal Schedule that starts `dailyDigest`, or brings an existing one to the
 * current spec: safe to run at every worker start, from several workers at once. `off` removes it.
 */
export async function ensureDigestSchedule(client: Client, opts: { taskQueue: string; interval: string }): Promise<DigestScheduleResult> {
  const scheduleId = digestScheduleId(opts.taskQueue);
  const handle = client.schedule.getHandle(scheduleId);
  if (opts.interval.trim() === 'off') {
    try {
      await handle.delete();
      return 'removed';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'off';
      throw err;
    }
  }
  const spec = digestSpec(opts.interval);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'dailyDigest',
    taskQueue: opts.taskQueue,
    // The schedule appends the scheduled time: one id per run, the key digests are deduplicated on.
    workflowId: scheduleId,
    args: [] as [],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, memo: { purpose: 'digest of open alerts per agency' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}
