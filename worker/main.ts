import { Runtime } from '@temporalio/worker';
import { ConfigError, loadEnv } from '../config/env';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { runWorker } from './run-worker';

/** `npm run worker`: a worker alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main() {
  const env = loadEnv();
  if (!env.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to run a worker on its own');
  // The worker stops on SIGINT/SIGTERM itself: it finishes the tasks in hand, then exits.
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  await migrate(env.DATABASE_URL);
  const pool = createPool(env.DATABASE_URL);
  const worker = await runWorker(env, pool);
  console.error(`worker polling ${env.TEMPORAL_TASK_QUEUE}`);
  await worker.done;
  await pool.end();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
