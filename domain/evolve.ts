import { addDuration, isoAt } from './duration';
import type { CaseState, Intervention } from './case-state';
import type { DomainEvent } from './schemas/events';
import { rulesOf } from './rules';
import { forgetSentence } from './sentence';

/** The due time of an intervention that hangs on the release date. */
export function dueFromRelease(expectedReleaseAt: string | undefined, dueBeforeRelease: string): string | null {
  return expectedReleaseAt ? isoAt(addDuration(expectedReleaseAt, dueBeforeRelease, -1)) : null;
}

/** The working release date moved, and with it every due date that hangs on it. */
function withReleaseDate(s: CaseState, release: string): CaseState {
  return {
    ...s,
    expectedReleaseAt: release,
    interventions: s.interventions.map((i) =>
      i.dueBeforeRelease ? { ...i, dueAt: dueFromRelease(release, i.dueBeforeRelease) } : i,
    ),
  };
}

function updateIntervention(s: CaseState, id: string, patch: (i: Intervention) => Intervention): CaseState {
  return Object.assign(s, { interventions: s.interventions.map((i) => (i.interventionId === id ? patch(i) : i)) });
}

/**
 * The only way a case changes. Total over every event: an event that names something unknown
 * leaves the state as it was, so folding a log can never throw.
 */
export function evolve(state: CaseState | undefined, event: DomainEvent): CaseState {
  if (event.type === 'CaseOpened') {
    const d = event.data;
    return {
      caseId: d.caseId,
      version: 1,
      phase: d.phase,
      ...(d.measure ? { measure: d.measure } : {}),
      client: { municipality: d.client.municipality },
      ...(d.clientView ? { clientView: d.clientView } : {}),
      riskLevel: d.riskLevel,
      needs: d.needs,
      admittedAt: d.admittedAt,
      ...(d.phase === 'anstalt' || d.phase === 'utslussning' ? { prisonAdmittedAt: d.admittedAt } : {}),
      ...(d.expectedReleaseAt ? { expectedReleaseAt: d.expectedReleaseAt } : {}),
      // Without Kriminalvården's date the estimate is the working one; only cases with a sentence.
      ...(d.sentence && d.releaseEstimate ? {
        sentence: d.sentence,
        releaseEstimate: d.releaseEstimate,
        releaseDateSource: d.expectedReleaseAt ? 'kriminalvarden' as const : 'estimate' as const,
        expectedReleaseAt: d.expectedReleaseAt ?? d.releaseEstimate.estimatedReleaseAt,
      } : {}),
      openedAt: event.occurredAt,
      openedBy: 'sub' in event.actor ? event.actor.sub : 'system',
      coordinatorAgencyId: d.coordinatorAgencyId,
      policy: d.policy,
      consent: d.consent,
      responsibility: d.responsibility,
      plan: {},
      meetings: [],
      interventions: [],
      followUps: [],
      alerts: [],
      remindersSent: [],
      outcomes: [],
      seq: { intervention: 0, followUp: 0, alert: 0 },
    };
  }
  if (!state) return state as unknown as CaseState;
  // The one copy an event makes: `change` alters this copy, never `state`.
  return change({ ...state }, event);
}

/**
 * An event applied to a state that nobody else holds (a copy made for it): its top level is
 * changed in place, and what lies below it is replaced, never changed, so states it shares
 * arrays and objects with stay as they were.
 */
function change(s: CaseState, event: Exclude<DomainEvent, { type: 'CaseOpened' }>): CaseState {
  s.version = s.version + 1;
  const at = event.occurredAt;
  switch (event.type) {
    case 'PhaseChanged': {
      const d = event.data;
      const next: CaseState = { ...s, phase: d.to };
      if (d.to === 'utslussning') next.measure = d.measure;
      else delete next.measure;
      if (d.to === 'anstalt' && d.from === 'hakte') next.prisonAdmittedAt = d.at;
      if (d.probationEndsAt) next.probationEndsAt = d.probationEndsAt; // sentence.ts
      if (d.to === 'hakte') forgetSentence(next); // sentence.ts
      if (d.to === 'frigiven') {
        next.releasedAt = d.at;
        next.outcomes = [...s.outcomes, { kind: 'released', at: d.at }];
        if (d.openAtRelease) next.atRelease = { openInterventionIds: d.openAtRelease, handedOver: false };
      }
      if (d.to === 'hakte') {
        // A new remand starts a new custody: the old release date no longer holds.
        next.admittedAt = d.at;
        delete next.prisonAdmittedAt;
        delete next.expectedReleaseAt;
        next.plan = {};
        next.outcomes = [...s.outcomes, { kind: 'new_remand', at: d.at }];
        if (rulesOf(s) >= 2) {
          next.period = (s.period ?? 0) + 1;
          delete next.atRelease;
        }
      }
      if (d.to === 'avslutad') {
        next.closedAt = d.at;
        if (d.reason) next.closeReason = d.reason;
        next.outcomes = [...s.outcomes, { kind: 'closed', at: d.at }];
      }
      return next;
    }
    case 'ReleaseDateChanged': {
      const moved = withReleaseDate(s, event.data.expectedReleaseAt);
      // Kriminalvården's date is authoritative from now on; the estimate only stands beside it.
      if (s.sentence) moved.releaseDateSource = 'kriminalvarden';
      return moved;
    }
    case 'SentenceRecorded': {
      const d = event.data;
      const next: CaseState = d.usedAsReleaseDate ? withReleaseDate(s, d.releaseEstimate.estimatedReleaseAt) : { ...s };
      return { ...next, sentence: d.sentence, releaseEstimate: d.releaseEstimate, releaseDateSource: d.usedAsReleaseDate ? 'estimate' : 'kriminalvarden' };
    }
    case 'NeedsChanged':
      return Object.assign(s, { needs: event.data.needs });
    case 'RiskLevelChanged':
      return Object.assign(s, { riskLevel: event.data.riskLevel });
    case 'ConsentChanged':
      return Object.assign(s, { consent: { agencyIds: event.data.agencyIds } });
    case 'ResponsibilityChanged':
      return Object.assign(s, { responsibility: { ...event.data } });
    case 'ResponsibilityHandedOver':
      return Object.assign(s, {
        responsibility: { holderAgencyId: event.data.toAgencyId, successorAgencyId: null },
        ...(s.atRelease ? { atRelease: { ...s.atRelease, handedOver: true } } : {}),
      });
    case 'RulesAdopted':
      return Object.assign(s, { rules: event.data.rules });
    case 'ClientViewRecorded':
      return Object.assign(s, { clientView: event.data.text });
    case 'InterventionPlanned': {
      const d = event.data;
      const intervention: Intervention = {
        interventionId: d.interventionId,
        area: d.area,
        title: d.title,
        agencyId: d.agencyId,
        status: d.agencyId ? 'planned' : 'unassigned',
        requiredBeforeRelease: d.requiredBeforeRelease,
        dueAt: d.dueAt,
        dueBeforeRelease: d.dueBeforeRelease,
        requirementIndex: d.requirementIndex,
        ...(s.period ? { period: s.period } : {}),
        createdAt: at,
        assignedAt: d.agencyId ? at : null,
      };
      return Object.assign(s, {
        interventions: [...s.interventions, intervention],
        seq: { ...s.seq, intervention: s.seq.intervention + 1 },
      });
    }
    case 'InterventionAssigned':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, agencyId: event.data.agencyId, status: 'planned', assignedAt: at,
      }));
    case 'InterventionAccepted':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, status: 'accepted', ...(event.data.note ? { note: event.data.note } : {}),
      }));
    case 'InterventionCompleted':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, status: 'completed', completedAt: at, ...(event.data.note ? { note: event.data.note } : {}),
      }));
    case 'InterventionDeclined':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, status: 'declined', reason: event.data.reason, completedAt: at,
      }));
    case 'InterventionWaived':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, status: 'waived', reason: event.data.reason, completedAt: at,
      }));
    case 'InterventionCancelled':
      return updateIntervention(s, event.data.interventionId, (i) => ({
        ...i, status: 'cancelled', reason: event.data.reason,
      }));
    case 'FollowUpScheduled':
      return Object.assign(s, {
        followUps: [...s.followUps, { ...event.data, status: 'open' }],
        seq: { ...s.seq, followUp: s.seq.followUp + 1 },
      });
    case 'FollowUpCompleted':
      return Object.assign(s, {
        followUps: s.followUps.map((f) =>
          f.followUpId === event.data.followUpId
            ? { ...f, status: 'completed', completedAt: at, ...(event.data.note ? { note: event.data.note } : {}) }
            : f,
        ),
      });
    case 'FollowUpMissed':
    case 'FollowUpCancelled': {
      const status = event.type === 'FollowUpMissed' ? 'missed' : 'cancelled';
      return Object.assign(s, {
        followUps: s.followUps.map((f) => (f.followUpId === event.data.followUpId ? { ...f, status } : f)),
      });
    }
    case 'CoordinationMeetingRecorded':
      return Object.assign(s, { meetings: [...s.meetings, { at: event.data.at, agencyIds: event.data.agencyIds, ...(s.period ? { period: s.period } : {}) }] });
    case 'PlanAdopted':
      return Object.assign(s, { plan: { adoptedAt: event.data.at } });
    case 'PlanReviewed':
      return Object.assign(s, { plan: { ...s.plan, reviewedAt: event.data.at } });
    case 'ReminderSent':
      return Object.assign(s, { remindersSent: [...s.remindersSent, event.data.reminderId] });
    case 'AlertRaised':
      return Object.assign(s, {
        alerts: [...s.alerts, { ...event.data, raisedAt: at, status: 'open' }],
        seq: { ...s.seq, alert: s.seq.alert + 1 },
      });
    case 'AlertAcknowledged':
      return Object.assign(s, {
        alerts: s.alerts.map((a) =>
          a.alertId === event.data.alertId
            ? { ...a, status: 'acknowledged', acknowledgedAt: at, ...('sub' in event.actor ? { acknowledgedBy: event.actor.sub } : {}) }
            : a,
        ),
      });
    case 'AlertResolved':
      return Object.assign(s, {
        alerts: s.alerts.map((a) =>
          a.alertId === event.data.alertId
            ? { ...a, status: 'resolved', resolvedAt: at, ...(event.data.reason ? { resolvedReason: event.data.reason } : {}) }
            : a,
        ),
      });
    case 'GapPredicted': {
      const { asOf, ...mark } = event.data;
      const others = (s.predictedGaps ?? []).filter((p) => p.interventionId !== mark.interventionId);
      return Object.assign(s, { predictedGaps: [...others, { ...mark, predictedAt: asOf }] });
    }
    case 'PredictedGapWithdrawn':
      return Object.assign(s, { predictedGaps: (s.predictedGaps ?? []).filter((p) => p.interventionId !== event.data.interventionId) });
    case 'CaseTransferred':
      return Object.assign(s, { coordinatorAgencyId: event.data.toAgencyId });
    case 'CaseErased':
      return Object.assign(s, { erasedAt: event.occurredAt });
  }
}

/**
 * `events.reduce(evolve, initial)`, copying the state once for all the events instead of once
 * each: the states in between are seen by nobody, so the copy made for the first event takes
 * the others in place (issue 19).
 */
export function fold(events: readonly DomainEvent[], initial?: CaseState): CaseState | undefined {
  let s = initial;
  let owned = false; // `s` was made here and is held by nobody else
  for (const e of events) {
    if (owned && e.type !== 'CaseOpened') {
      s = change(s!, e);
    } else {
      s = evolve(s, e);
      owned = s !== undefined;
    }
  }
  return s;
}

/** `fold`, for the schedule's own use: `s` may be taken in place only when `owned`. */
export function evolveOwned(s: CaseState, event: DomainEvent, owned: boolean): CaseState {
  return owned && event.type !== 'CaseOpened' ? change(s, event) : evolve(s, event);
}
