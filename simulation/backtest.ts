import { DAY_MS } from '../domain/duration';
import { completionProbability, estimateLeadTime, type ForecastPolicy } from '../domain/forecast';
import type { LeadTimeRecord } from '../domain/lead-times';
import { logNormal, exponential, substream, uniform } from './random';

/** How one agency really works in the generated log: log-normal lead times, its median may change once. */
export interface TrueSpeed {
  agencyId: string;
  medianDays: number;
  sigma: number;
  /** From this day of the period on the median is `medianDays` times `factor`. */
  slowsDown?: { fromDay: number; factor: number };
}

export type BacktestItem = LeadTimeRecord & { dueAt: number };

export interface BacktestLog {
  start: number;
  days: number;
  items: (BacktestItem & { completedAt: number })[];
}

/**
 * A log whose truth is known: each agency gets work at `perDay` (Poisson), due a uniformly drawn
 * 7–45 days after assignment, done after a lead time drawn from its true distribution.
 */
export function generateLog(speeds: readonly TrueSpeed[], opts: { seed: number; days: number; perDay: number; start?: number }): BacktestLog {
  const start = opts.start ?? Date.UTC(2027, 0, 1);
  const items: BacktestLog['items'] = [];
  speeds.forEach((sp, k) => {
    const r = substream(opts.seed, k);
    for (let day = exponential(r, 1 / opts.perDay); day < opts.days; day += exponential(r, 1 / opts.perDay)) {
      const slow = sp.slowsDown && day >= sp.slowsDown.fromDay ? sp.slowsDown.factor : 1;
      const lead = logNormal(r, sp.medianDays * slow, sp.sigma);
      const assignedAt = start + day * DAY_MS;
      items.push({ agencyId: sp.agencyId, area: 'boende', assignedAt, dueAt: assignedAt + uniform(r, 7, 45) * DAY_MS, completedAt: assignedAt + lead * DAY_MS });
    }
  });
  return { start, days: opts.days, items: items.sort((a, b) => a.assignedAt - b.assignedAt) };
}

/**
 * The chance, as one estimator sees the log at `now`, that work open `openFor` days is done within
 * `remaining`. It gets the log as it stood then: a completion still ahead is not in it.
 */
export type Estimator = (known: readonly BacktestItem[], agencyId: string, now: number) => (openFor: number, remaining: number) => number;

export const survivalEstimator = (policy: ForecastPolicy): Estimator => (records, agencyId, now) => {
  const e = estimateLeadTime(records, agencyId, 'boende', now, policy);
  return (openFor, remaining) => completionProbability(e, openFor, remaining);
};

export interface Prediction { probability: number; inTime: boolean; itemIndex: number; at: number }

export interface BacktestReport {
  predictions: number;
  /** Per decile of the predicted probability: how many, mean predicted, share observed in time. */
  deciles: { from: number; to: number; n: number; predicted: number; observed: number }[];
  /** Mean |predicted − observed| over the deciles, weighted by how many fell in each. */
  calibrationError: number;
  brier: number;
  /** The Brier score of always saying the share done in time among the work already past its due time. */
  baseRateBrier: number;
  late: number;
  /** Of the late ones, how many the forecast warned about before their due time. */
  lateWarned: number;
  /** Median days between the first warning and the due time over the late ones (0 for one never warned). */
  medianWarningDays: number;
  /** Share of work done in time that was warned about at some point. */
  falseAlarmShare: number;
  /** By item of the log: when the forecast first fell below `warnBelow`, if it did. */
  firstWarningAt: (number | undefined)[];
}

/**
 * Replays the log day by day. At each day every estimator sees only what the log held then (the
 * later completions are still open work), and gives each open item with its due time ahead the
 * chance of being done in time; the truth is then looked up. Scored from `scoreFromDay` on, when
 * every agency has had time to leave the prior behind.
 */
export function backtest(log: BacktestLog, estimator: Estimator, opts: { warnBelow: number; scoreFromDay: number }): BacktestReport {
  const agencies = [...new Set(log.items.map((i) => i.agencyId))];
  const preds: Prediction[] = [];
  let pastDue = 0;
  let pastDueInTime = 0;
  const baseRates: { p: number; inTime: boolean }[] = [];
  const firstWarning = new Map<number, number>();
  let resolvedUpTo = 0;
  const byDue = log.items.map((it, k) => ({ it, k })).sort((a, b) => a.it.dueAt - b.it.dueAt);
  for (let day = 1; day < log.days; day++) {
    const now = log.start + day * DAY_MS;
    for (; resolvedUpTo < byDue.length && byDue[resolvedUpTo]!.it.dueAt <= now; resolvedUpTo++) {
      pastDue += 1;
      if (byDue[resolvedUpTo]!.it.completedAt <= byDue[resolvedUpTo]!.it.dueAt) pastDueInTime += 1;
    }
    const known: BacktestItem[] = [];
    for (const it of log.items) {
      if (it.assignedAt > now) break;
      const { completedAt, ...open } = it;
      known.push(completedAt <= now ? it : open);
    }
    const perAgency = new Map(agencies.map((a) => [a, estimator(known, a, now)]));
    log.items.forEach((it, k) => {
      if (it.assignedAt > now || it.completedAt <= now || it.dueAt <= now) return;
      const p = perAgency.get(it.agencyId)!((now - it.assignedAt) / DAY_MS, (it.dueAt - now) / DAY_MS);
      const inTime = it.completedAt <= it.dueAt;
      if (p < opts.warnBelow && !firstWarning.has(k)) firstWarning.set(k, now);
      if (day < opts.scoreFromDay) return;
      preds.push({ probability: p, inTime, itemIndex: k, at: now });
      baseRates.push({ p: pastDue ? pastDueInTime / pastDue : 0.5, inTime });
    });
  }
  const o = (b: boolean) => (b ? 1 : 0);
  const brier = mean(preds.map((x) => (x.probability - o(x.inTime)) ** 2));
  const baseRateBrier = mean(baseRates.map((x) => (x.p - o(x.inTime)) ** 2));
  const deciles = Array.from({ length: 10 }, (_, d) => {
    const inBin = preds.filter((x) => Math.min(9, Math.floor(x.probability * 10)) === d);
    return { from: d / 10, to: (d + 1) / 10, n: inBin.length, predicted: mean(inBin.map((x) => x.probability)), observed: mean(inBin.map((x) => o(x.inTime))) };
  });
  const calibrationError = deciles.reduce((n, b) => n + (b.n ? b.n * Math.abs(b.predicted - b.observed) : 0), 0) / preds.length;
  const scored = new Set(preds.map((x) => x.itemIndex));
  const lateItems = [...scored].filter((k) => log.items[k]!.completedAt > log.items[k]!.dueAt);
  const warningDays = lateItems.map((k) => (firstWarning.has(k) ? (log.items[k]!.dueAt - firstWarning.get(k)!) / DAY_MS : 0));
  const inTimeItems = [...scored].filter((k) => log.items[k]!.completedAt <= log.items[k]!.dueAt);
  return {
    predictions: preds.length, deciles, calibrationError, brier, baseRateBrier,
    late: lateItems.length, lateWarned: lateItems.filter((k) => firstWarning.has(k)).length,
    medianWarningDays: median(warningDays),
    falseAlarmShare: inTimeItems.filter((k) => firstWarning.has(k)).length / Math.max(1, inTimeItems.length),
    firstWarningAt: log.items.map((_, k) => firstWarning.get(k)),
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
