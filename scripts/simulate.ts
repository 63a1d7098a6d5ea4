import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { progress } from '../bench/progress';
import { defaultPolicyBody, policyBodySchema } from '../domain/schemas/policy';
import { bråShape, generateCohort, type CohortShape } from '../simulation/cohort';
import type { PolicyReport } from '../simulation/report';
import { simulatePolicy, type PolicyRun } from '../simulation/simulate';
import { defaultWorld } from '../simulation/world';
import { runMain } from './run-main';

/**
 * `npm run simulate -- --policy <id or file> [--compare <id or file>] [--releases 6731] [--seed 42] [--json]`:
 * a year of releases through the product's own rules in compressed time (issue 19). Each policy
 * runs in a thread of its own, so two policies take the time of one on a machine with two cores.
 */
interface Args { policies: string[]; releases: number; seed: number; json: boolean; threads: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { policies: [], releases: bråShape.releases, seed: 42, json: false, threads: true };
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
    else throw new Error(`unknown argument ${a}; usage: --policy <id or file> [--compare <id or file>] [--releases n] [--seed n] [--json]`);
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

interface Job { run: PolicyRun; shape: CohortShape; seed: number }
type FromWorker = { kind: 'progress'; done: number } | { kind: 'done'; report: PolicyReport };

function runJob(job: Job, onProgress: (done: number) => void): PolicyReport {
  const cohort = generateCohort(job.shape, defaultWorld, job.seed);
  return simulatePolicy(job.run, cohort, defaultWorld, { seed: job.seed, year: job.shape.year, onProgress });
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
  const jobs: Job[] = args.policies.map((ref) => ({ run: loadPolicy(ref), shape, seed: args.seed }));
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
  if (args.json) console.log(JSON.stringify({ seed: args.seed, releases: args.releases, seconds, eventsPerSecond: events / seconds, reports }, null, 2));
  else console.log(table(reports, seconds));
  if (reports.some((r) => r.runaways > 0)) throw new Error('a simulated case ran away: see runaways in the report');
}

if (isMainThread) {
  if (require.main === module) runMain(main);
} else {
  const job = workerData as Job;
  const report = runJob(job, (done) => parentPort!.postMessage({ kind: 'progress', done } satisfies FromWorker));
  parentPort!.postMessage({ kind: 'done', report } satisfies FromWorker);
}
