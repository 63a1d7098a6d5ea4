import fc from 'fast-check';
import type { Person } from '../../domain/actor';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/commands';
import { decide } from '../../domain/decide';
import { addDuration } from '../../domain/duration';
import type { DomainEvent } from '../../domain/events';
import { evolve, fold } from '../../domain/evolve';
import { candidateGaps } from '../../domain/gaps';
import { defaultPolicyBody, policyBodySchema, type PolicyBody } from '../../domain/policy';
import { dueActions, nextWakeUp } from '../../domain/schedule';
import type { Area, RiskLevel } from '../../domain/vocabulary';
import { NOW, coordinator, ctx, iso, officer, openCase, policy, supervisor } from './support';

// ── the same rules in days and in seconds ─────────────────────────────────────────────────────
const secondsPolicy: PolicyBody = policyBodySchema.parse({
  requirements: defaultPolicyBody.requirements.map((r) => ({ ...r, dueBeforeRelease: r.dueBeforeRelease.replace(/^P(\d+)D$/, 'PT$1S') })),
  reminders: ['PT7S', 'PT1S'],
  escalation: { level2After: 'PT3S' },
  followUps: {
    high: ['PT1S', 'PT7S', 'PT14S', 'PT30S', 'PT60S', 'PT100S'], medium: ['PT7S', 'PT30S', 'PT100S'], low: ['PT30S', 'PT100S'],
  },
  milestones: {
    planAdoptedWithin: 'PT30S', planAdoptedWithinShortStay: 'PT14S', shortStayRemaining: 'PT60S', planReviewEvery: 'PT120S',
    successorNamedBeforeRelease: 'PT30S', meetingBeforeRelease: 'PT14S',
  },
});
const UNIT = { days: 24 * 3600 * 1000, seconds: 1000 } as const;
type Scale = keyof typeof UNIT;

// ── random cases and random things that happen to them ───────────────────────────────────────
const AGENCIES = ['kvv', 'sot-1480', 'reg-vg', 'af', 'kfm', 'frv-gbg', 'ngo'];
const AREAS: Area[] = ['missbruk', 'psykisk_halsa', 'forsorjning', 'skulder', 'familj'];

const caseArb = fc.record({
  scale: fc.constantFrom<Scale>('days', 'seconds'),
  phase: fc.constantFrom('hakte' as const, 'anstalt' as const, 'utslussning' as const),
  admittedAgo: fc.integer({ min: 0, max: 60 }),
  releaseIn: fc.integer({ min: 1, max: 300 }),
  riskLevel: fc.constantFrom<RiskLevel>('low', 'medium', 'high'),
  needs: fc.subarray(AREAS),
  consent: fc.subarray(AGENCIES),
  successor: fc.option(fc.constantFrom('frv-gbg', 'sot-1480'), { nil: undefined }),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type CaseSpec = ValueOf<typeof caseArb>;

const intentArb = fc.oneof(
  fc.record({ kind: fc.constantFrom('complete', 'accept', 'decline', 'waive'), k: fc.nat() }),
  fc.record({ kind: fc.constant('reassign'), k: fc.nat(), agency: fc.constantFrom(...AGENCIES) }),
  fc.record({ kind: fc.constant('consent'), agencyIds: fc.subarray(AGENCIES) }),
  fc.record({ kind: fc.constant('needs'), needs: fc.subarray(AREAS) }),
  fc.record({ kind: fc.constant('risk'), riskLevel: fc.constantFrom<RiskLevel>('low', 'medium', 'high') }),
  fc.record({ kind: fc.constant('release_date'), shift: fc.integer({ min: -40, max: 40 }) }),
  fc.record({ kind: fc.constant('successor'), agency: fc.option(fc.constantFrom('frv-gbg', 'sot-1480'), { nil: null }) }),
  fc.record({ kind: fc.constantFrom('meeting', 'adopt', 'review', 'release', 'remand', 'anstalt', 'utslussning', 'close') }),
  fc.record({ kind: fc.constant('add'), area: fc.constantFrom<Area>('natverk', 'id_handlingar', 'boende'), agency: fc.option(fc.constantFrom(...AGENCIES), { nil: undefined }), required: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('follow_up', 'acknowledge'), k: fc.nat() }),
  fc.record({ kind: fc.constant('tick') }),
);
type Intent = ValueOf<typeof intentArb>;
const stepArb = fc.record({ intent: intentArb, advance: fc.integer({ min: 0, max: 20 }) });

function start(spec: CaseSpec): { state: CaseState; events: DomainEvent[]; unit: number } {
  const unit = UNIT[spec.scale];
  const admittedAt = iso(Date.parse(NOW) - spec.admittedAgo * unit);
  const cmd = openCase({
    phase: spec.phase,
    ...(spec.phase === 'utslussning' ? { measure: 'frigang' as const } : {}),
    admittedAt,
    expectedReleaseAt: iso(Date.parse(NOW) + spec.releaseIn * unit),
    riskLevel: spec.riskLevel,
    needs: spec.needs,
    consent: { agencyIds: spec.consent },
    ...(spec.successor ? { responsibility: { successorAgencyId: spec.successor } } : {}),
    policy: policy(spec.scale === 'days' ? defaultPolicyBody : secondsPolicy),
  });
  const d = decide(undefined, cmd, ctx(coordinator, NOW));
  if (!d.ok) throw new Error(d.rejection.message);
  return { state: fold(d.events)!, events: d.events, unit };
}

const pick = <T>(xs: readonly T[], k: number): T | undefined => (xs.length ? xs[k % xs.length] : undefined);

/** Turns an intent into a command (and who sends it) on the current state; undefined = nothing to do. */
function toCommand(s: CaseState, intent: Intent, now: string, unit: number): [Command, Person] | 'tick' | undefined {
  switch (intent.kind) {
    case 'complete': case 'accept': case 'decline': case 'waive': {
      const i = pick(s.interventions, intent.k);
      if (!i) return undefined;
      const type = `${intent.kind}_intervention` as const;
      const by = intent.kind === 'waive' || !i.agencyId ? coordinator : officer(i.agencyId);
      const reason = intent.kind === 'decline' || intent.kind === 'waive' ? { reason: 'slump' } : {};
      return [{ type, interventionId: i.interventionId, ...reason } as Command, by];
    }
    case 'reassign': {
      const i = pick(s.interventions, intent.k);
      return i ? [{ type: 'reassign_intervention', interventionId: i.interventionId, agencyId: intent.agency }, coordinator] : undefined;
    }
    case 'consent': return [{ type: 'set_consent', agencyIds: intent.agencyIds }, coordinator];
    case 'needs': return [{ type: 'set_needs', needs: intent.needs }, coordinator];
    case 'risk': return [{ type: 'set_risk_level', riskLevel: intent.riskLevel, reason: 'slump' }, coordinator];
    case 'release_date': {
      const base = s.expectedReleaseAt ? Date.parse(s.expectedReleaseAt) : Date.parse(now);
      return [{ type: 'set_release_date', expectedReleaseAt: iso(base + intent.shift * unit), reason: 'slump' }, coordinator];
    }
    case 'successor': return [{ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: intent.agency }, coordinator];
    case 'meeting': return [{ type: 'record_meeting', agencyIds: [] }, coordinator];
    case 'adopt': return [{ type: 'adopt_plan' }, coordinator];
    case 'review': return [{ type: 'review_plan' }, coordinator];
    case 'release': return [{ type: 'change_phase', to: 'frigiven' }, coordinator];
    case 'remand': return [{ type: 'change_phase', to: 'hakte' }, coordinator];
    case 'anstalt': return [{ type: 'change_phase', to: 'anstalt' }, coordinator];
    case 'utslussning': return [{ type: 'change_phase', to: 'utslussning', measure: 'halvvagshus' }, coordinator];
    case 'close': return [{ type: 'change_phase', to: 'avslutad', reason: 'slump' }, coordinator];
    case 'add': return [{
      type: 'add_intervention', area: intent.area, title: 'Tillagd', requiredBeforeRelease: intent.required,
      ...(intent.agency ? { agencyId: intent.agency } : {}),
    }, coordinator];
    case 'follow_up': {
      const f = pick(s.followUps, intent.k);
      return f?.agencyId ? [{ type: 'complete_follow_up', followUpId: f.followUpId }, officer(f.agencyId)] : undefined;
    }
    case 'acknowledge': {
      const a = pick(s.alerts, intent.k);
      return a ? [{ type: 'acknowledge_alert', alertId: a.alertId }, supervisor(a.agencyId)] : undefined;
    }
    case 'tick': return 'tick';
  }
}

/** Plays a random life: commands as their senders would send them, the schedule in between. */
function simulate(spec: CaseSpec, steps: { intent: Intent; advance: number }[]) {
  const { state: s0, events: e0, unit } = start(spec);
  let state = s0;
  const events = [...e0];
  let t = Date.parse(NOW);
  const push = (es: DomainEvent[]) => {
    for (const e of es) state = evolve(state, e);
    events.push(...es);
  };
  for (const { intent, advance } of steps) {
    t += advance * unit;
    const now = iso(t);
    const c = toCommand(state, intent, now, unit);
    if (c === 'tick') push(dueActions(state, now));
    else if (c) {
      const d = decide(state, c[0], ctx(c[1], now));
      if (d.ok) push(d.events);
    }
  }
  return { state, events, now: iso(t), unit };
}

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
