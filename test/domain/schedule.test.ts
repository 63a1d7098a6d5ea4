import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import type { DomainEvent } from '../../domain/schemas/events';
import { candidateGaps, planAdoptionDeadline } from '../../domain/gaps';
import type { PolicyBody } from '../../domain/schemas/policy';
import { dueActions, nextWakeUp } from '../../domain/schedule';
import {
  ADMITTED, NOW, RELEASE, apply, coordinator, ctx, customPolicy, history, ofType, officer, openCase, openInHakte, opened, plusDays,
  plusSeconds, policy, stateOf, supervisor, tick, type OpenCase, type Step,
} from './support';

/** One requirement and plan reviews far off; `quiet` meets every milestone so only the intervention speaks. */
const onePolicy = (over: Partial<Parameters<typeof customPolicy>[0]> = {}): PolicyBody =>
  customPolicy({
    requirements: [
      { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'Bostad ordnad' },
    ],
    milestones: { planReviewEvery: 'P1Y' },
    ...over,
  });

const quietHistory = (overrides: Partial<OpenCase> = {}, ...steps: Step[]): DomainEvent[] =>
  history(
    opened({ policy: policy(onePolicy()), responsibility: { successorAgencyId: 'frv-gbg' }, ...overrides }),
    { type: 'record_meeting', agencyIds: ['sot-1480'] },
    { type: 'adopt_plan' },
    ...steps,
  );
const quiet = (overrides: Partial<OpenCase> = {}, ...steps: Step[]): CaseState => stateOf(quietHistory(overrides, ...steps));

const DUE = plusDays(RELEASE, -30);
const sot = officer('sot-1480');

/** One line per scheduled event, so tables read like the escalation ladder. */
const summary = (events: DomainEvent[]) =>
  events.map((e) => {
    switch (e.type) {
      case 'ReminderSent': return `reminder ${e.data.interventionId} ${e.data.before} → ${e.data.agencyId}`;
      case 'AlertRaised': return `L${e.data.level} ${e.data.kind} ${e.data.interventionId ?? e.data.followUpId ?? 'case'} → ${e.data.agencyId}`;
      case 'AlertResolved': return `resolved ${e.data.alertId}`;
      case 'FollowUpMissed': return `missed ${e.data.followUpId}`;
      default: return e.type;
    }
  });

describe('reminders before due (P7D, P1D): only the latest one passed', () => {
  it.each<[string, string, string[]]>([
    ['8 days before', plusDays(DUE, -8), []],
    ['7 days before', plusDays(DUE, -7), ['reminder i1 P7D → sot-1480']],
    ['3 days before', plusDays(DUE, -3), ['reminder i1 P7D → sot-1480']],
    ['1 day before, none sent yet: one reminder, not a burst of stale ones', plusDays(DUE, -1), ['reminder i1 P1D → sot-1480']],
    ['1 second before due', plusSeconds(DUE, -1), ['reminder i1 P1D → sot-1480']],
    ['at due: no reminder but the level-1 alert', DUE, ['L1 intervention_overdue i1 → sot-1480']],
  ])('%s', (_when, now, expected) => {
    expect(summary(dueActions(quiet(), now))).toEqual(expected);
  });

  it('P7D then P1D, each once, recorded by the schedule', () => {
    let s = quiet();
    const seen: string[] = [];
    for (const at of [plusDays(DUE, -7), plusDays(DUE, -5), plusDays(DUE, -1), plusDays(DUE, -0.5)]) {
      const r = tick(s, at);
      s = r.state;
      seen.push(...summary(r.events));
    }
    expect(seen).toEqual(['reminder i1 P7D → sot-1480', 'reminder i1 P1D → sot-1480']);
    expect(s.remindersSent).toEqual([`i1@${DUE}/P7D`, `i1@${DUE}/P1D`]);
    const [first] = ofType(dueActions(quiet(), plusDays(DUE, -7)), 'ReminderSent');
    expect(first).toEqual({
      type: 'ReminderSent',
      data: { reminderId: `i1@${DUE}/P7D`, interventionId: 'i1', agencyId: 'sot-1480', dueAt: DUE, before: 'P7D' },
      occurredAt: plusDays(DUE, -7),
      actor: { system: 'schedule' },
    });
  });

  it('an accepted intervention is still reminded of', () => {
    const s = quiet({}, [{ type: 'accept_intervention', interventionId: 'i1' }, ctx(sot)]);
    expect(summary(dueActions(s, plusDays(DUE, -1)))).toEqual(['reminder i1 P1D → sot-1480']);
  });

  it('the reminder moments are policy data', () => {
    const s = quiet({ policy: policy(onePolicy({ reminders: ['P10D'] })) });
    expect(summary(dueActions(s, plusDays(DUE, -7)))).toEqual(['reminder i1 P10D → sot-1480']);
  });

  it('none for finished or unassigned work, nor on a closed case', () => {
    expect(dueActions(quiet({}, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)]), plusDays(DUE, -1))).toEqual([]);
    expect(summary(dueActions(quiet({ consent: { agencyIds: ['frv-gbg'] } }), plusDays(DUE, -1)))).toEqual([
      'L1 intervention_unassigned i1 → kvv',
    ]);
    const closed = quiet({}, { type: 'change_phase', to: 'avslutad', reason: 'Avliden' });
    expect(dueActions(closed, plusDays(DUE, -1))).toEqual([]);
    expect(nextWakeUp(closed, NOW)).toBeNull();
  });
});

describe('the escalation ladder for an overdue required intervention', () => {
  it.each<[string, string, string[]]>([
    ['a millisecond before due', plusSeconds(DUE, -0.001), ['reminder i1 P1D → sot-1480']],
    ['at due: level 1 to the owning agency', DUE, ['L1 intervention_overdue i1 → sot-1480']],
    ['a second before escalation', plusSeconds(plusDays(DUE, 3), -1), ['L1 intervention_overdue i1 → sot-1480']],
    ['level2After (P3D) after due: level 2 to the coordinator\'s agency', plusDays(DUE, 3), [
      'L1 intervention_overdue i1 → sot-1480', 'L2 intervention_overdue i1 → kvv',
    ]],
  ])('%s', (_when, now, expected) => {
    expect(summary(dueActions(quiet(), now))).toEqual(expected);
  });

  it('the escalation delay is policy data', () => {
    const s = quiet({ policy: policy(onePolicy({ escalation: { level2After: 'P1D' } })) });
    expect(summary(dueActions(s, plusDays(DUE, 1)))).toEqual(['L1 intervention_overdue i1 → sot-1480', 'L2 intervention_overdue i1 → kvv']);
  });

  it('alerts carry their key, the gap\'s start, the raise time and a readable message', () => {
    const { state } = tick(quiet(), plusDays(DUE, 4));
    expect(state.alerts).toEqual([
      {
        alertId: 'case-1-a1', key: 'intervention_overdue:i1:L1:sot-1480', kind: 'intervention_overdue', level: 1, agencyId: 'sot-1480',
        interventionId: 'i1', since: DUE, raisedAt: plusDays(DUE, 4), status: 'open',
        message: `Insatsen "Bostad ordnad" (boende) är inte klar; den skulle vara klar ${DUE.slice(0, 10)}.`,
      },
      expect.objectContaining({ alertId: 'case-1-a2', key: 'intervention_overdue:i1:L2:kvv', level: 2, agencyId: 'kvv', since: DUE }),
    ]);
    expect(state.seq.alert).toBe(2);
  });

  it('both are resolved when the intervention completes, and stay so', () => {
    const s = quiet({}, { tick: plusDays(DUE, 4) }, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot, plusDays(DUE, 5))]);
    const { state, events } = tick(s, plusDays(DUE, 5));
    expect(summary(events)).toEqual(['resolved case-1-a1', 'resolved case-1-a2']);
    expect(state.alerts.map((a) => [a.status, a.resolvedAt])).toEqual([['resolved', plusDays(DUE, 5)], ['resolved', plusDays(DUE, 5)]]);
    expect(dueActions(state, plusDays(DUE, 30))).toEqual([]);
  });

  it.each([
    ['declined by the client', { type: 'decline_intervention', interventionId: 'i1', reason: 'Ordnar själv' } as const],
    ['waived', { type: 'waive_intervention', interventionId: 'i1', reason: 'Har bostad' } as const],
  ])('a gap closed by being %s resolves its alerts too', (_how, command) => {
    const s = quiet({}, { tick: plusDays(DUE, 4) }, [command, ctx(coordinator, plusDays(DUE, 5))]);
    expect(summary(dueActions(s, plusDays(DUE, 5)))).toEqual(['resolved case-1-a1', 'resolved case-1-a2']);
  });

  it('an acknowledged alert is resolved when its gap closes', () => {
    const s = quiet(
      {},
      { tick: plusDays(DUE, 1) },
      [{ type: 'acknowledge_alert', alertId: 'case-1-a1' }, ctx(supervisor('sot-1480'), plusDays(DUE, 1))],
      [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot, plusDays(DUE, 2))],
    );
    expect(s.alerts[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'chef-sot-1480', acknowledgedAt: plusDays(DUE, 1) });
    const { state } = tick(s, plusDays(DUE, 2));
    expect(state.alerts[0]).toMatchObject({ status: 'resolved', acknowledgedBy: 'chef-sot-1480' });
  });

  it('an unassigned intervention is a gap at once (to the coordinator), and when overdue escalates straight to level 2', () => {
    const s = quiet({ consent: { agencyIds: ['frv-gbg'] } });
    expect(summary(dueActions(s, NOW))).toEqual(['L1 intervention_unassigned i1 → kvv']);
    const after = tick(s, NOW).state;
    expect(summary(dueActions(after, DUE))).toEqual([]);
    expect(summary(dueActions(after, plusDays(DUE, 3)))).toEqual(['L2 intervention_overdue i1 → kvv']);
  });

  it('reassignment moves the level-1 alert to the new owner; the level-2 one stays', () => {
    const s = quiet(
      { consent: { agencyIds: ['sot-1480', 'frv-gbg', 'ngo'] } },
      { tick: plusDays(DUE, 4) },
      [{ type: 'reassign_intervention', interventionId: 'i1', agencyId: 'ngo' }, ctx(coordinator, plusDays(DUE, 5))],
    );
    expect(summary(dueActions(s, plusDays(DUE, 5)))).toEqual(['resolved case-1-a1', 'L1 intervention_overdue i1 → ngo']);
  });

  it('postponing the release moves the gap into the future: its alerts are resolved', () => {
    const s = quiet({}, { tick: plusDays(DUE, 4) },
      [{ type: 'set_release_date', expectedReleaseAt: plusDays(RELEASE, 60), reason: 'Ny beräkning' }, ctx(coordinator, plusDays(DUE, 4))]);
    expect(summary(dueActions(s, plusDays(DUE, 4)))).toEqual(['resolved case-1-a1', 'resolved case-1-a2']);
    expect(nextWakeUp(tick(s, plusDays(DUE, 4)).state, plusDays(DUE, 4))).toBe(plusDays(DUE, 60 - 7));
  });

  it('an optional intervention gets reminders but is never overdue', () => {
    const s = quiet({ policy: policy(onePolicy({ requirements: [
      { area: 'skulder', appliesWhen: 'always', agencyType: 'kronofogden', requiredBeforeRelease: false, dueBeforeRelease: 'P7D', title: 'Skuldrådgivning' },
    ] })) });
    const due = plusDays(RELEASE, -7);
    expect(summary(dueActions(s, plusDays(due, -1)))).toEqual(['reminder i1 P1D → kfm']);
    expect(dueActions(s, plusDays(due, 10))).toEqual([]);
  });
});

describe('release with a required intervention still open: level 3 "released with a gap"', () => {
  it('to the coordinator\'s agency and the owner, from the moment of release', () => {
    const s = quiet({}, [{ type: 'change_phase', to: 'frigiven' }, ctx(coordinator, DUE)]);
    const events = dueActions(s, DUE);
    expect(summary(events)).toEqual([
      'L1 intervention_overdue i1 → sot-1480',
      'L3 released_with_gap i1 → kvv',
      'L3 released_with_gap i1 → sot-1480',
    ]);
    const l3 = ofType(events, 'AlertRaised').filter((e) => e.data.level === 3);
    expect(l3.map((e) => e.data.since)).toEqual([DUE, DUE]);
    expect(l3[0]!.data.message).toBe(`Klienten frigavs ${DUE.slice(0, 10)} utan att insatsen "bostad ordnad" (boende) var klar.`);
  });

  it('once per intervention when the coordinator\'s agency owns it itself', () => {
    const s = quiet(
      { consent: { agencyIds: ['kvv', 'sot-1480', 'frv-gbg'] } },
      { type: 'add_intervention', area: 'id_handlingar', title: 'ID-kort', agencyId: 'kvv', requiredBeforeRelease: true, dueAt: plusDays(RELEASE, 10) },
      { type: 'change_phase', to: 'frigiven' },
    );
    const l3 = ofType(dueActions(s, NOW), 'AlertRaised').filter((e) => e.data.level === 3);
    expect(l3.map((e) => `${e.data.interventionId} → ${e.data.agencyId}`)).toEqual(['i1 → kvv', 'i1 → sot-1480', 'i2 → kvv']);
  });

  it('only the coordinator\'s agency for an unassigned one', () => {
    const s = quiet({ consent: { agencyIds: ['frv-gbg'] } }, { type: 'change_phase', to: 'frigiven' });
    expect(summary(dueActions(s, NOW))).toEqual(['L1 intervention_unassigned i1 → kvv', 'L3 released_with_gap i1 → kvv']);
  });

  it('none when everything required is done, declined or waived', () => {
    const s = quiet({}, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)], { type: 'change_phase', to: 'frigiven' });
    expect(ofType(dueActions(s, NOW), 'AlertRaised')).toEqual([]);
  });

  it('resolved when the intervention is completed after release', () => {
    const s = quiet({}, { type: 'change_phase', to: 'frigiven' }, { tick: NOW },
      [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot, plusDays(NOW, 2))]);
    expect(summary(dueActions(s, plusDays(NOW, 2)))).toEqual(['resolved case-1-a1', 'resolved case-1-a2']);
  });

  it('closing the case resolves whatever is still live', () => {
    const s = quiet({}, { type: 'change_phase', to: 'frigiven' }, { tick: NOW },
      [{ type: 'change_phase', to: 'avslutad', reason: 'Överflyttad' }, ctx(coordinator, plusDays(NOW, 2))]);
    expect(summary(dueActions(s, plusDays(NOW, 2)))).toEqual(['resolved case-1-a1', 'resolved case-1-a2']);
  });
});

describe('follow-ups after release', () => {
  const released = (riskLevel: 'low' | 'medium' | 'high') =>
    quiet({ riskLevel }, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)], { type: 'change_phase', to: 'frigiven' });

  it.each<['low' | 'medium' | 'high', number[]]>([
    ['high', [1, 7, 14, 30, 60, 100]],
    ['medium', [7, 30, 100]],
    ['low', [30, 100]],
  ])('%s risk: each missed as its due time passes', (risk, days) => {
    let s = released(risk);
    expect(s.followUps.map((f) => f.dueAt)).toEqual(days.map((d) => plusDays(NOW, d)));
    for (const [k, d] of days.entries()) {
      expect(nextWakeUp(s, plusDays(NOW, k === 0 ? 0 : days[k - 1]!))).toBe(plusDays(NOW, d));
      expect(dueActions(s, plusDays(NOW, d - 0.5))).toEqual([]);
      const r = tick(s, plusDays(NOW, d));
      expect(summary(r.events)).toEqual([`missed f${k + 1}`, `L1 follow_up_missed f${k + 1} → frv-gbg`]);
      s = r.state;
    }
    expect(nextWakeUp(s, plusDays(NOW, 100))).toBeNull();
  });

  it('a completed follow-up is never missed', () => {
    const s = quiet({ riskLevel: 'low' }, [{ type: 'complete_intervention', interventionId: 'i1' }, ctx(sot)], { type: 'change_phase', to: 'frigiven' },
      [{ type: 'complete_follow_up', followUpId: 'f1' }, ctx(officer('frv-gbg'), plusDays(NOW, 20))]);
    expect(summary(dueActions(s, plusDays(NOW, 100)))).toEqual(['missed f2', 'L1 follow_up_missed f2 → frv-gbg']);
  });

  it('the alert message names the due day', () => {
    const [alert] = ofType(dueActions(released('high'), plusDays(NOW, 1)), 'AlertRaised');
    expect(alert!.data.message).toBe(`Uppföljningen efter frigivningen skulle ha gjorts senast ${plusDays(NOW, 1).slice(0, 10)}.`);
  });
});

describe('milestones', () => {
  /** No requirements at all: only the milestones can be gaps. */
  const bare = customPolicy({ requirements: [] });
  const milestoneCase = (overrides: Partial<OpenCase> = {}, ...steps: Step[]) =>
    stateOf(history(opened({ policy: policy(bare), ...overrides }), ...steps));

  const PLAN_DUE = plusDays(ADMITTED, 30);
  const SUCCESSOR_DUE = plusDays(RELEASE, -30);
  const MEETING_DUE = plusDays(RELEASE, -14);

  it.each<[string, string, string[]]>([
    ['before any deadline', NOW, []],
    ['plan not adopted within P30D of admission', PLAN_DUE, ['L1 plan_not_adopted case → kvv']],
    ['no successor P30D before release', SUCCESSOR_DUE, ['L1 successor_missing case → kvv', 'L1 plan_not_adopted case → kvv']],
    ['no coordination meeting P14D before release', MEETING_DUE, [
      'L1 successor_missing case → kvv', 'L1 meeting_missing case → kvv', 'L1 plan_not_adopted case → kvv',
    ]],
  ])('%s', (_what, now, expected) => {
    expect(summary(dueActions(milestoneCase(), now))).toEqual(expected);
  });

  it('the wake-ups walk the milestones in order', () => {
    const s = milestoneCase();
    expect(nextWakeUp(s, NOW)).toBe(PLAN_DUE);
    expect(nextWakeUp(s, PLAN_DUE)).toBe(SUCCESSOR_DUE);
    expect(nextWakeUp(s, SUCCESSOR_DUE)).toBe(MEETING_DUE);
    expect(nextWakeUp(s, MEETING_DUE)).toBeNull();
  });

  it.each<[string, string, string]>([
    ['more than two months to serve: 30 days', '2027-03-02T00:00:00.000Z', plusDays(ADMITTED, 30)],
    ['exactly two months to serve: 14 days', '2027-03-01T00:00:00.000Z', plusDays(ADMITTED, 14)],
    ['less than two months to serve: 14 days', '2027-02-10T00:00:00.000Z', plusDays(ADMITTED, 14)],
  ])('sentence plan deadline, %s', (_what, expectedReleaseAt, deadline) => {
    const s = milestoneCase({ expectedReleaseAt });
    expect(planAdoptionDeadline(s)).toBe(deadline);
    expect(summary(dueActions(s, plusSeconds(deadline, -1)))).not.toContain('L1 plan_not_adopted case → kvv');
    expect(summary(dueActions(s, deadline))).toContain('L1 plan_not_adopted case → kvv');
  });

  it('the sentence plan deadline counts from admission to prison, not to häkte', () => {
    const remand = stateOf(history([], [openInHakte({ policy: policy(bare) }), ctx()]));
    expect(planAdoptionDeadline(remand)).toBeNull();
    expect(candidateGaps(remand)).toEqual([]);
    const sentenced = stateOf(history([], openInHakte({ policy: policy(bare) }),
      [{ type: 'change_phase', to: 'anstalt' }, ctx(coordinator, plusDays(NOW, 5))]));
    expect(planAdoptionDeadline(sentenced)).toBe(plusDays(NOW, 35));
  });

  it('each milestone gap is resolved when it is met', () => {
    const late = plusDays(MEETING_DUE, 1);
    let s = tick(milestoneCase(), late).state;
    expect(s.alerts.map((a) => a.kind)).toEqual(['successor_missing', 'meeting_missing', 'plan_not_adopted']);
    const steps: [Command, string][] = [
      [{ type: 'adopt_plan' }, 'resolved case-1-a3'],
      [{ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }, 'resolved case-1-a1'],
      [{ type: 'record_meeting', agencyIds: ['frv-gbg'] }, 'resolved case-1-a2'],
    ];
    for (const [command, expected] of steps) {
      s = apply(s, command, ctx(coordinator, late));
      const r = tick(s, late);
      expect(summary(r.events)).toEqual([expected]);
      s = r.state;
    }
  });

  it('the sentence plan is reviewed at least every four months', () => {
    const adopted = plusDays(NOW, -1);
    const s = milestoneCase({ expectedReleaseAt: '2028-06-01T00:00:00.000Z', responsibility: { successorAgencyId: 'frv-gbg' } },
      { type: 'adopt_plan', at: adopted }, { type: 'record_meeting', agencyIds: [] });
    const REVIEW_DUE = '2027-05-09T00:00:00.000Z'; // adopted 9 Jan 08:00 + P4M
    expect(nextWakeUp(s, NOW)).toBe(plusSeconds(REVIEW_DUE, 8 * 3600));
    const { state, events } = tick(s, '2027-05-10T00:00:00.000Z');
    expect(summary(events)).toEqual(['L1 plan_review_overdue case → kvv']);
    expect(state.alerts[0]!.message).toBe('Verkställighetsplanen skulle ha omprövats senast 2027-05-09.');
    const reviewed = apply(state, { type: 'review_plan' }, ctx(coordinator, '2027-05-11T00:00:00.000Z'));
    expect(summary(dueActions(reviewed, '2027-05-11T00:00:00.000Z'))).toEqual(['resolved case-1-a1']);
    expect(nextWakeUp(reviewed, '2027-05-11T00:00:00.000Z')).toBe('2027-09-11T00:00:00.000Z');
  });

  it('in häkte with a release date, successor and meeting are due; the sentence plan is not', () => {
    const s = stateOf(history([], openCase({ phase: 'hakte', policy: policy(bare) })));
    expect(summary(dueActions(s, MEETING_DUE))).toEqual(['L1 successor_missing case → kvv', 'L1 meeting_missing case → kvv']);
  });

  it('after release the pre-release milestones are no longer gaps', () => {
    const s = tick(milestoneCase(), MEETING_DUE).state;
    const out = apply(s, { type: 'change_phase', to: 'frigiven' }, ctx(coordinator, MEETING_DUE));
    expect(summary(dueActions(out, MEETING_DUE))).toEqual(['resolved case-1-a1', 'resolved case-1-a2', 'resolved case-1-a3']);
  });

  it('messages name what is missing', () => {
    const { state } = tick(milestoneCase(), MEETING_DUE);
    expect(state.alerts.map((a) => a.message)).toEqual([
      'Ingen har utsetts att ta över samordningsansvaret efter frigivningen.',
      'Inget samordningsmöte har hållits inför frigivningen.',
      `Verkställighetsplanen skulle ha fastställts senast ${PLAN_DUE.slice(0, 10)}.`,
    ]);
  });
});

describe('durations in seconds (PT20S) work the same', () => {
  const T0 = NOW;
  const at = (s: number) => plusSeconds(T0, s);
  const fast = customPolicy({
    requirements: [
      { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT20S', title: 'Bostad ordnad' },
    ],
    reminders: ['PT4S', 'PT1S'],
    escalation: { level2After: 'PT3S' },
    followUps: { high: ['PT2S', 'PT4S'], medium: ['PT3S'], low: ['PT5S'] },
    milestones: {
      planAdoptedWithin: 'PT30S', planAdoptedWithinShortStay: 'PT14S', shortStayRemaining: 'PT60S', planReviewEvery: 'PT1H',
      successorNamedBeforeRelease: 'PT10S', meetingBeforeRelease: 'PT5S',
    },
  });

  it('a whole path in seventy seconds: every wake-up has something to do, in order', () => {
    let s = stateOf(opened({ policy: policy(fast), riskLevel: 'high', admittedAt: T0, expectedReleaseAt: at(60) }, ctx(coordinator, T0)));
    const timeline: [number, string[]][] = [];
    let now = T0;
    let released = false;
    for (;;) {
      const next = nextWakeUp(s, now);
      if (next === null) {
        if (released) break;
        now = at(60);
        s = apply(s, { type: 'change_phase', to: 'frigiven' }, ctx(coordinator, now));
        released = true;
      } else {
        now = next;
      }
      const r = tick(s, now);
      s = r.state;
      timeline.push([(Date.parse(now) - Date.parse(T0)) / 1000, summary(r.events)]);
    }
    expect(timeline).toEqual([
      [14, ['L1 plan_not_adopted case → kvv']], // ≤ PT60S to serve: the short deadline
      [36, ['reminder i1 PT4S → sot-1480']], // due PT20S before release at 60 s
      [39, ['reminder i1 PT1S → sot-1480']],
      [40, ['L1 intervention_overdue i1 → sot-1480']],
      [43, ['L2 intervention_overdue i1 → kvv']], // level2After PT3S
      [50, ['L1 successor_missing case → kvv']],
      [55, ['L1 meeting_missing case → kvv']],
      [60, ['resolved case-1-a1', 'resolved case-1-a4', 'resolved case-1-a5', 'L3 released_with_gap i1 → kvv', 'L3 released_with_gap i1 → sot-1480']],
      [62, ['missed f1', 'L1 follow_up_missed f1 → frv-gbg']],
      [64, ['missed f2', 'L1 follow_up_missed f2 → frv-gbg']],
    ]);
  });
});
