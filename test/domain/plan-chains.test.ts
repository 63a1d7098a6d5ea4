import { caseView } from '../../domain/case-view';
import { chainedDueBeforeRelease, chainProblems } from '../../domain/plan-chains';
import { defaultPolicyBody, policyBodySchema } from '../../domain/schemas/policy';
import { DAY, RELEASE, ctx, customPolicy, history, officer, openedUnderRules2, plusDays, policy, stateOf, tick } from './support';

/*
 * Interventions in order (Brå: *i vilken ordning insatserna bör komma*): a requirement may wait
 * for other areas (`after`) and need a lead time once they are done (`leadTime`). The worked
 * example: housing due 30 days before release and needing 21 days after income support; income
 * support (own due 7 days before) needing 14 days after identity documents (own due 7 days).
 */
const chain = customPolicy({
  requirements: [
    { area: 'id_handlingar', appliesWhen: 'always', agencyType: 'polisen', requiredBeforeRelease: true, dueBeforeRelease: 'P7D', title: 'Id-kort' },
    { area: 'forsorjning', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P7D', title: 'Försörjningsstöd', after: ['id_handlingar'], leadTime: 'P14D' },
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'Bostad', after: ['forsorjning'], leadTime: 'P21D' },
  ],
});
const directory = [
  ...ctx().directory,
  { agencyId: 'pol', type: 'polisen' as const, name: 'Polisen', municipalities: ['*'] },
];
const c = (now = plusDays(RELEASE, -120)) => ({ ...ctx(undefined, now), directory });

describe('due dates derived backwards from the release along the chain', () => {
  it('housing R−30D; income R−30D−21D = R−51D (not its own R−7D); identity R−51D−14D = R−65D', () => {
    expect(chainedDueBeforeRelease(chain.requirements, () => true)).toEqual(['P65D', 'P51D', 'P30D']);
    const s = stateOf(openedUnderRules2({ policy: policy(chain), consent: { agencyIds: ['pol', 'sot-1480'] } }, c()));
    expect(s.interventions.map((i) => [i.area, i.dueAt])).toEqual([
      ['id_handlingar', plusDays(RELEASE, -65)], ['forsorjning', plusDays(RELEASE, -51)], ['boende', plusDays(RELEASE, -30)],
    ]);
  });

  it('a dependant that does not apply to the client sets no earlier date', () => {
    expect(chainedDueBeforeRelease(chain.requirements, (i) => i !== 2)).toEqual(['P21D', 'P7D', 'P30D']);
  });

  it('a policy without chains keeps its own dates exactly (running cases plan as before)', () => {
    expect(chainedDueBeforeRelease(defaultPolicyBody.requirements, () => true)).toEqual(defaultPolicyBody.requirements.map((r) => r.dueBeforeRelease));
  });
});

describe('cycles and unknown prerequisites are refused when the policy is saved', () => {
  const base = chain.requirements;
  it('a circle names each requirement on it', () => {
    const cyclic = [{ ...base[0]!, after: ['boende' as const], leadTime: 'P1D' }, base[1]!, base[2]!];
    const r = policyBodySchema.safeParse({ ...chain, requirements: cyclic });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['requirements.0.after', 'requirements.1.after', 'requirements.2.after']);
    expect(chainProblems([{ area: 'boende', dueBeforeRelease: 'P1D', after: ['boende'] }])).toHaveLength(1);
  });
  it('waiting for an area no requirement covers', () => {
    const r = policyBodySchema.safeParse({ ...chain, requirements: [{ ...base[1]!, after: ['skulder'] }] });
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['requirements', 0, 'after'], message: expect.stringContaining('skulder') })]);
  });
});

describe('a late prerequisite puts its dependants at risk at once', () => {
  const open = () => history(openedUnderRules2({ policy: policy(chain), consent: { agencyIds: ['pol', 'sot-1480'] } }, c()),
    [{ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: null }, c()]);
  const idDue = plusDays(RELEASE, -65);

  it('given identity documents not done by their date, when it passes, then income support is at risk (to the coordinator)', () => {
    const before = tick(stateOf(open()), plusDays(idDue, -0.1)).state;
    expect(before.alerts.filter((a) => a.kind === 'chain_at_risk')).toEqual([]);
    const s = tick(before, idDue).state;
    const risk = s.alerts.filter((a) => a.kind === 'chain_at_risk');
    expect(risk.map((a) => [a.interventionId, a.level, a.agencyId, a.since])).toEqual([['i2', 1, 'kvv', idDue]]);
    expect(risk[0]!.message).toContain('väntar på "Id-kort"');
    // Housing waits for income support, which is not late yet: not at risk until its own date.
    expect(s.alerts.some((a) => a.kind === 'chain_at_risk' && a.interventionId === 'i3')).toBe(false);
  });

  it('the case view says by how much: five days late, the chain is five days behind', () => {
    const now = plusDays(idDue, 5);
    const view = caseView(tick(stateOf(open()), now).state, now);
    expect(view.chains).toEqual([
      { interventionId: 'i2', waitsFor: ['i1'], leadTime: 'P14D', earliestDoneAt: plusDays(now, 14), lateByMs: 5 * DAY, afterReleaseMs: 0 },
      // Housing: income support 5 days late moves it 5 days too.
      { interventionId: 'i3', waitsFor: ['i2'], leadTime: 'P21D', earliestDoneAt: plusDays(now, 35), lateByMs: 5 * DAY, afterReleaseMs: 0 },
    ]);
  });

  it('done late, the prerequisite ends the risk', () => {
    const events = history(open(), { tick: plusDays(idDue, 1) },
      [{ type: 'complete_intervention', interventionId: 'i1' }, { ...ctx(officer('pol'), plusDays(idDue, 2)), directory }],
      { tick: plusDays(idDue, 2) });
    const s = stateOf(events);
    expect(s.alerts.filter((a) => a.kind === 'chain_at_risk').map((a) => a.status)).toEqual(['resolved']);
  });
});
