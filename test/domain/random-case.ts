import fc from 'fast-check';
import type { Person } from '../../domain/schemas/actor';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import { decide } from '../../domain/decide';
import type { DomainEvent } from '../../domain/schemas/events';
import { evolve, fold } from '../../domain/evolve';
import { defaultPolicyBody, policyBodySchema, type PolicyBody } from '../../domain/schemas/policy';
import { dueActions } from '../../domain/schedule';
import type { Area, RiskLevel } from '../../domain/schemas/vocabulary';
import { NOW, coordinator, ctx, iso, officer, openCase, policy, supervisor } from './support';

/**
 * Random cases and random lives for the property tests: commands as their senders would send
 * them, the schedule in between, in days or in seconds.
 */
// ── the same rules in days and in seconds ─────────────────────────────────────────────────────
export const secondsPolicy: PolicyBody = policyBodySchema.parse({
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
export const UNIT = { days: 24 * 3600 * 1000, seconds: 1000 } as const;
export type Scale = keyof typeof UNIT;

// ── random cases and random things that happen to them ───────────────────────────────────────
export const AGENCIES = ['kvv', 'sot-1480', 'reg-vg', 'af', 'kfm', 'frv-gbg', 'ngo'];
export const AREAS: Area[] = ['missbruk', 'psykisk_halsa', 'forsorjning', 'skulder', 'familj'];

export const caseArb = fc.record({
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
export type CaseSpec = ValueOf<typeof caseArb>;

export const intentArb = fc.oneof(
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
export type Intent = ValueOf<typeof intentArb>;
export const stepArb = fc.record({ intent: intentArb, advance: fc.integer({ min: 0, max: 20 }) });

export function start(spec: CaseSpec): { state: CaseState; events: DomainEvent[]; unit: number } {
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
    // A successor must be covered by consent (access.ts): a random one is named only when it is.
    ...(spec.successor && spec.consent.includes(spec.successor) ? { responsibility: { successorAgencyId: spec.successor } } : {}),
    policy: policy(spec.scale === 'days' ? defaultPolicyBody : secondsPolicy),
  });
  const d = decide(undefined, cmd, ctx(coordinator, NOW));
  if (!d.ok) throw new Error(d.rejection.message);
  return { state: fold(d.events)!, events: d.events, unit };
}

export const pick = <T>(xs: readonly T[], k: number): T | undefined => (xs.length ? xs[k % xs.length] : undefined);

/** Turns an intent into a command (and who sends it) on the current state; undefined = nothing to do. */
export function toCommand(s: CaseState, intent: Intent, now: string, unit: number): [Command, Person] | 'tick' | undefined {
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
export function simulate(spec: CaseSpec, steps: { intent: Intent; advance: number }[]) {
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

