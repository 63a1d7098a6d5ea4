import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { readCaseFrom } from '../api/case-after-command';
import { JourneyClient } from '../api/journey-client';
import { deliverySettingsFromEnv } from '../activities/delivery/settings';
import type { Notification } from '../activities/types';
import { createWorker, WORKFLOWS_PATH, type WorkerConfig } from '../worker/create-worker';
import { dataConverterFor } from '../config/payload-codec';
import { createTestDatabase } from './database';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let runtimeInstalled = false;

/** Webpack runs once per test file, not once per worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: () => undefined, error: (m: string, meta?: unknown) => console.error(m, meta),
};

export interface TestStack {
  client: Client;
  journeys: JourneyClient;
  pool: Pool;
  databaseUrl: string;
  taskQueue: string;
  delivered: Notification[];
  /**
   * The real worker; `patchActivationCallback` can hold patches back (the code as it was before
   * them), `dataConverter` other keys, `delivery` other delivery settings (a webhook resolver).
   */
  startWorker(opts?: Partial<Pick<WorkerConfig, 'patchActivationCallback' | 'dataConverter' | 'housekeeping' | 'delivery'>>): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Temporal dev server and a real PostgreSQL (from the global setup), a fresh database
 * and task queue for this file, and a worker running the real workflow and activities.
 */
export async function startTestStack(): Promise<TestStack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: quietLogger, shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const db = await createTestDatabase({ migrated: true });
  const connection = await Connection.connect({ address });
  const dataConverter = dataConverterFor(process.env.PAYLOAD_KEYS);
  const client = new Client({ connection, dataConverter });
  const taskQueue = `test-${randomUUID()}`;
  const native = await NativeConnection.connect({ address });
  const delivered: Notification[] = [];
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  const stack: TestStack = {
    client,
    journeys: new JourneyClient(client, taskQueue, readCaseFrom(db.pool)),
    pool: db.pool,
    databaseUrl: db.url,
    taskQueue,
    delivered,
    async startWorker(opts = {}) {
      worker = await createWorker({
        dataConverter,
        // Dev mode, as the API test stack's: webhooks to the tests' http receivers are allowed.
        delivery: deliverySettingsFromEnv({ ...process.env, AUTH_MODE: 'dev' }),
        ...opts,
        connection: native, namespace: 'default', taskQueue, pool: db.pool,
        workflowBundle: await workflowBundle(),
        deliver: async (batch) => {
          delivered.push(...batch);
        },
      });
      running = worker.run();
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = undefined;
    },
    async close() {
      await stack.stopWorker();
      await native.close();
      await connection.close();
      await db.drop();
    },
  };
  await stack.startWorker();
  return stack;
}
