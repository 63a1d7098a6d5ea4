import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeServerPorts, type TemporalServerPorts } from '../../scripts/cluster-config';
import { startCluster, type RunningCluster } from '../../scripts/cluster-profile';
import { freePort } from '../../scripts/free-port';
import { pgServerOf } from '../../scripts/temporal-schema';
import { resolveTemporalServer } from '../../scripts/temporal-server-binaries';
import { caller, TEST_RATE_LIMITS } from '../../dev/api-stack';
import { testDevSecret } from '../../dev/dev-secret';
import { startPostgresProcess, type PostgresProcess } from './postgres-process';

export interface ClusterStack extends RunningCluster {
  /** This stack's own folder: PostgreSQL's data and the Temporal server's configuration. */
  dataDir: string;
  /** The product's database. */
  databaseUrl: string;
  ports: TemporalServerPorts;
  /** This stack's own PostgreSQL: stop/start, kill, pause/resume it (Temporal's and the product's databases are on it). */
  postgres: PostgresProcess;
  /** fetch against the n-th API process. */
  call(api: number, ...args: Parameters<ReturnType<typeof caller>>): ReturnType<ReturnType<typeof caller>>;
  /** A dev token for the given identity, minted by the first API (every API accepts it: one secret). */
  token(claims: { sub: string; role: string; agencyId?: string; name?: string }): Promise<string>;
  /** Stops every process and PostgreSQL, and removes the data folder. */
  close(): Promise<void>;
}

/**
 * The `cluster` profile for one test, on free ports and in a folder of its own: PostgreSQL, the
 * real Temporal server on it, `workers` worker processes and `apis` API processes (each a
 * separate OS process with its PID in the handles, so that a fault test can SIGKILL any of them
 * and start it again). `env` adds settings for the workers and APIs.
 */
export async function startClusterStack(opts: { workers?: number; apis?: number; env?: Record<string, string> } = {}): Promise<ClusterStack> {
  const binaries = resolveTemporalServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'glappfri-cluster-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own OS user (as root) and must reach inside.
  chmodSync(dataDir, 0o755);
  const [pgPort, ports, apiPorts] = await Promise.all([
    freePort(),
    freeServerPorts(),
    Promise.all(Array.from({ length: opts.apis ?? 2 }, () => freePort())),
  ]);
  const postgres = await startPostgresProcess({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, database: 'glappfri' });
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_MODE: 'dev',
    AUTH_DEV_SECRET: testDevSecret(),
    LOG_LEVEL: 'warn',
    DIGEST_INTERVAL: 'off',
    HOUSEKEEPING_INTERVAL: 'off',
    FORECAST_INTERVAL: 'off',
    ...TEST_RATE_LIMITS,
    ...opts.env,
  };
  let cluster: RunningCluster;
  try {
    cluster = await startCluster({
      binaries,
      configDir: path.join(dataDir, 'temporal'),
      pg: pgServerOf(postgres.url),
      databaseUrl: postgres.url,
      ports,
      apiPorts,
      workers: opts.workers ?? 2,
      appEnv,
      namespace: 'default',
    });
  } catch (err) {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const callers = cluster.apiUrls.map((u) => caller(u));
  const call: ClusterStack['call'] = (api, ...args) => {
    const c = callers[api];
    if (!c) throw new Error(`no API ${api}: this stack has ${callers.length}`);
    return c(...args);
  };
  return {
    ...cluster,
    dataDir,
    databaseUrl: postgres.url,
    ports,
    postgres,
    call,
    token: async (claims) => (await call(0, 'POST', '/v1/dev/tokens', { body: claims })).body.token,
    async close() {
      try {
        await cluster.stop();
      } finally {
        await postgres.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
