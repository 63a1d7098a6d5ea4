import { readFileSync } from 'node:fs';
import path from 'node:path';
import { managedProcess, type ManagedProcess } from '../../scripts/managed-process';
import { processTree } from './process-tree';

export interface PostgresProcess {
  url: string;
  /** The postmaster's PID while it runs (from its postmaster.pid). */
  pid(): number | undefined;
  /** Starts it again on the same data and port (after stop() or kill()). */
  start(): Promise<void>;
  /** A clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL to the postmaster and every backend: a crash; the next start recovers from the WAL. */
  kill(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: it hangs, connections stay open and unanswered. */
  pause(): void;
  /** SIGCONT: it carries on where it stood. */
  resume(): void;
  /** The helper process (test/support/postgres-main.ts). */
  helper: ManagedProcess;
}

const signalAll = (pid: number | undefined, signal: NodeJS.Signals) => {
  if (pid === undefined) return;
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      /* exited meanwhile */
    }
  }
};

/** PostgreSQL (the embedded package's binaries) on `port` with data in `dataDir`, started and ready. */
export async function startPostgresProcess(opts: { dataDir: string; port: number; database: string }): Promise<PostgresProcess> {
  const helper = managedProcess({
    name: 'postgres',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(__dirname, 'postgres-main.ts'), opts.dataDir, String(opts.port), opts.database],
    env: process.env,
    ready: (output) => output.includes('postgres ready'),
    readyTimeoutMs: 120_000,
    stopTimeoutMs: 30_000,
  });
  const pid = () => {
    if (!helper.running()) return undefined;
    try {
      return Number(readFileSync(path.join(opts.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };
  await helper.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    pid,
    helper,
    start: () => helper.start(),
    async stop() {
      // A paused server cannot shut down: let it go on first.
      signalAll(pid(), 'SIGCONT');
      await helper.stop();
    },
    async kill() {
      const postmaster = pid();
      signalAll(postmaster, 'SIGKILL');
      await helper.kill();
    },
    pause: () => signalAll(pid(), 'SIGSTOP'),
    resume: () => signalAll(pid(), 'SIGCONT'),
  };
}
