import { defaultPolicyBody } from '../../domain/schemas/policy';
import { NOW, RELEASE, ctx, ev, given, history, officer, opened, plusDays, stateOf } from './support';

const housing = defaultPolicyBody.requirements[0]!;
const release = { type: 'change_phase', to: 'frigiven' } as const;

describe('set_consent', () => {
  const base = opened({ needs: ['missbruk'] }); // i1 boende/sot-1480, i2 missbruk/reg-vg, i3 sysselsattning/af

  it('withdrawal cancels the agency\'s open interventions and re-plans the requirement as unassigned', () => {
    const s = given(base).when({ type: 'set_consent', agencyIds: ['reg-vg', 'af', 'kfm', 'frv-gbg'] }).then([
      ev('ConsentChanged', { agencyIds: ['reg-vg', 'af', 'kfm', 'frv-gbg'] }),
      ev('InterventionCancelled', { interventionId: 'i1', reason: 'consent_withdrawn' }),
      ev('InterventionPlanned', {
        interventionId: 'i4', area: 'boende', title: housing.title, agencyId: null, requiredBeforeRelease: true,
        dueAt: plusDays(RELEASE, -30), dueBeforeRelease: 'P30D', requirementIndex: 0,
      }),
    ]);
    expect(s.interventions.map((i) => [i.interventionId, i.status, i.reason])).toEqual([
      ['i1', 'cancelled', 'consent_withdrawn'],
      ['i2', 'planned', undefined],
      ['i3', 'planned', undefined],
      ['i4', 'unassigned', undefined],
    ]);
  });

  it('its access ends: the withdrawn agency no longer finds the case', () => {
    const h = history(base, { type: 'set_consent', agencyIds: ['reg-vg', 'af'] });
    given(h).when({ type: 'accept_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))).then('not_found');
  });

  it('finished work stays as it was', () => {
    const h = history(base, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))]);
    const s = given(h).when({ type: 'set_consent', agencyIds: ['reg-vg', 'af'] }).then([
      ev('ConsentChanged', { agencyIds: ['reg-vg', 'af'] }),
    ]);
    expect(s.interventions[0]!.status).toBe('completed');
  });

  it('an intervention the coordinator added is cancelled, not re-planned', () => {
    const withNgo = opened({ consent: { agencyIds: ['sot-1480', 'af', 'ngo'] } });
    const h = history(withNgo, { type: 'add_intervention', area: 'natverk', title: 'Mentor', agencyId: 'ngo', requiredBeforeRelease: false });
    given(h).when({ type: 'set_consent', agencyIds: ['sot-1480', 'af'] }).then([
      ev('ConsentChanged', { agencyIds: ['sot-1480', 'af'] }),
      ev('InterventionCancelled', { interventionId: 'i3', reason: 'consent_withdrawn' }),
    ]);
  });

  it('granting consent assigns the requirement that was waiting for it', () => {
    const waiting = opened({ consent: { agencyIds: ['af'] } });
    expect(stateOf(waiting).interventions[0]!.status).toBe('unassigned');
    const s = given(waiting).when({ type: 'set_consent', agencyIds: ['af', 'sot-1480'] }).then([
      ev('ConsentChanged', { agencyIds: ['af', 'sot-1480'] }),
      ev('InterventionAssigned', { interventionId: 'i1', agencyId: 'sot-1480', previousAgencyId: null }),
    ]);
    expect(s.interventions[0]).toMatchObject({ status: 'planned', agencyId: 'sot-1480', assignedAt: NOW });
  });

  it('withdraw and grant again: the re-planned requirement goes back to the agency', () => {
    const h = history(base, { type: 'set_consent', agencyIds: ['reg-vg', 'af'] });
    const s = given(h).when({ type: 'set_consent', agencyIds: ['reg-vg', 'af', 'sot-1480'] }).after();
    expect(s.interventions.map((i) => [i.interventionId, i.status, i.agencyId])).toEqual([
      ['i1', 'cancelled', 'sot-1480'],
      ['i2', 'planned', 'reg-vg'],
      ['i3', 'planned', 'af'],
      ['i4', 'planned', 'sot-1480'],
    ]);
  });

  it('an unassigned intervention the coordinator added is not assigned by a consent change', () => {
    const h = history(opened(), { type: 'add_intervention', area: 'annat', title: 'ID-kort', requiredBeforeRelease: false });
    given(h).when({ type: 'set_consent', agencyIds: [...stateOf(h).consent.agencyIds, 'ngo'] }).then([
      ev('ConsentChanged', { agencyIds: ['sot-1480', 'reg-vg', 'af', 'kfm', 'frv-gbg', 'ngo'] }),
    ]);
  });

  it('withdrawal from frivården after release cancels its open and missed follow-ups, not completed ones', () => {
    const released = history(
      base,
      release,
      [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'), plusDays(NOW, 1))],
      { tick: plusDays(NOW, 31) }, // f2 (day 30) missed
    );
    expect(stateOf(released).followUps.map((f) => f.status)).toEqual(['completed', 'missed', 'open']);
    const s = given(released).when({ type: 'set_consent', agencyIds: ['sot-1480', 'reg-vg', 'af'] }, ctx(undefined, plusDays(NOW, 32))).then([
      ev('ConsentChanged', { agencyIds: ['sot-1480', 'reg-vg', 'af'] }),
      ev('FollowUpCancelled', { followUpId: 'f2', reason: 'consent_withdrawn' }),
      ev('FollowUpCancelled', { followUpId: 'f3', reason: 'consent_withdrawn' }),
      // frivården's alert on the missed f2 ends with its access.
      ev('AlertResolved', { alertId: 'case-1-a7', reason: 'consent_withdrawn' }),
    ]);
    expect(s.followUps.map((f) => f.status)).toEqual(['completed', 'cancelled', 'cancelled']);
    expect(s.alerts.find((a) => a.alertId === 'case-1-a7')).toMatchObject({ status: 'resolved', resolvedReason: 'consent_withdrawn' });
  });

  it('invalid_input agencyIds.N for an agency not in the directory', () => {
    given(base).when({ type: 'set_consent', agencyIds: ['af', 'sot-1480', 'ghost'] }).then('invalid_input', 'agencyIds.2');
  });

  it('only a coordinator records consent', () => {
    given(base).when({ type: 'set_consent', agencyIds: [] }, ctx(officer('af'))).then('forbidden');
  });
});
