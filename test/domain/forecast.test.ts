import { completionProbability, defaultForecastPolicy, estimateLeadTime, estimateLeadTimes, foresee, type ForecastPolicy } from '../../domain/forecast';
import { leadTimeRecords, observationsAt, type LeadTimeRecord } from '../../domain/lead-times';
import { predictedGaps } from '../../domain/predicted-gaps';
import { conditionalCompletion, kaplanMeier, quantile, survivalAt, type Observation } from '../../domain/survival';
import { DAY, NOW, apply, officer, opened, plusDays, stateOf } from './support';

/*
 * The worked example, by hand. Six interventions, days from assignment:
 *   2 done · 3 done · 3 still open · 5 done · 7 still open · 8 done
 *   t=2: 6 at risk, 1 done → S = 5/6
 *   t=3: 5 at risk, 1 done → S = 5/6 · 4/5 = 2/3   (the open one at 3 leaves after the event)
 *   t=5: 3 at risk, 1 done → S = 2/3 · 2/3 = 4/9
 *   t=8: 1 at risk, 1 done → S = 0                 (the open one at 7 left before)
 * Dropping the two open ones instead would give 3/4, 1/2, 1/4, 0: an agency that looks faster.
 */
const example: Observation[] = [
  { days: 2, completed: true }, { days: 3, completed: true }, { days: 3, completed: false },
  { days: 5, completed: true }, { days: 7, completed: false }, { days: 8, completed: true },
];

describe('Kaplan–Meier', () => {
  const curve = kaplanMeier(example);

  it('gives the hand-computed steps, with the open interventions counted at risk until they leave', () => {
    expect(curve.steps.map((s) => [s.days, s.atRisk, s.completed])).toEqual([[2, 6, 1], [3, 5, 1], [5, 3, 1], [8, 1, 1]]);
    const expected = [5 / 6, 2 / 3, 4 / 9, 0];
    curve.steps.forEach((s, k) => expect(s.survival).toBeCloseTo(expected[k]!, 12));
    expect(curve).toMatchObject({ observations: 6, completed: 4, horizon: 8 });
  });

  it('is a step function: S(t) holds from one completion to the next', () => {
    expect(survivalAt(curve, 0)).toBe(1);
    expect(survivalAt(curve, 1.99)).toBe(1);
    expect(survivalAt(curve, 2)).toBeCloseTo(5 / 6, 12);
    expect(survivalAt(curve, 4)).toBeCloseTo(2 / 3, 12);
    expect(survivalAt(curve, 7.5)).toBeCloseTo(4 / 9, 12);
    expect(survivalAt(curve, 100)).toBe(0);
  });

  it('differs from the estimate that drops what is still open, which is too optimistic', () => {
    const naive = kaplanMeier(example.filter((o) => o.completed));
    expect(naive.steps.map((s) => s.survival)).toEqual([0.75, 0.5, 0.25, 0]);
    expect(survivalAt(naive, 5)).toBeLessThan(survivalAt(curve, 5));
  });

  it('has its median at the first step at or below one half', () => {
    expect(quantile(curve, 0.5)).toBe(5);
    // Only open work: nothing is known to finish, so no median.
    expect(quantile(kaplanMeier([{ days: 4, completed: false }]), 0.5)).toBeNull();
  });

  it('conditions on how long the work has been open already', () => {
    // Open 3 days, due in 3 more: 1 − S(6)/S(3) = 1 − (4/9)/(2/3) = 1/3.
    expect(conditionalCompletion(curve, 3, 3)).toBeCloseTo(1 / 3, 12);
    // Fresh, due in 3 days: 1 − S(3) = 1/3 as well; due in 5: 1 − 4/9 = 5/9.
    expect(conditionalCompletion(curve, 0, 5)).toBeCloseTo(5 / 9, 12);
    // Open 5 days, due in 5 more: everything still going at 5 was done by 8, so 1.
    expect(conditionalCompletion(curve, 5, 5)).toBeCloseTo(1, 12);
    // Past the due time nothing can be done in time.
    expect(conditionalCompletion(curve, 3, 0)).toBe(0);
    // Open longer than anything ever took: the data has nothing to say.
    expect(conditionalCompletion(curve, 9, 3)).toBeNull();
  });

  it('ignores observations that are no durations', () => {
    expect(kaplanMeier([{ days: Number.NaN, completed: true }, { days: -1, completed: true }, { days: 1, completed: true }]).observations).toBe(1);
  });
});

describe('observations from the log', () => {
  const t0 = Date.parse('2027-01-01T00:00:00Z');
  const rec = (agencyId: string, assigned: number, completed?: number, ended?: number): LeadTimeRecord => ({
    agencyId, area: 'boende', assignedAt: t0 + assigned * DAY,
    ...(completed !== undefined ? { completedAt: t0 + completed * DAY } : {}),
    ...(ended !== undefined ? { endedAt: t0 + ended * DAY } : {}),
  });
  const records = [rec('sot', 0, 4), rec('sot', 1, 20), rec('sot', 2, undefined, 5), rec('sot', 30), rec('reg', 0, 1)];

  it('sees only what was known at the time: later completions are still open then', () => {
    const at10 = observationsAt(records, t0 + 10 * DAY).get('sot/boende');
    expect(at10).toEqual([
      { days: 4, completed: true },
      { days: 9, completed: false }, // done on day 20, but on day 10 it was open for 9 days
      { days: 3, completed: false }, // declined on day 5: censored there
    ]);
    expect(observationsAt(records, t0 + 10 * DAY).get('reg/boende')).toEqual([{ days: 1, completed: true }]);
  });

  it('keeps only the recently assigned when a window is given', () => {
    expect(observationsAt(records, t0 + 40 * DAY, 15).get('sot/boende')).toEqual([{ days: 10, completed: false }]);
  });

  it('are read from a case: completed work is an event, open work is censored, cancelled work is left out', () => {
    const s0 = stateOf(opened({ needs: ['missbruk'] }));
    const done = apply(s0, { type: 'complete_intervention', interventionId: 'i1' }, { now: plusDays(NOW, 6), actor: officer('sot-1480'), directory: [] });
    const recs = leadTimeRecords(done);
    expect(recs.map((r) => [r.agencyId, r.area, r.completedAt !== undefined])).toEqual([
      ['sot-1480', 'boende', true], ['reg-vg', 'missbruk', false], ['af', 'sysselsattning', false],
    ]);
    expect((recs[0]!.completedAt! - recs[0]!.assignedAt) / DAY).toBe(6);
  });
});

describe('forecast', () => {
  const t0 = Date.parse('2027-01-01T00:00:00Z');
  const records: LeadTimeRecord[] = example.map((o, k) => ({
    agencyId: 'sot', area: 'boende', assignedAt: t0 + k,
    // The example's open ones ended there undone (declined), so they stay censored where it has them.
    ...(o.completed ? { completedAt: t0 + k + o.days * DAY } : { endedAt: t0 + k + o.days * DAY }),
  }));
  const asOf = t0 + 30 * DAY;
  const small: ForecastPolicy = { warnBelow: 0.5, minObservations: 5, priorMedianDays: 14 };

  it('falls back to the policy prior with too few observations, and says so', () => {
    const e = estimateLeadTime(records, 'sot', 'boende', asOf, defaultForecastPolicy);
    expect(e).toEqual({ basis: 'prior', agencyId: 'sot', area: 'boende', observations: 6, medianDays: 14, reason: 'too_few_observations' });
    // Exponential prior with median 14 days: half done in 14 days, three quarters in 28.
    expect(completionProbability(e, 0, 14)).toBeCloseTo(0.5, 12);
    expect(completionProbability(e, 30, 28)).toBeCloseTo(0.75, 12);
  });

  it('uses the survival estimate once there are enough', () => {
    const e = estimateLeadTime(records, 'sot', 'boende', asOf, small);
    expect(e.basis).toBe('observed');
    if (e.basis !== 'observed') return;
    expect(e.medianDays).toBeCloseTo(5, 6);
    expect(estimateLeadTimes(records, asOf, small).map((x) => [x.agencyId, x.area, x.basis])).toEqual([['sot', 'boende', 'observed']]);
  });

  it('warns below the threshold, not above it, and leaves what is overdue to the alert ladder', () => {
    const e = estimateLeadTime(records, 'sot', 'boende', asOf, small);
    const now = t0 + 100 * DAY;
    // Assigned 3 days ago, due in 3 days: 1/3 < 0.5.
    expect(foresee(e, now - 3 * DAY, now + 3 * DAY, now, small)).toEqual({ kind: 'predicted_gap', probability: expect.closeTo(1 / 3, 9), basis: 'observed', observations: 6 });
    // Fresh, due in 5 days: 5/9 ≥ 0.5.
    expect(foresee(e, now, now + 5 * DAY, now, small)).toMatchObject({ kind: 'on_track', probability: expect.closeTo(5 / 9, 9) });
    expect(foresee(e, now - 3 * DAY, now, now, small)).toEqual({ kind: 'overdue' });
    // Open longer than any completion took: 0, a predicted gap.
    expect(foresee(e, now - 9 * DAY, now + 30 * DAY, now, small)).toMatchObject({ kind: 'predicted_gap', probability: 0 });
  });
});

describe('predicted gaps on a case', () => {
  // Housing (due 30 days before release) assigned at NOW; the release is months away.
  const s = stateOf(opened({ needs: [] }));
  const housing = s.interventions.find((i) => i.area === 'boende')!;
  const due = Date.parse(housing.dueAt!);
  const policy: ForecastPolicy = { warnBelow: 0.5, minObservations: 20, priorMedianDays: 14 };
  /** Earlier housing work at the same social services, done after `days` each. */
  const history = (days: number) => Array.from({ length: 30 }, (_, k): LeadTimeRecord => {
    const assignedAt = Date.parse('2026-01-01T00:00:00Z') + k * DAY;
    return { agencyId: 'sot-1480', area: 'boende', assignedAt, completedAt: assignedAt + days * DAY };
  });

  it('names the required work that is unlikely to be done in time, with the data it rests on', () => {
    // Social services took 200 days every time; ten days before the due time there is no chance.
    const now = due - 10 * DAY;
    const gaps = predictedGaps(s, history(200), now, policy);
    expect(gaps).toEqual([{ interventionId: housing.interventionId, agencyId: 'sot-1480', dueAt: housing.dueAt, probability: 0, basis: 'observed', observations: 30, medianDays: 200 }]);
  });

  it('says nothing while the work is likely on time, or once it is overdue, or done', () => {
    const assigned = Date.parse(housing.assignedAt!);
    expect(predictedGaps(s, history(3), assigned + DAY, policy)).toEqual([]);
    // The same quick agency, but this task has been open 100 days: slower than all it ever did.
    expect(predictedGaps(s, history(3), due - 10 * DAY, policy)).toMatchObject([{ probability: 0 }]);
    expect(predictedGaps(s, history(200), due + DAY, policy)).toEqual([]);
    const done = apply(s, { type: 'complete_intervention', interventionId: housing.interventionId }, { now: plusDays(NOW, 1), actor: officer('sot-1480'), directory: [] });
    expect(predictedGaps(done, history(200), due - 10 * DAY, policy)).toEqual([]);
  });

  it('falls back to the prior without data, and says so', () => {
    // Exponential prior, median 14 days: 2 days left gives 1 − 0.5^(2/14) ≈ 0.094.
    const [g] = predictedGaps(s, [], due - 2 * DAY, policy);
    expect(g).toMatchObject({ basis: 'prior', observations: 0, probability: expect.closeTo(1 - Math.pow(0.5, 2 / 14), 9) });
  });
});
