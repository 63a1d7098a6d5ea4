import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Pool } from 'pg';
import { readCaseFrom } from '../api/case-after-command';
import { JourneyClient } from '../api/journey-client';
import { startApi, type RunningApi } from '../api/start-api';
import { newDevSecret } from '../config/dev-auth';
import { loadEnv } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { newPayloadKeys } from '../config/payload-keys';
import { freePort } from '../scripts/free-port';
import { startEmbeddedPostgres, type EmbeddedPg } from '../scripts/embedded-postgres';
import { upsertAgency } from '../store/agencies';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { benchDirectory } from './directory';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import { findPid, pidsMatching } from './find-pid';
import { say } from './progress';
import { clusterNeedle, devNeedle, startClusterBackend, startDevBackend, temporalPortFor, type BenchProfile, type TemporalBackend } from './temporal-backend';
import type { ChildMessage, ParentMessage, WorkerChildConfig } from './worker-child';

/**
 * Workflows each of the run's main workers keeps cached, sized as the README's "Sizing the worker
 * cache" says for a worker that must hold a burst: alertLateness wakes 1,000 cases in one minute in
 * the order they were last touched, so with the default cache of 1,000 (and the bench's other
 * workflows) each case is evicted just before its timer fires and every alert waits for a full
 * replay: p99 10.7 s against 0.46 s, measured side by side on 2026-12-03. workerMemory's worker
 * keeps the product's default; a caller's own WORKER_MAX_CACHED_WORKFLOWS wins for every worker.
 */
export const BENCH_CACHED_WORKFLOWS = 2_500;

/**
 * The bench's own local stack, apart from anything else on the machine: a Temporal server (the
 * `dev` profile's dev server, headless and in memory, or the `cluster` profile's real server with
 * its databases on the bench's PostgreSQL; see ./temporal-backend.ts) and an embedded PostgreSQL
 * in a temp folder, all on free loopback ports; the API in this process (AUTH_MODE=dev, port 0);
 * workers as child processes. `close()` stops all of it and removes the temp folder.
 */

export const MAIN_QUEUE = 'bench-journeys';
export const BASELINE_QUEUE = 'bench-baseline';

export { benchDirectory, PROBE_AGENCY } from './directory';

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
  profile: BenchProfile;
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
  startWorker(kind: WorkerChildConfig['kind'], taskQueue: string, opts?: { codec?: boolean; cachedWorkflows?: number }): Promise<WorkerChild>;
  token(claims: { sub: string; role: string; agencyId?: string }): Promise<string>;
  /** The last lines the Temporal server logged (warnings and errors). */
  serverLog(): string[];
  close(): Promise<void>;
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: () => undefined, error: (m: string, meta?: unknown) => console.error(m, meta),
};

/** The stack being started or running, so a signal can stop it even half-way through start-up. */
let active: (() => Promise<void>) | undefined;

/** Stops whatever startBenchStack has started so far (for SIGINT/SIGTERM); a no-op when nothing runs. */
export function closeActiveStack(): Promise<void> {
  return active?.() ?? Promise.resolve();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A watchdog in a process of its own (detached, so a terminal's Ctrl-C does not reach it): once
 * this process is gone without having cleaned up (killed outright, e.g. by a wrapper's SIGKILL), it
 * kills what belongs to this run (command lines containing the temp folder or the dev server's
 * port) and removes the temp folder. After a normal close it finds nothing left and just exits.
 */
const REAPER = `
const [parent, tmpDir, port] = process.argv.slice(1);
const needle = 'start-dev --ip 127.0.0.1 --port ' + port + ' ';
const fs = require('node:fs');
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const ours = () => fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e) && Number(e) !== process.pid).filter((e) => {
  try { const c = fs.readFileSync('/proc/' + e + '/cmdline', 'utf8').split('\\0').join(' '); return c.includes(tmpDir) || c.includes(needle); } catch { return false; }
}).map(Number);
const tick = setInterval(() => {
  if (alive(Number(parent))) return;
  clearInterval(tick);
  const pids = ours();
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  let n = 0;
  const done = setInterval(() => {
    if (pids.some(alive) && ++n < 50) return;
    clearInterval(done);
    try { fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch {}
    process.exit(0);
  }, 100);
}, 500);
`;

function startReaper(tmpDir: string, temporalPort: number): void {
  // The port alone on the command line, so that findPid(temporalNeedle) never finds the reaper.
  const child = spawn(process.execPath, ['-e', REAPER, String(process.pid), tmpDir, String(temporalPort)], { detached: true, stdio: 'ignore' });
  child.unref();
}

/** Runs `stop`, giving up (and saying so) after `ms`: a stop must never hang the bench's exit. */
async function within(label: string, ms: number, stop: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const r = await Promise.race([stop().then(() => 'ok' as const), timeout]);
    if (r === 'timeout') say(`stopping ${label} took over ${ms / 1000} s; killing it`);
  } catch (e) {
    say(`stopping ${label} failed: ${String(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function startBenchStack(opts: { profile: BenchProfile } = { profile: 'dev' }): Promise<BenchStack> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'glappfri-bench-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own OS user and must reach inside.
  chmodSync(tmpDir, 0o755);
  const stops: { label: string; ms: number; stop: () => Promise<unknown> }[] = [];
  const children = new Set<ChildProcess>();
  let temporalNeedle: string | undefined;
  let closing: Promise<void> | undefined;
  /**
   * Stops everything in reverse order of start, each step with a time limit (a service that a
   * terminal's Ctrl-C has already killed must not make its stop() wait forever), then kills
   * whatever is left that belongs to this run (worker children, PostgreSQL in our temp folder,
   * the dev server on our port) and removes the temp folder. Safe to call more than once.
   */
  const close = () => {
    closing ??= (async () => {
      for (const s of [...stops].reverse()) await within(s.label, s.ms, s.stop);
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      const leftovers = [...pidsMatching(tmpDir), ...(temporalNeedle ? pidsMatching(temporalNeedle) : [])];
      for (const pid of leftovers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (let i = 0; i < 50 && leftovers.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
      try {
        rmSync(tmpDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        say(`could not remove ${tmpDir}: ${String(e)}`);
      }
      if (active === close) active = undefined;
    })();
    return closing;
  };
  active = close;
  // The dev server's own warnings and errors (--log-level warn), the last few, for a failure report.
  const serverLog: string[] = [];
  const keepServerLog = (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) serverLog.push(line.slice(0, 2000));
    if (serverLog.length > 200) serverLog.splice(0, serverLog.length - 200);
  };

  try {
    const started = Date.now();
    const { profile } = opts;
    const [{ port: temporalPort, cluster: clusterPorts }, pgPort] = await Promise.all([temporalPortFor(profile), freePort()]);
    const configDir = path.join(tmpDir, 'temporal');
    temporalNeedle = profile === 'dev' ? devNeedle(temporalPort) : clusterNeedle(configDir);
    startReaper(tmpDir, temporalPort);
    const pgDir = path.join(tmpDir, 'pg');
    const bundleDir = path.join(tmpDir, 'bundles');
    mkdirSync(bundleDir);
    const serverName = profile === 'dev' ? 'the Temporal dev server' : 'the Temporal server';
    const pgStarted = startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'glappfri' }).then((p: EmbeddedPg) => {
      stops.push({ label: 'PostgreSQL', ms: 20_000, stop: () => p.stop() });
      return p;
    });
    const onStarted = (s: TemporalBackend) => {
      // A cluster server hands its shards over before it exits, which takes longer than the dev server.
      stops.push({ label: serverName, ms: profile === 'dev' ? 15_000 : 30_000, stop: () => s.stop() });
      return s;
    };
    say(profile === 'dev'
      ? `starting Temporal dev server (:${temporalPort}, in memory) and PostgreSQL (:${pgPort}, ${pgDir}); bundling workflows…`
      : `starting PostgreSQL (:${pgPort}, ${pgDir}), then the Temporal server on it (frontend :${temporalPort}); bundling workflows…`);
    const [temporal, pg, journeyCode, baselineCode] = await Promise.all([
      // The cluster's server keeps its state in that PostgreSQL, so it waits for it; the dev server does not.
      profile === 'dev'
        ? startDevBackend(temporalPort, keepServerLog).then(onStarted)
        : pgStarted.then((p) => startClusterBackend({ ports: clusterPorts!, databaseUrl: p.url, configDir, log: keepServerLog })).then(onStarted),
      pgStarted,
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./baseline-workflow'), logger: quietLogger }),
    ]);
    const codePaths = { journey: path.join(bundleDir, 'journey.js'), baseline: path.join(bundleDir, 'baseline.js') };
    writeFileSync(codePaths.journey, journeyCode.code);
    writeFileSync(codePaths.baseline, baselineCode.code);

    await migrate(pg.url);
    const pool = createPool(pg.url, { applicationName: 'bench-api', max: 10, statementTimeoutMs: 30 * 60_000 });
    stops.push({ label: 'the API pool', ms: 5000, stop: () => pool.end() });
    for (const a of benchDirectory) await upsertAgency(pool, a);

    // The API, this client and every worker child (which inherit the environment) share one key.
    process.env.PAYLOAD_KEYS ??= newPayloadKeys('bench');
    process.env.MASTER_KEYS ??= newPayloadKeys('bench-master');
    const env = loadEnv({
      AUTH_MODE: 'dev', AUTH_DEV_SECRET: newDevSecret(), API_HOST: '127.0.0.1', API_PORT: '0', LOG_LEVEL: 'warn',
      // The bench is one client opening cases as fast as the stack takes them: no limit to measure.
      RATE_LIMIT_PER_MINUTE: 'off', RATE_LIMIT_ANONYMOUS_PER_MINUTE: 'off',
      TEMPORAL_TASK_QUEUE: MAIN_QUEUE, TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: pg.url, PAYLOAD_KEYS: process.env.PAYLOAD_KEYS, MASTER_KEYS: process.env.MASTER_KEYS,
    });
    const api = await startApi(env, { pool, temporalAddress: temporal.address });
    stops.push({ label: 'the API', ms: 5000, stop: () => api.close() });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push({ label: 'the Temporal client', ms: 5000, stop: () => connection.close() });
    const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });

    const startWorker = async (kind: WorkerChildConfig['kind'], taskQueue: string, opts: { codec?: boolean; cachedWorkflows?: number } = {}): Promise<WorkerChild> => {
      const { cachedWorkflows, ...rest } = opts;
      const config: WorkerChildConfig = { kind, address: temporal.address, taskQueue, codePath: codePaths[kind], databaseUrl: pg.url, ...rest };
      const childEnv = cachedWorkflows && !process.env.WORKER_MAX_CACHED_WORKFLOWS ? { ...process.env, WORKER_MAX_CACHED_WORKFLOWS: String(cachedWorkflows) } : process.env;
      const child = fork(require.resolve('./worker-child'), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: childEnv });
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
      stops.push({ label: `the ${kind} worker`, ms: 25_000, stop: () => handle.stop() });
      return handle;
    };

    const token: BenchStack['token'] = async (claims) => {
      const res = await fetch(`${api.url}/v1/dev/tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims),
      });
      if (!res.ok) throw new Error(`dev token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };

    say(`${profile} stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${temporal.address}, PostgreSQL :${pgPort}, API ${api.url}`);
    return {
      profile,
      tmpDir,
      temporalAddress: temporal.address,
      databaseUrl: pg.url,
      pool,
      api,
      client,
      journeys: new JourneyClient(client, MAIN_QUEUE, readCaseFrom(pool)),
      pids: { temporal: temporal.pid, postgres: findPid(`-D ${pgDir} -p ${pgPort} `) },
      startWorker,
      token,
      serverLog: () => [...serverLog],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
