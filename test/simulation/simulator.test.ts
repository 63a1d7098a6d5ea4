import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fold } from '../../domain/evolve';
import { defaultPolicyBody, policyBodySchema, type PinnedPolicy } from '../../domain/schemas/policy';
import { bråShape, generateCohort } from '../../simulation/cohort';
import { runCase } from '../../simulation/journey';
import { simulate, simulatePolicy } from '../../simulation/simulate';
import { defaultWorld, type World } from '../../simulation/world';

const pinned = (policyId: string, body = defaultPolicyBody): PinnedPolicy => ({ policyId, version: 1, body });
const defaultRun = { label: 'default', policy: pinned('default') };
const housingP60 = {
  label: 'housing-p60d',
  policy: pinned('housing-p60d', policyBodySchema.parse(JSON.parse(readFileSync(path.join(__dirname, '../../simulation/policies/housing-p60d.json'), 'utf8')))),
};
const tiny = { ...bråShape, releases: 60 };

describe('the what-if simulator', () => {
  it('gives the same figures for the same seed, and other figures for another', () => {
    const a = simulate([defaultRun], tiny, defaultWorld, 7);
    const b = simulate([defaultRun], tiny, defaultWorld, 7);
    expect(b).toEqual(a);
    const c = simulate([defaultRun], tiny, defaultWorld, 8);
    expect(c).not.toEqual(a);
    expect(a[0]).toMatchObject({ cases: 60, releases: 60, refused: 0, runaways: 0 });
  });

  it('runs each case the way the workflow does: opened under the current rules, released, closed with every alert resolved', () => {
    const cohort = generateCohort(tiny, defaultWorld, 7);
    for (const client of cohort) {
      const run = runCase(client, defaultRun.policy, defaultWorld, 7);
      const types = run.events.map((e) => e.type);
      // The opening's own events, then the rules it follows, as the workflow records them.
      const opening = types.indexOf('RulesAdopted');
      expect(types.slice(0, opening).every((t) => t === 'CaseOpened' || t === 'InterventionPlanned')).toBe(true);
      expect(types[0]).toBe('CaseOpened');
      const final = fold(run.events)!;
      expect(final).toEqual(run.final);
      expect(final.phase).toBe('avslutad');
      expect(final.alerts.every((a) => a.status === 'resolved')).toBe(true);
      expect(final.rules).toBe(2);
      // Time only moves forward in a case's log.
      const times = run.events.map((e) => Date.parse(e.occurredAt));
      expect(times.every((t, k) => k === 0 || t >= times[k - 1]!)).toBe(true);
      expect(run.refused).toBe(0);
    }
  });

  it('counts each agency\'s open work week by week, back to nothing once every case is closed', () => {
    const [r] = simulate([defaultRun], tiny, defaultWorld, 7);
    const series = Object.values(r!.openWork.byAgency);
    expect(series.length).toBeGreaterThan(5);
    for (const s of series) {
      expect(s.every((n) => n >= 0)).toBe(true);
      expect(s[s.length - 1]).toBe(0);
    }
    expect(Math.max(...series.flat())).toBeGreaterThan(0);
    expect(r!.openWork.weekStarts).toHaveLength(series[0]!.length);
    expect(new Date(r!.openWork.weekStarts[0]!).getUTCDay()).toBe(1);
  });

  it('moves the figures the expected way when housing is due 60 days before release instead of 30', () => {
    // Social services that start housing work only when reminded: the deadline is what moves them.
    const waiting: World = {
      ...defaultWorld,
      behaviour: Object.fromEntries(Object.entries(defaultWorld.behaviour).map(([id, b]) => [id, id.startsWith('sot-') ? { ...b, startsWhenReminded: 1 } : b])),
    };
    const shape = { ...bråShape, releases: 150 };
    const [base, early] = simulate([defaultRun, housingP60], shape, waiting, 42);
    // Fewer releases leave housing undone…
    expect(early!.openAtReleaseByArea.boende ?? 0).toBeLessThan((base!.openAtReleaseByArea.boende ?? 0) * 0.8);
    expect(early!.releasesWithGap).toBeLessThan(base!.releasesWithGap);
    expect(early!.alertsByLevel[3]).toBeLessThan(base!.alertsByLevel[3]);
    // …but more housing work is late by its own, earlier, deadline: short stays cannot make it.
    const overdueAtSot = (r: typeof base) => Object.entries(r!.alertsByAgency).filter(([id]) => id.startsWith('sot-')).reduce((n, [, l]) => n + l[1], 0);
    expect(overdueAtSot(early)).toBeGreaterThan(overdueAtSot(base));
    // The other areas' agencies answer the same clients the same way under both policies.
    for (const area of ['missbruk', 'psykisk_halsa', 'sysselsattning'] as const) {
      expect(early!.openAtReleaseByArea[area]).toBe(base!.openAtReleaseByArea[area]);
    }
    expect(early!.alertsByAgency['af']).toEqual(base!.alertsByAgency['af']);
  });

  it('reports progress and gives the same figures however the cohort is reported on', () => {
    const cohort = generateCohort(tiny, defaultWorld, 7);
    const seen: number[] = [];
    const r = simulatePolicy(defaultRun, cohort, defaultWorld, { seed: 7, year: tiny.year, onProgress: (n) => seen.push(n) });
    expect(seen[seen.length - 1]).toBe(60);
    expect(r).toEqual(simulate([defaultRun], tiny, defaultWorld, 7)[0]);
  });
});
