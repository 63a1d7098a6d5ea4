import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../config/env';
import { ensureUiBuilt } from './build-ui';
import { defaultServerPorts, type TemporalServerPorts } from './cluster-config';
import { startCluster, type RunningCluster } from './cluster-profile';
import { startEmbeddedPostgres } from './embedded-postgres';
import { pgServerOf } from './temporal-schema';
import { resolveTemporalServer, resolveTemporalUiServer } from './temporal-server-binaries';

/** How many of each the profile runs: two, so that every request and task can land on either. */
export const CLUSTER_WORKERS = 2;
export const CLUSTER_APIS = 2;

/**
 * The cluster profile's ports: the Temporal server's around TEMPORAL_DEV_PORT, the APIs from
 * API_PORT up, the Web UI on TEMPORAL_UI_PORT.
 */
export function clusterPorts(env: Env): { temporal: TemporalServerPorts; apis: number[]; ui: number } {
  return {
    temporal: defaultServerPorts(env.TEMPORAL_DEV_PORT),
    apis: Array.from({ length: CLUSTER_APIS }, (_, i) => env.API_PORT + i),
    ui: env.TEMPORAL_UI_PORT,
  };
}

/** The UI server, built once like the server; a machine that cannot build it runs without a UI. */
function uiBinary(say: (line: string) => void): string | undefined {
  try {
    return resolveTemporalUiServer(say);
  } catch (err) {
    say(`no Temporal Web UI: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Prefixes each line a process prints with its name, so four interleaved logs stay readable. */
function prefixed(name: string): (chunk: string) => void {
  return (chunk) => {
    for (const line of chunk.split('\n')) if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
  };
}

/**
 * `npm start -- --cluster`: PostgreSQL (embedded unless DATABASE_URL), the real Temporal server
 * on it (built once into .tools/bin), two workers and two APIs, each its own process. `stops`
 * gets what to stop, in start order; `onCrash` hears of a process that exits by itself.
 */
export async function startClusterProfile(
  env: Env,
  ctx: { dataDir: string; say: (line: string) => void; stops: (() => Promise<void>)[]; onCrash: (name: string) => void },
): Promise<RunningCluster> {
  const { say, stops } = ctx;
  // First, and synchronously: a cold build takes minutes and nothing else should be half up meanwhile.
  const binaries = resolveTemporalServer(say);
  const ui = uiBinary(say);
  const uiBuilt = ensureUiBuilt(say);
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(ctx.dataDir, 'postgres'), port: env.PG_PORT, database: 'glappfri' });
    stops.push(() => pg.stop());
    say(`PostgreSQL (embedded) on 127.0.0.1:${env.PG_PORT}, data in ${path.join(env.DATA_DIR, 'postgres')}`);
    databaseUrl = pg.url;
  }
  await uiBuilt;
  const ports = clusterPorts(env);
  const configDir = path.join(ctx.dataDir, 'temporal-cluster');
  // The server's (and UI's) own log is long and mostly start-up chatter: to a file, named below.
  mkdirSync(configDir, { recursive: true });
  const serverLogFile = path.join(configDir, 'server.log');
  const serverLog = createWriteStream(serverLogFile, { flags: 'a' });
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_MODE: env.AUTH_MODE,
    ...(env.AUTH_DEV_SECRET ? { AUTH_DEV_SECRET: env.AUTH_DEV_SECRET } : {}),
    PAYLOAD_KEYS: env.PAYLOAD_KEYS,
    MASTER_KEYS: env.MASTER_KEYS,
  };
  const cluster = await startCluster({
    binaries,
    configDir,
    pg: pgServerOf(databaseUrl),
    databaseUrl,
    ports: ports.temporal,
    apiPorts: ports.apis,
    workers: CLUSTER_WORKERS,
    appEnv,
    namespace: env.TEMPORAL_NAMESPACE,
    ...(ui ? { ui: { binary: ui, port: ports.ui, configDir: path.join(ctx.dataDir, 'temporal-ui'), codecEndpoint: `http://127.0.0.1:${env.API_PORT}/codec` } } : {}),
    log: say,
    processLog: (name, chunk) => (name.startsWith('temporal-') ? serverLog.write(chunk) : prefixed(name)(chunk)),
  });
  say(`Temporal server log: ${serverLogFile}`);
  stops.push(() => cluster.stop());
  for (const p of cluster.all()) p.onUnexpectedExit((code, signal) => {
    say(`${p.name} exited by itself (${code ?? signal})`);
    // The product runs on without the Web UI; without any other of them it would be half a stack.
    if (p !== cluster.ui) ctx.onCrash(p.name);
  });
  return cluster;
}
