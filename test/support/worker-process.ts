import { spawn } from 'node:child_process';
import path from 'node:path';

export interface WorkerProcess {
  pid: number;
  /** SIGKILL: the worker dies mid-task, as in a crash or an out-of-memory kill. */
  kill(): Promise<void>;
  /** SIGTERM: the worker finishes the tasks in hand and exits. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * The product's own worker (`npm run worker`, worker/main.ts) as an OS process of its own, so a
 * test can kill it by PID. Node runs it directly (`--import tsx`, no wrapper process), so the PID
 * is the worker's. Resolves once it polls.
 */
export async function startWorkerProcess(opts: { temporalAddress: string; databaseUrl: string; taskQueue: string }): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker/main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      DATABASE_URL: opts.databaseUrl,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      AUTH_MODE: 'dev',
      DIGEST_INTERVAL: 'off',
      FORECAST_INTERVAL: 'off',
    },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${output}`)), 60_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before polling:\n${output}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await exited;
    },
  };
}
