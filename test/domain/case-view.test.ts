import { caseView } from '../../domain/case-view';
import {
  ADMITTED, NOW, RELEASE, coordinator, ctx, history, officer, openInHakte, opened, plusDays, stateOf,
} from './support';

const DUE = plusDays(RELEASE, -30);
const LOOK = plusDays(DUE, 1);

// i1 housing (sot-1480) overdue at LOOK; i2 work (af) completed; i3 added for ngo without due.
const s = stateOf(history(
  opened({ consent: { agencyIds: ['sot-1480', 'af', 'ngo', 'frv-gbg'] }, clientView: 'Vill bo i Göteborg' }),
  [{ type: 'complete_intervention', interventionId: 'i2', note: 'Inskriven' }, ctx(officer('af'))],
  { type: 'add_intervention', area: 'natverk', title: 'Mentor', agencyId: 'ngo', requiredBeforeRelease: false },
  { type: 'record_meeting', agencyIds: ['sot-1480'] },
  { type: 'adopt_plan' },
));

describe('caseView for the coordinator', () => {
  const v = caseView(s, LOOK, coordinator);

  it('shows the whole plan, the client\'s view, meetings and every gap', () => {
    expect(v).toMatchObject({
      caseId: 'case-1',
      version: s.version,
      phase: 'anstalt',
      client: { municipality: '1480' },
      riskLevel: 'medium',
      needs: [],
      admittedAt: ADMITTED,
      expectedReleaseAt: RELEASE,
      policy: { policyId: 'default', version: 1 },
      consent: { agencyIds: ['sot-1480', 'af', 'ngo', 'frv-gbg'] },
      responsibility: { holderAgencyId: 'kvv', successorAgencyId: null },
      coordinatorAgencyId: 'kvv',
      clientView: 'Vill bo i Göteborg',
      plan: { adoptedAt: NOW },
      meetings: [{ at: NOW, agencyIds: ['sot-1480'] }],
    });
    expect(v).not.toHaveProperty('measure');
    expect(v).not.toHaveProperty('releasedAt');
    expect(v).not.toHaveProperty('closedAt');
    expect(v.interventions).toEqual([
      { interventionId: 'i1', area: 'boende', title: 'Bostad ordnad', agencyId: 'sot-1480', status: 'planned', requiredBeforeRelease: true, dueAt: DUE, overdue: true },
      { interventionId: 'i2', area: 'sysselsattning', title: 'Kontakt med Arbetsförmedlingen', agencyId: 'af', status: 'completed', requiredBeforeRelease: true, dueAt: plusDays(RELEASE, -14), overdue: false, completedAt: NOW, note: 'Inskriven' },
      { interventionId: 'i3', area: 'natverk', title: 'Mentor', agencyId: 'ngo', status: 'planned', requiredBeforeRelease: false, dueAt: null, overdue: false },
    ]);
    expect(v.gaps).toEqual([
      { kind: 'intervention_overdue', interventionId: 'i1', since: DUE },
      { kind: 'successor_missing', since: DUE },
    ]);
  });

  it('no viewer sees the same as the coordinator', () => {
    expect(caseView(s, LOOK)).toEqual(v);
  });

  it('before the due date nothing is overdue', () => {
    const early = caseView(s, NOW, coordinator);
    expect(early.interventions.map((i) => i.overdue)).toEqual([false, false, false]);
    expect(early.gaps).toEqual([]);
    expect(early.clientView).toBe('Vill bo i Göteborg');
  });

  it('without a recorded client view it says null', () => {
    expect(caseView(stateOf(opened()), NOW, coordinator).clientView).toBeNull();
  });
});

describe('caseView for an agency officer', () => {
  it('shows only that agency\'s interventions and their gaps, not the client\'s view, plan or meetings', () => {
    const v = caseView(s, LOOK, officer('sot-1480'));
    expect(v.interventions.map((i) => i.interventionId)).toEqual(['i1']);
    expect(v.gaps).toEqual([{ kind: 'intervention_overdue', interventionId: 'i1', since: DUE }]);
    expect(v).not.toHaveProperty('clientView');
    expect(v).not.toHaveProperty('plan');
    expect(v).not.toHaveProperty('meetings');
  });

  it('an agency with nothing overdue sees no gaps (case-level gaps are the coordinator\'s)', () => {
    const v = caseView(s, LOOK, officer('af'));
    expect(v.interventions.map((i) => [i.interventionId, i.status])).toEqual([['i2', 'completed']]);
    expect(v.gaps).toEqual([]);
  });

  it('frivården sees its follow-ups after release; the declined reason and missed status show', () => {
    const released = stateOf(history(
      opened(),
      [{ type: 'decline_intervention', interventionId: 'i2', reason: 'Har jobb' }, ctx(officer('af'))],
      { type: 'change_phase', to: 'frigiven' },
      [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'), plusDays(NOW, 2))],
      { tick: plusDays(NOW, 31) },
    ));
    const v = caseView(released, plusDays(NOW, 31), officer('frv-gbg'));
    expect(v.releasedAt).toBe(NOW);
    expect(v.interventions).toEqual([]);
    expect(v.followUps).toEqual([
      { followUpId: 'f1', agencyId: 'frv-gbg', dueAt: plusDays(NOW, 7), status: 'completed', completedAt: plusDays(NOW, 2) },
      { followUpId: 'f2', agencyId: 'frv-gbg', dueAt: plusDays(NOW, 30), status: 'missed' },
      { followUpId: 'f3', agencyId: 'frv-gbg', dueAt: plusDays(NOW, 100), status: 'open' },
    ]);
    expect(v.gaps).toEqual([{ kind: 'follow_up_missed', followUpId: 'f2', since: plusDays(NOW, 30) }]);
    const coord = caseView(released, plusDays(NOW, 31), coordinator);
    expect(coord.interventions[1]).toMatchObject({ status: 'declined', reason: 'Har jobb', overdue: false });
    expect(coord.gaps.map((g) => g.kind)).toEqual(['released_with_gap', 'follow_up_missed']);
  });
});

describe('caseView of other phases', () => {
  it('shows the measure in utslussning', () => {
    expect(caseView(stateOf(opened({ phase: 'utslussning', measure: 'vardvistelse' })), NOW).measure).toBe('vardvistelse');
  });

  it('shows no release date in häkte before one is known; unassigned work is overdue once due', () => {
    const v = caseView(stateOf(history([], openInHakte())), NOW);
    expect(v.expectedReleaseAt).toBeNull();
    expect(v.interventions.map((i) => i.dueAt)).toEqual([null, null]);
    const unassigned = caseView(stateOf(opened({ consent: { agencyIds: ['af'] } })), LOOK);
    expect(unassigned.interventions[0]).toMatchObject({ status: 'unassigned', overdue: true });
  });

  it('shows when and why a closed case was closed; a closed case has no gaps', () => {
    const closed = stateOf(history(opened(), { type: 'change_phase', to: 'avslutad', reason: 'Flyttat utomlands' }));
    const v = caseView(closed, LOOK);
    expect(v).toMatchObject({ phase: 'avslutad', closedAt: NOW, closeReason: 'Flyttat utomlands', gaps: [] });
    expect(v.interventions.map((i) => [i.status, i.reason, i.overdue])).toEqual([
      ['cancelled', 'case_closed', false],
      ['cancelled', 'case_closed', false],
    ]);
  });
});
