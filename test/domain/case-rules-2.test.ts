import type { CaseState } from '../../domain/case-state';
import { gapsAt } from '../../domain/gaps';
import { releaseOutcomes } from '../../store/release-outcomes';
import {
  RELEASE, apply, coordinator, ctx, ev, given, history, officer, opened, openedUnderRules2, plusDays, stateOf, supervisor, tick,
} from './support';

/*
 * The case rules of December 2026 (domain/rules.ts), each against DOMAIN.md. The default policy
 * with no needs plans housing (i1, socialtjänsten, due 30 days before release) and work (i2,
 * Arbetsförmedlingen, due 14 days before).
 */
const released = plusDays(RELEASE, -2);
const at = (c: typeof coordinator, t: string) => ctx(c, t);
const openAlerts = (s: CaseState) => s.alerts.filter((a) => a.status !== 'resolved');
const kindsOf = (s: CaseState) => openAlerts(s).map((a) => `${a.kind}:L${a.level}:${a.agencyId}:${a.interventionId ?? '-'}`).sort();

describe('level 3 means released with a gap (DOMAIN.md "Policy": at release with a required intervention still open)', () => {
  // Given housing open and work completed at release, when work is added after release,
  // then only housing is "released with a gap".
  const life = (start: ReturnType<typeof opened>) => stateOf(history(start,
    { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
    { type: 'record_meeting', agencyIds: ['sot-1480'] },
    [{ type: 'complete_intervention', interventionId: 'i2' }, ctx(officer('af'), plusDays(RELEASE, -20))],
    [{ type: 'change_phase', to: 'frigiven' }, at(coordinator, released)],
    [{ type: 'add_intervention', area: 'skulder', title: 'Skuldsanering', agencyId: 'kfm', requiredBeforeRelease: true }, at(coordinator, plusDays(released, 1))],
    { tick: plusDays(released, 1) },
  ));

  it('the release records what was open; work added later is not a level-3 gap', () => {
    const s = life(openedUnderRules2());
    expect(s.atRelease).toEqual({ openInterventionIds: ['i1'], handedOver: true });
    expect(kindsOf(s).filter((k) => k.startsWith('released_with_gap'))).toEqual([
      'released_with_gap:L3:kvv:i1', 'released_with_gap:L3:sot-1480:i1',
    ]);
  });

  it('under the earlier rules the work added after release raised level 3 too (kept for running cases)', () => {
    const s = life(opened());
    expect(kindsOf(s).filter((k) => k.startsWith('released_with_gap'))).toEqual([
      'released_with_gap:L3:kfm:i3', 'released_with_gap:L3:kvv:i1', 'released_with_gap:L3:kvv:i3', 'released_with_gap:L3:sot-1480:i1',
    ]);
  });
});

describe('overall responsibility passes to the successor at release (DOMAIN.md "The individual plan", 4)', () => {
  it('given a successor, the release hands responsibility over to it, as an event', () => {
    const base = history(openedUnderRules2(), { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' });
    const events = given(base).when({ type: 'change_phase', to: 'frigiven' }, at(coordinator, released)).events();
    expect(events.map((e) => e.type)).toEqual(['PhaseChanged', 'FollowUpScheduled', 'FollowUpScheduled', 'FollowUpScheduled', 'ResponsibilityHandedOver']);
    expect(events.at(-1)!.data).toEqual({ fromAgencyId: 'kvv', toAgencyId: 'frv-gbg' });
    const s = stateOf([...base, ...events]);
    expect(s.responsibility).toEqual({ holderAgencyId: 'frv-gbg', successorAgencyId: null });
    expect(gapsAt(s, plusDays(released, 1)).filter((g) => g.kind === 'successor_missing')).toEqual([]);
  });

  it('given no successor at release, that is a level-3 gap of its own, closed by naming one (handed over at once)', () => {
    const events = history(openedUnderRules2(), [{ type: 'change_phase', to: 'frigiven' }, at(coordinator, released)], { tick: released });
    const s = stateOf(events);
    const missing = openAlerts(s).filter((a) => a.kind === 'successor_missing');
    expect(missing.map((a) => [a.level, a.agencyId, a.since])).toEqual([[3, 'kvv', released]]);
    expect(missing[0]!.message).toContain('utan att någon tog över samordningsansvaret');
    const later = plusDays(released, 2);
    const named = given(events).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }, at(coordinator, later)).then([
      ev('ResponsibilityChanged', { holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }),
      ev('ResponsibilityHandedOver', { fromAgencyId: 'kvv', toAgencyId: 'frv-gbg' }),
    ]);
    const after = tick(named, later);
    expect(after.events.filter((e) => e.type === 'AlertResolved').map((e) => e.data)).toEqual([{ alertId: missing[0]!.alertId }]);
    expect(after.state.responsibility).toEqual({ holderAgencyId: 'frv-gbg', successorAgencyId: null });
  });

  it('the successor must differ from the holder and have consent (unchanged, 400 and 409)', () => {
    const base = openedUnderRules2({ consent: { agencyIds: ['sot-1480', 'af'] } });
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'kvv' }).then('invalid_input', 'successorAgencyId');
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }).then('conflict', 'successorAgencyId');
  });
});

describe('a new remand starts a new plan (DOMAIN.md "The client\'s path": frigiven → hakte)', () => {
  const remandAt = plusDays(RELEASE, 40);
  const base = history(openedUnderRules2(),
    { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
    { type: 'record_meeting', agencyIds: ['sot-1480', 'frv-gbg'] },
    { type: 'adopt_plan' },
    [{ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet' }, ctx(officer('sot-1480'), plusDays(RELEASE, -40))],
    [{ type: 'change_phase', to: 'frigiven' }, at(coordinator, released)],
    [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'), plusDays(released, 7))],
  );

  it('cancels the open work of the earlier period, puts responsibility back and plans the required interventions again', () => {
    const events = given(base).when({ type: 'change_phase', to: 'hakte', reason: 'nytt häktningsbeslut' }, at(coordinator, remandAt)).events();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['PhaseChanged', { from: 'frigiven', to: 'hakte', at: remandAt, reason: 'nytt häktningsbeslut' }],
      ['FollowUpCancelled', { followUpId: 'f2', reason: 'new_remand' }],
      ['FollowUpCancelled', { followUpId: 'f3', reason: 'new_remand' }],
      ['InterventionCancelled', { interventionId: 'i2', reason: 'new_remand' }],
      ['ResponsibilityChanged', { holderAgencyId: 'kvv', successorAgencyId: null }],
      ['InterventionPlanned', expect.objectContaining({ interventionId: 'i3', area: 'boende', agencyId: 'sot-1480', dueAt: null, requirementIndex: 0 })],
      ['InterventionPlanned', expect.objectContaining({ interventionId: 'i4', area: 'sysselsattning', agencyId: 'af', dueAt: null, requirementIndex: 3 })],
    ]);
    const s = stateOf([...base, ...events]);
    expect(s.period).toBe(1);
    // The earlier period stays in the plan's history: housing completed, work cancelled.
    expect(s.interventions.map((i) => [i.interventionId, i.status, i.period ?? 0])).toEqual([
      ['i1', 'completed', 0], ['i2', 'cancelled', 0], ['i3', 'planned', 1], ['i4', 'planned', 1],
    ]);
    expect(s.plan).toEqual({});
    expect(s.outcomes.map((o) => o.kind)).toEqual(['released', 'new_remand']);
    // The figures count a new remand within N days of the release it followed.
    expect(releaseOutcomes(s)).toEqual([{ released, remand: remandAt }]);
  });

  it('the milestones start over: the earlier meeting and successor do not count for the next release', () => {
    const nextRelease = plusDays(remandAt, 200);
    const s = stateOf(history(base,
      [{ type: 'change_phase', to: 'hakte', reason: 'nytt häktningsbeslut' }, at(coordinator, remandAt)],
      [{ type: 'change_phase', to: 'anstalt' }, at(coordinator, plusDays(remandAt, 30))],
      [{ type: 'set_release_date', expectedReleaseAt: nextRelease, reason: 'ny dom' }, at(coordinator, plusDays(remandAt, 30))],
    ));
    const kinds = gapsAt(s, plusDays(nextRelease, -0.5)).map((g) => g.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['intervention_overdue', 'meeting_missing', 'successor_missing']));
    // The new housing hangs on the new date.
    expect(s.interventions.find((i) => i.interventionId === 'i3')!.dueAt).toBe(plusDays(nextRelease, -30));
  });

  it('under the earlier rules the completed housing and the old meeting still counted', () => {
    const old = history(opened(),
      { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
      { type: 'record_meeting', agencyIds: ['sot-1480'] },
      [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'), plusDays(RELEASE, -40))],
    [{ type: 'change_phase', to: 'frigiven' }, at(coordinator, released)]);
    const events = given(old).when({ type: 'change_phase', to: 'hakte' }, at(coordinator, remandAt)).events();
    expect(events.filter((e) => e.type === 'InterventionPlanned')).toEqual([]);
  });
});

describe('a closed case still lets supervisors acknowledge its alerts (DOMAIN.md "Gaps and alerts": acknowledged by a person)', () => {
  // Housing overdue: level 1 to socialtjänsten at its due time, level 2 to the coordinator 3 days on.
  const due = plusDays(RELEASE, -30);
  const base = history(openedUnderRules2(),
    { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
    { type: 'record_meeting', agencyIds: ['sot-1480'] },
    { type: 'adopt_plan' },
    { tick: plusDays(due, 4) },
  );
  const level = (s: CaseState, n: number) => s.alerts.find((a) => a.kind === 'intervention_overdue' && a.level === n)!;

  it('closing ends what someone acknowledged and keeps what nobody has, until someone does', () => {
    let s = stateOf(base);
    s = apply(s, { type: 'acknowledge_alert', alertId: level(s, 1).alertId }, ctx(supervisor('sot-1480'), plusDays(due, 4)));
    s = apply(s, { type: 'change_phase', to: 'avslutad', reason: 'avliden' }, at(coordinator, plusDays(due, 5)));
    const closing = tick(s, plusDays(due, 5));
    expect(closing.events.map((e) => e.data)).toEqual([{ alertId: level(s, 1).alertId, reason: 'case_closed' }]);
    s = closing.state;
    expect(level(s, 2).status).toBe('open');
    s = apply(s, { type: 'acknowledge_alert', alertId: level(s, 2).alertId }, ctx(supervisor('kvv'), plusDays(due, 9)));
    const after = tick(s, plusDays(due, 9));
    expect(after.events.map((e) => [e.type, e.data])).toEqual([['AlertResolved', { alertId: level(s, 2).alertId, reason: 'case_closed' }]]);
    expect(after.state.alerts.every((a) => a.status === 'resolved')).toBe(true);
  });

  it('other commands on a closed case are still refused', () => {
    given(history(base, [{ type: 'change_phase', to: 'avslutad', reason: 'avliden' }, at(coordinator, plusDays(due, 5))])).when({ type: 'record_meeting', agencyIds: [] }, at(coordinator, plusDays(due, 6))).then('invalid_transition');
  });

  it('under the earlier rules closing resolved every alert at once', () => {
    const old = history(opened(), { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
      { type: 'record_meeting', agencyIds: ['sot-1480'] }, { type: 'adopt_plan' }, { tick: plusDays(due, 4) },
      [{ type: 'change_phase', to: 'avslutad', reason: 'avliden' }, at(coordinator, plusDays(due, 5))], { tick: plusDays(due, 5) });
    expect(stateOf(old).alerts.every((a) => a.status === 'resolved' && !a.resolvedReason)).toBe(true);
  });
});

describe('an expected release date that passes while the client is in prison is a gap (issue 21)', () => {
  const base = history(openedUnderRules2(),
    { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
    { type: 'record_meeting', agencyIds: ['sot-1480'] },
    { type: 'adopt_plan' },
  );

  it('opens a day after the date (policy milestones.releaseRecordedWithin, P1D when absent) for the coordinator', () => {
    const s = stateOf(base);
    expect(gapsAt(s, plusDays(RELEASE, 0.99)).map((g) => g.kind)).not.toContain('release_date_passed');
    const t = tick(s, plusDays(RELEASE, 1));
    const alert = t.state.alerts.find((a) => a.kind === 'release_date_passed')!;
    expect([alert.level, alert.agencyId, alert.since]).toEqual([1, 'kvv', plusDays(RELEASE, 1)]);
    expect(alert.message).toContain('Frigivningen skulle ske 2027-06-01');
  });

  it('closes when the release is recorded or the date is moved', () => {
    const late = plusDays(RELEASE, 2);
    const s = tick(stateOf(base), late).state;
    const releasedNow = tick(apply(s, { type: 'change_phase', to: 'frigiven', at: RELEASE }, at(coordinator, late)), late);
    expect(releasedNow.state.alerts.find((a) => a.kind === 'release_date_passed')!.status).toBe('resolved');
    const moved = tick(apply(s, { type: 'set_release_date', expectedReleaseAt: plusDays(RELEASE, 30), reason: 'omräknad' }, at(coordinator, late)), late);
    expect(moved.state.alerts.find((a) => a.kind === 'release_date_passed')!.status).toBe('resolved');
  });

  it('does not exist under the earlier rules', () => {
    const old = stateOf(history(opened(), { type: 'adopt_plan' }));
    expect(gapsAt(old, plusDays(RELEASE, 5)).map((g) => g.kind)).not.toContain('release_date_passed');
  });
});
