import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Pool } from 'pg';
import { JourneyClient } from '../api/journey-client';
import { startApi, type RunningApi } from '../api/start-api';
import { loadEnv } from '../config/env';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { startEmbeddedPostgres, type EmbeddedPg } from '../scripts/embedded-postgres';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { upsertAgency } from '../store/agencies';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { directory } from '../test/support/fixtures';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import { say } from './progress';
import type { ChildMessage, ParentMessage, WorkerChildConfig } from './worker-child';

/**
 * The bench's own local stack, apart from anything else on the machine: a Temporal dev server
 * (headless, in memory) and an embedded PostgreSQL in a temp folder, both on free ports; the
 * API in this process (AUTH_MODE=dev, port 0); workers as child processes. `close()` stops all
 * of it and removes the temp folder.
 */

export const MAIN_QUEUE = 'bench-journeys';
export const BASELINE_QUEUE = 'bench-baseline';

/** One more agency, with an inbox of its own, for the projection-lag probe. */
export const PROBE_AGENCY = { agencyId: 'bench-probe', type: 'kronofogden' as const, name: 'Bench probe', municipalities: ['*'] };
export const benchDirectory = [...directory, PROBE_AGENCY];

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  cpuMs: number;
}

export interface WorkerChild {
  pid: number;
  maxCachedWorkflows: number;
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}

export interface BenchStack {
  tmpDir: string;
  temporalAddress: string;
  databaseUrl: string;
  /** The API's pool (also used for direct reads). */
  pool: Pool;
  api: RunningApi;
  client: Client;
  journeys: JourneyClient;
  /** Process ids of the services, for the CPU profile. */
  pids: { temporal?: number; postgres?: number };
  startWorker(kind: WorkerChildConfig['kind'], taskQueue: string): Promise<WorkerChild>;
  token(claims: { sub: string; role: string; agencyId?: string }): Promise<string>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: () => undefined, error: (m: string, meta?: unknown) => console.error(m, meta),
};

/** Finds a process by a piece of its command line (NUL-separated arguments joined by spaces). */
export function findPid(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

export async function startBenchStack(): Promise<BenchStack> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'glappfri-bench-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own OS user and must reach inside.
  chmodSync(tmpDir, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  const children = new Set<ChildProcess>();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const stop of stops.reverse()) {
      await stop().catch((e: unknown) => say(`stop failed: ${String(e)}`));
    }
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(tmpDir, { recursive: true, force: true });
  };

  try {
    const started = Date.now();
    const [temporalPort, pgPort] = await Promise.all([freePort(), freePort()]);
    const pgDir = path.join(tmpDir, 'pg');
    const bundleDir = path.join(tmpDir, 'bundles');
    mkdirSync(bundleDir);
    say(`starting Temporal dev server (:${temporalPort}, in memory) and PostgreSQL (:${pgPort}, ${pgDir}); bundling workflows…`);
    const [temporal, pg, journeyCode, baselineCode] = await Promise.all([
      startDevServer({ cli: resolveTemporalCli((l) => say(l)), port: temporalPort }).then((s: DevServer) => {
        stops.push(() => s.stop());
        return s;
      }),
      startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'glappfri' }).then((p: EmbeddedPg) => {
        stops.push(() => p.stop());
        return p;
      }),
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./baseline-workflow'), logger: quietLogger }),
    ]);
    const codePaths = { journey: path.join(bundleDir, 'journey.js'), baseline: path.join(bundleDir, 'baseline.js') };
    writeFileSync(codePaths.journey, journeyCode.code);
    writeFileSync(codePaths.baseline, baselineCode.code);

    await migrate(pg.url);
    const pool = createPool(pg.url, { applicationName: 'bench-api', max: 10, statementTimeoutMs: 30 * 60_000 });
    stops.push(() => pool.end());
    for (const a of benchDirectory) await upsertAgency(pool, a);

    const env = loadEnv({
      AUTH_MODE: 'dev', API_HOST: '127.0.0.1', API_PORT: '0', LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: MAIN_QUEUE, TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: pg.url,
    });
    const api = await startApi(env, { pool, temporalAddress: temporal.address });
    stops.push(() => api.close());
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });

    const startWorker = async (kind: WorkerChildConfig['kind'], taskQueue: string): Promise<WorkerChild> => {
      const config: WorkerChildConfig = { kind, address: temporal.address, taskQueue, codePath: codePaths[kind], databaseUrl: pg.url };
      const child = fork(require.resolve('./worker-child'), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.add(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const pending = new Map<number, (m: MemorySample) => void>();
      let nextId = 1;
      const ready = await new Promise<number>((resolve, reject) => {
        child.on('message', (m: ChildMessage) => {
          if (m.kind === 'ready') resolve(m.maxCachedWorkflows);
          else if (m.kind === 'failed') reject(new Error(`${kind} worker failed: ${m.message}`));
          else if (m.kind === 'mem') {
            pending.get(m.id)?.({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, cpuMs: m.cpuMs });
            pending.delete(m.id);
          }
        });
        child.once('exit', (code) => reject(new Error(`${kind} worker exited with code ${code} before it was ready`)));
      });
      let stopped: Promise<void> | undefined;
      const handle: WorkerChild = {
        pid: child.pid!,
        maxCachedWorkflows: ready,
        memory: () =>
          new Promise<MemorySample>((resolve, reject) => {
            const id = nextId++;
            pending.set(id, resolve);
            if (!child.connected) return reject(new Error(`${kind} worker is gone`));
            child.send({ kind: 'mem', id } satisfies ParentMessage);
          }),
        stop: () => {
          stopped ??= (async () => {
            if (child.exitCode === null && child.connected) child.send({ kind: 'stop' } satisfies ParentMessage);
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(timer);
            children.delete(child);
          })();
          return stopped;
        },
      };
      stops.push(() => handle.stop());
      return handle;
    };

    const token: BenchStack['token'] = async (claims) => {
      const res = await fetch(`${api.url}/v1/dev/tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims),
      });
      if (!res.ok) throw new Error(`dev token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };

    say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${temporal.address}, PostgreSQL :${pgPort}, API ${api.url}`);
    return {
      tmpDir,
      temporalAddress: temporal.address,
      databaseUrl: pg.url,
      pool,
      api,
      client,
      journeys: new JourneyClient(client, MAIN_QUEUE),
      pids: { temporal: findPid(`start-dev --ip 127.0.0.1 --port ${temporalPort} `), postgres: findPid(`-D ${pgDir} -p ${pgPort} `) },
      startWorker,
      token,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
