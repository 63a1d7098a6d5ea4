import { canSeeAccessLog, canSeeCase, canSeeTrail, relationOf } from '../../domain/access';
import type { Person } from '../../domain/schemas/actor';
import { NOW, RELEASE, coordinator, ctx, ev, given, history, officer, opened, plusDays, stateOf, supervisor } from './support';

/**
 * DOMAIN.md, "Actors and roles": who may see a client follows the client's relation to the
 * agency and consent, never role alone; a case's coordinating agency is the opener's until the
 * case is transferred.
 */
const coordinatorAt = (agencyId: string): Person => ({ sub: `coord-${agencyId}`, role: 'coordinator', agencyId });
// Opened by kvv (coordinating, holds responsibility); frv-gbg takes over; consent for sot-1480, reg-vg, af, kfm, frv-gbg.
const base = opened({ responsibility: { successorAgencyId: 'frv-gbg' } });
const s = stateOf(base);

describe('who sees the case (access.ts)', () => {
  const cases: [string, Person, boolean, boolean, boolean][] = [
    // who, person, case, trail, access log
    ['coordinator of the coordinating agency', coordinator, true, true, true],
    ['coordinator of the successor', coordinatorAt('frv-gbg'), true, true, false],
    ['coordinator of a consented agency only', coordinatorAt('sot-1480'), false, false, false],
    ['coordinator of an unrelated agency', coordinatorAt('ngo'), false, false, false],
    ['supervisor of the coordinating agency', supervisor('kvv'), true, true, true],
    ['supervisor of a consented agency', supervisor('sot-1480'), true, true, false],
    ['supervisor of an unrelated agency', supervisor('ngo'), false, false, false],
    ['officer of a consented agency', officer('sot-1480'), true, false, false],
    ['officer of the coordinating agency without consent', officer('kvv'), false, false, false],
    ['officer of an unrelated agency', officer('ngo'), false, false, false],
    ['administrator', { sub: 'admin', role: 'admin', agencyId: null }, false, false, false],
  ];
  it.each(cases)('%s', (_who, person, sees, trail, log) => {
    expect([canSeeCase(s, person), canSeeTrail(s, person), canSeeAccessLog(s, person)]).toEqual([sees, trail, log]);
  });

  it('relationOf names every tie', () => {
    expect(relationOf(s, 'kvv')).toEqual({ coordinating: true, holder: true, successor: false, consented: false });
    expect(relationOf(s, 'frv-gbg')).toEqual({ coordinating: false, holder: false, successor: true, consented: true });
    expect(relationOf(s, null)).toEqual({ coordinating: false, holder: false, successor: false, consented: false });
  });
});

describe('transfer_case', () => {
  it('moves coordination: given kvv coordinates, when its coordinator transfers to frv-gbg, then frv-gbg coordinates', () => {
    const after = given(base).when({ type: 'transfer_case', toAgencyId: 'frv-gbg', reason: 'Flyttad till frivården' }).then([
      ev('CaseTransferred', { fromAgencyId: 'kvv', toAgencyId: 'frv-gbg', reason: 'Flyttad till frivården' }),
    ]);
    expect(after.coordinatorAgencyId).toBe('frv-gbg');
    expect(canSeeAccessLog(after, coordinatorAt('frv-gbg'))).toBe(true);
    // kvv still holds responsibility, so its coordinators keep the case, but not the log extract.
    expect(canSeeCase(after, coordinator)).toBe(true);
    expect(canSeeAccessLog(after, coordinator)).toBe(false);
  });

  it('an agency that neither coordinates nor holds anything loses the case once it is transferred away', () => {
    const handed = history(base, { type: 'set_responsibility', holderAgencyId: 'sot-1480', successorAgencyId: 'frv-gbg' },
      { type: 'transfer_case', toAgencyId: 'sot-1480', reason: 'Kommunen samordnar' });
    expect(canSeeCase(stateOf(handed), coordinator)).toBe(false);
    given(handed).when({ type: 'adopt_plan' }, ctx(coordinator)).then('not_found');
  });

  it('only a coordinator of the coordinating agency hands it over; unknown and same agency are refused', () => {
    given(base).when({ type: 'transfer_case', toAgencyId: 'sot-1480', reason: 'x' }, ctx(coordinatorAt('frv-gbg'))).then('forbidden');
    given(base).when({ type: 'transfer_case', toAgencyId: 'sot-1480', reason: 'x' }, ctx(supervisor('kvv'))).then('forbidden');
    given(base).when({ type: 'transfer_case', toAgencyId: 'sot-1480', reason: 'x' }, ctx(coordinatorAt('ngo'))).then('not_found');
    given(base).when({ type: 'transfer_case', toAgencyId: 'ghost', reason: 'x' }).then('invalid_input', 'toAgencyId');
    given(base).when({ type: 'transfer_case', toAgencyId: 'kvv', reason: 'x' }).then('conflict', 'toAgencyId');
  });

  it('escalations follow the coordinating agency: an open level-2 alert to kvv moves to the new coordinating agency', () => {
    const overdue = history(base, { tick: plusDays(RELEASE, -26) }); // housing due RELEASE-30D; level 2 after 3 days
    const before = stateOf(overdue).alerts.filter((a) => a.level === 2 && a.status === 'open').map((a) => a.agencyId);
    expect(before).toEqual(['kvv']);
    const moved = stateOf(history(overdue, { type: 'transfer_case', toAgencyId: 'frv-gbg', reason: 'x' }, { tick: plusDays(RELEASE, -26) }));
    expect(moved.alerts.filter((a) => a.level === 2 && a.status === 'open').map((a) => a.agencyId)).toEqual(['frv-gbg']);
  });
});

describe('responsibility: the coordinating agency or a consented one, and two different agencies', () => {
  it('accepts the coordinating agency and consented agencies', () => {
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'sot-1480' }).then([
      ev('ResponsibilityChanged', { holderAgencyId: 'kvv', successorAgencyId: 'sot-1480' }),
    ]);
  });
  it('refuses an agency the consent does not cover (409) and the same agency twice (400)', () => {
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'ngo' }).then('conflict', 'successorAgencyId');
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'ngo', successorAgencyId: 'frv-gbg' }).then('conflict', 'holderAgencyId');
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'frv-gbg', successorAgencyId: 'frv-gbg' }).then('invalid_input', 'successorAgencyId');
  });
  it('at opening too', () => {
    given().when({ ...opened()[0]!.data, type: 'open_case', client: { municipality: '1480' }, responsibility: { successorAgencyId: 'ngo' } } as never)
      .then('conflict', 'responsibility.successorAgencyId');
  });
});

describe('withdrawing consent ends that agency\'s access at once', () => {
  it('given frv-gbg succeeds, when consent for it is withdrawn, then it no longer takes over and the successor gap shows', () => {
    const after = given(base).when({ type: 'set_consent', agencyIds: ['sot-1480', 'reg-vg', 'af', 'kfm'] }, ctx(coordinator, NOW)).after();
    expect(after.responsibility).toEqual({ holderAgencyId: 'kvv', successorAgencyId: null });
    expect(canSeeCase(after, supervisor('frv-gbg'))).toBe(false);
    expect(canSeeCase(after, coordinatorAt('frv-gbg'))).toBe(false);
  });

  it('its open alerts end (resolved, consent withdrawn); the coordinating agency\'s stay', () => {
    const overdue = history(base, { tick: plusDays(RELEASE, -26) }); // level 1 to sot-1480, level 2 to kvv
    const open = stateOf(overdue).alerts.filter((a) => a.status === 'open').map((a) => [a.alertId, a.agencyId]);
    expect(open).toEqual(expect.arrayContaining([['case-1-a1', 'sot-1480'], ['case-1-a2', 'kvv']]));
    expect(open.filter(([, agency]) => agency === 'sot-1480')).toHaveLength(1);
    const events = given(overdue).when({ type: 'set_consent', agencyIds: ['reg-vg', 'af', 'kfm', 'frv-gbg'] }, ctx(coordinator, plusDays(RELEASE, -26))).events();
    expect(events.filter((e) => e.type === 'AlertResolved').map((e) => e.data)).toEqual([{ alertId: 'case-1-a1', reason: 'consent_withdrawn' }]);
  });
});
