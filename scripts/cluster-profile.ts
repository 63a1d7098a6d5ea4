import path from 'node:path';
import { Connection } from '@temporalio/client';
import { migrate } from '../store/migrate';
import { ensureTemporalSetup } from '../worker/temporal-setup';
import { writeWorkflowBundle } from '../worker/workflow-bundle';
import { writeClusterConfig, writeUiConfig, type TemporalServerPorts } from './cluster-config';
import { apiProcess, temporalServerProcess, uiServerProcess, workerProcess } from './cluster-processes';
import type { ManagedProcess } from './managed-process';
import { ensureTemporalSchema, DEFAULT_TEMPORAL_DATABASES, type PgServer, type TemporalDatabases } from './temporal-schema';
import type { TemporalServerBinaries } from './temporal-server-binaries';

/**
 * The `cluster` profile on a PostgreSQL that is already running: the real Temporal server on
 * its own databases, then workers and APIs as separate OS processes, all sharing that one
 * server and the product's one database. `npm start -- --cluster` and the tests' cluster stack
 * (test/support/cluster-stack.ts) both start it here.
 */
export interface ClusterOptions {
  binaries: TemporalServerBinaries;
  /** Where the generated server configuration goes. */
  configDir: string;
  /** The PostgreSQL server Temporal's own databases are made on. */
  pg: PgServer;
  databases?: TemporalDatabases;
  /** The product's database (workers and APIs). */
  databaseUrl: string;
  ports: TemporalServerPorts;
  /** One API process per port. */
  apiPorts: number[];
  workers: number;
  /** Environment of every worker and API (keys, auth, namespace…); TEMPORAL_ADDRESS and DATABASE_URL are set here. */
  appEnv: NodeJS.ProcessEnv;
  namespace: string;
  /** The standalone Web UI, when wanted (and built): its binary, port and configuration folder. */
  ui?: { binary: string; port: number; configDir: string; codecEndpoint?: string };
  log?: (line: string) => void;
  /** Each process's output, by process name. */
  processLog?: (name: string, chunk: string) => void;
  temporalLogLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface RunningCluster {
  temporalAddress: string;
  apiUrls: string[];
  temporal: ManagedProcess;
  workers: ManagedProcess[];
  apis: ManagedProcess[];
  ui?: ManagedProcess;
  uiUrl?: string;
  /** Every process, in start order. */
  all(): ManagedProcess[];
  /** Stops APIs, then workers, then the Temporal server: nothing is left calling what is gone. */
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const log = opts.log ?? (() => undefined);
  const databases = opts.databases ?? DEFAULT_TEMPORAL_DATABASES;
  const temporalAddress = `127.0.0.1:${opts.ports.frontend}`;
  const out = (name: string) => (opts.processLog ? (chunk: string) => opts.processLog!(name, chunk) : undefined);

  await ensureTemporalSchema({ sqlTool: opts.binaries.sqlTool, server: opts.pg, databases, log });
  writeClusterConfig({ dir: opts.configDir, ports: opts.ports, pg: opts.pg, databases, logLevel: opts.temporalLogLevel });
  const temporal = temporalServerProcess({ binary: opts.binaries.server, configDir: opts.configDir, address: temporalAddress, log: out('temporal-server') });
  // Bundled once here, while the server starts: every worker then polls within a second of its
  // start, also each time one is restarted, and all run the same code.
  const bundling = writeWorkflowBundle(path.join(opts.configDir, 'workflow-bundle.js'));
  bundling.catch(() => undefined);
  const appEnv = {
    ...opts.appEnv, TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: opts.databaseUrl, TEMPORAL_NAMESPACE: opts.namespace,
    WORKFLOW_BUNDLE: path.join(opts.configDir, 'workflow-bundle.js'),
  };
  const workers = Array.from({ length: opts.workers }, (_, i) => workerProcess({ name: `worker-${i + 1}`, env: appEnv, log: out(`worker-${i + 1}`) }));
  const apis = opts.apiPorts.map((port, i) => apiProcess({ name: `api-${i + 1}`, port, env: metricsPortFor(appEnv, i), log: out(`api-${i + 1}`) }));
  const ui = opts.ui
    ? uiServerProcess({
        binary: opts.ui.binary,
        port: opts.ui.port,
        configDir: writeUiConfig({ dir: opts.ui.configDir, temporalAddress, port: opts.ui.port, namespace: opts.namespace, codecEndpoint: opts.ui.codecEndpoint }),
        log: out('temporal-ui'),
      })
    : undefined;
  const cluster: RunningCluster = {
    temporalAddress,
    apiUrls: opts.apiPorts.map((p) => `http://127.0.0.1:${p}`),
    temporal,
    workers,
    apis,
    ui,
    uiUrl: opts.ui ? `http://127.0.0.1:${opts.ui.port}` : undefined,
    all: () => [temporal, ...workers, ...apis, ...(ui ? [ui] : [])],
    async stop() {
      await Promise.all([...apis, ...(ui ? [ui] : [])].map((p) => p.stop()));
      await Promise.all(workers.map((p) => p.stop()));
      await temporal.stop();
    },
  };
  try {
    const started = Date.now();
    await temporal.start();
    log(`Temporal server (pid ${temporal.pid}) on ${temporalAddress} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Once, before the workers: they would each do it at start too, but not race to.
    const conn = await Connection.connect({ address: temporalAddress });
    try {
      await ensureTemporalSetup(conn, { namespace: opts.namespace, log });
    } finally {
      await conn.close();
    }
    // Likewise the product's migrations, once rather than by every process at the same moment.
    await migrate(opts.databaseUrl);
    // The UI needs only the server; it starts while the workers bundle their code.
    // Optional: without it the product runs the same, so a UI that fails is said, not fatal.
    const uiStarted = ui?.start().then(
      () => log(`Temporal Web UI (pid ${ui.pid}) on ${cluster.uiUrl}`),
      (err: unknown) => log(`Temporal Web UI did not start, the rest runs without it: ${err instanceof Error ? err.message : String(err)}`),
    );
    const bundle = await bundling;
    log(`workflow code bundled once for every worker: ${bundle.file} (${(bundle.bytes / 1024).toFixed(0)} KiB)`);
    await Promise.all(workers.map((w) => w.start()));
    log(`workers polling: ${workers.map((w) => `${w.name} (pid ${w.pid})`).join(', ')}`);
    await Promise.all(apis.map((a) => a.start()));
    log(`APIs serving: ${apis.map((a, i) => `${a.name} (pid ${a.pid}) ${cluster.apiUrls[i]}`).join(', ')}`);
    await uiStarted;
  } catch (err) {
    await cluster.stop().catch(() => undefined);
    throw err;
  }
  return cluster;
}

/** A separate metrics port must differ between the API processes: the n-th gets METRICS_PORT + n. */
function metricsPortFor(env: NodeJS.ProcessEnv, index: number): NodeJS.ProcessEnv {
  const base = env.METRICS_PORT ? Number(env.METRICS_PORT) : undefined;
  return base ? { ...env, METRICS_PORT: String(base + index) } : env;
}
