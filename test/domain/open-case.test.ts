import { defaultPolicyBody } from '../../domain/schemas/policy';
import {
  ADMITTED, FULL_CONSENT, NOW, RELEASE, admin, coordinator, ctx, customPolicy, directory, ev, given, officer, openCase,
  opened, plusDays, policy, supervisor,
} from './support';

const planned = (
  n: number,
  requirementIndex: number,
  agencyId: string | null,
  dueAt: string | null = null,
) => {
  const req = defaultPolicyBody.requirements[requirementIndex]!;
  return ev('InterventionPlanned', {
    interventionId: `i${n}`,
    area: req.area,
    title: req.title,
    agencyId,
    requiredBeforeRelease: req.requiredBeforeRelease,
    dueAt,
    dueBeforeRelease: req.dueBeforeRelease,
    requirementIndex,
  });
};

describe('open_case', () => {
  it('records the case and fills the plan from the default policy: what always applies', () => {
    const s = given().when(openCase()).then([
      ev('CaseOpened', {
        caseId: 'case-1',
        client: { municipality: '1480' },
        phase: 'anstalt',
        admittedAt: ADMITTED,
        expectedReleaseAt: RELEASE,
        riskLevel: 'medium',
        needs: [],
        consent: { agencyIds: FULL_CONSENT },
        policy: policy(),
        coordinatorAgencyId: 'kvv',
        responsibility: { holderAgencyId: 'kvv', successorAgencyId: null },
      }),
      planned(1, 0, 'sot-1480', plusDays(RELEASE, -30)),
      planned(2, 3, 'af', plusDays(RELEASE, -14)),
    ]);
    expect(s.phase).toBe('anstalt');
    expect(s.prisonAdmittedAt).toBe(ADMITTED);
    expect(s.openedAt).toBe(NOW);
    expect(s.openedBy).toBe('coord-1');
    expect(s.version).toBe(3);
    expect(s.interventions.map((i) => [i.interventionId, i.status, i.assignedAt])).toEqual([
      ['i1', 'planned', NOW],
      ['i2', 'planned', NOW],
    ]);
    expect(s.seq).toEqual({ intervention: 2, followUp: 0, alert: 0 });
  });

  it('plans what the client needs: care via the region, income support via social services, debts not blocking', () => {
    const s = given()
      .when(openCase({ needs: ['missbruk', 'psykisk_halsa', 'forsorjning', 'skulder', 'familj'] }))
      .after();
    expect(s.interventions.map((i) => [i.area, i.agencyId, i.requiredBeforeRelease, i.dueAt])).toEqual([
      ['boende', 'sot-1480', true, plusDays(RELEASE, -30)],
      ['missbruk', 'reg-vg', true, plusDays(RELEASE, -14)],
      ['psykisk_halsa', 'reg-vg', true, plusDays(RELEASE, -14)],
      ['sysselsattning', 'af', true, plusDays(RELEASE, -14)],
      ['forsorjning', 'sot-1480', true, plusDays(RELEASE, -7)],
      ['skulder', 'kfm', false, plusDays(RELEASE, -7)],
    ]);
  });

  it('opens in häkte without a release date: due dates wait for one', () => {
    const { expectedReleaseAt: _omit, ...rest } = openCase({ phase: 'hakte' });
    const s = given().when(rest).then([
      ev('CaseOpened', {
        caseId: 'case-1',
        client: { municipality: '1480' },
        phase: 'hakte',
        admittedAt: ADMITTED,
        riskLevel: 'medium',
        needs: [],
        consent: { agencyIds: FULL_CONSENT },
        policy: policy(),
        coordinatorAgencyId: 'kvv',
        responsibility: { holderAgencyId: 'kvv', successorAgencyId: null },
      }),
      planned(1, 0, 'sot-1480'),
      planned(2, 3, 'af'),
    ]);
    expect(s.expectedReleaseAt).toBeUndefined();
    expect(s.prisonAdmittedAt).toBeUndefined();
  });

  it('opens in utslussning with its measure, an explicit responsibility and the client\'s own view', () => {
    const s = given()
      .when(openCase({
        phase: 'utslussning',
        measure: 'halvvagshus',
        responsibility: { holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
        clientView: 'Vill bo nära sin dotter.',
      }))
      .after();
    expect(s.measure).toBe('halvvagshus');
    expect(s.prisonAdmittedAt).toBe(ADMITTED);
    expect(s.responsibility).toEqual({ holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' });
    expect(s.clientView).toBe('Vill bo nära sin dotter.');
  });

  it('names the coordinator\'s agency as holder when only the successor is given', () => {
    const s = given().when(openCase({ responsibility: { successorAgencyId: 'sot-1480' } })).after();
    expect(s.responsibility).toEqual({ holderAgencyId: 'kvv', successorAgencyId: 'sot-1480' });
  });

  it('pins the policy version it started with', () => {
    const body = customPolicy({ requirements: [] });
    const s = given().when(openCase({ policy: { policyId: 'p-x', version: 7, body } })).after();
    expect(s.policy).toEqual({ policyId: 'p-x', version: 7, body });
    expect(s.interventions).toEqual([]);
  });

  describe('agency resolution: type + the client\'s municipality + consent', () => {
    it('picks the local unit of the type serving the client\'s municipality', () => {
      const s = given().when(openCase({ client: { municipality: '1401' }, consent: { agencyIds: ['sot-1401', 'sot-1480', 'af'] } })).after();
      expect(s.interventions.map((i) => i.agencyId)).toEqual(['sot-1401', 'af']);
    });

    it('leaves it unassigned when no unit of that type serves the municipality', () => {
      const s = given().when(openCase({ client: { municipality: '0180' }, consent: { agencyIds: ['sot-1480', 'af'] } })).after();
      expect(s.interventions.map((i) => [i.area, i.agencyId, i.status, i.assignedAt])).toEqual([
        ['boende', null, 'unassigned', null],
        ['sysselsattning', 'af', 'planned', NOW],
      ]);
    });

    it('leaves it unassigned when the client has not consented to the unit', () => {
      const s = given().when(openCase({ consent: { agencyIds: ['af'] } })).after();
      expect(s.interventions.map((i) => [i.area, i.status])).toEqual([
        ['boende', 'unassigned'],
        ['sysselsattning', 'planned'],
      ]);
    });

    it('leaves it unassigned when two consented units of the type serve the municipality (no guessing)', () => {
      const dir = [...directory, { agencyId: 'sot-1480b', type: 'socialtjansten' as const, name: 'Socialtjänsten Göteborg Nordost', municipalities: ['1480'] }];
      const s = given()
        .when(openCase({ consent: { agencyIds: ['sot-1480', 'sot-1480b', 'af'] } }), ctx(coordinator, NOW, dir))
        .after();
      expect(s.interventions.map((i) => [i.area, i.agencyId])).toEqual([
        ['boende', null],
        ['sysselsattning', 'af'],
      ]);
    });

    it('uses a nation-wide unit when there is no local one', () => {
      const s = given().when(openCase({ consent: { agencyIds: ['af', 'sot-1480'] } })).after();
      expect(s.interventions.find((i) => i.area === 'sysselsattning')!.agencyId).toBe('af');
    });
  });

  describe('rejections', () => {
    it('conflict when the case is already open', () => {
      given(opened()).when(openCase()).then('conflict');
    });

    it.each([
      ['an agency officer', officer('sot-1480')],
      ['a supervisor', supervisor('sot-1480')],
      ['an administrator', admin],
    ])('forbidden for %s', (_who, actor) => {
      given().when(openCase(), ctx(actor)).then('forbidden');
    });

    it('forbidden for a coordinator who belongs to no agency', () => {
      given().when(openCase(), ctx({ ...coordinator, agencyId: null })).then('forbidden');
    });

    it('invalid_input expectedReleaseAt: required unless the phase is häkte', () => {
      const { expectedReleaseAt: _omit, ...rest } = openCase({ phase: 'anstalt' });
      given().when(rest).then('invalid_input', 'expectedReleaseAt');
    });

    it('invalid_input expectedReleaseAt: must come after admittedAt', () => {
      given().when(openCase({ expectedReleaseAt: ADMITTED })).then('invalid_input', 'expectedReleaseAt');
      given().when(openCase({ expectedReleaseAt: plusDays(ADMITTED, -1) })).then('invalid_input', 'expectedReleaseAt');
    });

    it('invalid_input measure: required for utslussning', () => {
      given().when(openCase({ phase: 'utslussning' })).then('invalid_input', 'measure');
    });

    it.each(['hakte', 'anstalt'] as const)('invalid_input measure: not for %s', (phase) => {
      given().when(openCase({ phase, measure: 'frigang' })).then('invalid_input', 'measure');
    });

    it('invalid_input consent.agencyIds.N for an agency not in the directory', () => {
      given().when(openCase({ consent: { agencyIds: ['af', 'nobody'] } })).then('invalid_input', 'consent.agencyIds.1');
    });

    it('invalid_input responsibility.holderAgencyId / successorAgencyId for unknown agencies', () => {
      given().when(openCase({ responsibility: { holderAgencyId: 'nobody' } })).then('invalid_input', 'responsibility.holderAgencyId');
      given().when(openCase({ responsibility: { successorAgencyId: 'nobody' } })).then('invalid_input', 'responsibility.successorAgencyId');
    });
  });
});
