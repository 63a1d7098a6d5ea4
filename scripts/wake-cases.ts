import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadEnv } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { wakeSignal } from '../workflows/messages';

export interface WakeResult {
  /** Running cases found and signalled. */
  woken: number;
  /** Cases that ended between the listing and their signal: nothing to wake. */
  gone: number;
}

/**
 * Sends the `wake` signal to every running case (of one task queue, when given), so that each
 * looks at its schedule once more. Meant to be run once after upgrading from a version before
 * the `schedule-never-skips` patch: a case that went silent then has no timer left for a moment
 * already past, and nothing else would wake it. Harmless for every other case (one workflow
 * task that finds nothing due) and safe to run again.
 */
export async function wakeRunningCases(client: Client, opts: { taskQueue?: string; concurrency?: number } = {}): Promise<WakeResult> {
  const query = [`WorkflowType = 'clientJourney'`, `ExecutionStatus = 'Running'`, ...(opts.taskQueue ? [`TaskQueue = '${opts.taskQueue.replace(/'/g, "''")}'`] : [])].join(' AND ');
  const result: WakeResult = { woken: 0, gone: 0 };
  const inFlight = new Set<Promise<void>>();
  for await (const wf of client.workflow.list({ query })) {
    const p = client.workflow
      .getHandle(wf.workflowId)
      .signal(wakeSignal)
      .then(
        () => {
          result.woken += 1;
        },
        (err: unknown) => {
          if ((err as { name?: string }).name === 'WorkflowNotFoundError') result.gone += 1;
          else throw err;
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    // A bounded number at a time: each signal costs the case a workflow task.
    if (inFlight.size >= (opts.concurrency ?? 20)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return result;
}

/** `npm run cases:wake [-- --task-queue Q]`: against TEMPORAL_ADDRESS (or the local dev server). */
async function main(): Promise<void> {
  const env = loadEnv({ AUTH_MODE: 'dev', ...process.env });
  const i = process.argv.indexOf('--task-queue');
  const taskQueue = i >= 0 ? process.argv[i + 1] : env.TEMPORAL_TASK_QUEUE;
  const connection = await Connection.connect(temporalConnectionOptions(env));
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
    const started = Date.now();
    const { woken, gone } = await wakeRunningCases(client, { taskQueue });
    console.log(`woke ${woken} running case(s) on task queue ${taskQueue} in ${((Date.now() - started) / 1000).toFixed(1)} s${gone ? ` (${gone} ended meanwhile)` : ''}`);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
