import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findGo } from './temporal-cli';
import { TEMPORAL_SERVER_MODULE, TEMPORAL_SERVER_VERSION } from './temporal-server-binaries';

const run = promisify(execFile);

/** Where a PostgreSQL server is, and who may create databases on it. */
export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Temporal keeps its persistence and its visibility in databases of their own, never the product's. */
export interface TemporalDatabases {
  persistence: string;
  visibility: string;
}

export const DEFAULT_TEMPORAL_DATABASES: TemporalDatabases = { persistence: 'temporal', visibility: 'temporal_visibility' };

/** The server and credentials of a `postgres://` URL (its database is not used). */
export function pgServerOf(url: string): PgServer {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/**
 * The versioned schema the server module ships (`schema/postgresql/v12/…/versioned`), from the Go
 * module cache the server was built from; TEMPORAL_SCHEMA_DIR points to another copy of
 * `schema/postgresql/v12`. Downloaded into the module cache when missing.
 */
export function temporalSchemaRoot(): string {
  const explicit = process.env.TEMPORAL_SCHEMA_DIR;
  if (explicit) {
    if (!existsSync(path.join(explicit, 'temporal', 'versioned'))) throw new Error(`TEMPORAL_SCHEMA_DIR=${explicit} has no temporal/versioned folder`);
    return explicit;
  }
  const go = findGo();
  if (!go) throw new Error('Go is needed to find the Temporal schema in its module; or set TEMPORAL_SCHEMA_DIR to schema/postgresql/v12 of the server module');
  const modCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const root = path.join(modCache, `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(root)) {
    execFileSync(go, ['mod', 'download', `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (!existsSync(root)) throw new Error(`the Temporal schema is not at ${root}`);
  return root;
}

async function ensureDatabase(server: PgServer, name: string): Promise<void> {
  const admin = new Client({ ...server, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } catch (err) {
    // Two starts at once: the other one created it between our look and our CREATE.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await admin.end();
  }
}

/**
 * Creates Temporal's two databases when missing, then brings each schema to the version the
 * server expects: `setup-schema -v 0.0` (only the version tables, skipped when a version is
 * there) and `update-schema -d …/versioned` (only the steps not yet applied). Safe to run at
 * every start, and it is how an upgrade of the server upgrades the schema.
 */
export async function ensureTemporalSchema(opts: {
  sqlTool: string;
  server: PgServer;
  databases?: TemporalDatabases;
  log?: (line: string) => void;
}): Promise<void> {
  const databases = opts.databases ?? DEFAULT_TEMPORAL_DATABASES;
  const log = opts.log ?? (() => undefined);
  const root = temporalSchemaRoot();
  for (const [kind, database] of [['temporal', databases.persistence], ['visibility', databases.visibility]] as const) {
    await ensureDatabase(opts.server, database);
    // Through the environment, not argv: the password must not show in `ps`.
    const env = {
      ...process.env,
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: opts.server.host,
      SQL_PORT: String(opts.server.port),
      SQL_USER: opts.server.user,
      SQL_PASSWORD: opts.server.password,
      SQL_DATABASE: database,
    };
    const started = Date.now();
    try {
      await run(opts.sqlTool, ['setup-schema', '-v', '0.0'], { env });
      await run(opts.sqlTool, ['update-schema', '-d', path.join(root, kind, 'versioned')], { env });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string };
      throw new Error(`the Temporal ${kind} schema in database ${database} could not be set up:\n${e.stderr || e.stdout || String(err)}`, { cause: err });
    }
    log(`Temporal ${kind} schema in database ${database} up to date (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}
