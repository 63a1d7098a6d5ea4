import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freeServerPorts, writeClusterConfig, type TemporalServerPorts } from '../scripts/cluster-config';
import { temporalServerProcess } from '../scripts/cluster-processes';
import { startDevServer } from '../scripts/dev-server';
import { freePort } from '../scripts/free-port';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { DEFAULT_TEMPORAL_DATABASES, ensureTemporalSchema, pgServerOf } from '../scripts/temporal-schema';
import { resolveTemporalServer } from '../scripts/temporal-server-binaries';
import { ensureTemporalSetup } from '../worker/temporal-setup';
import { findPid } from './find-pid';
import { say } from './progress';

/**
 * The Temporal server a bench profile runs against:
 * - `dev`: the CLI's dev server, in memory, on a free port (what the bench always measured);
 * - `cluster`: the real server (scripts/cluster-profile.ts's binary and configuration) with its
 *   persistence and visibility on the bench's own PostgreSQL, every port free and ≤ 32767
 *   (freeServerPorts: the server stores its ports as smallint), all on 127.0.0.1.
 */
export type BenchProfile = 'dev' | 'cluster';

export interface TemporalBackend {
  address: string;
  /** The server's PID, for the CPU profile. */
  pid: number | undefined;
  /**
   * A piece of the server's command line that only this run's server has: bench/stack.ts kills
   * what still matches it after a stop that timed out.
   */
  needle: string;
  stop(): Promise<void>;
}

/** The frontend's port is known before PostgreSQL is up, so the reaper can be told about it first. */
export async function temporalPortFor(profile: BenchProfile): Promise<{ port: number; cluster?: TemporalServerPorts }> {
  if (profile === 'dev') return { port: await freePort() };
  const ports = await freeServerPorts();
  return { port: ports.frontend, cluster: ports };
}

export function devNeedle(port: number): string {
  return `start-dev --ip 127.0.0.1 --port ${port} `;
}

/** Its configuration folder is on the cluster server's command line (--root) and is this run's alone. */
export function clusterNeedle(configDir: string): string {
  return `--root ${path.resolve(configDir)} `;
}

export async function startDevBackend(port: number, log: (chunk: string) => void): Promise<TemporalBackend> {
  const server = await startDevServer({ cli: resolveTemporalCli((l) => say(l)), port, log });
  const needle = devNeedle(port);
  return { address: server.address, pid: findPid(needle), needle, stop: () => server.stop() };
}

/**
 * The cluster profile's server on `databaseUrl`'s PostgreSQL (Temporal's two databases beside
 * the product's), configuration in `configDir`. Ready once its frontend reaches persistence and
 * the `default` namespace (which the dev server has from the start) is registered.
 */
export async function startClusterBackend(opts: {
  ports: TemporalServerPorts;
  databaseUrl: string;
  configDir: string;
  log: (chunk: string) => void;
}): Promise<TemporalBackend> {
  const binaries = resolveTemporalServer((l) => say(l));
  const pg = pgServerOf(opts.databaseUrl);
  await ensureTemporalSchema({ sqlTool: binaries.sqlTool, server: pg, databases: DEFAULT_TEMPORAL_DATABASES, log: (l) => say(l) });
  writeClusterConfig({ dir: opts.configDir, ports: opts.ports, pg, databases: DEFAULT_TEMPORAL_DATABASES });
  const address = `127.0.0.1:${opts.ports.frontend}`;
  const server = temporalServerProcess({ binary: binaries.server, configDir: opts.configDir, address, log: opts.log });
  await server.start();
  try {
    const conn = await Connection.connect({ address });
    try {
      await ensureTemporalSetup(conn, { namespace: 'default', log: (l) => say(l) });
    } finally {
      await conn.close();
    }
  } catch (err) {
    await server.kill();
    throw err;
  }
  return { address, pid: server.pid, needle: clusterNeedle(opts.configDir), stop: () => server.stop() };
}
