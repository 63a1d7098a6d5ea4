import { defaultPolicyBody } from '../../domain/schemas/policy';
import { requirementApplies } from '../../domain/requirement-applies';
import {
  RELEASE, ctx, customPolicy, ev, given, history, officer, opened, plusDays, policy, stateOf,
} from './support';

const req = defaultPolicyBody.requirements;
const plannedFor = (n: number, index: number, agencyId: string | null) =>
  ev('InterventionPlanned', {
    interventionId: `i${n}`, area: req[index]!.area, title: req[index]!.title, agencyId,
    requiredBeforeRelease: req[index]!.requiredBeforeRelease,
    dueAt: plusDays(RELEASE, -Number(req[index]!.dueBeforeRelease.slice(1, -1))),
    dueBeforeRelease: req[index]!.dueBeforeRelease, requirementIndex: index,
  });

describe('set_needs', () => {
  const base = opened(); // i1 boende, i2 sysselsattning

  it('a new need plans what the policy requires for it', () => {
    const s = given(base).when({ type: 'set_needs', needs: ['missbruk', 'skulder'] }).then([
      ev('NeedsChanged', { needs: ['missbruk', 'skulder'] }),
      plannedFor(3, 1, 'reg-vg'),
      plannedFor(4, 5, 'kfm'),
    ]);
    expect(s.needs).toEqual(['missbruk', 'skulder']);
  });

  it('a need no longer present cancels its open interventions, not completed ones', () => {
    const h = history(
      base,
      { type: 'set_needs', needs: ['missbruk', 'skulder', 'forsorjning'] }, // i3 missbruk, i4 forsorjning, i5 skulder
      [{ type: 'complete_intervention', interventionId: 'i3' }, ctx(officer('reg-vg'))],
      [{ type: 'accept_intervention', interventionId: 'i4' }, ctx(officer('sot-1480'))],
    );
    const s = given(h).when({ type: 'set_needs', needs: [] }).then([
      ev('NeedsChanged', { needs: [] }),
      ev('InterventionCancelled', { interventionId: 'i4', reason: 'need_removed' }),
      ev('InterventionCancelled', { interventionId: 'i5', reason: 'need_removed' }),
    ]);
    expect(s.interventions.map((i) => [i.area, i.status])).toEqual([
      ['boende', 'planned'], ['sysselsattning', 'planned'], ['missbruk', 'completed'], ['forsorjning', 'cancelled'], ['skulder', 'cancelled'],
    ]);
  });

  it('an unassigned one that no longer applies is cancelled too', () => {
    const h = history(opened({ consent: { agencyIds: ['sot-1480', 'af'] } }), { type: 'set_needs', needs: ['psykisk_halsa'] });
    expect(stateOf(h).interventions[2]!.status).toBe('unassigned');
    given(h).when({ type: 'set_needs', needs: [] }).then([
      ev('NeedsChanged', { needs: [] }),
      ev('InterventionCancelled', { interventionId: 'i3', reason: 'need_removed' }),
    ]);
  });

  it('a need that comes back is planned anew; one already met is not planned twice', () => {
    const h = history(
      base,
      { type: 'set_needs', needs: ['missbruk', 'skulder'] }, // i3, i4
      [{ type: 'complete_intervention', interventionId: 'i3' }, ctx(officer('reg-vg'))],
      { type: 'set_needs', needs: [] }, // i4 cancelled
    );
    given(h).when({ type: 'set_needs', needs: ['missbruk', 'skulder'] }).then([
      ev('NeedsChanged', { needs: ['missbruk', 'skulder'] }),
      plannedFor(5, 5, 'kfm'),
    ]);
  });

  it('interventions the coordinator added are never cancelled by a needs change', () => {
    const h = history(base, { type: 'add_intervention', area: 'missbruk', title: 'AA-möten', requiredBeforeRelease: false });
    given(h).when({ type: 'set_needs', needs: [] }).then([ev('NeedsChanged', { needs: [] })]);
  });

  it('only a coordinator changes needs', () => {
    given(base).when({ type: 'set_needs', needs: [] }, ctx(officer('sot-1480'))).then('forbidden');
  });
});

describe('set_risk_level', () => {
  const body = customPolicy({
    requirements: [
      { area: 'kriminella_attityder', appliesWhen: { minRisk: 'medium' }, agencyType: 'frivarden',
        requiredBeforeRelease: true, dueBeforeRelease: 'P7D', title: 'Påverkansprogram' },
    ],
  });
  const low = opened({ riskLevel: 'low', policy: policy(body) });

  it('requirementApplies: always, on need, and from a risk level', () => {
    const [r] = body.requirements;
    expect(requirementApplies(r!, [], 'low')).toBe(false);
    expect(requirementApplies(r!, [], 'medium')).toBe(true);
    expect(requirementApplies(r!, [], 'high')).toBe(true);
    expect(requirementApplies(req[0]!, [], 'low')).toBe(true);
    expect(requirementApplies(req[1]!, [], 'high')).toBe(false);
    expect(requirementApplies(req[1]!, ['missbruk'], 'low')).toBe(true);
  });

  it('a higher risk plans what applies from that level', () => {
    expect(stateOf(low).interventions).toEqual([]);
    const s = given(low).when({ type: 'set_risk_level', riskLevel: 'high', reason: 'Ny bedömning' }).then([
      ev('RiskLevelChanged', { riskLevel: 'high', reason: 'Ny bedömning' }),
      ev('InterventionPlanned', {
        interventionId: 'i1', area: 'kriminella_attityder', title: 'Påverkansprogram', agencyId: 'frv-gbg',
        requiredBeforeRelease: true, dueAt: plusDays(RELEASE, -7), dueBeforeRelease: 'P7D', requirementIndex: 0,
      }),
    ]);
    expect(s.riskLevel).toBe('high');
  });

  it('a lower risk cancels what no longer applies', () => {
    const h = history(low, { type: 'set_risk_level', riskLevel: 'medium', reason: 'x' });
    given(h).when({ type: 'set_risk_level', riskLevel: 'low', reason: 'Ny bedömning' }).then([
      ev('RiskLevelChanged', { riskLevel: 'low', reason: 'Ny bedömning' }),
      ev('InterventionCancelled', { interventionId: 'i1', reason: 'need_removed' }),
    ]);
  });

  it('only a coordinator changes the risk level', () => {
    given(low).when({ type: 'set_risk_level', riskLevel: 'high', reason: 'x' }, ctx(officer('frv-gbg'))).then('forbidden');
  });
});
