import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertLatenessPhase } from '../bench/alert-lateness';
import { apiLatencyPhase } from '../bench/api-latency';
import { figuresPhase } from '../bench/figures';
import type { BenchContext } from '../bench/context';
import { lifecyclePhase } from '../bench/lifecycle';
import { describeProfile, type PhaseProfile } from '../bench/profile';
import { say } from '../bench/progress';
import { projectionLagPhase } from '../bench/projection-lag';
import { rebuildPhase } from '../bench/rebuild';
import { checkAims, renderTable, type BenchReport, type BenchResults } from '../bench/report';
import { BASELINE_QUEUE, closeActiveStack, MAIN_QUEUE, startBenchStack, type BenchStack, type WorkerChild } from '../bench/stack';
import { round } from '../bench/stats';
import { workerMemoryPhase } from '../bench/worker-memory';
import { PROJECT_ROOT } from './temporal-cli';

/**
 * `npm run bench [-- --quick] [--only lifecycle,apiLatency,…]`
 *
 * Starts a stack of its own (Temporal dev server in memory, embedded PostgreSQL in a temp
 * folder, both on free ports; the API here; workers as child processes), runs the phases,
 * prints a table and writes bench/results/<UTC date>.json (`-quick` / `-partial` appended for
 * reduced runs, so they never overwrite a full run's file). Progress goes to stderr, the table
 * to stdout. Everything it started is stopped and its temp folder removed, also on Ctrl-C.
 * --quick: the same phases, smaller (a few minutes); --only: the named phases (development).
 */

const PHASES = ['lifecycle', 'alertLateness', 'apiLatency', 'projectionLag', 'workerMemory', 'figures', 'rebuild'] as const;
type Phase = (typeof PHASES)[number];
const USAGE = `usage: npm run bench -- [--quick] [--only ${PHASES.join(',')}]`;

function parseArgs(argv: string[]): { quick: boolean; only: Set<Phase> | null } | string {
  let quick = false;
  let only: Set<Phase> | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.find((p) => !(PHASES as readonly string[]).includes(p));
      if (bad || list.length === 0) return `unknown phase ${bad ?? '(none)'}`;
      only = new Set(list as Phase[]);
    } else if (a === '--help' || a === '-h') return '';
    else return `unknown argument ${a}`;
  }
  return { quick, only };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args ? `${args}\n${USAGE}` : USAGE);
    return args ? 2 : 0;
  }
  const { quick, only } = args;
  const runs = (p: Phase) => only === null || only.has(p);
  const started = Date.now();
  say(`${quick ? 'quick' : 'full'} run on ${os.cpus().length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
    `load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);

  const loadAvgStart = os.loadavg().map((x) => round(x, 2));
  let stack: BenchStack | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      say(`${signal}: still stopping, please wait…`);
      return;
    }
    interrupted = true;
    say(`${signal}: stopping everything and removing the temp folder…`);
    // Also covers a stack still starting up: closeActiveStack knows what has been started so far.
    void closeActiveStack().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const results: BenchResults = { lifecycle: null, alertLateness: null, apiLatency: null, projectionLag: null, workerMemory: null, figures: null, rebuild: null };
  const phaseNotes: Record<string, string> = {};
  const details: Record<string, unknown> = {};
  const profiles: Record<string, PhaseProfile> = {};
  const phaseSeconds: Record<string, number> = {};
  const failures: Record<string, string> = {};
  try {
    stack = await startBenchStack();
    const s = stack;
    const workers: Record<string, WorkerChild | undefined> = {};
    [workers.journey, workers.baseline] = await Promise.all([s.startWorker('journey', MAIN_QUEUE), s.startWorker('baseline', BASELINE_QUEUE)]);
    const extraWorkers = new Set<WorkerChild>();
    const origStart = s.startWorker;
    s.startWorker = async (kind, queue, opts) => {
      const w = await origStart(kind, queue, opts);
      extraWorkers.add(w);
      const stop = w.stop;
      w.stop = async () => {
        extraWorkers.delete(w);
        await stop();
      };
      return w;
    };
    const ctx: BenchContext = {
      stack: s,
      quick,
      journeyWorker: workers.journey!,
      baselineWorker: workers.baseline!,
      profileTargets: () => ({
        temporal: s.pids.temporal,
        postgres: s.pids.postgres,
        workers: {
          'journey worker': workers.journey?.pid,
          'baseline worker': workers.baseline?.pid,
          ...Object.fromEntries([...extraWorkers].map((w, i) => [i === 0 ? 'memory worker' : `extra worker ${i + 1}`, w.pid])),
        },
      }),
      note: (phase, text) => {
        phaseNotes[phase] = text;
      },
      detail: (phase, values) => {
        details[phase] = values;
      },
      profile: (phase, p) => {
        profiles[phase] = p;
        say(`${phase}: ${describeProfile(p)}`);
      },
    };
    /**
     * Runs one phase. A phase that fails is reported (with the dev server's last log lines) and
     * left out (its result stays null); the others still run, so a long run is not lost to one
     * failure. Such a run is written as `-partial` and exits with 1.
     */
    const timed = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T | null> => {
      const t = Date.now();
      say(`── ${phase} ──`);
      try {
        const r = await fn();
        phaseSeconds[phase] = round((Date.now() - t) / 1000, 1);
        say(`${phase} done in ${phaseSeconds[phase]} s`);
        return r;
      } catch (err) {
        if (interrupted) throw err;
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
        failures[phase] = text.slice(0, 4000);
        say(`${phase} failed: ${text}`);
        const log = s.serverLog();
        if (log.length > 0) say(`the Temporal dev server's last ${Math.min(log.length, 40)} log lines:\n${log.slice(-40).join('\n')}`);
        details[`${phase} (Temporal server log)`] = log.slice(-40);
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
      await Promise.all([workers.journey?.stop(), workers.baseline?.stop()]);
      workers.journey = undefined;
      workers.baseline = undefined;
      results.rebuild = await timed('rebuild', () => rebuildPhase(ctx));
    }
  } catch (err) {
    // After Ctrl-C the phases fail as the stack goes away under them: not worth reporting.
    if (!interrupted) {
      say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    await closeActiveStack();
    return interrupted ? 130 : 1;
  }
  say('stopping the stack…');
  await stack.close();

  const seconds = (Date.now() - started) / 1000;
  const loadAvgEnd = os.loadavg().map((x) => round(x, 2));
  const aims = checkAims(results, { fullSize: !quick });
  const worst = [...aims].sort((a, b) => a.score - b.score)[0];
  const report: BenchReport = {
    date: new Date(started).toISOString(),
    machine: {
      cpus: os.cpus().length,
      memGiB: round(os.totalmem() / 2 ** 30, 1),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      // 1-, 5- and 15-minute load averages when the run started and ended (a shared machine).
      loadAvg: { start: loadAvgStart, end: loadAvgEnd },
    },
    results,
    quick,
    notes: {
      durationSeconds: round(seconds, 1),
      phaseSeconds,
      phases: phaseNotes,
      aims: aims.map((a) => ({ what: a.what, value: a.value, aim: a.aim, met: a.met })),
      worstAgainstAim: worst ? `${worst.what} = ${worst.value} (aim ${worst.aim}, ${worst.met ? 'met' : 'missed'})` : null,
      cpuProfiles: profiles,
      details,
      ...(only ? { onlyPhases: [...only] } : {}),
      ...(Object.keys(failures).length > 0 ? { failedPhases: failures } : {}),
    },
  };
  const dir = path.join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const partial = only !== null || Object.keys(failures).length > 0;
  const file = path.join(dir, `${report.date.slice(0, 10)}${partial ? '-partial' : quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\nGlappfri benchmarks — ${quick ? 'QUICK (reduced) run' : 'full run'}, ${report.date}, ` +
    `${report.machine.cpus} cpus, ${report.machine.memGiB} GiB, ${Math.round(seconds)} s`);
  console.log(`load average (1, 5, 15 min) at start: ${loadAvgStart.join(', ')}; at end: ${loadAvgEnd.join(', ')}\n`);
  console.log(renderTable(results, { fullSize: !quick }));
  console.log('');
  for (const [phase, text] of Object.entries(phaseNotes)) console.log(`${phase}: ${text}`);
  console.log('');
  for (const [phase, p] of Object.entries(profiles)) console.log(`profile ${phase}: ${describeProfile(p)}`);
  if (worst) console.log(`\nworst against its aim: ${report.notes.worstAgainstAim as string}`);
  for (const phase of Object.keys(failures)) console.log(`\n${phase} FAILED (see above and notes.failedPhases); its result is null`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  return Object.keys(failures).length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
