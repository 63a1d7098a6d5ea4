import { ConfigError, loadEnv } from '../config/env';
import { CaseKeys } from '../store/case-keys';
import { createPool } from '../store/pool';
import { runMain } from './run-main';

/**
 * `npm run keys:rewrap`: after a new master key was put first in MASTER_KEYS, re-wraps every
 * case's data key with it, so that the old master key can then be removed. The event log is not
 * touched (its texts are sealed with the case keys, which do not change). Safe to re-run, and
 * safe while the system runs.
 */
runMain(async () => {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv({ ...process.env, AUTH_MODE: 'dev' });
    if (!env.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required');
    CaseKeys.of(env.MASTER_KEYS);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const pool = createPool(env.DATABASE_URL!, { applicationName: 'glappfri-rewrap', max: 2 });
  try {
    const n = await CaseKeys.of(env.MASTER_KEYS).rewrap(pool);
    console.log(`re-wrapped ${n} case key(s) with master key "${env.MASTER_KEYS!.split(',')[0]!.split(':')[0]}"`);
  } finally {
    await pool.end();
  }
});
