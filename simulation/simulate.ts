import type { PinnedPolicy } from '../domain/schemas/policy';
import { generateCohort, type Client, type CohortShape } from './cohort';
import { runCase } from './journey';
import { reportCollector, type PolicyReport } from './report';
import type { World } from './world';

export interface PolicyRun {
  label: string;
  policy: PinnedPolicy;
}

/** One policy over the whole cohort. Pure: the clock is the cohort's, and progress is only reported. */
export function simulatePolicy(
  run: PolicyRun, cohort: readonly Client[], world: World, opts: { seed: number; year: number; onProgress?: (done: number) => void },
): PolicyReport {
  const collect = reportCollector(run.label, opts.year);
  cohort.forEach((client, k) => {
    collect.add(runCase(client, run.policy, world, opts.seed));
    if (opts.onProgress && (k + 1) % 100 === 0) opts.onProgress(k + 1);
  });
  opts.onProgress?.(cohort.length);
  return collect.report();
}

/** Every policy over the same cohort, side by side. */
export function simulate(runs: readonly PolicyRun[], shape: CohortShape, world: World, seed: number): PolicyReport[] {
  const cohort = generateCohort(shape, world, seed);
  return runs.map((run) => simulatePolicy(run, cohort, world, { seed, year: shape.year }));
}
