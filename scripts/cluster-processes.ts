import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CLUSTER_CONFIG_ENV } from './cluster-config';
import { managedProcess, type ManagedProcess } from './managed-process';
import { PROJECT_ROOT } from './temporal-cli';

/** The processes of the cluster profile, each its own OS process with its own PID. */

/** Answers once the frontend serves and reaches its persistence (its system namespace). */
async function temporalServes(address: string): Promise<boolean> {
  const conn = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await conn.workflowService.getSystemInfo({});
    await conn.workflowService.describeNamespace({ namespace: 'temporal-system' });
    return true;
  } finally {
    await conn.close();
  }
}

/** The real Temporal server (all four services in one process), reading `configDir/cluster.yaml`. */
export function temporalServerProcess(opts: { binary: string; configDir: string; address: string; log?: (chunk: string) => void }): ManagedProcess {
  return managedProcess({
    name: 'temporal-server',
    command: opts.binary,
    // The server joins --root and --config; an absolute config folder as root keeps it absolute.
    args: ['--root', opts.configDir, '--config', '.', '--env', CLUSTER_CONFIG_ENV, '--allow-no-auth', 'start'],
    env: process.env,
    ready: () => temporalServes(opts.address),
    // A cold start creates the system namespace and joins the membership ring.
    readyTimeoutMs: 180_000,
    // It hands its shards over before exiting; more than a few seconds means it hangs.
    stopTimeoutMs: 20_000,
    log: opts.log,
  });
}

/** The product's worker (worker/main.ts); node runs it directly, so the PID is the worker's. */
export function workerProcess(opts: { name: string; env: NodeJS.ProcessEnv; log?: (chunk: string) => void }): ManagedProcess {
  return managedProcess({
    name: opts.name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'worker', 'main.ts')],
    cwd: PROJECT_ROOT,
    env: opts.env,
    ready: (output) => output.includes('worker polling'),
    // It bundles the workflow code first (webpack): tens of seconds on a loaded machine.
    readyTimeoutMs: 240_000,
    // SIGTERM: it finishes the tasks in hand, then exits.
    stopTimeoutMs: 30_000,
    log: opts.log,
  });
}

/** The product's API (api/main.ts) on `port`; ready when it answers /healthz. */
export function apiProcess(opts: { name: string; port: number; env: NodeJS.ProcessEnv; log?: (chunk: string) => void }): ManagedProcess {
  return managedProcess({
    name: opts.name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'api', 'main.ts')],
    cwd: PROJECT_ROOT,
    env: { ...opts.env, API_PORT: String(opts.port) },
    ready: async () => (await fetch(`http://127.0.0.1:${opts.port}/healthz`)).ok,
    readyTimeoutMs: 120_000,
    stopTimeoutMs: 15_000,
    log: opts.log,
  });
}

/** The standalone Temporal Web UI, reading `configDir/cluster.yaml`; ready when it serves its page. */
export function uiServerProcess(opts: { binary: string; configDir: string; port: number; log?: (chunk: string) => void }): ManagedProcess {
  return managedProcess({
    name: 'temporal-ui',
    command: opts.binary,
    args: ['--root', opts.configDir, '--config', '.', '--env', CLUSTER_CONFIG_ENV, 'start'],
    env: process.env,
    ready: async () => (await fetch(`http://127.0.0.1:${opts.port}/`)).ok,
    readyTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
    log: opts.log,
  });
}
