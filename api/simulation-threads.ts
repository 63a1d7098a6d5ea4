import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PinnedPolicy } from '../domain/schemas/policy';
import { bråShape, generateCohort } from '../simulation/cohort';
import type { PolicyReport } from '../simulation/report';
import { simulatePolicy } from '../simulation/simulate';
import { defaultWorld, type World } from '../simulation/world';

/**
 * `world`: the agencies to simulate (absent: the given `defaultWorld`). Plain data, copied into
 * the thread with the job, so a world measured from the log (simulation/measured.ts) goes as is.
 */
export interface SimulationJob { label: string; policy: PinnedPolicy; releases: number; seed: number; world?: World }
export interface SimulationResult { seed: number; releases: number; seconds: number; eventsPerSecond: number; reports: PolicyReport[] }

export class SimulationTimeout extends Error {}

function runJob(job: SimulationJob): PolicyReport {
  const shape = { ...bråShape, releases: job.releases };
  const world = job.world ?? defaultWorld;
  const cohort = generateCohort(shape, world, job.seed);
  return simulatePolicy({ label: job.label, policy: job.policy }, cohort, world, { seed: job.seed, year: shape.year });
}

/**
 * Each policy in a thread of its own, so a year of releases neither blocks the API's event loop
 * nor runs longer than `timeoutMs`: at the deadline every thread is stopped, not left to finish.
 */
export async function simulateInThreads(jobs: readonly SimulationJob[], timeoutMs: number): Promise<SimulationResult> {
  const started = performance.now();
  const workers: Worker[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const reports = await Promise.race([
      Promise.all(jobs.map((job) => new Promise<PolicyReport>((resolve, reject) => {
        // Loader hooks do not reach worker threads: the thread registers tsx itself before loading this file.
        const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: job });
        workers.push(w);
        w.once('message', (report: PolicyReport) => resolve(report));
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`simulation thread exited with ${code}`)));
      }))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SimulationTimeout(`the simulation took longer than ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const events = reports.reduce((n, r) => n + r.events, 0);
    return { seed: jobs[0]?.seed ?? 0, releases: jobs[0]?.releases ?? 0, seconds, eventsPerSecond: seconds > 0 ? events / seconds : 0, reports };
  } finally {
    clearTimeout(timer);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort && (workerData as SimulationJob | undefined)?.policy) {
  parentPort.postMessage(runJob(workerData as SimulationJob));
}
