import fc from 'fast-check';
import type { Person } from '../../domain/schemas/actor';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import { decide } from '../../domain/decide';
import { addDuration } from '../../domain/duration';
import { evolve, fold } from '../../domain/evolve';
import { candidateGaps } from '../../domain/gaps';
import { dueActions, nextWakeUp } from '../../domain/schedule';
import type { Area } from '../../domain/schemas/vocabulary';
import { AGENCIES, UNIT, caseArb, intentArb, simulate, start, stepArb, toCommand } from './random-case';
import { NOW, coordinator, ctx, iso, officer } from './support';

/** FC_RUNS=2000 for a deeper search than CI needs. */
const BASE_RUNS = Number(process.env.FC_RUNS ?? 150);
const RUNS = { numRuns: BASE_RUNS };

describe('properties of the case', () => {
  it('folding the same events is deterministic, and equals the state built step by step', () => {
    fc.assert(fc.property(caseArb, fc.array(stepArb, { maxLength: 30 }), (spec, steps) => {
      const { state, events } = simulate(spec, steps);
      const a = fold(events);
      const b = fold(structuredClone(events));
      expect(a).toEqual(b);
      expect(a).toEqual(state);
      expect(a!.version).toBe(events.length);
      // The whole simulation is a function of its inputs.
      expect(simulate(spec, steps).events).toEqual(events);
    }), RUNS);
  });

  it('after applying dueActions(s, now) the same call returns []', () => {
    fc.assert(fc.property(caseArb, fc.array(stepArb, { maxLength: 30 }), fc.integer({ min: 0, max: 400 }), (spec, steps, later) => {
      const { state, now, unit } = simulate(spec, steps);
      const at = iso(Date.parse(now) + later * unit);
      const once = dueActions(state, at).reduce<CaseState>((s, e) => evolve(s, e), state);
      expect(dueActions(once, at)).toEqual([]);
    }), RUNS);
  });

  it('nextWakeUp is null or strictly after now, no later than any gap or reminder moment ahead, and nothing falls due before it', () => {
    fc.assert(fc.property(caseArb, fc.array(stepArb, { maxLength: 30 }), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (spec, steps, later, frac) => {
      const { state: raw, now: simNow, unit } = simulate(spec, steps);
      const now = iso(Date.parse(simNow) + later * unit);
      const s = dueActions(raw, now).reduce<CaseState>((acc, e) => evolve(acc, e), raw);
      const t = Date.parse(now);
      const w = nextWakeUp(s, now);
      if (w !== null) expect(Date.parse(w)).toBeGreaterThan(t);

      // Independently: every moment ahead at which something should happen.
      const ahead: number[] = [];
      const level2 = s.policy.body.escalation.level2After;
      for (const g of candidateGaps(s)) {
        if (g.kind !== 'intervention_overdue') {
          ahead.push(Date.parse(g.since));
          continue;
        }
        // Overdue: level 1 to the owner at due (only if someone owns it), level 2 after the grace period.
        const owner = s.interventions.find((i) => i.interventionId === g.interventionId)?.agencyId;
        if (owner) ahead.push(Date.parse(g.since));
        ahead.push(addDuration(g.since, level2));
      }
      if (s.phase !== 'avslutad') {
        for (const i of s.interventions) {
          if (!i.agencyId || !i.dueAt || (i.status !== 'planned' && i.status !== 'accepted')) continue;
          for (const r of s.policy.body.reminders) ahead.push(addDuration(i.dueAt, r, -1));
        }
      }
      for (const f of s.followUps) if (f.status === 'open') ahead.push(Date.parse(f.dueAt));
      const future = ahead.filter((m) => m > t);
      if (future.length > 0) {
        expect(w).not.toBeNull();
        expect(Date.parse(w!)).toBeLessThanOrEqual(Math.min(...future));
      }
      // Sleeping until the wake-up misses nothing.
      if (w !== null) {
        const between = iso(t + Math.max(1, Math.floor((Date.parse(w) - t) * frac)));
        if (Date.parse(between) < Date.parse(w)) expect(dueActions(s, between)).toEqual([]);
      }
    }), RUNS);
  });

  it('stepping from wake-up to wake-up never raises the same alert key twice while it is live', () => {
    fc.assert(fc.property(caseArb, fc.array(stepArb, { maxLength: 25 }), fc.array(fc.option(intentArb, { freq: 3 }), { maxLength: 40 }), (spec, steps, between) => {
      const sim = simulate(spec, steps);
      let s = sim.state;
      let now = sim.now;
      const raisedOccurrences = new Set<string>();
      for (const a of s.alerts) raisedOccurrences.add(`${a.key}@${a.since}`);
      for (let n = 0; n < 60; n += 1) {
        const events = dueActions(s, now);
        for (const e of events) {
          if (e.type === 'AlertRaised') {
            expect(s.alerts.filter((a) => a.key === e.data.key && a.status !== 'resolved')).toEqual([]);
            expect(raisedOccurrences.has(`${e.data.key}@${e.data.since}`)).toBe(false);
            raisedOccurrences.add(`${e.data.key}@${e.data.since}`);
          }
          s = evolve(s, e);
          const live = s.alerts.filter((a) => a.status !== 'resolved').map((a) => a.key);
          expect(new Set(live).size).toBe(live.length);
        }
        // Sometimes a person acts between two wake-ups.
        const intent = between[n];
        if (intent) {
          const c = toCommand(s, intent, now, sim.unit);
          if (c && c !== 'tick') {
            const d = decide(s, c[0], ctx(c[1], now));
            if (d.ok) for (const e of d.events) s = evolve(s, e);
          }
        }
        const w = nextWakeUp(s, now);
        if (w === null) break;
        now = w;
      }
    }), { numRuns: Math.ceil(BASE_RUNS * 0.7) });
  });

  it('released with open required interventions: exactly one level-3 alert per intervention per addressee (coordinator + owner)', () => {
    const outcomeArb = fc.constantFrom('open', 'accept', 'complete', 'decline', 'waive');
    fc.assert(fc.property(
      caseArb,
      fc.array(fc.record({ area: fc.constantFrom<Area>('natverk', 'id_handlingar', 'annat'), agency: fc.option(fc.constantFrom(...AGENCIES), { nil: undefined }), required: fc.boolean() }), { maxLength: 4 }),
      fc.array(outcomeArb, { minLength: 10, maxLength: 10 }),
      fc.integer({ min: 0, max: 200 }),
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 5 }),
      (spec, added, outcomes, releaseAfter, ticksAfter) => {
        let { state: s } = start({ ...spec, phase: 'anstalt' });
        const unit = UNIT[spec.scale];
        const run = (c: Command, by: Person, now: string) => {
          const d = decide(s, c, ctx(by, now));
          if (d.ok) for (const e of d.events) s = evolve(s, e);
          return d.ok;
        };
        for (const a of added) {
          run({ type: 'add_intervention', area: a.area, title: 'Tillagd', requiredBeforeRelease: a.required, ...(a.agency ? { agencyId: a.agency } : {}) }, coordinator, NOW);
        }
        s.interventions.forEach((i, k) => {
          const o = outcomes[k % outcomes.length]!;
          if (o === 'open') return;
          if (o === 'waive' || (o === 'decline' && !i.agencyId)) {
            run({ type: o === 'waive' ? 'waive_intervention' : 'decline_intervention', interventionId: i.interventionId, reason: 'x' }, coordinator, NOW);
          } else if (i.agencyId) {
            const type = o === 'accept' ? 'accept_intervention' : o === 'complete' ? 'complete_intervention' : 'decline_intervention';
            run({ type, interventionId: i.interventionId, ...(type === 'decline_intervention' ? { reason: 'x' } : {}) } as Command, officer(i.agencyId), NOW);
          }
        });
        const releasedAt = iso(Date.parse(NOW) + releaseAfter * unit);
        expect(run({ type: 'change_phase', to: 'frigiven' }, coordinator, releasedAt)).toBe(true);

        const expected = new Set<string>();
        for (const i of s.interventions) {
          if (!i.requiredBeforeRelease || !['unassigned', 'planned', 'accepted'].includes(i.status)) continue;
          expected.add(`${i.interventionId}→${s.coordinatorAgencyId}`);
          if (i.agencyId) expected.add(`${i.interventionId}→${i.agencyId}`);
        }

        const level3: string[] = [];
        let t = Date.parse(releasedAt);
        for (const dt of [0, ...ticksAfter]) {
          t += dt * unit;
          for (const e of dueActions(s, iso(t))) {
            if (e.type === 'AlertRaised' && e.data.level === 3) {
              expect(e.data.kind).toBe('released_with_gap');
              expect(e.data.since).toBe(releasedAt);
              level3.push(`${e.data.interventionId}→${e.data.agencyId}`);
            }
            s = evolve(s, e);
          }
        }
        expect([...level3].sort()).toEqual([...expected].sort());
      },
    ), { numRuns: BASE_RUNS + 50 });
  });
});
