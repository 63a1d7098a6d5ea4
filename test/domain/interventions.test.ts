import type { Command } from '../../domain/schemas/commands';
import { gapsAt } from '../../domain/gaps';
import {
  NOW, RELEASE, coordinator, ctx, ev, given, history, officer, openInHakte, opened, plusDays, supervisor,
} from './support';

const sot = officer('sot-1480');
const af = officer('af');

const add = (over: Partial<Extract<Command, { type: 'add_intervention' }>> = {}): Command => ({
  type: 'add_intervention', area: 'natverk', title: 'Kontakt med Stadsmissionen', requiredBeforeRelease: false, ...over,
});

describe('add_intervention', () => {
  const base = opened({ consent: { agencyIds: ['sot-1480', 'af', 'ngo'] } });

  it('plans it for a consented agency with a fixed due time', () => {
    const due = plusDays(NOW, 20);
    const s = given(base).when(add({ agencyId: 'ngo', dueAt: due })).then([
      ev('InterventionPlanned', {
        interventionId: 'i3', area: 'natverk', title: 'Kontakt med Stadsmissionen', agencyId: 'ngo',
        requiredBeforeRelease: false, dueAt: due, dueBeforeRelease: null, requirementIndex: null,
      }),
    ]);
    expect(s.interventions[2]).toMatchObject({ status: 'planned', assignedAt: NOW, createdAt: NOW });
  });

  it('a required one without a due time is due at release, and follows the release date', () => {
    const s = given(base).when(add({ agencyId: 'ngo', requiredBeforeRelease: true })).then([
      ev('InterventionPlanned', {
        interventionId: 'i3', area: 'natverk', title: 'Kontakt med Stadsmissionen', agencyId: 'ngo',
        requiredBeforeRelease: true, dueAt: RELEASE, dueBeforeRelease: 'PT0S', requirementIndex: null,
      }),
    ]);
    expect(s.interventions[2]!.dueAt).toBe(RELEASE);
  });

  it('a required one in häkte waits for a release date', () => {
    const s = given(history([], openInHakte())).when(add({ requiredBeforeRelease: true })).after();
    expect(s.interventions[2]).toMatchObject({ dueAt: null, dueBeforeRelease: 'PT0S', status: 'unassigned' });
  });

  it('an optional one without a due time has none', () => {
    const s = given(base).when(add()).after();
    expect(s.interventions[2]).toMatchObject({ agencyId: null, status: 'unassigned', dueAt: null, dueBeforeRelease: null, assignedAt: null });
  });

  it('invalid_input agencyId for an agency not in the directory', () => {
    given(base).when(add({ agencyId: 'nobody' })).then('invalid_input', 'agencyId');
  });

  it('conflict agencyId when the client has not consented to the agency', () => {
    given(base).when(add({ agencyId: 'kfm' })).then('conflict', 'agencyId');
  });

  it('only a coordinator plans', () => {
    given(base).when(add(), ctx(sot)).then('forbidden');
  });
});

describe('the intervention life-cycle: planned → accepted → completed | declined | waived', () => {
  const base = opened();

  it('the assigned agency accepts, with a note', () => {
    const s = given(base)
      .when({ type: 'accept_intervention', interventionId: 'i1', note: 'Vi har en lägenhet på gång' }, ctx(sot))
      .then([ev('InterventionAccepted', { interventionId: 'i1', note: 'Vi har en lägenhet på gång' })]);
    expect(s.interventions[0]).toMatchObject({ status: 'accepted', note: 'Vi har en lägenhet på gång' });
  });

  it('accepting is optional: planned → completed directly', () => {
    const later = plusDays(NOW, 3);
    const s = given(base)
      .when({ type: 'complete_intervention', interventionId: 'i2' }, ctx(af, later))
      .then([ev('InterventionCompleted', { interventionId: 'i2' })]);
    expect(s.interventions[1]).toMatchObject({ status: 'completed', completedAt: later });
  });

  it('accepted → completed, with a note', () => {
    const h = history(base, [{ type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)]);
    const s = given(h)
      .when({ type: 'complete_intervention', interventionId: 'i1', note: 'Kontrakt skrivet' }, ctx(sot))
      .then([ev('InterventionCompleted', { interventionId: 'i1', note: 'Kontrakt skrivet' })]);
    expect(s.interventions[0]!.status).toBe('completed');
  });

  it('the client declines (recorded by the agency or the coordinator, with a reason): not a gap, still visible', () => {
    const s = given(base)
      .when({ type: 'decline_intervention', interventionId: 'i2', reason: 'Vill inte' }, ctx(af))
      .then([ev('InterventionDeclined', { interventionId: 'i2', reason: 'Vill inte' })]);
    expect(s.interventions[1]).toMatchObject({ status: 'declined', reason: 'Vill inte', completedAt: NOW });
    expect(gapsAt(s, plusDays(RELEASE, 1)).some((g) => g.interventionId === 'i2')).toBe(false);
    const byCoordinator = given(base).when({ type: 'decline_intervention', interventionId: 'i1', reason: 'Har egen bostad' }).after();
    expect(byCoordinator.interventions[0]!.status).toBe('declined');
  });

  it('the coordinator waives one that is not needed, with a reason', () => {
    const s = given(base)
      .when({ type: 'waive_intervention', interventionId: 'i2', reason: 'Har anställning' })
      .then([ev('InterventionWaived', { interventionId: 'i2', reason: 'Har anställning' })]);
    expect(s.interventions[1]).toMatchObject({ status: 'waived', reason: 'Har anställning' });
  });

  it('an unassigned one can be declined or waived by the coordinator', () => {
    const unassigned = opened({ consent: { agencyIds: ['af'] } });
    given(unassigned).when({ type: 'decline_intervention', interventionId: 'i1', reason: 'Nej' }).then([
      ev('InterventionDeclined', { interventionId: 'i1', reason: 'Nej' }),
    ]);
    given(unassigned).when({ type: 'waive_intervention', interventionId: 'i1', reason: 'Bor hos förälder' }).then([
      ev('InterventionWaived', { interventionId: 'i1', reason: 'Bor hos förälder' }),
    ]);
  });

  describe('conflicts: the status does not allow it', () => {
    const done = history(base, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)]);
    const accepted = history(base, [{ type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)]);
    it.each<[string, typeof base, Command, ReturnType<typeof ctx>]>([
      ['accept an accepted one', accepted, { type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)],
      ['accept a completed one', done, { type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)],
      ['complete a completed one', done, { type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)],
      ['decline a completed one', done, { type: 'decline_intervention', interventionId: 'i1', reason: 'x' }, ctx(sot)],
      ['waive a completed one', done, { type: 'waive_intervention', interventionId: 'i1', reason: 'x' }, ctx()],
      ['reassign a completed one', done, { type: 'reassign_intervention', interventionId: 'i1', agencyId: 'af' }, ctx()],
    ])('%s', (_what, h, command, c) => {
      given(h).when(command, c).then('conflict');
    });

    it('an unassigned one cannot be completed', () => {
      // Nobody holds it, so no agency can reach it: the coordinator sees `forbidden`…
      const unassigned = opened({ consent: { agencyIds: ['af'] } });
      given(unassigned).when({ type: 'complete_intervention', interventionId: 'i1' }).then('forbidden');
      // …and an officer of the would-be agency does not see it at all.
      given(unassigned).when({ type: 'complete_intervention', interventionId: 'i1' }, ctx(af)).then('not_found');
    });
  });

  it.each<Command>([
    { type: 'decline_intervention', interventionId: 'i99', reason: 'x' },
    { type: 'waive_intervention', interventionId: 'i99', reason: 'x' },
    { type: 'reassign_intervention', interventionId: 'i99', agencyId: 'af' },
  ])('not_found for an unknown intervention ($type)', (command) => {
    given(base).when(command).then('not_found');
  });

  it.each<Command>([
    { type: 'accept_intervention', interventionId: 'i1' },
    { type: 'complete_intervention', interventionId: 'i1' },
    { type: 'decline_intervention', interventionId: 'i1', reason: 'x' },
  ])('another agency does not see the intervention ($type): not_found', (command) => {
    given(base).when(command, ctx(af)).then('not_found');
  });
});

describe('reassign_intervention', () => {
  it('assigning an unassigned one makes it planned', () => {
    const base = opened({ consent: { agencyIds: ['af'] } });
    const h = history(base, { type: 'set_consent', agencyIds: ['af', 'sot-1401'] });
    const s = given(h)
      .when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'sot-1401' })
      .then([ev('InterventionAssigned', { interventionId: 'i1', agencyId: 'sot-1401', previousAgencyId: null })]);
    expect(s.interventions[0]).toMatchObject({ status: 'planned', agencyId: 'sot-1401', assignedAt: NOW });
  });

  it('moves an accepted one to another consented agency, which must accept anew', () => {
    const base = opened({ consent: { agencyIds: ['sot-1480', 'af', 'ngo'] } });
    const h = history(base, [{ type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)]);
    const s = given(h)
      .when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'ngo' })
      .then([ev('InterventionAssigned', { interventionId: 'i1', agencyId: 'ngo', previousAgencyId: 'sot-1480' })]);
    expect(s.interventions[0]).toMatchObject({ status: 'planned', agencyId: 'ngo' });
  });

  it('to the same agency records nothing', () => {
    given(opened()).when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'sot-1480' }).then([]);
  });

  it('invalid_input agencyId for an unknown agency; conflict agencyId without consent', () => {
    given(opened()).when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'nobody' }).then('invalid_input', 'agencyId');
    given(opened()).when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'ngo' }).then('conflict', 'agencyId');
  });

  it('only a coordinator reassigns or waives', () => {
    given(opened()).when({ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'af' }, ctx(sot)).then('forbidden');
    given(opened()).when({ type: 'waive_intervention', interventionId: 'i1', reason: 'x' }, ctx(supervisor('sot-1480'))).then('forbidden');
  });

  it('the coordinator cannot accept or complete on an agency\'s behalf', () => {
    given(opened()).when({ type: 'accept_intervention', interventionId: 'i1' }, ctx(coordinator)).then('forbidden');
    given(opened()).when({ type: 'complete_intervention', interventionId: 'i1' }, ctx(coordinator)).then('forbidden');
  });
});
