import { domainEventSchema, type EventData, type EventType } from '../../domain/schemas/events';
import { defaultPolicyBody } from '../../domain/schemas/policy';
import { actorText, eventSummary, type TrailContext } from '../../ui/src/event-text';
import { EVENT_TYPES } from '../../ui/src/labels';
import type { EventView } from '../../ui/src/types';

/*
 * The case history's *Detaljer* and *Vem* (ui/src/event-text.ts): every event type of
 * domain/schemas/events.ts gets details of its own, and an alert the schedule closed is put down to
 * what closed its gap, not to a deadline.
 */

const at = '2027-03-01T07:00:00.000Z';
const i1 = 'i1';

/** One event of each type; the mapped type makes a new event type fail to compile here. */
const SAMPLES: { [T in EventType]: EventData<T> } = {
  CaseOpened: {
    caseId: 'c1', client: { municipality: '1480' }, phase: 'anstalt', admittedAt: at, riskLevel: 'medium', needs: ['boende'],
    consent: { agencyIds: ['sot-1480'] }, policy: { policyId: 'default', version: 1, body: defaultPolicyBody }, coordinatorAgencyId: 'kvv-gbg',
    responsibility: { holderAgencyId: 'kvv-gbg', successorAgencyId: null },
  },
  PhaseChanged: { from: 'anstalt', to: 'utslussning', at, measure: 'halvvagshus' },
  ReleaseDateChanged: { expectedReleaseAt: at, previous: null, reason: 'Ny beräkning' },
  NeedsChanged: { needs: [] },
  RiskLevelChanged: { riskLevel: 'high', reason: 'Ny bedömning' },
  ConsentChanged: { agencyIds: [] },
  ResponsibilityChanged: { holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' },
  ClientViewRecorded: { text: '' },
  InterventionPlanned: {
    interventionId: i1, area: 'boende', title: 'Bostad ordnad', agencyId: 'sot-1480', requiredBeforeRelease: true, dueAt: at, dueBeforeRelease: 'P30D', requirementIndex: 0,
  },
  InterventionAssigned: { interventionId: i1, agencyId: 'sot-1480', previousAgencyId: null },
  InterventionAccepted: { interventionId: i1 },
  InterventionCompleted: { interventionId: i1 },
  InterventionDeclined: { interventionId: i1, reason: 'Vill inte' },
  InterventionWaived: { interventionId: i1, reason: 'Har redan bostad' },
  InterventionCancelled: { interventionId: i1, reason: 'need_removed' },
  FollowUpScheduled: { followUpId: 'f1', agencyId: 'frv-gbg', offset: 'P7D', dueAt: at },
  FollowUpCompleted: { followUpId: 'f1' },
  FollowUpMissed: { followUpId: 'f1' },
  FollowUpCancelled: { followUpId: 'f1', reason: 'case_closed' },
  CoordinationMeetingRecorded: { at, agencyIds: ['sot-1480'] },
  PlanAdopted: { at },
  PlanReviewed: { at },
  ReminderSent: { reminderId: 'r1', interventionId: i1, agencyId: 'sot-1480', dueAt: at, before: 'P7D' },
  AlertRaised: { alertId: 'a1', key: 'k', kind: 'intervention_overdue', level: 1, agencyId: 'sot-1480', interventionId: i1, since: at, message: '' },
  AlertAcknowledged: { alertId: 'a1' },
  AlertResolved: { alertId: 'a1' },
  CaseTransferred: { fromAgencyId: 'kvv-gbg', toAgencyId: 'kvv-sthlm', reason: '' },
  CaseErased: { reason: 'retention' },
  RulesAdopted: { rules: 2 },
  SentenceRecorded: {
    sentence: { length: 'P2Y6M', startsAt: '2025-03-01', judgmentAt: '2025-02-10' },
    releaseEstimate: { estimatedReleaseAt: '2026-11-01T00:00:00.000Z', sentenceEndsAt: '2027-09-01T00:00:00.000Z', probationEndsAt: '2027-11-01T00:00:00.000Z', conditionalRelease: true },
    previous: null, usedAsReleaseDate: true,
  },
  ResponsibilityHandedOver: { fromAgencyId: 'kvv-gbg', toAgencyId: 'frv-gbg' },
  GapPredicted: { interventionId: i1, agencyId: 'sot-1480', dueAt: at, probability: 0.31, basis: 'observed', observations: 42, medianDays: 24, asOf: at },
  PredictedGapWithdrawn: { interventionId: i1, reason: 'completed' },
};

const person = { sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg', name: 'Anna Andersson' };
const schedule = { system: 'schedule' };
const names: Record<string, string> = { 'kvv-gbg': 'Kriminalvården Göteborg', 'sot-1480': 'Socialtjänsten Göteborg', 'frv-gbg': 'Frivården Göteborg' };
const agencyName = (id: string | null) => (id ? (names[id] ?? id) : 'Ingen');

let version = 0;
const ev = (type: string, data: object, actor: Record<string, unknown> = person): EventView => ({ version: ++version, type, occurredAt: at, actor, data: data as Record<string, unknown> });

test('every event type of domainEventSchema has a sample here, valid by the schema, and a Swedish name', () => {
  const types = domainEventSchema.options.map((o) => o.shape.type.value).sort();
  expect(Object.keys(SAMPLES).sort()).toEqual(types);
  for (const type of types) {
    expect(domainEventSchema.safeParse({ type, data: SAMPLES[type], occurredAt: at, actor: person }).success).toBe(true);
    expect(EVENT_TYPES[type]).toMatch(/\S/);
  }
});

test('no event type renders empty details, even with its optional texts left out', () => {
  const all = Object.entries(SAMPLES).map(([type, data]) => ev(type, data));
  const ctx: TrailContext = { all, agencyName };
  for (const e of all) {
    const details = eventSummary(e, ctx);
    expect({ type: e.type, details: details.trim() }).toEqual({ type: e.type, details: expect.stringMatching(/\S/) });
    // Details say more than the event's name, which has a column of its own.
    expect({ type: e.type, details }).not.toEqual({ type: e.type, details: EVENT_TYPES[e.type] });
  }
});

test('a risk-level change says from what to what, and why', () => {
  const opened = ev('CaseOpened', SAMPLES.CaseOpened);
  const changed = ev('RiskLevelChanged', { riskLevel: 'high', reason: 'Ny bedömning' });
  expect(eventSummary(changed, { all: [opened, changed], agencyName })).toBe('Medel → Hög: Ny bedömning');
});

test('an alert closed by completed work is put down to that work; a deadline stays a deadline', () => {
  const planned = ev('InterventionPlanned', SAMPLES.InterventionPlanned);
  const raised = ev('AlertRaised', SAMPLES.AlertRaised, schedule);
  const reminder = ev('ReminderSent', SAMPLES.ReminderSent, schedule);
  const completed = ev('InterventionCompleted', { interventionId: i1 }, { sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const resolved = ev('AlertResolved', { alertId: 'a1' }, schedule);
  const all = [planned, raised, reminder, completed, resolved];
  const ctx = { all, agencyName };
  expect(actorText(resolved, ctx)).toBe('Automatiskt: luckan stängdes när insatsen ”Bostad ordnad” blev klar');
  expect(actorText(raised, ctx)).toBe('Automatiskt (tidsfrist)');
  expect(actorText(reminder, ctx)).toBe('Automatiskt (tidsfrist)');
  expect(actorText(completed, ctx)).toBe('sven, Socialtjänsten Göteborg');
  expect(eventSummary(resolved, ctx)).toBe('Nivå 1 till Socialtjänsten Göteborg: Insats inte klar i tid');

  // A case-level gap closed by the coordinator's act, and an alert ended by a withdrawn consent.
  const plan = ev('AlertRaised', { ...SAMPLES.AlertRaised, alertId: 'a2', kind: 'plan_not_adopted', interventionId: undefined, agencyId: 'kvv-gbg' }, schedule);
  const adopted = ev('PlanAdopted', { at });
  const planClosed = ev('AlertResolved', { alertId: 'a2' }, schedule);
  const withdrawn = ev('AlertResolved', { alertId: 'a1', reason: 'consent_withdrawn' });
  const more = { all: [...all, plan, adopted, planClosed, withdrawn], agencyName };
  expect(actorText(planClosed, more)).toBe('Automatiskt: luckan stängdes när verkställighetsplanen fastställdes');
  expect(actorText(withdrawn, more)).toBe('Anna Andersson, Kriminalvården Göteborg');
  expect(eventSummary(withdrawn, more)).toContain('(samtycket återkallat)');

  // The retention rule is not a deadline of the plan.
  expect(actorText(ev('CaseErased', { reason: 'retention' }, { system: 'retention' }), more)).toBe('Automatiskt (gallring)');
});

test('a predicted gap says how likely, on what it rests and who predicted it; its withdrawal says why', () => {
  const planned = ev('InterventionPlanned', SAMPLES.InterventionPlanned);
  const forecast = { system: 'forecast' };
  const predicted = ev('GapPredicted', SAMPLES.GapPredicted, forecast);
  const prior = ev('GapPredicted', { ...SAMPLES.GapPredicted, basis: 'prior', observations: 3, probability: 0.2 }, forecast);
  const withdrawn = ev('PredictedGapWithdrawn', { interventionId: i1, reason: 'completed' }, { sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const ctx = { all: [planned, predicted, prior, withdrawn], agencyName };
  expect(eventSummary(predicted, ctx).replace(/\s/g, ' ')).toBe('”Bostad ordnad” hos Socialtjänsten Göteborg: 31 % chans att bli klar i tid, utifrån myndighetens 42 senaste insatser inom området, klar senast 2027-03-01');
  expect(eventSummary(prior, ctx)).toContain('för få insatser att mäta (3)');
  expect(actorText(predicted, ctx)).toBe('Automatiskt (prognos)');
  expect(eventSummary(withdrawn, ctx)).toBe('”Bostad ordnad”: insatsen blev klar');
});
