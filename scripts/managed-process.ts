import { spawn, type ChildProcess } from 'node:child_process';

/**
 * One OS process of the cluster profile (the Temporal server, a worker, an API) that can be
 * started, stopped, killed and started again under the same name, with its PID at hand: what
 * `npm start -- --cluster` supervises, and what a fault test kills and brings back.
 */
export interface ManagedProcess {
  readonly name: string;
  /** The PID of the current run; undefined while it is not running. */
  readonly pid: number | undefined;
  running(): boolean;
  /** Spawns it and resolves once it is ready; rejects (and kills it) when it exits or times out first. */
  start(): Promise<void>;
  /** SIGTERM, and SIGKILL when it has not exited within the stop timeout. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to clean up, as in a crash or an out-of-memory kill. */
  kill(): Promise<void>;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** Called when it exits without being asked to (a crash): not after stop() or kill(). */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves true once the process serves; polled every 250 ms until readyTimeoutMs. */
  ready: (output: string) => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Every chunk it prints, as it comes. */
  log?: (chunk: string) => void;
}

const KEEP_OUTPUT = 64 * 1024;

export function managedProcess(spec: ProcessSpec): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  let expectingExit = false;
  const listeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  const alive = () => !!child && child.exitCode === null && child.signalCode === null;

  const ended = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!alive()) return;
    expectingExit = true;
    const current = child!;
    const timer = graceMs > 0 ? setTimeout(() => current.kill('SIGKILL'), graceMs) : undefined;
    current.kill(signal);
    await exited;
    if (timer) clearTimeout(timer);
  };

  const handle: ManagedProcess = {
    name: spec.name,
    get pid() {
      return alive() ? child!.pid : undefined;
    },
    running: alive,
    output: () => output,
    onUnexpectedExit: (l) => void listeners.push(l),
    async start() {
      if (alive()) throw new Error(`${spec.name} is already running (pid ${child!.pid})`);
      output = '';
      expectingExit = false;
      const started = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      const onData = (b: Buffer) => {
        const chunk = b.toString();
        output = (output + chunk).slice(-KEEP_OUTPUT);
        spec.log?.(chunk);
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      exited = new Promise<void>((resolve) => {
        started.once('exit', (code, signal) => {
          if (!expectingExit) for (const l of listeners) l(code, signal);
          resolve();
        });
        // A binary that cannot be spawned at all (ENOENT) emits error, then no exit.
        started.once('error', (err) => {
          output += `\n${String(err)}`;
          resolve();
        });
      });
      const deadline = Date.now() + (spec.readyTimeoutMs ?? 120_000);
      for (;;) {
        if (!alive()) {
          expectingExit = true;
          throw new Error(`${spec.name} exited (${started.exitCode ?? started.signalCode ?? 'could not start'}) before it was ready:\n${output.slice(-4000)}`);
        }
        // A probe that throws (connection refused while it binds) just means "not yet".
        if (await Promise.resolve().then(() => spec.ready(output)).catch(() => false)) return;
        if (Date.now() > deadline) {
          await ended('SIGKILL', 0);
          throw new Error(`${spec.name} was not ready within ${Math.round((spec.readyTimeoutMs ?? 120_000) / 1000)} s:\n${output.slice(-4000)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop: () => ended('SIGTERM', spec.stopTimeoutMs ?? 15_000),
    kill: () => ended('SIGKILL', 0),
  };
  return handle;
}
