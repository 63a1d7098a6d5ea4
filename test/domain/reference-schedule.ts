/**
 * The schedule exactly as it was before it was made fast (issue 19): every candidate gap, with
 * its alerts and their texts, rebuilt on each call. The oracle the fast schedule must agree with,
 * event for event and byte for byte, because running workflows replay what it decided.
 */
import type { CaseState, GapKind, Intervention } from '../../domain/case-state';
import { addDuration } from '../../domain/duration';
import type { DomainEvent } from '../../domain/schemas/events';
import { evolve } from '../../domain/evolve';
import { candidateGaps, gapSubject, gapsAt, type Gap } from '../../domain/gaps';
import { rulesOf } from '../../domain/rules';
import { SCHEDULE } from '../../domain/system-actor';

const iso = (ms: number) => new Date(ms).toISOString();

export interface PlannedAlert {
  key: string;
  kind: GapKind;
  level: 1 | 2 | 3;
  agencyId: string;
  interventionId?: string;
  followUpId?: string;
  since: string;
  raiseAt: string;
  message: string;
}

const day = (t: string) => t.slice(0, 10);

function describe(s: CaseState, g: Gap): string {
  const i = g.interventionId ? s.interventions.find((x) => x.interventionId === g.interventionId) : undefined;
  const what = i ? `Insatsen "${i.title}" (${i.area})` : '';
  switch (g.kind) {
    case 'intervention_overdue': return `${what} är inte klar; den skulle vara klar ${day(g.since)}.`;
    case 'intervention_unassigned': return `${what} saknar ansvarig huvudman.`;
    case 'released_with_gap': return `Klienten frigavs ${day(g.since)} utan att ${what.toLowerCase()} var klar.`;
    case 'successor_missing':
      return s.phase === 'frigiven'
        ? `Klienten frigavs ${day(g.since)} utan att någon tog över samordningsansvaret.`
        : `Ingen har utsetts att ta över samordningsansvaret efter frigivningen.`;
    case 'chain_at_risk': {
      const p = s.interventions.find((x) => x.interventionId === g.prerequisiteId);
      const lead = i?.requirementIndex != null ? s.policy.body.requirements[i.requirementIndex]?.leadTime ?? 'PT0S' : 'PT0S';
      const mustBy = s.expectedReleaseAt ? iso(addDuration(s.expectedReleaseAt, lead, -1)) : null;
      return `${what} väntar på "${p?.title ?? ''}", som skulle vara klar ${day(g.since)}. `
        + `Den behöver ${lead} efter det${i?.dueAt ? ` och ska vara klar ${day(i.dueAt)}` : ''}: `
        + `varje dag till blir den lika mycket sen${mustBy ? `, och blir "${p?.title ?? ''}" inte klar senast ${day(mustBy)} hinns den inte före frigivningen` : ''}.`;
    }
    case 'release_date_passed': return `Frigivningen skulle ske ${day(s.expectedReleaseAt ?? g.since)} men har inte registrerats: registrera den eller ändra datumet.`;
    case 'plan_not_adopted': return `Verkställighetsplanen skulle ha fastställts senast ${day(g.since)}.`;
    case 'plan_review_overdue': return `Verkställighetsplanen skulle ha omprövats senast ${day(g.since)}.`;
    case 'meeting_missing': return `Inget samordningsmöte har hållits inför frigivningen.`;
    case 'follow_up_missed': return `Uppföljningen efter frigivningen skulle ha gjorts senast ${day(g.since)}.`;
  }
}

/**
 * Who hears of a gap, at which level and when: level 1 to the agency that owns the work at
 * once, level 2 to the coordinator's agency after the policy's grace period, level 3 to both
 * for a release with a required intervention still open, and to the coordinator's agency for a
 * release nobody took over. Case-level gaps go to the coordinator.
 */
export function plannedAlerts(s: CaseState, g: Gap): PlannedAlert[] {
  const coordinator = s.coordinatorAgencyId;
  const owner = g.interventionId
    ? s.interventions.find((i) => i.interventionId === g.interventionId)?.agencyId ?? null
    : g.followUpId
      ? s.followUps.find((f) => f.followUpId === g.followUpId)?.agencyId ?? null
      : null;
  const message = describe(s, g);
  const make = (level: 1 | 2 | 3, agencyId: string, raiseAt: string): PlannedAlert => ({
    key: `${g.kind}:${gapSubject(g)}:L${level}:${agencyId}`,
    kind: g.kind,
    level,
    agencyId,
    ...(g.interventionId ? { interventionId: g.interventionId } : {}),
    ...(g.followUpId ? { followUpId: g.followUpId } : {}),
    since: g.since,
    raiseAt,
    message,
  });
  switch (g.kind) {
    case 'intervention_overdue': {
      const level2 = make(2, coordinator, iso(addDuration(g.since, s.policy.body.escalation.level2After)));
      return owner ? [make(1, owner, g.since), level2] : [level2];
    }
    case 'released_with_gap':
      return [...new Set([coordinator, ...(owner ? [owner] : [])])].map((a) => make(3, a, g.since));
    case 'follow_up_missed':
      return [make(1, owner ?? coordinator, g.since)];
    // The chain is the plan's, not one agency's: the coordinator's agency hears of it.
    case 'chain_at_risk':
      return [make(1, coordinator, g.since)];
    // After release (rules 2 only) a missing successor is a release with a gap of its own.
    case 'successor_missing':
      return [make(s.phase === 'frigiven' ? 3 : 1, coordinator, g.since)];
    default:
      return [make(1, coordinator, g.since)];
  }
}


interface PlannedReminder { reminderId: string; at: number; before: string; intervention: Intervention }

function reminderMoments(s: CaseState, i: Intervention): PlannedReminder[] {
  if (!i.agencyId || !i.dueAt || (i.status !== 'planned' && i.status !== 'accepted')) return [];
  const dueAt = i.dueAt;
  return s.policy.body.reminders.map((before) => ({
    reminderId: `${i.interventionId}@${dueAt}/${before}`,
    at: addDuration(dueAt, before, -1),
    before,
    intervention: i,
  }));
}

/**
 * The reminder to send now for one intervention: only the latest one whose moment has passed,
 * so a case opened a day before the due date gets one reminder, not a burst of stale ones.
 */
function dueReminder(s: CaseState, i: Intervention, t: number): PlannedReminder | undefined {
  if (!i.dueAt || t >= Date.parse(i.dueAt)) return undefined;
  const passed = reminderMoments(s, i).filter((r) => r.at <= t).sort((a, b) => b.at - a.at);
  const latest = passed[0];
  return latest && !s.remindersSent.includes(latest.reminderId) ? latest : undefined;
}

function raiseTimeOk(a: { raiseAt: string }, t: number) {
  return Date.parse(a.raiseAt) <= t;
}

/**
 * Everything that has fallen due by `now`, as events to record: reminders, alerts to raise,
 * alerts whose gap has closed, follow-ups now missed. Applying them makes them not due again.
 */
export function dueActions(state: CaseState, now: string): DomainEvent[] {
  const t = Date.parse(now);
  const events: DomainEvent[] = [];
  let s = state;
  const emit = (e: Omit<DomainEvent, 'occurredAt' | 'actor'>) => {
    const full = { ...e, occurredAt: now, actor: SCHEDULE } as DomainEvent;
    events.push(full);
    s = evolve(s, full);
  };

  for (const f of state.followUps) {
    if (f.status === 'open' && Date.parse(f.dueAt) <= t) emit({ type: 'FollowUpMissed', data: { followUpId: f.followUpId } });
  }

  const open = gapsAt(s, now);
  const wanted = open.flatMap((g) => plannedAlerts(s, g)).filter((a) => raiseTimeOk(a, t));
  const liveKeys = new Set(wanted.map((a) => a.key));
  // Closing a case ends its gaps but not the duty to answer for them (rules 2): an alert nobody
  // has acknowledged stays until someone does, and only then ends.
  const closed = s.phase === 'avslutad' && rulesOf(s) >= 2;
  for (const a of s.alerts) {
    if (a.status === 'resolved' || liveKeys.has(a.key)) continue;
    if (closed && a.status === 'open') continue;
    emit({ type: 'AlertResolved', data: { alertId: a.alertId, ...(closed ? { reason: 'case_closed' as const } : {}) } });
  }
  for (const a of wanted) {
    const live = s.alerts.some((x) => x.key === a.key && (x.status !== 'resolved' || x.since === a.since));
    if (live) continue;
    emit({
      type: 'AlertRaised',
      data: {
        alertId: `${s.caseId}-a${s.seq.alert + 1}`,
        key: a.key,
        kind: a.kind,
        level: a.level,
        agencyId: a.agencyId,
        ...(a.interventionId ? { interventionId: a.interventionId } : {}),
        ...(a.followUpId ? { followUpId: a.followUpId } : {}),
        since: a.since,
        message: a.message,
      },
    });
  }

  if (s.phase !== 'avslutad') {
    for (const i of s.interventions) {
      const r = dueReminder(s, i, t);
      if (!r) continue;
      emit({
        type: 'ReminderSent',
        data: { reminderId: r.reminderId, interventionId: i.interventionId, agencyId: i.agencyId!, dueAt: i.dueAt!, before: r.before },
      });
    }
  }
  return events;
}

/**
 * Every moment at which `dueActions` could have something to do, past or future, unsorted:
 * alerts' raise times (of gaps that may open), follow-ups' due times, reminders.
 */
export function scheduleMoments(s: CaseState): number[] {
  const moments: number[] = [];
  for (const g of candidateGaps(s)) for (const a of plannedAlerts(s, g)) moments.push(Date.parse(a.raiseAt));
  for (const f of s.followUps) if (f.status === 'open') moments.push(Date.parse(f.dueAt));
  if (s.phase !== 'avslutad') {
    for (const i of s.interventions) for (const r of reminderMoments(s, i)) moments.push(r.at);
  }
  return moments;
}

/**
 * The next moment after `since` at which `dueActions` could have something to do, or null when
 * nothing is ahead. Waking a little too often is harmless; waking too late is a missed alert.
 * `since` is the moment the schedule was last looked at, not the clock after recording what it
 * found: a moment that fell due in between is returned too, even though it is already past.
 */
export function nextWakeUp(s: CaseState, since: string): string | null {
  const t = Date.parse(since);
  let next = Infinity;
  for (const ms of scheduleMoments(s)) if (ms > t && ms < next) next = ms;
  return Number.isFinite(next) ? iso(next) : null;
}

/** What a case does after a schedule step: look again at once, sleep until a moment, or wait for a command. */
export type AfterStep = { kind: 'now' } | { kind: 'sleep'; until: string; ms: number } | { kind: 'idle' };

/**
 * How long a case may sleep after a step that evaluated the schedule at `evaluatedAt` and finished
 * recording at `now`. Recording takes time (an append queued behind others, or a worker or server
 * restart mid-step), and whatever fell due meanwhile is handled before any sleep: `now` comes
 * back until the schedule has been looked at after every moment that has passed.
 */
export function afterStep(s: CaseState, evaluatedAt: string, now: string): AfterStep {
  const wake = nextWakeUp(s, evaluatedAt);
  if (wake === null) return { kind: 'idle' };
  const ms = Date.parse(wake) - Date.parse(now);
  return ms <= 0 ? { kind: 'now' } : { kind: 'sleep', until: wake, ms };
}
