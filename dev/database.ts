import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrate } from '../store/migrate';

/**
 * A fresh, empty database per test file on the shared test server, so files can run in
 * parallel and never see each other's rows. Dropped again by `drop()`.
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  if (opts.migrated) await migrate(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 10 });
  // drop() ends the pool and then forces the database away: a client still closing at that
  // moment hears "terminating connection" as an idle client's error, which is expected there.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
