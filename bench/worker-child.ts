import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { loadEnv } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { createPool } from '../store/pool';
import { createWorker } from '../worker/create-worker';

/**
 * A Temporal worker in a process of its own, so that its memory is measured alone
 * (process RSS: V8 heaps of the workflow sandbox and the activities, plus the Rust core).
 * Started by bench/stack.ts with `fork`; talks over the IPC channel:
 *   child → parent  { kind: 'ready' } once polling, { kind: 'mem', … } on request
 *   parent → child  { kind: 'mem', id } and { kind: 'stop' }
 * `journey` runs the real worker (createWorker: client-journey workflow and activities, the
 * product's WORKER_* defaults); `baseline` runs bench/baseline-workflow.ts and no activities.
 * It stops when told to, or by itself when the parent goes away.
 */
export interface WorkerChildConfig {
  kind: 'journey' | 'baseline';
  address: string;
  taskQueue: string;
  /** A prebuilt workflow bundle (bench/stack.ts bundles once, every child reuses it). */
  codePath: string;
  databaseUrl?: string;
  /** false: no payload codec (bench/lifecycle.ts compares the codec's cost); the product always has one. */
  codec?: boolean;
}

export type ParentMessage = { kind: 'mem'; id: number } | { kind: 'stop' };
export type ChildMessage =
  | { kind: 'ready'; maxCachedWorkflows: number }
  | { kind: 'mem'; id: number; rss: number; heapUsed: number; external: number; cpuMs: number }
  | { kind: 'failed'; message: string };

const quietLogger = new DefaultLogger('ERROR');

async function main(config: WorkerChildConfig): Promise<void> {
  // Core's own warnings (e.g. a speculative task dropped after its workflow finished) are noise here.
  Runtime.install({ logger: quietLogger, shutdownSignals: [], telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  const send = (m: ChildMessage) => process.send?.(m);
  const connection = await NativeConnection.connect({ address: config.address });
  let pool: Pool | undefined;
  let worker: Worker;
  let maxCachedWorkflows: number;
  if (config.kind === 'journey') {
    if (!config.databaseUrl) throw new Error('journey worker needs databaseUrl');
    // The product's defaults (and any WORKER_* the caller set); authentication does not concern a worker.
    const env = loadEnv({ ...process.env, AUTH_MODE: 'dev' });
    pool = createPool(config.databaseUrl, { applicationName: 'bench-worker' });
    maxCachedWorkflows = env.WORKER_MAX_CACHED_WORKFLOWS;
    worker = await createWorker({
      connection, namespace: 'default', taskQueue: config.taskQueue, pool, dataConverter: config.codec === false ? {} : dataConverterFor(process.env.PAYLOAD_KEYS),
      workflowBundle: { codePath: config.codePath },
      maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxCachedWorkflows,
      // A forecast at the full hour would add to a phase work it does not measure.
      forecastInterval: process.env.FORECAST_INTERVAL ?? 'off',
    });
  } else {
    const env = loadEnv({ ...process.env, AUTH_MODE: 'dev' });
    maxCachedWorkflows = env.WORKER_MAX_CACHED_WORKFLOWS;
    worker = await Worker.create({
      connection, namespace: 'default', taskQueue: config.taskQueue, dataConverter: config.codec === false ? {} : dataConverterFor(process.env.PAYLOAD_KEYS),
      workflowBundle: { codePath: config.codePath },
      maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows,
      shutdownGraceTime: '10 seconds',
    });
  }
  const running = worker.run();
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close().catch(() => undefined);
      await pool?.end().catch(() => undefined);
      process.exit(0);
    })();
    return stopping;
  };
  process.on('message', (m: ParentMessage) => {
    if (m.kind === 'stop') void stop();
    else if (m.kind === 'mem') {
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({ kind: 'mem', id: m.id, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  });
  process.on('disconnect', () => void stop());
  running.catch((err: unknown) => {
    send({ kind: 'failed', message: String(err) });
    process.exit(1);
  });
  send({ kind: 'ready', maxCachedWorkflows });
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as WorkerChildConfig).catch((err: unknown) => {
    process.send?.({ kind: 'failed', message: String(err instanceof Error ? err.stack : err) } satisfies ChildMessage);
    process.exit(1);
  });
}
