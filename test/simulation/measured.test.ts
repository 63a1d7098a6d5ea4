import { DAY_MS } from '../../domain/duration';
import type { LeadTimeRecord } from '../../domain/lead-times';
import type { Agency } from '../../domain/schemas/agency';
import { defaultPolicyBody, type PinnedPolicy } from '../../domain/schemas/policy';
import { kaplanMeier, quantile, survivalAt, type Observation } from '../../domain/survival';
import { inverseNormal, leadTimeSources, logNormalBeyond, measuredWorld, sampleLeadTime, upperNormal } from '../../simulation/measured';
import { exponential, logNormal, seeded } from '../../simulation/random';
import { bråShape } from '../../simulation/cohort';
import { simulate } from '../../simulation/simulate';
import { defaultWorld, type LeadTime, type MeasuredLeadTime } from '../../simulation/world';

const asMeasured = (obs: Observation[]): MeasuredLeadTime => {
  const curve = kaplanMeier(obs);
  return {
    steps: curve.steps.map((s) => ({ days: s.days, survival: s.survival })), horizonDays: curve.horizon,
    observations: obs.length, completed: curve.completed, medianDays: quantile(curve, 0.5),
  };
};
const draws = (m: MeasuredLeadTime, given: LeadTime, n: number, seed = 1) => {
  const r = seeded(seed);
  return Array.from({ length: n }, () => sampleLeadTime(r, m, given));
};
const quantileOf = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
const housing: LeadTime = { medianDays: 21, sigma: 0.7 };

describe('sampling a measured lead time', () => {
  // 400 completions, exponential with a median of 10 days, and 100 open at ages up to 40 days.
  const r = seeded(99);
  const obs: Observation[] = [
    ...Array.from({ length: 400 }, () => ({ days: exponential(r, 10 / Math.LN2), completed: true })),
    ...Array.from({ length: 100 }, () => ({ days: 40 * r.next(), completed: false })),
  ];
  const curve = kaplanMeier(obs);
  const m = asMeasured(obs);
  const N = 20_000;
  const sample = draws(m, housing, N);

  it("draws the curve's median: within 0.01 of F = ½ on the curve and 5 % of its days, over 20,000 draws", () => {
    // The sampled median's F has a standard error of √(¼ / N) ≈ 0.0035: 0.01 is about three of them.
    const median = quantileOf(sample, 0.5);
    expect(Math.abs(1 - survivalAt(curve, median) - 0.5)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(median - quantile(curve, 0.5)!)).toBeLessThanOrEqual(0.05 * quantile(curve, 0.5)!);
    // And the whole curve, not only its middle: the share drawn by t is 1 − S(t).
    for (const t of [2, 5, 10, 20, 30]) {
      expect(Math.abs(sample.filter((x) => x <= t).length / N - (1 - survivalAt(curve, t)))).toBeLessThanOrEqual(0.015);
    }
    // Inverse transform on the steps: every draw within the curve is one of its completion times.
    const times = new Set(m.steps.map((s) => s.days));
    expect(sample.filter((x) => x <= m.steps[m.steps.length - 1]!.days).every((x) => times.has(x))).toBe(true);
  });

  it('gives the same draws for the same seed, other draws for another', () => {
    expect(draws(m, housing, 500, 7)).toEqual(draws(m, housing, 500, 7));
    expect(draws(m, housing, 500, 8)).not.toEqual(draws(m, housing, 500, 7));
  });

  describe('beyond the curve (the censored tail)', () => {
    // 60 done within 20 days, 40 still open at 30 days: S stays at 0.4 from the last completion on.
    const tailed: Observation[] = [
      ...Array.from({ length: 60 }, (_, k) => ({ days: 1 + (19 * k) / 59, completed: true })),
      ...Array.from({ length: 40 }, () => ({ days: 30, completed: false })),
    ];
    const t = asMeasured(tailed);
    const sample = draws(t, housing, N, 3);
    const tail = sample.filter((x) => x > 20);

    it("draws the share the curve leaves undone (0.4) beyond its horizon, never between its last step and the horizon", () => {
      expect(t.steps[t.steps.length - 1]!.survival).toBeCloseTo(0.4, 12);
      expect(t.horizonDays).toBe(30);
      expect(Math.abs(tail.length / N - 0.4)).toBeLessThanOrEqual(0.015);
      expect(tail.every((x) => x >= 30)).toBe(true);
    });

    it('draws that tail from the given distribution conditioned on exceeding the horizon (against rejection sampling: quartiles and p90 within 3 %)', () => {
      const g = seeded(5);
      const reference: number[] = [];
      while (reference.length < 20_000) {
        const x = logNormal(g, housing.medianDays, housing.sigma);
        if (x > 30) reference.push(x);
      }
      for (const q of [0.25, 0.5, 0.75, 0.9]) {
        expect(Math.abs(quantileOf(tail, q) / quantileOf(reference, q) - 1)).toBeLessThanOrEqual(0.03);
      }
    });

    it('draws everything from the tail when nothing was completed, and stays finite far beyond the given median', () => {
      const open = asMeasured(Array.from({ length: 25 }, (_, k) => ({ days: 100 + k, completed: false })));
      expect(open.steps).toEqual([]);
      const far = draws(open, { medianDays: 3, sigma: 0.5 }, 2_000);
      expect(far.every((x) => Number.isFinite(x) && x >= 124)).toBe(true);
      // A log-normal's tail thins fast: conditioned on > 124 days it hardly goes further.
      expect(quantileOf(far, 0.5)).toBeLessThan(135);
    });
  });

  it('has a normal tail and its inverse that agree with each other and with known values', () => {
    expect(upperNormal(0)).toBeCloseTo(0.5, 7);
    expect(upperNormal(1.959963985)).toBeCloseTo(0.025, 7);
    expect(upperNormal(-1.959963985)).toBeCloseTo(0.975, 7);
    for (const p of [1e-12, 1e-4, 0.01, 0.3, 0.5, 0.9, 0.999]) expect(upperNormal(-inverseNormal(p)) / p).toBeCloseTo(1, 5);
    // Conditioned on nothing (c = 0) it is the given distribution: its median at w = ½.
    expect(logNormalBeyond(housing, 0, 0.5)).toBeCloseTo(21, 6);
  });
});

describe('a world measured from the log', () => {
  const now = Date.UTC(2027, 5, 1);
  const directory: Agency[] = [
    { agencyId: 'sot-1480', type: 'socialtjansten', name: 'Socialtjänsten Göteborg', municipalities: ['1480'] },
    { agencyId: 'sot-1401', type: 'socialtjansten', name: 'Socialtjänsten Härryda', municipalities: ['1401'] },
    { agencyId: 'reg-vg', type: 'regionen', name: 'Västra Götalandsregionen', municipalities: ['1480'] },
    { agencyId: 'pol', type: 'polisen', name: 'Polisen', municipalities: ['*'] },
  ];
  /** `n` housing records of an agency, each done `days` after being assigned 120 days ago. */
  const done = (agencyId: string, area: LeadTimeRecord['area'], n: number, days: (k: number) => number): LeadTimeRecord[] =>
    Array.from({ length: n }, (_, k) => ({ agencyId, area, assignedAt: now - 120 * DAY_MS, completedAt: now - 120 * DAY_MS + days(k) * DAY_MS }));
  const records: LeadTimeRecord[] = [
    // Two real social services, 12 each: 24 pooled by type, enough for the default 20.
    ...done('sot-1480', 'boende', 12, (k) => 60 + k),
    ...done('sot-1401', 'boende', 11, (k) => 72 + k),
    { agencyId: 'sot-1401', area: 'boende', assignedAt: now - 10 * DAY_MS }, // still open: censored at 10 days
    ...done('reg-vg', 'missbruk', 5, () => 3), // too few
    ...done('pol', 'annat', 30, () => 1), // a type the world has no agency of
    ...done('no-such-agency', 'boende', 4, () => 1), // not in the directory
    ...done('sot-1480', 'boende', 3, () => 1).map((x) => ({ ...x, assignedAt: now - 400 * DAY_MS, completedAt: now - 399 * DAY_MS })), // outside the window
  ];
  const policy = { minObservations: 20, windowDays: 180 };

  it("pools the log by agency type and area, gives every world agency of the type the curve where it rests on enough observations, and records which", () => {
    const m = measuredWorld(defaultWorld, records, directory, now, policy);
    expect(m.sources).toEqual([
      { agencyType: 'regionen', area: 'missbruk', basis: 'given', reason: 'too_few_observations', observations: 5, completed: 5 },
      { agencyType: 'socialtjansten', area: 'boende', basis: 'measured', observations: 24, completed: 23, medianDays: expect.any(Number) },
    ]);
    expect(m.unknownAgencyObservations).toBe(4);
    const sot = defaultWorld.directory.filter((a) => a.type === 'socialtjansten');
    expect(sot.length).toBeGreaterThan(1);
    for (const a of sot) {
      const b = m.world.behaviour[a.agencyId]!;
      expect(b.measured?.boende).toMatchObject({ observations: 24, completed: 23, horizonDays: 82 });
      expect(Object.keys(b.measured!)).toEqual(['boende']);
      // Everything else about the agency as given.
      expect({ ...b, measured: undefined }).toEqual({ ...defaultWorld.behaviour[a.agencyId], measured: undefined });
    }
    expect(m.sources[1]!.medianDays).toBe(m.world.behaviour['sot-0180']!.measured!.boende!.medianDays);
    expect(m.sources[1]!.medianDays).toBeGreaterThan(60);
    // Other types, and the given world itself, untouched.
    for (const a of defaultWorld.directory.filter((x) => x.type !== 'socialtjansten')) expect(m.world.behaviour[a.agencyId]).toBe(defaultWorld.behaviour[a.agencyId]);
    expect(Object.values(defaultWorld.behaviour).some((b) => b.measured)).toBe(false);
  });

  it('is the same world for the same records in any order', () => {
    const shuffled = [...records].reverse();
    expect(measuredWorld(defaultWorld, shuffled, directory, now, policy)).toEqual(measuredWorld(defaultWorld, records, directory, now, policy));
  });

  it("lists the policies' pairs the log does not have as given", () => {
    const used = defaultPolicyBody.requirements.map((q) => ({ agencyType: q.agencyType, area: q.area }));
    const m = measuredWorld(defaultWorld, records, directory, now, policy);
    const sources = leadTimeSources(used, m.sources);
    expect(sources.find((s) => s.agencyType === 'arbetsformedlingen')).toEqual({
      agencyType: 'arbetsformedlingen', area: 'sysselsattning', basis: 'given', reason: 'too_few_observations', observations: 0, completed: 0,
    });
    expect(sources.filter((s) => s.basis === 'measured').map((s) => `${s.agencyType}/${s.area}`)).toEqual(['socialtjansten/boende']);
    expect(leadTimeSources(used).every((s) => s.basis === 'given' && s.observations === undefined)).toBe(true);
  });

  describe('in a simulation', () => {
    const run = { label: 'default', policy: { policyId: 'default', version: 1, body: defaultPolicyBody } satisfies PinnedPolicy };
    const shape = { ...bråShape, releases: 80 };

    it('changes nothing when nothing is measured, and runs the same after a copy as plain data (a worker thread)', () => {
      const empty = measuredWorld(defaultWorld, [], directory, now, policy).world;
      const given = simulate([run], shape, defaultWorld, 7);
      expect(simulate([run], shape, empty, 7)).toEqual(given);
      const measured = measuredWorld(defaultWorld, records, directory, now, policy).world;
      expect(simulate([run], shape, structuredClone(measured), 7)).toEqual(simulate([run], shape, measured, 7));
    });

    it('leaves more housing undone at release when the measured social services are slow', () => {
      const [given] = simulate([run], shape, defaultWorld, 7);
      const [measured] = simulate([run], shape, measuredWorld(defaultWorld, records, directory, now, policy).world, 7);
      expect(measured!.openAtReleaseByArea.boende ?? 0).toBeGreaterThan((given!.openAtReleaseByArea.boende ?? 0) * 1.5);
      expect(measured).toMatchObject({ refused: 0, runaways: 0 });
      // The other areas' agencies answer as given, to the same clients: the same figures there.
      for (const area of ['missbruk', 'psykisk_halsa', 'sysselsattning'] as const) {
        expect(measured!.openAtReleaseByArea[area]).toBe(given!.openAtReleaseByArea[area]);
      }
    });
  });
});
