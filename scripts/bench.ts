import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeProfile } from '../bench/profile';
import { say } from '../bench/progress';
import { checkAims, renderComparison, renderTable, type BenchReport } from '../bench/report';
import { PHASES, runProfile, WORKERS_PER_QUEUE, type Phase, type ProfileRun } from '../bench/run-profile';
import { closeActiveStack } from '../bench/stack';
import { round } from '../bench/stats';
import type { BenchProfile } from '../bench/temporal-backend';
import { PROJECT_ROOT } from './temporal-cli';

/**
 * `npm run bench [-- --quick] [--only lifecycle,apiLatency,…] [--profile dev|cluster|both]`
 *
 * Starts a stack of its own per profile (a Temporal server, embedded PostgreSQL in a temp folder,
 * all on free loopback ports; the API here; workers as child processes), runs the phases,
 * prints a table and writes bench/results/<UTC date>[-cluster].json (`-quick` / `-partial`
 * appended for reduced runs, so they never overwrite a full run's file). Progress goes to stderr,
 * the table to stdout. Everything it started is stopped and its temp folder removed, also on Ctrl-C.
 * --quick: the same phases, smaller (a few minutes); --only: the named phases (development);
 * --profile: `dev` (default) the dev server in memory with one worker per queue, `cluster` the
 * real Temporal server on PostgreSQL with two workers per queue, `both` one after the other and
 * one table with a column for each.
 */

const PROFILES = ['dev', 'cluster', 'both'] as const;
const USAGE = `usage: npm run bench -- [--quick] [--only ${PHASES.join(',')}] [--profile ${PROFILES.join('|')}]`;

interface Args { quick: boolean; only: Set<Phase> | null; profiles: BenchProfile[] }

/** `--name value` or `--name=value`; advances `i` past a separate value. */
function valueOf(argv: string[], i: { at: number }): string {
  const a = argv[i.at]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i.at] ?? '';
}

function parseArgs(argv: string[]): Args | string {
  let quick = false;
  let only: Set<Phase> | null = null;
  let profiles: BenchProfile[] = ['dev'];
  for (const i = { at: 0 }; i.at < argv.length; i.at++) {
    const a = argv[i.at]!;
    if (a === '--quick') quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = valueOf(argv, i).split(',').filter(Boolean);
      const bad = list.find((p) => !(PHASES as readonly string[]).includes(p));
      if (bad || list.length === 0) return `unknown phase ${bad ?? '(none)'}`;
      only = new Set(list as Phase[]);
    } else if (a === '--profile' || a.startsWith('--profile=')) {
      const p = valueOf(argv, i);
      if (!(PROFILES as readonly string[]).includes(p)) return `unknown profile ${p || '(none)'}`;
      profiles = p === 'both' ? ['dev', 'cluster'] : [p as BenchProfile];
    } else if (a === '--help' || a === '-h') return '';
    else return `unknown argument ${a}`;
  }
  return { quick, only, profiles };
}

function reportOf(run: ProfileRun, args: Args): BenchReport {
  const aims = checkAims(run.results, { fullSize: !args.quick });
  const worst = [...aims].sort((a, b) => a.score - b.score)[0];
  return {
    date: new Date(run.started).toISOString(),
    profile: run.profile,
    machine: {
      cpus: os.cpus().length,
      memGiB: round(os.totalmem() / 2 ** 30, 1),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      // 1-, 5- and 15-minute load averages when the run started and ended (a shared machine).
      loadAvg: run.loadAvg,
    },
    results: run.results,
    quick: args.quick,
    notes: {
      durationSeconds: run.seconds,
      workersPerQueue: WORKERS_PER_QUEUE[run.profile],
      phaseSeconds: run.phaseSeconds,
      phases: run.phaseNotes,
      aims: aims.map((a) => ({ what: a.what, value: a.value, aim: a.aim, met: a.met })),
      worstAgainstAim: worst ? `${worst.what} = ${worst.value} (aim ${worst.aim}, ${worst.met ? 'met' : 'missed'})` : null,
      cpuProfiles: run.cpuProfiles,
      details: run.details,
      ...(args.only ? { onlyPhases: [...args.only] } : {}),
      ...(Object.keys(run.failures).length > 0 ? { failedPhases: run.failures } : {}),
    },
  };
}

/** bench/results/<date>[-cluster][-partial|-quick].json: the dev profile keeps the name it always had. */
function writeReport(report: BenchReport, args: Args, failed: boolean): string {
  const dir = path.join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const partial = args.only !== null || failed;
  const file = path.join(dir, `${report.date.slice(0, 10)}${report.profile === 'dev' ? '' : `-${report.profile}`}${partial ? '-partial' : args.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args ? `${args}\n${USAGE}` : USAGE);
    return args ? 2 : 0;
  }
  const { quick } = args;
  const started = Date.now();
  say(`${quick ? 'quick' : 'full'} run of ${args.profiles.join(' then ')} on ${os.cpus().length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
    `load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);

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

  const runs: ProfileRun[] = [];
  for (const profile of args.profiles) {
    try {
      runs.push(await runProfile(profile, { quick, only: args.only, interrupted: () => interrupted }));
    } catch (err) {
      // After Ctrl-C the phases fail as the stack goes away under them: not worth reporting.
      if (!interrupted) say(`${profile} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return interrupted ? 130 : 1;
    }
  }

  const seconds = (Date.now() - started) / 1000;
  const files = runs.map((run) => writeReport(reportOf(run, args), args, Object.keys(run.failures).length > 0));
  const fullSize = !quick;
  console.log(`\nGlappfri benchmarks — ${quick ? 'QUICK (reduced) run' : 'full run'}, ${new Date(started).toISOString()}, ` +
    `${os.cpus().length} cpus, ${round(os.totalmem() / 2 ** 30, 1)} GiB, ${Math.round(seconds)} s`);
  for (const run of runs) {
    console.log(`${run.profile} (${WORKERS_PER_QUEUE[run.profile]} worker${WORKERS_PER_QUEUE[run.profile] > 1 ? 's' : ''} per queue, ${Math.round(run.seconds)} s): ` +
      `load average (1, 5, 15 min) at start ${run.loadAvg.start.join(', ')}; at end ${run.loadAvg.end.join(', ')}`);
  }
  console.log('');
  console.log(runs.length === 1 ? renderTable(runs[0]!.results, { fullSize }) : renderComparison(runs.map((r) => ({ label: r.profile, results: r.results })), { fullSize }));
  const prefix = (run: ProfileRun) => (runs.length > 1 ? `[${run.profile}] ` : '');
  for (const run of runs) {
    console.log('');
    for (const [phase, text] of Object.entries(run.phaseNotes)) console.log(`${prefix(run)}${phase}: ${text}`);
  }
  for (const run of runs) {
    console.log('');
    for (const [phase, p] of Object.entries(run.cpuProfiles)) console.log(`${prefix(run)}profile ${phase}: ${describeProfile(p)}`);
  }
  console.log('');
  for (const run of runs) {
    const worst = reportOf(run, args).notes.worstAgainstAim as string | null;
    if (worst) console.log(`${prefix(run)}worst against its aim: ${worst}`);
    for (const phase of Object.keys(run.failures)) console.log(`\n${prefix(run)}${phase} FAILED (see above and notes.failedPhases); its result is null`);
  }
  for (const file of files) console.log(`written to ${path.relative(process.cwd(), file)}`);
  return runs.some((r) => Object.keys(r.failures).length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
