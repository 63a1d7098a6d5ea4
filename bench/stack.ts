import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { freePort } from '../scripts/free-port';
import { startEmbeddedPostgres, type EmbeddedPg } from '../scripts/embedded-postgres';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { upsertAgency } from '../store/agencies';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { benchDirectory } from './directory';
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
  startWorker(kind: WorkerChildConfig['kind'], taskQueue: string, opts?: { codec?: boolean }): Promise<WorkerChild>;
  token(claims: { sub: string; role: string; agencyId?: string }): Promise<string>;
  /** The last lines the Temporal dev server logged (warnings and errors). */
  serverLog(): string[];
  close(): Promise<void>;
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

/** Processes whose command line contains `needle` (our temp folder or our Temporal port). */
function pidsMatching(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').includes(needle)) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

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

export async function startBenchStack(): Promise<BenchStack> {
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
    const [temporalPort, pgPort] = await Promise.all([freePort(), freePort()]);
    temporalNeedle = `start-dev --ip 127.0.0.1 --port ${temporalPort} `;
    startReaper(tmpDir, temporalPort);
    const pgDir = path.join(tmpDir, 'pg');
    const bundleDir = path.join(tmpDir, 'bundles');
    mkdirSync(bundleDir);
    say(`starting Temporal dev server (:${temporalPort}, in memory) and PostgreSQL (:${pgPort}, ${pgDir}); bundling workflows…`);
    const [temporal, pg, journeyCode, baselineCode] = await Promise.all([
      startDevServer({ cli: resolveTemporalCli((l) => say(l)), port: temporalPort, log: (l) => keepServerLog(l) }).then((s: DevServer) => {
        stops.push({ label: 'the Temporal dev server', ms: 15_000, stop: () => s.stop() });
        return s;
      }),
      startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'glappfri' }).then((p: EmbeddedPg) => {
        stops.push({ label: 'PostgreSQL', ms: 20_000, stop: () => p.stop() });
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

    const startWorker = async (kind: WorkerChildConfig['kind'], taskQueue: string, opts: { codec?: boolean } = {}): Promise<WorkerChild> => {
      const config: WorkerChildConfig = { kind, address: temporal.address, taskQueue, codePath: codePaths[kind], databaseUrl: pg.url, ...opts };
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

    say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${temporal.address}, PostgreSQL :${pgPort}, API ${api.url}`);
    return {
      tmpDir,
      temporalAddress: temporal.address,
      databaseUrl: pg.url,
      pool,
      api,
      client,
      journeys: new JourneyClient(client, MAIN_QUEUE, readCaseFrom(pool)),
      pids: { temporal: findPid(temporalNeedle), postgres: findPid(`-D ${pgDir} -p ${pgPort} `) },
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
