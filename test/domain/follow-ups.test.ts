import type { RiskLevel } from '../../domain/schemas/vocabulary';
import {
  NOW, coordinator, ctx, ev, given, history, ofType, officer, opened, plusDays, stateOf, supervisor, tick,
} from './support';

const release = { type: 'change_phase', to: 'frigiven' } as const;
const frv = officer('frv-gbg');

describe('follow-ups are created at release, by risk level', () => {
  it.each<[RiskLevel, string[]]>([
    ['high', ['P1D', 'P7D', 'P14D', 'P30D', 'P60D', 'P100D']],
    ['medium', ['P7D', 'P30D', 'P100D']],
    ['low', ['P30D', 'P100D']],
  ])('%s risk: %j', (riskLevel, offsets) => {
    const events = given(opened({ riskLevel })).when(release).events();
    expect(ofType(events, 'FollowUpScheduled').map((e) => e.data)).toEqual(
      offsets.map((offset, k) => ({
        followUpId: `f${k + 1}`, agencyId: 'frv-gbg', offset, dueAt: plusDays(NOW, Number(offset.slice(1, -1))),
      })),
    );
  });

  it('uses the risk level at the time of release', () => {
    const h = history(opened({ riskLevel: 'low' }), { type: 'set_risk_level', riskLevel: 'high', reason: 'Ny bedömning' });
    expect(given(h).when(release).after().followUps).toHaveLength(6);
  });

  it('each is a task for frivården: the named successor when it is a consented frivården unit', () => {
    const events = given(opened({
      consent: { agencyIds: ['sot-1480', 'af', 'frv-gbg', 'frv-boras'] },
      responsibility: { successorAgencyId: 'frv-boras' },
    })).when(release).events();
    expect(new Set(ofType(events, 'FollowUpScheduled').map((e) => e.data.agencyId))).toEqual(new Set(['frv-boras']));
  });

  it('otherwise the frivården unit serving the client\'s municipality', () => {
    // A frivården unit without consent cannot be named successor at all (access.ts).
    for (const successorAgencyId of ['sot-1480']) {
      const events = given(opened({ responsibility: { successorAgencyId } })).when(release).events();
      expect(new Set(ofType(events, 'FollowUpScheduled').map((e) => e.data.agencyId))).toEqual(new Set(['frv-gbg']));
    }
  });

  it('without consent for frivården nobody holds them', () => {
    const s = given(opened({ consent: { agencyIds: ['sot-1480', 'af'] } })).when(release).after();
    expect(s.followUps.map((f) => f.agencyId)).toEqual([null, null, null]);
  });

  it('a second release after a new remand numbers its follow-ups on', () => {
    const h = history(opened(), release, { type: 'change_phase', to: 'hakte' }, { type: 'change_phase', to: 'anstalt' });
    const s = given(h).when(release).after();
    expect(s.followUps.map((f) => [f.followUpId, f.status])).toEqual([
      ['f1', 'cancelled'], ['f2', 'cancelled'], ['f3', 'cancelled'], ['f4', 'open'], ['f5', 'open'], ['f6', 'open'],
    ]);
  });
});

describe('complete_follow_up', () => {
  // Everything required done before release, so only follow-ups can be gaps.
  const released = history(
    opened(),
    [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))],
    [{ type: 'complete_intervention', interventionId: 'i2' }, ctx(officer('af'))],
    release,
  ); // f1 day 7, f2 day 30, f3 day 100

  it('frivården completes its follow-up, with a note', () => {
    const at = plusDays(NOW, 6);
    const s = given(released)
      .when({ type: 'complete_follow_up', followUpId: 'f1', note: 'Träffades på kontoret' }, ctx(frv, at))
      .then([ev('FollowUpCompleted', { followUpId: 'f1', note: 'Träffades på kontoret' })]);
    expect(s.followUps[0]).toMatchObject({ status: 'completed', completedAt: at, note: 'Träffades på kontoret' });
  });

  it('one not completed by its due time is missed, raising an alert to frivården', () => {
    const due = plusDays(NOW, 7);
    const { state, events } = tick(stateOf(released), due);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['FollowUpMissed', { followUpId: 'f1' }],
      ['AlertRaised', expect.objectContaining({ kind: 'follow_up_missed', level: 1, agencyId: 'frv-gbg', followUpId: 'f1', since: due })],
    ]);
    expect(state.followUps[0]!.status).toBe('missed');
  });

  it('a missed one may still be completed late; its alert is then resolved', () => {
    const late = plusDays(NOW, 9);
    const h = history(released, { tick: plusDays(NOW, 8) });
    const s = given(h).when({ type: 'complete_follow_up', followUpId: 'f1' }, ctx(frv, late)).then([
      ev('FollowUpCompleted', { followUpId: 'f1' }),
    ]);
    const { events } = tick(s, late);
    expect(events.map((e) => [e.type, e.data])).toEqual([['AlertResolved', { alertId: 'case-1-a1' }]]);
  });

  it('a missed follow-up nobody holds alerts the coordinator\'s agency', () => {
    const h = history(opened({ consent: { agencyIds: ['sot-1480', 'af'] } }), release);
    const { events } = tick(stateOf(h), plusDays(NOW, 7));
    expect(ofType(events, 'AlertRaised').filter((e) => e.data.kind === 'follow_up_missed').map((e) => e.data.agencyId)).toEqual(['kvv']);
  });

  it('conflict when it is already completed or cancelled', () => {
    const done = history(released, [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(frv)]);
    given(done).when({ type: 'complete_follow_up', followUpId: 'f1' }, ctx(frv)).then('conflict');
    const remanded = history(released, { type: 'change_phase', to: 'hakte' });
    given(remanded).when({ type: 'complete_follow_up', followUpId: 'f2' }, ctx(frv)).then('conflict');
  });

  it('not_found for another agency or an unknown follow-up; forbidden for other roles', () => {
    given(released).when({ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('sot-1480'))).then('not_found');
    given(released).when({ type: 'complete_follow_up', followUpId: 'f9' }, ctx(frv)).then('not_found');
    given(released).when({ type: 'complete_follow_up', followUpId: 'f1' }, ctx(coordinator)).then('forbidden');
    given(released).when({ type: 'complete_follow_up', followUpId: 'f1' }, ctx(supervisor('frv-gbg'))).then('forbidden');
  });
});
