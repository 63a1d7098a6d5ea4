// Without zod on purpose: forecasts run beside the rules, wherever they run (see workflows/legacy-command-schema.ts).

/** One intervention's time from assignment to completion, or to the last moment it was seen open. */
export interface Observation {
  /** Days from assignment. */
  days: number;
  /** False: still open (or ended without being done) after `days`, so only "longer than" is known. */
  completed: boolean;
}

/** S(t) = share not yet completed after t days; a step function, constant between the steps. */
export interface SurvivalCurve {
  /** Event times in increasing order, each with S just after it. */
  steps: readonly { days: number; survival: number; atRisk: number; completed: number }[];
  observations: number;
  completed: number;
  /** The longest time observed, completed or not: beyond it the curve says nothing new. */
  horizon: number;
}

/**
 * Kaplan–Meier product-limit estimate. An open intervention is counted at risk up to the time
 * it has been open and then leaves without an event: dropping it would leave only the quick
 * completions and make every agency look faster than it is. A censoring at the same time as a
 * completion is taken to come after it, as is usual.
 */
export function kaplanMeier(observations: readonly Observation[]): SurvivalCurve {
  const sorted = [...observations].filter((o) => Number.isFinite(o.days) && o.days >= 0).sort((a, b) => a.days - b.days);
  const steps: { days: number; survival: number; atRisk: number; completed: number }[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  let completed = 0;
  for (let k = 0; k < sorted.length;) {
    const t = sorted[k]!.days;
    let done = 0;
    let leaving = 0;
    for (; k < sorted.length && sorted[k]!.days === t; k++) {
      leaving += 1;
      if (sorted[k]!.completed) done += 1;
    }
    if (done > 0) {
      survival *= 1 - done / atRisk;
      steps.push({ days: t, survival, atRisk, completed: done });
      completed += done;
    }
    atRisk -= leaving;
  }
  return { steps, observations: sorted.length, completed, horizon: sorted.length ? sorted[sorted.length - 1]!.days : 0 };
}

/** S(t): the estimated share still not completed t days after assignment. */
export function survivalAt(curve: SurvivalCurve, days: number): number {
  let s = 1;
  for (const step of curve.steps) {
    if (step.days > days) break;
    s = step.survival;
  }
  return s;
}

/**
 * P(done within `remaining` more days | open for `openFor` days) = 1 − S(openFor + remaining) / S(openFor).
 * Null when nothing observed lasted as long as `openFor` without being completed (S = 0): the
 * data has no case like this one to learn from.
 */
export function conditionalCompletion(curve: SurvivalCurve, openFor: number, remaining: number): number | null {
  if (remaining <= 0) return 0;
  const now = survivalAt(curve, openFor);
  if (now <= 0) return null;
  return 1 - survivalAt(curve, openFor + remaining) / now;
}

/** The t with S(t) ≤ 1 − q for the first time (q = 0.5: the median); null when the curve never gets there. */
export function quantile(curve: SurvivalCurve, q: number): number | null {
  for (const step of curve.steps) if (step.survival <= 1 - q + 1e-12) return step.days;
  return null;
}
