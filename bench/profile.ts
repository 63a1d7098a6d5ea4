import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { Client } from 'pg';
import { round } from './stats';

/**
 * A light profile of where time goes while a phase runs, to explain its figures:
 * - CPU seconds per process (from /proc): Temporal server, PostgreSQL (postmaster, its live
 *   backends and the reaped ones), each worker child, this process (API + load generator), and
 *   the rest of the machine (other people's work on a shared box).
 * - The global append lock: how often a transaction holds it and how many wait for it
 *   (pg_locks sampled every few milliseconds).
 */

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

interface ProcStat { ppid: number; self: number; reaped: number }

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14), 0-based from state.
    const t = clockTicks();
    return { ppid: Number(f[1]), self: (Number(f[11]) + Number(f[12])) / t, reaped: (Number(f[13]) + Number(f[14])) / t };
  } catch {
    return undefined;
  }
}

function allStats(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = readStat(Number(e));
    if (s) out.set(Number(e), s);
  }
  return out;
}

/** CPU seconds of the machine as a whole (all cores, busy time only). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line;
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}

export interface ProfileTargets {
  temporal?: number;
  postgres?: number;
  workers: Record<string, number | undefined>;
}

interface Snapshot { at: number; byLabel: Record<string, number>; machine: number }

function snapshot(t: ProfileTargets): Snapshot {
  const stats = allStats();
  const byLabel: Record<string, number> = {};
  const tree = (root: number | undefined, withReaped: boolean) => {
    if (root === undefined) return 0;
    const r = stats.get(root);
    if (!r) return 0;
    let sum = r.self + (withReaped ? r.reaped : 0);
    for (const s of stats.values()) if (s.ppid === root) sum += s.self;
    return sum;
  };
  byLabel.temporal = tree(t.temporal, false);
  byLabel.postgres = tree(t.postgres, true);
  for (const [label, pid] of Object.entries(t.workers)) byLabel[label] = tree(pid, false);
  const me = process.cpuUsage();
  byLabel['bench (API + load)'] = (me.user + me.system) / 1e6;
  return { at: Date.now(), byLabel, machine: machineBusySeconds() };
}

export interface CpuProfile {
  seconds: number;
  /** Cores busy on average, per process group, over the phase (2.0 = two full cores). */
  cores: Record<string, number>;
}

export interface LockProfile {
  samples: number;
  /** Fraction of samples in which a transaction held the append lock. */
  heldFraction: number;
  /** Mean number of transactions waiting for it. */
  meanWaiting: number;
  maxWaiting: number;
}

export interface PhaseProfile { cpu: CpuProfile; appendLock?: LockProfile }

/** Starts profiling; `stop()` returns what happened in between. */
export function startProfile(targets: ProfileTargets, opts: { databaseUrl?: string; lockSampleMs?: number } = {}) {
  const first = snapshot(targets);
  let sampling = true;
  let lock: Promise<LockProfile | undefined> = Promise.resolve(undefined);
  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    lock = (async () => {
      const c = new Client({ connectionString: url, application_name: 'bench-profiler' });
      // The stack may go away while sampling (a failed phase, Ctrl-C): an error then is expected.
      c.on('error', () => undefined);
      await c.connect();
      let samples = 0;
      let held = 0;
      let waiting = 0;
      let maxWaiting = 0;
      try {
        while (sampling) {
          // Advisory locks here are the append locks (each append holds the shared one and its
          // stream's) and a rebuild's, not run meanwhile. Held = an append in flight; waiting =
          // appends queued behind another (the same stream, or an exclusive holder).
          const r = await c.query<{ held: number; waiting: number }>(
            `SELECT count(*) FILTER (WHERE granted)::int AS held, count(*) FILTER (WHERE NOT granted)::int AS waiting
               FROM pg_locks WHERE locktype = 'advisory'`,
          );
          const row = r.rows[0]!;
          samples += 1;
          if (row.held > 0) held += 1;
          waiting += row.waiting;
          maxWaiting = Math.max(maxWaiting, row.waiting);
          await new Promise((res) => setTimeout(res, opts.lockSampleMs ?? 10));
        }
      } finally {
        await c.end().catch(() => undefined);
      }
      return samples === 0 ? undefined : { samples, heldFraction: round(held / samples, 3), meanWaiting: round(waiting / samples, 2), maxWaiting };
    })().catch(() => undefined);
  }
  return {
    async stop(): Promise<PhaseProfile> {
      sampling = false;
      const last = snapshot(targets);
      const seconds = Math.max(0.001, (last.at - first.at) / 1000);
      const cores: Record<string, number> = {};
      let ours = 0;
      for (const [label, v] of Object.entries(last.byLabel)) {
        const d = Math.max(0, v - (first.byLabel[label] ?? 0));
        ours += d;
        cores[label] = round(d / seconds, 2);
      }
      cores['rest of the machine'] = round(Math.max(0, last.machine - first.machine - ours) / seconds, 2);
      cores['machine capacity'] = os.cpus().length;
      const appendLock = await lock;
      return { cpu: { seconds: round(seconds, 1), cores }, ...(appendLock ? { appendLock } : {}) };
    },
  };
}

export function describeProfile(p: PhaseProfile): string {
  const cpu = Object.entries(p.cpu.cores)
    .filter(([k]) => k !== 'machine capacity')
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  const lock = p.appendLock
    ? `; append lock held ${(p.appendLock.heldFraction * 100).toFixed(0)} % of the time, ${p.appendLock.meanWaiting.toFixed(2)} waiting on average (max ${p.appendLock.maxWaiting})`
    : '';
  return `cores busy: ${cpu} (of ${p.cpu.cores['machine capacity']})${lock}`;
}
