import { DAY_MS, durationToMs } from './duration';
import { leadTimeKey, observationsAt, type LeadTimeRecord } from './lead-times';
import { conditionalCompletion, kaplanMeier, quantile, type SurvivalCurve } from './survival';
import type { ForecastSection } from './schemas/policy';
import type { Area } from './schemas/vocabulary';

// Without zod on purpose: forecasts run beside the rules, wherever they run (see workflows/legacy-command-schema.ts).

/** The policy's forecast section (issue 19); plain data, validated where policies are. */
export interface ForecastPolicy {
  /** A predicted gap is recorded when the chance of being done in time falls below this. */
  warnBelow: number;
  /** Fewer observations than this for an agency and area: the prior speaks instead. */
  minObservations: number;
  /** Only interventions assigned this many days before now; absent: all of them. */
  windowDays?: number;
  /**
   * The prior's median lead time in days. The prior is exponential: with no data there is no
   * reason to assume a shape, and it is the one that assumes no more than a median.
   */
  priorMedianDays: number;
}

export const defaultForecastPolicy: ForecastPolicy = { warnBelow: 0.5, minObservations: 20, windowDays: 180, priorMedianDays: 14 };

/** A policy's `forecast` section in days, the unit lead times are measured in; absent: the default. */
export function forecastPolicyOf(section: ForecastSection | undefined): ForecastPolicy {
  if (!section) return defaultForecastPolicy;
  return {
    warnBelow: section.warnBelow,
    minObservations: section.minObservations,
    ...(section.window ? { windowDays: durationToMs(section.window) / DAY_MS } : {}),
    priorMedianDays: durationToMs(section.priorMedian) / DAY_MS,
  };
}

/**
 * Every agency and area's estimate as the log stood at `now`, looked up by key; one that has no
 * records at all gets the prior. Built once for many cases: estimating per intervention would
 * read every record again for each.
 */
export function leadTimeLookup(records: readonly LeadTimeRecord[], now: number, policy: ForecastPolicy): (agencyId: string, area: Area) => LeadTimeEstimate {
  const byKey = new Map(estimateLeadTimes(records, now, policy).map((e) => [leadTimeKey(e.agencyId, e.area), e]));
  return (agencyId, area) => byKey.get(leadTimeKey(agencyId, area)) ?? estimateFrom([], agencyId, area, policy);
}

export type LeadTimeEstimate =
  | { basis: 'observed'; agencyId: string; area: Area; curve: SurvivalCurve; medianDays: number | null }
  | { basis: 'prior'; agencyId: string; area: Area; observations: number; medianDays: number; reason: 'too_few_observations' };

/** The lead-time distribution of one agency and area as the log stood at `now`. */
export function estimateLeadTime(
  records: readonly LeadTimeRecord[], agencyId: string, area: Area, now: number, policy: ForecastPolicy,
): LeadTimeEstimate {
  return estimateFrom(observationsAt(records, now, policy.windowDays).get(leadTimeKey(agencyId, area)) ?? [], agencyId, area, policy);
}

/** Every agency and area that has records, as the log stood at `now` (for the lead-time view). */
export function estimateLeadTimes(records: readonly LeadTimeRecord[], now: number, policy: ForecastPolicy): LeadTimeEstimate[] {
  const out: LeadTimeEstimate[] = [];
  for (const [key, obs] of observationsAt(records, now, policy.windowDays)) {
    const slash = key.indexOf('/');
    out.push(estimateFrom(obs, key.slice(0, slash), key.slice(slash + 1) as Area, policy));
  }
  return out.sort((a, b) => (a.agencyId + a.area).localeCompare(b.agencyId + b.area));
}

function estimateFrom(obs: Parameters<typeof kaplanMeier>[0], agencyId: string, area: Area, policy: ForecastPolicy): LeadTimeEstimate {
  if (obs.length < policy.minObservations) {
    return { basis: 'prior', agencyId, area, observations: obs.length, medianDays: policy.priorMedianDays, reason: 'too_few_observations' };
  }
  const curve = kaplanMeier(obs);
  return { basis: 'observed', agencyId, area, curve, medianDays: quantile(curve, 0.5) };
}

/**
 * The chance that work open for `openForDays` is completed within `remainingDays` more. Work
 * open longer than anything the agency ever took gets 0: it is already slower than every case
 * the estimate rests on.
 */
export function completionProbability(e: LeadTimeEstimate, openForDays: number, remainingDays: number): number {
  if (remainingDays <= 0) return 0;
  if (e.basis === 'prior') return 1 - Math.pow(0.5, remainingDays / e.medianDays);
  return conditionalCompletion(e.curve, openForDays, remainingDays) ?? 0;
}

/** What the forecast says about one open intervention with a due time still ahead. */
export type Foresight =
  | { kind: 'predicted_gap'; probability: number; basis: LeadTimeEstimate['basis']; observations: number }
  | { kind: 'on_track'; probability: number; basis: LeadTimeEstimate['basis']; observations: number }
  /** Past its due time the gap is real, not predicted: the alert ladder has it. */
  | { kind: 'overdue' };

export function foresee(e: LeadTimeEstimate, assignedAt: number, dueAt: number, now: number, policy: ForecastPolicy): Foresight {
  if (now >= dueAt) return { kind: 'overdue' };
  const probability = completionProbability(e, Math.max(0, now - assignedAt) / DAY_MS, (dueAt - now) / DAY_MS);
  const observations = e.basis === 'observed' ? e.curve.observations : e.observations;
  return { kind: probability < policy.warnBelow ? 'predicted_gap' : 'on_track', probability, basis: e.basis, observations };
}
