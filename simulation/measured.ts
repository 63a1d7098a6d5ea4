import type { ForecastPolicy } from '../domain/forecast';
import { observationsAt, type LeadTimeRecord } from '../domain/lead-times';
import type { Agency } from '../domain/schemas/agency';
import type { AgencyType, Area } from '../domain/schemas/vocabulary';
import { kaplanMeier, quantile, type Observation } from '../domain/survival';
import type { Random } from './random';
import type { AgencyBehaviour, LeadTime, MeasuredLeadTime, World } from './world';

/*
 * The simulator's agencies answering with the lead times measured in the log (issue 19). The
 * world's agencies are synthetic (`sot-0180`), the log's are real ones (`sot-1480`), so the log's
 * observations are pooled by agency type (from the directory) and need area, and every world
 * agency of that type gets the pooled curve for that area. Pure: the caller reads the log and
 * the directory.
 */

/** Where one (agency type, area)'s lead time in a simulation came from. */
export interface LeadTimeSource {
  agencyType: AgencyType;
  area: Area;
  basis: 'measured' | 'given';
  /** Too few observations in the log: the world's given distribution instead. */
  reason?: 'too_few_observations';
  /** In the log's window, completed or not (absent when the log was not read). */
  observations?: number;
  completed?: number;
  /** The measured curve's median (null: it never falls to one half); only for `measured`. */
  medianDays?: number | null;
}

export interface MeasuredWorld {
  world: World;
  /** Every (type, area) the log has observations for, of the types the world has agencies of. */
  sources: LeadTimeSource[];
  /** Observations of agencies the directory does not know: left out, their type being unknown. */
  unknownAgencyObservations: number;
}

const byTypeAndArea = (a: { agencyType: string; area: string }, b: { agencyType: string; area: string }) =>
  a.agencyType < b.agencyType ? -1 : a.agencyType > b.agencyType ? 1 : a.area < b.area ? -1 : a.area > b.area ? 1 : 0;

/**
 * The given world with every agency of a type answering, in each area the log has at least
 * `minObservations` for (over `windowDays` before `now`), from the curve pooled over the log's
 * agencies of that type; elsewhere it answers as given. Same records, directory and `now`: the
 * same world (the observations are sorted before they are estimated).
 */
export function measuredWorld(
  given: World, records: readonly LeadTimeRecord[], directory: readonly Agency[], now: number,
  policy: Pick<ForecastPolicy, 'minObservations' | 'windowDays'>,
): MeasuredWorld {
  const typeOf = new Map(directory.map((a) => [a.agencyId, a.type]));
  const worldTypes = new Set(given.directory.map((a) => a.type));
  const pooled = new Map<string, { agencyType: AgencyType; area: Area; obs: Observation[] }>();
  let unknownAgencyObservations = 0;
  for (const [key, obs] of observationsAt(records, now, policy.windowDays)) {
    const slash = key.indexOf('/');
    const agencyType = typeOf.get(key.slice(0, slash));
    if (!agencyType) {
      unknownAgencyObservations += obs.length;
      continue;
    }
    if (!worldTypes.has(agencyType)) continue;
    const area = key.slice(slash + 1) as Area;
    const k = `${agencyType}/${area}`;
    const entry = pooled.get(k) ?? pooled.set(k, { agencyType, area, obs: [] }).get(k)!;
    entry.obs.push(...obs);
  }

  const sources: LeadTimeSource[] = [];
  const measured = new Map<AgencyType, Partial<Record<Area, MeasuredLeadTime>>>();
  for (const { agencyType, area, obs } of [...pooled.values()].sort(byTypeAndArea)) {
    const completed = obs.filter((o) => o.completed).length;
    if (obs.length < policy.minObservations) {
      sources.push({ agencyType, area, basis: 'given', reason: 'too_few_observations', observations: obs.length, completed });
      continue;
    }
    const curve = kaplanMeier(obs);
    const m: MeasuredLeadTime = {
      steps: curve.steps.map((s) => ({ days: s.days, survival: s.survival })),
      horizonDays: curve.horizon, observations: obs.length, completed, medianDays: quantile(curve, 0.5),
    };
    (measured.get(agencyType) ?? measured.set(agencyType, {}).get(agencyType)!)[area] = m;
    sources.push({ agencyType, area, basis: 'measured', observations: obs.length, completed, medianDays: m.medianDays });
  }

  const behaviour: Record<string, AgencyBehaviour> = { ...given.behaviour };
  for (const a of given.directory) {
    const m = measured.get(a.type);
    const b = behaviour[a.agencyId];
    if (m && b) behaviour[a.agencyId] = { ...b, measured: { ...b.measured, ...m } };
  }
  return { world: { ...given, behaviour }, sources, unknownAgencyObservations };
}

/**
 * What a simulation's report says about lead times: the sources measured (or not) from the log,
 * and every (type, area) the simulated policies assign work to that the log does not have (given;
 * with `measured` absent, the log was not read and every one is given).
 */
export function leadTimeSources(used: readonly { agencyType: AgencyType; area: Area }[], measured?: readonly LeadTimeSource[]): LeadTimeSource[] {
  const out = new Map<string, LeadTimeSource>();
  for (const s of measured ?? []) out.set(`${s.agencyType}/${s.area}`, s);
  for (const { agencyType, area } of used) {
    const k = `${agencyType}/${area}`;
    if (out.has(k)) continue;
    out.set(k, measured
      ? { agencyType, area, basis: 'given', reason: 'too_few_observations', observations: 0, completed: 0 }
      : { agencyType, area, basis: 'given' });
  }
  return [...out.values()].sort(byTypeAndArea);
}

/**
 * One lead time in days from a measured curve, by inverse transform on its steps with one draw
 * `u` from the seeded source: the first step where F = 1 − S exceeds `u` (so each step time is
 * drawn with the probability of its drop in S, as the curve has it).
 *
 * Beyond the curve (u ≥ F after the last step: the share that was still open, or ended undone,
 * when last seen) the curve says only "longer than that". That share is drawn from the given
 * distribution conditioned on exceeding the curve's horizon, the longest time observed, and not
 * the last step's time: between the last completion and the horizon the curve is flat (work was
 * seen open there and none of it was completed), so putting given mass there would contradict the
 * measurement. The same draw is reused, rescaled to the tail, so an answer still takes exactly one
 * number from its keyed stream. A curve without a step (nothing completed) is all tail.
 */
export function sampleLeadTime(r: Random, m: MeasuredLeadTime, given: LeadTime): number {
  const target = 1 - r.next(); // uniform in (0, 1]: the S the answer falls below
  const steps = m.steps;
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]!.survival < target) hi = mid;
    else lo = mid + 1;
  }
  if (lo < steps.length) return steps[lo]!.days;
  const rest = steps.length ? steps[steps.length - 1]!.survival : 1;
  return logNormalBeyond(given, m.horizonDays, target / rest);
}

/**
 * The log-normal `given` conditioned on exceeding `c` days, at the point whose conditional upper
 * tail is `w` ∈ (0, 1]: P(X > x | X > c) = w. Worked on the upper tail (Q = 1 − Φ) so that a `c`
 * far beyond the median does not lose its precision to 1 − Φ.
 */
export function logNormalBeyond(given: LeadTime, c: number, w: number): number {
  if (!(given.sigma > 0)) return Math.max(c, given.medianDays);
  const qc = c > 0 ? upperNormal(Math.log(c / given.medianDays) / given.sigma) : 1;
  const p = w * qc;
  // So far out that the given distribution has no mass left in floating point: the horizon itself.
  if (!(p > 0)) return c;
  return Math.max(c, given.medianDays * Math.exp(-given.sigma * inverseNormal(p)));
}

/** Q(z) = P(Z > z) for a standard normal Z: erfc after Numerical Recipes (relative error < 1.2e-7, also far out). */
export function upperNormal(z: number): number {
  const x = z / Math.SQRT2;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.5 * a);
  const erfc = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p): Acklam's rational approximation (relative error < 1.2e-9), the low tail straight from p. */
export function inverseNormal(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const tail = (q: number) => (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}
