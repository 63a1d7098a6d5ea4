import { CaseKeys } from '../store/case-keys';
import { housekeepingSettings } from '../activities/housekeeping/settings';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { Env } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createWorker } from './create-worker';
import { ensureTemporalSetup } from './temporal-setup';

export interface RunningWorker {
  /** Resolves when the worker has drained and stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Makes sure the namespace and its search attributes exist (worker/temporal-setup.ts), connects,
 * registers the client-journey workflow and activities, and starts polling.
 */
export async function runWorker(env: Env, pool: Pool, temporalAddress?: string, log: (line: string) => void = console.error): Promise<RunningWorker> {
  // Before polling: a case started without its search attributes would fail its first task.
  const setup = await Connection.connect(temporalConnectionOptions(env, temporalAddress));
  try {
    await ensureTemporalSetup(setup, { namespace: env.TEMPORAL_NAMESPACE, log });
  } finally {
    await setup.close();
  }
  const connection = await NativeConnection.connect(temporalConnectionOptions(env, temporalAddress));
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    pool,
    dataConverter: dataConverterFor(env.PAYLOAD_KEYS),
    keys: CaseKeys.of(env.MASTER_KEYS),
    housekeeping: housekeepingSettings(env),
    forecastInterval: env.FORECAST_INTERVAL,
    maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    ...(env.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE } } : {}),
  });
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
