import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../config/env';

/**
 * The environment `npm run worker` would get, for a worker run in the test (runWorker) on its
 * own task queue against the suite's Temporal and the file's database.
 */
export function workerEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  return loadEnv({
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: 'worker-test-secret-worker-test-secret-01',
    DATABASE_URL: databaseUrl,
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS,
    MASTER_KEYS: process.env.MASTER_KEYS,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: `worker-${randomUUID()}`,
    ...extra,
  });
}
