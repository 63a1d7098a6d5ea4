import { isPerson } from '../../domain/actor';
import { SCHEDULE } from '../../domain/system-actor';
import { commandSchema } from '../../domain/schemas/commands';
import { decide, isRejection } from '../../domain/decide';
import { domainEventSchema, type DomainEvent } from '../../domain/schemas/events';
import { evolve, fold } from '../../domain/evolve';
import { reject } from '../../domain/rejection';
import {
  NOW, RELEASE, coordinator, ctx, history, officer, openCase, opened, openedUnderRules2, plusDays, stateOf, supervisor,
} from './support';

/** A rich history touching every event type. */
const rich = history(
  openedUnderRules2({ needs: ['missbruk'], consent: { agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg', 'ngo'] } }),
  { type: 'set_needs', needs: ['missbruk', 'skulder'] },
  { type: 'set_risk_level', riskLevel: 'high', reason: 'Ny bedömning' },
  { type: 'set_consent', agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg', 'ngo'] },
  { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
  { type: 'record_client_view', text: 'Vill ha jobb' },
  { type: 'add_intervention', area: 'natverk', title: 'Mentor', requiredBeforeRelease: false },
  { type: 'reassign_intervention', interventionId: 'i5', agencyId: 'ngo' },
  [{ type: 'accept_intervention', interventionId: 'i1', note: 'ok' }, ctx(officer('sot-1480'))],
  [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))],
  [{ type: 'decline_intervention', interventionId: 'i2', reason: 'Nej' }, ctx(officer('reg-vg'))],
  { type: 'waive_intervention', interventionId: 'i4', reason: 'Inga skulder' },
  { type: 'record_meeting', agencyIds: ['sot-1480'], note: 'SIP' },
  { type: 'adopt_plan' },
  { type: 'review_plan' },
  { type: 'set_sentence', length: 'P1Y', startsAt: '2026-11-01', judgmentAt: '2026-10-20' },
  { type: 'set_release_date', expectedReleaseAt: plusDays(RELEASE, 1), reason: 'Ny beräkning' },
  // Arbetsförmedlingen's i3 is forecast late; the release withdraws the prediction (PredictedGapWithdrawn).
  { forecast: [{ interventionId: 'i3', agencyId: 'af', dueAt: '', probability: 0.2, basis: 'prior', observations: 0, medianDays: 14 }], at: plusDays(RELEASE, -30) },
  { tick: plusDays(RELEASE, -20) }, // a reminder for i3 (due RELEASE-13D); plan review overdue → a1 to kvv
  { tick: plusDays(RELEASE, -10) },
  [{ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('kvv'), plusDays(RELEASE, -10))],
  [{ type: 'change_phase', to: 'frigiven' }, ctx(coordinator, plusDays(RELEASE, -9))],
  [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'), plusDays(RELEASE, -9))],
  { tick: plusDays(RELEASE, 0) },
  [{ type: 'transfer_case', toAgencyId: 'sot-1480', reason: 'Samordningen flyttas till kommunen' }, ctx(coordinator, plusDays(RELEASE, 0))],
  // Kriminalvården handed responsibility over at release and coordination since: the
  // municipality's coordinator closes.
  [{ type: 'change_phase', to: 'avslutad', reason: 'Överflyttad' }, ctx({ sub: 'coord-sot', role: 'coordinator', agencyId: 'sot-1480' }, plusDays(RELEASE, 0))],
  { tick: plusDays(RELEASE, 0) },
);

describe('events', () => {
  it('every event the domain records is valid against the event schema', () => {
    for (const e of rich) expect(domainEventSchema.safeParse(e)).toMatchObject({ success: true });
  });

  it('the rich history covers every event type the rules decide (erasure is written at the edge)', () => {
    const seen = new Set(rich.map((e) => e.type));
    const all = domainEventSchema.options.map((o) => o.shape.type.value);
    expect(all.filter((t) => !seen.has(t))).toEqual(['CaseErased']);
  });

  it('an erasure marks the case erased and changes nothing else', () => {
    const before = fold(rich)!;
    const erased = evolve(before, { type: 'CaseErased', data: { reason: 'retention' }, occurredAt: '2030-01-01T00:00:00.000Z', actor: { system: 'retention' } });
    expect(erased).toEqual({ ...before, version: before.version + 1, erasedAt: '2030-01-01T00:00:00.000Z' });
  });

  it('the command schema accepts what the tests send and refuses malformed bodies', () => {
    expect(commandSchema.safeParse(openCase()).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'set_needs', needs: ['boende', 'boende'] }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'set_consent', agencyIds: ['af', 'af'] }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'decline_intervention', interventionId: 'i1', reason: '  ' }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'change_phase', to: 'anstalt', at: '2027-01-01T10:00:00+01:00' })).toMatchObject({
      success: true, data: { at: '2027-01-01T09:00:00.000Z' },
    });
    expect(commandSchema.safeParse({ type: 'change_phase', to: 'anstalt', at: '2027-01-01T10:00:00' }).success).toBe(false);
    expect(commandSchema.safeParse({ ...openCase(), phase: 'avslutad' }).success).toBe(false);
    expect(commandSchema.parse({ type: 'record_meeting' })).toEqual({ type: 'record_meeting', agencyIds: [] });
  });
});

describe('evolve and fold', () => {
  it('folding is total: events about an unknown case or unknown items change nothing but the version', () => {
    const stray: DomainEvent = { type: 'InterventionCompleted', data: { interventionId: 'i1' }, occurredAt: NOW, actor: SCHEDULE };
    expect(evolve(undefined, stray)).toBeUndefined();
    expect(fold([stray])).toBeUndefined();
    const s = stateOf(opened());
    const unknown: DomainEvent[] = [
      { type: 'InterventionCompleted', data: { interventionId: 'i99' }, occurredAt: NOW, actor: SCHEDULE },
      { type: 'FollowUpCompleted', data: { followUpId: 'f99' }, occurredAt: NOW, actor: SCHEDULE },
      { type: 'FollowUpMissed', data: { followUpId: 'f99' }, occurredAt: NOW, actor: SCHEDULE },
      { type: 'AlertAcknowledged', data: { alertId: 'a99' }, occurredAt: NOW, actor: SCHEDULE },
      { type: 'AlertResolved', data: { alertId: 'a99' }, occurredAt: NOW, actor: SCHEDULE },
    ];
    const after = fold(unknown, s)!;
    expect({ ...after, version: s.version }).toEqual(s);
    expect(after.version).toBe(s.version + unknown.length);
  });

  it('the version counts events', () => {
    expect(stateOf(rich).version).toBe(rich.length);
    expect(fold([])).toBeUndefined();
  });

  it('a case opened by the system is opened by "system"; an alert acknowledged by the system names nobody', () => {
    const [openedEvent] = opened();
    const s = evolve(undefined, { ...openedEvent!, actor: SCHEDULE });
    expect(s.openedBy).toBe('system');
    const withAlert = evolve(s, {
      type: 'AlertRaised', occurredAt: NOW, actor: SCHEDULE,
      data: { alertId: 'a1', key: 'k', kind: 'meeting_missing', level: 1, agencyId: 'kvv', since: NOW, message: 'm' },
    });
    const acked = evolve(withAlert, { type: 'AlertAcknowledged', data: { alertId: 'a1' }, occurredAt: NOW, actor: SCHEDULE });
    expect(acked.alerts[0]).toEqual(expect.objectContaining({ status: 'acknowledged', acknowledgedAt: NOW }));
    expect(acked.alerts[0]).not.toHaveProperty('acknowledgedBy');
  });

  it('the rich history ends in a consistent closed case', () => {
    const s = stateOf(rich);
    expect(s.phase).toBe('avslutad');
    expect(s.clientView).toBe('Vill ha jobb');
    // Closed under rules 2: what someone acknowledged has ended, what nobody has waits for them.
    expect(s.alerts.filter((a) => a.status !== 'resolved').map((a) => a.status)).toEqual(s.alerts.filter((a) => !a.acknowledgedAt && a.status !== 'resolved').map(() => 'open'));
    expect(s.alerts.filter((a) => a.acknowledgedAt).every((a) => a.status === 'resolved')).toBe(true);
    expect(s.followUps.map((f) => f.status)).toEqual(['completed', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(s.outcomes.map((o) => o.kind)).toEqual(['released', 'closed']);
  });
});

describe('small helpers', () => {
  it('isPerson tells people from the schedule', () => {
    expect(isPerson(coordinator)).toBe(true);
    expect(isPerson(SCHEDULE)).toBe(false);
  });

  it('reject leaves out an absent path', () => {
    expect(reject('conflict', 'x')).toEqual({ kind: 'conflict', message: 'x' });
    expect(reject('invalid_input', 'x', 'to')).toEqual({ kind: 'invalid_input', message: 'x', path: 'to' });
  });

  it('isRejection tells a rejection from drafts', () => {
    expect(isRejection(reject('not_found', 'x'))).toBe(true);
    expect(isRejection([])).toBe(false);
  });

  it('a decision stamps every event with the time and the person', () => {
    const d = decide(undefined, openCase(), ctx(coordinator, NOW));
    expect(d.ok && d.events.every((e) => e.occurredAt === NOW && e.actor === coordinator)).toBe(true);
  });
});
