import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { ensureTemporalSetup } from '../worker/temporal-setup';
import { devServerDynamicConfigArgs } from './temporal-dynamic-config';

export interface DevServerOptions {
  cli: string;
  port: number;
  /** Web UI port, or undefined for a headless server (tests). */
  uiPort?: number;
  /** SQLite file for persistence; undefined keeps everything in memory. */
  dbFile?: string;
  /** The remote codec the Web UI decodes payloads with (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  /** Serve the server's Prometheus metrics on 127.0.0.1 at this port (tests read them). */
  metricsPort?: number;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
  /** SIGKILL, no chance to clean up: what a crash or a pulled plug does (fault tests). */
  kill(): Promise<void>;
}

async function waitUntilReachable(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited with code ${child.exitCode}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server not reachable at ${address}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Starts `temporal server start-dev` as a child process and resolves once it answers gRPC. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--log-level', 'warn',
    '--namespace', 'default',
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...(opts.dbFile ? ['--db-filename', opts.dbFile] : []),
    ...(opts.uiPort && opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    ...(opts.metricsPort ? ['--metrics-port', String(opts.metricsPort)] : []),
    ...devServerDynamicConfigArgs(),
  ];
  const child = spawn(opts.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const log = opts.log ?? (() => undefined);
  child.stdout?.on('data', (b: Buffer) => log(b.toString()));
  child.stderr?.on('data', (b: Buffer) => log(b.toString()));
  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitUntilReachable(address, child, 120_000);
    // The search attributes come the way every cluster gets them (worker/temporal-setup.ts), not
    // from start flags: callers that run a worker without runWorker (tests, bench) need them too.
    const conn = await Connection.connect({ address });
    try {
      await ensureTemporalSetup(conn, { namespace: 'default' });
    } finally {
      await conn.close();
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    address,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
