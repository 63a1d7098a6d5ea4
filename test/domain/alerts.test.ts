import { plannedAlerts } from '../../domain/alert-plan';
import type { CaseState } from '../../domain/case-state';
import { gapSubject, type Gap } from '../../domain/gaps';
import { dueActions } from '../../domain/schedule';
import {
  NOW, RELEASE, admin, apply, coordinator, ctx, customPolicy, ev, given, history, officer, opened, plusDays, policy, stateOf,
  supervisor, tick,
} from './support';

const DUE = plusDays(RELEASE, -30);
/** i1 (housing, sot-1480) overdue for four days: a1 level 1 to sot-1480, a2 level 2 to kvv. */
const overdue = history(
  opened({ responsibility: { successorAgencyId: 'frv-gbg' } }),
  { type: 'adopt_plan' },
  { type: 'record_meeting', agencyIds: [] },
  [{ type: 'complete_intervention', interventionId: 'i2' }, ctx(officer('af'))],
  { tick: plusDays(DUE, 4) },
);

describe('acknowledge_alert', () => {
  it('a supervisor of the addressed agency acknowledges it', () => {
    expect(stateOf(overdue).alerts.map((a) => [a.alertId, a.level, a.agencyId])).toEqual([
      ['case-1-a1', 1, 'sot-1480'],
      ['case-1-a2', 2, 'kvv'],
    ]);
    const at = plusDays(DUE, 5);
    const s = given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'), at)).then([
      ev('AlertAcknowledged', { alertId: 'case-1-a1' }),
    ]);
    expect(s.alerts[0]).toMatchObject({ status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: 'chef-sot-1480' });
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a2' }, ctx(supervisor('kvv'))).then([
      ev('AlertAcknowledged', { alertId: 'case-1-a2' }),
    ]);
  });

  it('acknowledging does not make the schedule raise it again', () => {
    const s = given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'))).after();
    expect(dueActions(s, plusDays(DUE, 7))).toEqual([]);
  });

  it('conflict when already acknowledged or resolved', () => {
    const acked = history(overdue, [{ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'))]);
    given(acked).when({ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'))).then('conflict');
    const resolved = history(overdue, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))], { tick: plusDays(DUE, 5) });
    given(resolved).when({ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'))).then('conflict');
  });

  it('not_found for an alert of another agency or no such alert', () => {
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a2' }, ctx(supervisor('sot-1480'))).then('not_found');
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a9' }, ctx(supervisor('sot-1480'))).then('not_found');
  });

  it('forbidden for everybody but a supervisor', () => {
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(officer('sot-1480'))).then('forbidden');
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a2' }, ctx(coordinator)).then('forbidden');
    given(overdue).when({ type: 'acknowledge_alert', alertId: 'case-1-a2' }, ctx(admin)).then('forbidden');
  });

  it('still possible after the case is closed', () => {
    const closed = history(overdue, { type: 'change_phase', to: 'avslutad', reason: 'Avliden' });
    given(closed).when({ type: 'acknowledge_alert', alertId: 'case-1-a2' }, ctx(supervisor('kvv'))).then([
      ev('AlertAcknowledged', { alertId: 'case-1-a2' }),
    ]);
  });
});

describe('plannedAlerts: who hears of a gap, at which level and when', () => {
  const s: CaseState = stateOf(opened({ consent: { agencyIds: ['sot-1480', 'af', 'frv-gbg'] } }));
  const make = (g: Gap) => plannedAlerts(s, g).map((a) => ({ key: a.key, level: a.level, agencyId: a.agencyId, raiseAt: a.raiseAt }));

  it('intervention_overdue: level 1 to the owner at due, level 2 to the coordinator\'s agency after level2After', () => {
    expect(make({ kind: 'intervention_overdue', interventionId: 'i1', since: DUE })).toEqual([
      { key: 'intervention_overdue:i1:L1:sot-1480', level: 1, agencyId: 'sot-1480', raiseAt: DUE },
      { key: 'intervention_overdue:i1:L2:kvv', level: 2, agencyId: 'kvv', raiseAt: plusDays(DUE, 3) },
    ]);
  });

  it('released_with_gap: level 3 to the coordinator\'s agency and the owner', () => {
    expect(make({ kind: 'released_with_gap', interventionId: 'i2', since: RELEASE })).toEqual([
      { key: 'released_with_gap:i2:L3:kvv', level: 3, agencyId: 'kvv', raiseAt: RELEASE },
      { key: 'released_with_gap:i2:L3:af', level: 3, agencyId: 'af', raiseAt: RELEASE },
    ]);
  });

  it('case-level gaps go to the coordinator\'s agency', () => {
    for (const kind of ['successor_missing', 'meeting_missing', 'plan_not_adopted', 'plan_review_overdue'] as const) {
      expect(make({ kind, since: NOW })).toEqual([{ key: `${kind}:case:L1:kvv`, level: 1, agencyId: 'kvv', raiseAt: NOW }]);
    }
  });

  it('intervention_unassigned goes to the coordinator\'s agency with a readable message', () => {
    const [a] = plannedAlerts(s, { kind: 'intervention_unassigned', interventionId: 'i1', since: NOW });
    expect(a).toMatchObject({ key: 'intervention_unassigned:i1:L1:kvv', agencyId: 'kvv', interventionId: 'i1' });
    expect(a!.message).toBe('Insatsen "Bostad ordnad" (boende) saknar ansvarig huvudman.');
  });

  it('a gap naming something unknown still goes somewhere: the coordinator', () => {
    expect(make({ kind: 'follow_up_missed', followUpId: 'f9', since: NOW })).toEqual([
      { key: 'follow_up_missed:f9:L1:kvv', level: 1, agencyId: 'kvv', raiseAt: NOW },
    ]);
    expect(make({ kind: 'intervention_overdue', interventionId: 'i9', since: NOW }).map((a) => a.agencyId)).toEqual(['kvv']);
  });

  it('gapSubject names the intervention, the follow-up or the case', () => {
    expect(gapSubject({ kind: 'intervention_overdue', interventionId: 'i1' })).toBe('i1');
    expect(gapSubject({ kind: 'follow_up_missed', followUpId: 'f1' })).toBe('f1');
    expect(gapSubject({ kind: 'meeting_missing' })).toBe('case');
  });
});

describe('the same gap never raises the same alert twice', () => {
  it('a live alert is not raised again however often the schedule runs', () => {
    let s = stateOf(overdue);
    for (let d = 4; d < 40; d += 0.5) {
      const r = tick(s, plusDays(DUE, d));
      expect(r.events.filter((e) => e.type === 'AlertRaised' && s.alerts.some((a) => a.key === e.data.key && a.status !== 'resolved'))).toEqual([]);
      s = r.state;
    }
    expect(s.alerts.filter((a) => a.kind === 'intervention_overdue')).toHaveLength(2);
  });

  it('a new occurrence of a gap (a later deadline) raises a new alert under the same key', () => {
    const body = customPolicy({ requirements: [], milestones: { planReviewEvery: 'P10D' } });
    let s = stateOf(history(
      opened({ policy: policy(body), responsibility: { successorAgencyId: 'frv-gbg' } }),
      { type: 'adopt_plan' }, { type: 'record_meeting', agencyIds: [] },
    ));
    s = tick(s, plusDays(NOW, 11)).state;
    s = apply(s, { type: 'review_plan' }, ctx(coordinator, plusDays(NOW, 12)));
    s = tick(s, plusDays(NOW, 12)).state;
    s = tick(s, plusDays(NOW, 23)).state;
    expect(s.alerts.map((a) => [a.key, a.since, a.status])).toEqual([
      ['plan_review_overdue:case:L1:kvv', plusDays(NOW, 10), 'resolved'],
      ['plan_review_overdue:case:L1:kvv', plusDays(NOW, 22), 'open'],
    ]);
  });
});
