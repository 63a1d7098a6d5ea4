import { DAY_MS } from '../../domain/duration';
import { defaultForecastPolicy } from '../../domain/forecast';
import { observationsAt } from '../../domain/lead-times';
import { conditionalCompletion, kaplanMeier } from '../../domain/survival';
import { backtest, generateLog, median, survivalEstimator, type BacktestReport, type Estimator } from '../../simulation/backtest';

/*
 * Measured, not claimed (issue 19): a year of generated work whose true lead times are known,
 * replayed day by day. The thresholds are set so that the estimator the product uses passes and
 * the two classic mistakes fail: forgetting the work still open, and not looking at the agency.
 */
const log = generateLog([
  { agencyId: 'snabb', medianDays: 6, sigma: 0.5 },
  { agencyId: 'mellan', medianDays: 14, sigma: 0.6 },
  { agencyId: 'langsam', medianDays: 26, sigma: 0.5 },
  { agencyId: 'saktar-in', medianDays: 8, sigma: 0.5, slowsDown: { fromDay: 180, factor: 3 } },
], { seed: 19, days: 365, perDay: 1.5 });
const opts = { warnBelow: defaultForecastPolicy.warnBelow, scoreFromDay: 45 };

/** Lead times only from what was completed: the quick ones. */
const ignoresCensoring: Estimator = (known, agencyId, now) => {
  const obs = (observationsAt(known.filter((k) => k.agencyId === agencyId), now, defaultForecastPolicy.windowDays).get(`${agencyId}/boende`) ?? [])
    .filter((o) => o.completed);
  const curve = kaplanMeier(obs);
  return (openFor, remaining) => conditionalCompletion(curve, openFor, remaining) ?? 0;
};

/** The share done in time among the work already past its due time, whoever does it. */
const baseRate: Estimator = (known, _agencyId, now) => {
  const past = known.filter((k) => k.dueAt <= now);
  const share = past.length ? past.filter((k) => k.completedAt !== undefined && k.completedAt <= k.dueAt).length / past.length : 0.5;
  return () => share;
};

const THRESHOLDS = { calibrationError: 0.05, brierShareOfBase: 0.8, medianWarningDays: 7 };
const passes = (r: BacktestReport) =>
  r.calibrationError <= THRESHOLDS.calibrationError && r.brier <= THRESHOLDS.brierShareOfBase * r.baseRateBrier
  && r.medianWarningDays >= THRESHOLDS.medianWarningDays;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
function print(name: string, r: BacktestReport) {
  const rows = r.deciles.map((d) => `  ${d.from.toFixed(1)}–${d.to.toFixed(1)}  n=${String(d.n).padStart(6)}  predicted ${d.n ? pct(d.predicted).padStart(7) : '      –'}  observed ${d.n ? pct(d.observed).padStart(7) : '      –'}`);
  console.log([
    `${name}: ${r.predictions} predictions over ${log.items.length} interventions`,
    ...rows,
    `  calibration error ${r.calibrationError.toFixed(3)} · Brier ${r.brier.toFixed(3)} (base rate ${r.baseRateBrier.toFixed(3)})`,
    `  late ${r.late}, warned ${r.lateWarned} (${pct(r.lateWarned / r.late)}), median warning ${r.medianWarningDays.toFixed(1)} days before the deadline; in time but warned ${pct(r.falseAlarmShare)}`,
  ].join('\n'));
}

describe('forecast backtest', () => {
  const survival = backtest(log, survivalEstimator(defaultForecastPolicy), opts);

  it('is calibrated, beats the base rate and warns a week or more ahead of late work', () => {
    print('Kaplan–Meier, open work censored', survival);
    expect(survival.predictions).toBeGreaterThan(20_000);
    expect(survival.late).toBeGreaterThan(300);
    expect(survival.calibrationError).toBeLessThanOrEqual(THRESHOLDS.calibrationError);
    expect(survival.brier).toBeLessThanOrEqual(THRESHOLDS.brierShareOfBase * survival.baseRateBrier);
    expect(survival.medianWarningDays).toBeGreaterThanOrEqual(THRESHOLDS.medianWarningDays);
    expect(passes(survival)).toBe(true);
  });

  it('fails the same thresholds when the open work is dropped', () => {
    const r = backtest(log, ignoresCensoring, opts);
    print('ignoring censoring', r);
    expect(passes(r)).toBe(false);
  });

  it('fails the same thresholds when every intervention gets the base rate', () => {
    const r = backtest(log, baseRate, opts);
    print('base rate', r);
    expect(passes(r)).toBe(false);
  });

  it('sees the agency that slows down: its late work after the change is warned about in time', () => {
    const late = log.items
      .map((item, k) => ({ item, warnedAt: survival.firstWarningAt[k] }))
      .filter(({ item }) => item.agencyId === 'saktar-in' && item.assignedAt >= log.start + 200 * DAY_MS && item.completedAt > item.dueAt);
    const days = late.map(({ item, warnedAt }) => (warnedAt === undefined ? 0 : (item.dueAt - warnedAt) / DAY_MS));
    console.log(`slowing agency after the change: ${late.length} late, ${late.filter((l) => l.warnedAt !== undefined).length} warned, median ${median(days).toFixed(1)} days ahead`);
    expect(late.length).toBeGreaterThan(50);
    expect(late.filter((l) => l.warnedAt !== undefined).length / late.length).toBeGreaterThan(0.9);
    expect(median(days)).toBeGreaterThanOrEqual(THRESHOLDS.medianWarningDays);
  });
});
