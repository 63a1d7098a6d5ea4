import { ConfigError, loadEnv } from '../config/env';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { startApi } from './start-api';

/** `npm run api`: an API process alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main() {
  const env = loadEnv();
  if (!env.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to run the API on its own');
  await migrate(env.DATABASE_URL);
  const pool = createPool(env.DATABASE_URL);
  const api = await startApi(env, { pool });
  const stop = async () => {
    await api.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
