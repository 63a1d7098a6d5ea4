import os from 'node:os';
import { alertLatenessPhase } from './alert-lateness';
import { appendsPhase } from './appends';
import { apiLatencyPhase } from './api-latency';
import type { BenchContext } from './context';
import { figuresPhase } from './figures';
import { lifecyclePhase } from './lifecycle';
import { describeProfile, type PhaseProfile } from './profile';
import { say } from './progress';
import { projectionLagPhase } from './projection-lag';
import { rebuildPhase } from './rebuild';
import type { BenchResults } from './report';
import { BASELINE_QUEUE, BENCH_CACHED_WORKFLOWS, closeActiveStack, MAIN_QUEUE, startBenchStack, type WorkerChild } from './stack';
import { round } from './stats';
import type { BenchProfile } from './temporal-backend';
import { workerMemoryPhase } from './worker-memory';

/** One profile's run: its own stack, the phases in order, the stack stopped again. */

export const PHASES = ['lifecycle', 'alertLateness', 'apiLatency', 'projectionLag', 'workerMemory', 'figures', 'rebuild', 'appends'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Worker processes per task queue: the cluster profile is the product scaled out, so its
 * journeys (and, to compare like with like, the bare baseline workflows) have two each.
 */
export const WORKERS_PER_QUEUE: Record<BenchProfile, number> = { dev: 1, cluster: 2 };

export interface ProfileRun {
  profile: BenchProfile;
  started: number;
  seconds: number;
  loadAvg: { start: number[]; end: number[] };
  results: BenchResults;
  phaseNotes: Record<string, string>;
  details: Record<string, unknown>;
  cpuProfiles: Record<string, PhaseProfile>;
  phaseSeconds: Record<string, number>;
  failures: Record<string, string>;
}

/**
 * Runs the phases on `profile`'s stack. A phase that fails is reported (with the Temporal
 * server's last log lines) and left out (its result stays null); the others still run, so a long
 * run is not lost to one failure. Throws when the stack itself fails (after stopping it).
 */
export async function runProfile(profile: BenchProfile, opts: { quick: boolean; only: Set<Phase> | null; interrupted: () => boolean }): Promise<ProfileRun> {
  const { quick, only } = opts;
  const runs = (p: Phase) => only === null || only.has(p);
  const started = Date.now();
  const loadAvgStart = os.loadavg().map((x) => round(x, 2));
  const results: BenchResults = { lifecycle: null, alertLateness: null, apiLatency: null, projectionLag: null, workerMemory: null, figures: null, rebuild: null, appends: null };
  const run: ProfileRun = {
    profile, started, seconds: 0, loadAvg: { start: loadAvgStart, end: [] }, results,
    phaseNotes: {}, details: {}, cpuProfiles: {}, phaseSeconds: {}, failures: {},
  };
  say(`═══ ${profile} profile ═══`);
  try {
    const s = await startBenchStack({ profile });
    const count = WORKERS_PER_QUEUE[profile];
    const startMany = (kind: 'journey' | 'baseline', queue: string) => Promise.all(Array.from({ length: count }, () => s.startWorker(kind, queue, { cachedWorkflows: BENCH_CACHED_WORKFLOWS })));
    let [journeyWorkers, baselineWorkers] = await Promise.all([startMany('journey', MAIN_QUEUE), startMany('baseline', BASELINE_QUEUE)]);
    const extraWorkers = new Set<WorkerChild>();
    const origStart = s.startWorker;
    s.startWorker = async (kind, queue, o) => {
      const w = await origStart(kind, queue, o);
      extraWorkers.add(w);
      const stop = w.stop;
      w.stop = async () => {
        extraWorkers.delete(w);
        await stop();
      };
      return w;
    };
    const named = (label: string, ws: WorkerChild[]) => ws.map((w, i) => [ws.length === 1 ? label : `${label} ${i + 1}`, w.pid] as const);
    const ctx: BenchContext = {
      stack: s,
      quick,
      journeyWorker: journeyWorkers[0]!,
      baselineWorker: baselineWorkers[0]!,
      workersPerQueue: count,
      profileTargets: () => ({
        temporal: s.pids.temporal,
        postgres: s.pids.postgres,
        workers: Object.fromEntries([
          ...named('journey worker', journeyWorkers),
          ...named('baseline worker', baselineWorkers),
          ...[...extraWorkers].map((w, i) => [i === 0 ? 'memory worker' : `extra worker ${i + 1}`, w.pid] as const),
        ]),
      }),
      note: (phase, text) => {
        run.phaseNotes[phase] = text;
      },
      detail: (phase, values) => {
        run.details[phase] = values;
      },
      profile: (phase, p) => {
        run.cpuProfiles[phase] = p;
        say(`${profile} ${phase}: ${describeProfile(p)}`);
      },
    };
    const timed = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T | null> => {
      const t = Date.now();
      say(`── ${phase} (${profile}) ──`);
      try {
        const r = await fn();
        run.phaseSeconds[phase] = round((Date.now() - t) / 1000, 1);
        say(`${phase} done in ${run.phaseSeconds[phase]} s`);
        return r;
      } catch (err) {
        if (opts.interrupted()) throw err;
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
        run.failures[phase] = text.slice(0, 4000);
        say(`${phase} failed: ${text}`);
        const log = s.serverLog();
        if (log.length > 0) say(`the Temporal server's last ${Math.min(log.length, 40)} log lines:\n${log.slice(-40).join('\n')}`);
        run.details[`${phase} (Temporal server log)`] = log.slice(-40);
        return null;
      }
    };

    if (runs('lifecycle')) results.lifecycle = await timed('lifecycle', () => lifecyclePhase(ctx));
    if (runs('alertLateness')) results.alertLateness = await timed('alertLateness', () => alertLatenessPhase(ctx));
    if (runs('apiLatency')) results.apiLatency = await timed('apiLatency', () => apiLatencyPhase(ctx));
    if (runs('projectionLag')) results.projectionLag = await timed('projectionLag', () => projectionLagPhase(ctx));
    if (runs('workerMemory')) results.workerMemory = await timed('workerMemory', () => workerMemoryPhase(ctx));
    if (runs('figures')) results.figures = await timed('figures', () => figuresPhase(ctx));
    if (runs('rebuild')) {
      // Nothing else writes while the read models are rebuilt.
      await Promise.all([...journeyWorkers, ...baselineWorkers].map((w) => w.stop()));
      journeyWorkers = [];
      baselineWorkers = [];
      results.rebuild = await timed('rebuild', () => rebuildPhase(ctx));
    }
    if (runs('appends')) results.appends = await timed('appends', () => appendsPhase(ctx));
    say(`stopping the ${profile} stack…`);
    await s.close();
  } catch (err) {
    await closeActiveStack();
    throw err;
  }
  run.seconds = round((Date.now() - started) / 1000, 1);
  run.loadAvg.end = os.loadavg().map((x) => round(x, 2));
  return run;
}
