import type { Command } from '../../domain/schemas/commands';
import type { DomainEvent } from '../../domain/schemas/events';
import { isAllowedTransition } from '../../domain/transitions';
import type { Phase } from '../../domain/schemas/vocabulary';
import {
  ADMITTED, NOW, RELEASE, coordinator, ctx, ev, given, history, officer, openCase, plusDays, plusSeconds,
  stateOf, types,
} from './support';

const PHASES: Phase[] = ['hakte', 'anstalt', 'utslussning', 'frigiven', 'avslutad'];

/** DOMAIN.md: the allowed transitions, written out independently of transitions.ts. */
const ALLOWED = new Set([
  'hakte→anstalt', 'hakte→avslutad',
  'anstalt→utslussning', 'anstalt→frigiven', 'anstalt→avslutad',
  'utslussning→anstalt', 'utslussning→frigiven', 'utslussning→avslutad',
  'frigiven→avslutad', 'frigiven→hakte',
]);

const changeTo = (to: Phase): Command => ({
  type: 'change_phase',
  to,
  ...(to === 'utslussning' ? { measure: 'utokad_frigang' as const } : {}),
  ...(to === 'avslutad' ? { reason: 'Prövotiden har löpt ut' } : {}),
});

const EARLIER = '2027-01-05T00:00:00.000Z';

function caseIn(phase: Phase): DomainEvent[] {
  switch (phase) {
    case 'hakte': {
      const { expectedReleaseAt: _omit, ...cmd } = openCase({ phase: 'hakte' });
      return history([], [cmd, ctx(coordinator, EARLIER)]);
    }
    case 'anstalt': return history([], [openCase(), ctx(coordinator, EARLIER)]);
    case 'utslussning': return history([], [openCase({ phase: 'utslussning', measure: 'frigang' }), ctx(coordinator, EARLIER)]);
    case 'frigiven': return history([], [openCase(), ctx(coordinator, EARLIER)], [changeTo('frigiven'), ctx(coordinator, EARLIER)]);
    case 'avslutad': return history([], [openCase(), ctx(coordinator, EARLIER)], [changeTo('avslutad'), ctx(coordinator, EARLIER)]);
  }
}

describe('the 5×5 phase transition matrix', () => {
  const rows = PHASES.flatMap((from) => PHASES.map((to) => [from, to, ALLOWED.has(`${from}→${to}`)] as const));

  it('transitions.ts agrees with DOMAIN.md', () => {
    for (const [from, to, allowed] of rows) expect([from, to, isAllowedTransition(from, to)]).toEqual([from, to, allowed]);
  });

  it.each(rows)('%s → %s allowed: %s', (from, to, allowed) => {
    const when = given(caseIn(from)).when(changeTo(to));
    if (!allowed) {
      when.then('invalid_transition');
      return;
    }
    const [first] = when.events();
    expect(first).toMatchObject({
      type: 'PhaseChanged',
      data: {
        from, to, at: NOW,
        ...(to === 'utslussning' ? { measure: 'utokad_frigang' } : {}),
        ...(to === 'avslutad' ? { reason: 'Prövotiden har löpt ut' } : {}),
      },
    });
    expect(when.after().phase).toBe(to);
  });

  it.each(PHASES.filter((p) => p !== 'avslutad'))('staying in %s is not a transition (path "to")', (phase) => {
    given(caseIn(phase)).when(changeTo(phase)).then('invalid_transition', 'to');
  });

  it('a disallowed transition names the field and changes nothing', () => {
    const when = given(caseIn('hakte')).when(changeTo('frigiven'));
    const r = when.then('invalid_transition', 'to');
    expect(r.message).toContain('hakte → frigiven');
  });
});

describe('change_phase inputs', () => {
  it('utslussning needs a measure', () => {
    given(caseIn('anstalt')).when({ type: 'change_phase', to: 'utslussning' }).then('invalid_input', 'measure');
  });

  it.each(['anstalt', 'frigiven', 'avslutad'] as const)('a measure is only for utslussning (→ %s)', (to) => {
    given(caseIn('utslussning')).when({ ...changeTo(to), measure: 'frigang' } as Command).then('invalid_input', 'measure');
  });

  it.each(['anstalt', 'frigiven', 'hakte'] as const)('closing from %s needs a reason', (from) => {
    given(caseIn(from)).when({ type: 'change_phase', to: 'avslutad' }).then('invalid_input', 'reason');
  });

  it('cannot be recorded ahead of time (beyond a minute of clock skew)', () => {
    given(caseIn('anstalt')).when({ ...changeTo('frigiven'), at: plusSeconds(NOW, 61) } as Command).then('invalid_input', 'at');
    const s = given(caseIn('anstalt')).when({ ...changeTo('frigiven'), at: plusSeconds(NOW, 60) } as Command).after();
    expect(s.releasedAt).toBe(plusSeconds(NOW, 60));
  });

  it('may be recorded after the fact', () => {
    const at = plusDays(NOW, -2);
    const s = given(caseIn('anstalt')).when({ ...changeTo('frigiven'), at } as Command).after();
    expect(s.releasedAt).toBe(at);
    expect(s.followUps[0]!.dueAt).toBe(plusDays(at, 7));
  });

  it('only a coordinator moves the case', () => {
    given(caseIn('anstalt')).when(changeTo('frigiven'), ctx(officer('sot-1480'))).then('forbidden');
  });

  it('not_found without a case', () => {
    given().when(changeTo('anstalt')).then('not_found');
  });
});

describe('what each transition does to the case', () => {
  it('häkte → anstalt starts the prison stay the sentence plan counts from', () => {
    const s = given(caseIn('hakte')).when(changeTo('anstalt')).after();
    expect(s.prisonAdmittedAt).toBe(NOW);
    expect(s.admittedAt).toBe(ADMITTED);
  });

  it('anstalt → utslussning records the measure; utslussning → anstalt (revoked) drops it', () => {
    const out = given(caseIn('anstalt')).when(changeTo('utslussning')).after();
    expect(out.measure).toBe('utokad_frigang');
    const back = given(caseIn('utslussning')).when(changeTo('anstalt')).after();
    expect(back.measure).toBeUndefined();
    expect(back.prisonAdmittedAt).toBe(ADMITTED);
  });

  it('→ frigiven records the release as an outcome and creates the follow-ups', () => {
    const s = given(caseIn('anstalt')).when(changeTo('frigiven')).after();
    expect(s.releasedAt).toBe(NOW);
    expect(s.outcomes).toEqual([{ kind: 'released', at: NOW }]);
    expect(s.followUps).toHaveLength(3);
  });

  it('frigiven → häkte is a new remand: a new custody, follow-ups cancelled, recorded as an outcome', () => {
    const base = caseIn('frigiven');
    const when = given(base).when(changeTo('hakte'));
    expect(when.events().map((e) => [e.type, e.data])).toEqual([
      ['PhaseChanged', { from: 'frigiven', to: 'hakte', at: NOW }],
      ['FollowUpCancelled', { followUpId: 'f1', reason: 'new_remand' }],
      ['FollowUpCancelled', { followUpId: 'f2', reason: 'new_remand' }],
      ['FollowUpCancelled', { followUpId: 'f3', reason: 'new_remand' }],
    ]);
    const s = when.after();
    expect(s.admittedAt).toBe(NOW);
    expect(s.expectedReleaseAt).toBeUndefined();
    expect(s.prisonAdmittedAt).toBeUndefined();
    expect(s.plan).toEqual({});
    expect(s.outcomes.map((o) => o.kind)).toEqual(['released', 'new_remand']);
  });

  it('→ avslutad cancels open interventions and follow-ups, not finished ones, and keeps the reason', () => {
    const base = history(
      caseIn('frigiven'),
      [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(officer('sot-1480'))],
      [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'))],
    );
    given(base).when(changeTo('avslutad')).then([
      ev('PhaseChanged', { from: 'frigiven', to: 'avslutad', at: NOW, reason: 'Prövotiden har löpt ut' }),
      ev('FollowUpCancelled', { followUpId: 'f2', reason: 'case_closed' }),
      ev('FollowUpCancelled', { followUpId: 'f3', reason: 'case_closed' }),
      ev('InterventionCancelled', { interventionId: 'i2', reason: 'case_closed' }),
    ]);
    const s = given(base).when(changeTo('avslutad')).after();
    expect(s.closedAt).toBe(NOW);
    expect(s.closeReason).toBe('Prövotiden har löpt ut');
    expect(s.interventions.map((i) => i.status)).toEqual(['completed', 'cancelled']);
    expect(s.outcomes.map((o) => o.kind)).toEqual(['released', 'closed']);
  });

  it('häkte → avslutad with a reason closes a remand that ended without a sentence', () => {
    const s = given(caseIn('hakte')).when(changeTo('avslutad')).after();
    expect(s.phase).toBe('avslutad');
    expect(types(given(caseIn('hakte')).when(changeTo('avslutad')).events())).toEqual([
      'PhaseChanged', 'InterventionCancelled', 'InterventionCancelled',
    ]);
  });

  it('a closed case refuses every command but acknowledging an alert', () => {
    const closed = caseIn('avslutad');
    const commands: Command[] = [
      { type: 'set_release_date', expectedReleaseAt: RELEASE, reason: 'x' },
      { type: 'set_needs', needs: [] },
      { type: 'set_risk_level', riskLevel: 'high', reason: 'x' },
      { type: 'set_consent', agencyIds: [] },
      { type: 'set_responsibility', holderAgencyId: null, successorAgencyId: null },
      { type: 'record_client_view', text: 'x' },
      { type: 'add_intervention', area: 'annat', title: 'x', requiredBeforeRelease: false },
      { type: 'waive_intervention', interventionId: 'i1', reason: 'x' },
      { type: 'reassign_intervention', interventionId: 'i1', agencyId: 'sot-1480' },
      { type: 'record_meeting', agencyIds: [] },
      { type: 'adopt_plan' },
      { type: 'review_plan' },
    ];
    for (const c of commands) given(closed).when(c).then('invalid_transition');
    expect(stateOf(closed).phase).toBe('avslutad');
  });
});
