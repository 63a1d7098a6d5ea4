import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { progress } from '../bench/progress';
import { productForecastPolicy } from '../store/policies';
import { defaultPolicyBody, policyBodySchema } from '../domain/schemas/policy';
import { bråShape, generateCohort, type CohortShape } from '../simulation/cohort';
import { leadTimeSources, measuredWorld, type LeadTimeSource } from '../simulation/measured';
import type { PolicyReport } from '../simulation/report';
import { simulatePolicy, type PolicyRun } from '../simulation/simulate';
import { defaultWorld, type World } from '../simulation/world';
import { listAgencies } from '../store/agencies';
import { leadTimeRecordsFrom } from '../store/lead-times';
import { createPool } from '../store/pool';
import { runMain } from './run-main';

/**
 * `npm run simulate -- --policy <id or file> [--compare <id or file>] [--releases 6731] [--seed 42] [--lead-times given|measured] [--json]`:
 * a year of releases through the product's own rules in compressed time (issue 19). Each policy
 * runs in a thread of its own, so two policies take the time of one on a machine with two cores.
 * `--lead-times measured` reads the log at DATABASE_URL and has the agencies answer from the
 * lead times measured there (simulation/measured.ts), as `POST /v1/simulations` does.
 */
interface Args { policies: string[]; releases: number; seed: number; json: boolean; threads: boolean; leadTimes: 'given' | 'measured' }

const USAGE = 'usage: --policy <id or file> [--compare <id or file>] [--releases n] [--seed n] [--lead-times given|measured] [--json]';

function parseArgs(argv: string[]): Args {
  const args: Args = { policies: [], releases: bråShape.releases, seed: 42, json: false, threads: true, leadTimes: 'given' };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const value = () => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--policy' || a === '--compare') args.policies.push(value());
    else if (a === '--releases') args.releases = positive(value(), a);
    else if (a === '--seed') args.seed = positive(value(), a);
    else if (a === '--json') args.json = true;
    else if (a === '--no-threads') args.threads = false;
    else if (a === '--lead-times') {
      const v = value();
      if (v !== 'given' && v !== 'measured') throw new Error(`--lead-times is given or measured, got ${v}`);
      args.leadTimes = v;
    } else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  if (args.policies.length === 0) args.policies.push('default');
  return args;
}

function positive(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} is a whole number, got ${v}`);
  return n;
}

/** `default` is the policy the product ships; anything else is a file holding a policy body. */
function loadPolicy(ref: string): PolicyRun {
  if (ref === 'default') return { label: 'default', policy: { policyId: 'default', version: 1, body: defaultPolicyBody } };
  const body = policyBodySchema.parse(JSON.parse(readFileSync(ref, 'utf8')));
  const label = path.basename(ref).replace(/\.json$/, '');
  return { label, policy: { policyId: label, version: 1, body } };
}

/** `world`: absent for the given one; a measured world goes to the thread as plain data. */
interface Job { run: PolicyRun; shape: CohortShape; seed: number; world?: World }
type FromWorker = { kind: 'progress'; done: number } | { kind: 'done'; report: PolicyReport };

function runJob(job: Job, onProgress: (done: number) => void): PolicyReport {
  const world = job.world ?? defaultWorld;
  const cohort = generateCohort(job.shape, world, job.seed);
  return simulatePolicy(job.run, cohort, world, { seed: job.seed, year: job.shape.year, onProgress });
}

interface Measured {
  world: World;
  leadTimes: { source: 'measured'; asOf: string; minObservations: number; windowDays: number | null; unknownAgencyObservations: number; pairs: LeadTimeSource[] };
}

/** The log at DATABASE_URL as it stands now, pooled by the directory's agency types. */
async function measure(runs: readonly PolicyRun[]): Promise<Measured> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('--lead-times measured reads the lead times from the log: set DATABASE_URL to its PostgreSQL database, e.g.\n'
      + '  DATABASE_URL=postgres://user:pass@host:5432/glappfri npm run simulate -- --policy default --lead-times measured');
  }
  const pool = createPool(url, { applicationName: 'glappfri-simulate', max: 2 });
  try {
    const [records, directory, forecast] = await Promise.all([leadTimeRecordsFrom(pool), listAgencies(pool), productForecastPolicy(pool)]);
    const now = Date.now();
    const m = measuredWorld(defaultWorld, records, directory, now, forecast);
    const used = runs.flatMap((r) => r.policy.body.requirements.map((q) => ({ agencyType: q.agencyType, area: q.area })));
    return {
      world: m.world,
      leadTimes: {
        source: 'measured', asOf: new Date(now).toISOString(), minObservations: forecast.minObservations, windowDays: forecast.windowDays ?? null,
        unknownAgencyObservations: m.unknownAgencyObservations, pairs: leadTimeSources(used, m.sources),
      },
    };
  } finally {
    await pool.end();
  }
}

function leadTimeTable(lt: Measured['leadTimes']): string {
  return [
    `lead times measured from the log at ${lt.asOf} (window ${lt.windowDays ?? '∞'} days, at least ${lt.minObservations} observations)`,
    ...lt.pairs.map((p) => `  ${`${p.agencyType} / ${p.area}`.padEnd(40)}${p.basis === 'measured'
      ? `measured: ${p.observations} observations (${p.completed} completed), median ${p.medianDays === null || p.medianDays === undefined ? 'beyond the curve' : `${p.medianDays.toFixed(1)} days`}`
      : `given: ${p.observations ?? 0} observations, too few`}`),
    ...(lt.unknownAgencyObservations ? [`  ${lt.unknownAgencyObservations} observations of agencies not in the directory left out`] : []),
  ].join('\n');
}

function inThread(job: Job, onProgress: (done: number) => void): Promise<PolicyReport> {
  return new Promise((resolve, reject) => {
    // Loader hooks do not reach worker threads: the thread registers tsx itself before loading this file.
    const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: job });
    w.on('message', (m: FromWorker) => (m.kind === 'progress' ? onProgress(m.done) : resolve(m.report)));
    w.on('error', reject);
    w.on('exit', (code) => code !== 0 && reject(new Error(`simulation thread exited with ${code}`)));
  });
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)} %` : '–');

function table(reports: PolicyReport[], seconds: number): string {
  const col = Math.max(20, ...reports.map((r) => r.label.length + 2));
  const row = (name: string, cells: string[]) => `${name.padEnd(34)}${cells.map((c) => c.padStart(col)).join('')}`;
  const each = (f: (r: PolicyReport) => string) => reports.map(f);
  const agencies = [...new Set(reports.flatMap((r) => [...Object.keys(r.alertsByAgency), ...Object.keys(r.openWork.byAgency)]))].sort();
  const areas = [...new Set(reports.flatMap((r) => Object.keys(r.openAtReleaseByArea)))].sort() as (keyof PolicyReport['openAtReleaseByArea'])[];
  const events = reports.reduce((n, r) => n + r.events, 0);
  return [
    row('', each((r) => r.label)),
    row('releases', each((r) => String(r.releases))),
    row('  with a gap (level 3)', each((r) => `${r.releasesWithGap} (${pct(r.releasesWithGap, r.releases)})`)),
    ...areas.map((a) => row(`    open at release: ${a}`, each((r) => String(r.openAtReleaseByArea[a] ?? 0)))),
    row('  without a successor', each((r) => String(r.releasesWithoutSuccessor))),
    row('alerts level 1 / 2 / 3', each((r) => `${r.alertsByLevel[1]} / ${r.alertsByLevel[2]} / ${r.alertsByLevel[3]}`)),
    ...[...new Set(reports.flatMap((r) => Object.keys(r.alertsByKind)))].sort().map((k) =>
      row(`  ${k}`, each((r) => String(r.alertsByKind[k as keyof PolicyReport['alertsByKind']] ?? 0)))),
    row('reminders sent', each((r) => String(r.remindersSent))),
    row('follow-ups missed', each((r) => `${r.followUpsMissed} of ${r.followUps}`)),
    'alerts per agency (level 1 / 2 / 3)',
    ...agencies.map((a) => row(`  ${a}`, each((r) => { const l = r.alertsByAgency[a]; return l ? `${l[1]} / ${l[2]} / ${l[3]}` : '–'; }))),
    'open work per week (mean / peak)',
    ...agencies.filter((a) => reports.some((r) => r.openWork.byAgency[a])).map((a) => row(`  ${a}`, each((r) => {
      const w = r.openWork.byAgency[a] ?? [];
      return w.length ? `${(w.reduce((x, y) => x + y, 0) / w.length).toFixed(0)} / ${Math.max(...w)}` : '–';
    }))),
    row('events recorded', each((r) => String(r.events))),
    row('commands sent (refused)', each((r) => `${r.commands} (${r.refused})`)),
    '',
    `${reports.length} ${reports.length === 1 ? 'policy' : 'policies'} × ${reports[0]?.cases ?? 0} releases in ${seconds.toFixed(2)} s: ${events.toLocaleString('en')} events, ${Math.round(events / seconds).toLocaleString('en')} events/s`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const shape: CohortShape = { ...bråShape, releases: args.releases };
  const runs = args.policies.map(loadPolicy);
  const measured = args.leadTimes === 'measured' ? await measure(runs) : undefined;
  const jobs: Job[] = runs.map((run) => ({ run, shape, seed: args.seed, ...(measured ? { world: measured.world } : {}) }));
  const bar = progress('simulate', jobs.length * args.releases);
  const done = jobs.map(() => 0);
  const tick = (k: number) => (n: number) => {
    done[k] = n;
    bar.set(done.reduce((a, b) => a + b, 0));
  };
  const started = performance.now();
  const reports = args.threads && jobs.length > 1
    ? await Promise.all(jobs.map((job, k) => inThread(job, tick(k))))
    : jobs.map((job, k) => runJob(job, tick(k)));
  const seconds = (performance.now() - started) / 1000;
  const events = reports.reduce((n, r) => n + r.events, 0);
  bar.done(`${seconds.toFixed(2)} s`);
  if (args.json) {
    // Given: exactly the JSON it has always been; measured: where the lead times came from, after it.
    const out = { seed: args.seed, releases: args.releases, seconds, eventsPerSecond: events / seconds, reports };
    console.log(JSON.stringify(measured ? { ...out, leadTimes: measured.leadTimes } : out, null, 2));
  } else {
    console.log(table(reports, seconds));
    if (measured) console.log(`\n${leadTimeTable(measured.leadTimes)}`);
  }
  if (reports.some((r) => r.runaways > 0)) throw new Error('a simulated case ran away: see runaways in the report');
}

if (isMainThread) {
  if (require.main === module) runMain(main);
} else {
  const job = workerData as Job;
  const report = runJob(job, (done) => parentPort!.postMessage({ kind: 'progress', done } satisfies FromWorker));
  parentPort!.postMessage({ kind: 'done', report } satisfies FromWorker);
}
