import { addDuration } from './duration';
import { SCHEDULE } from './system-actor';
import { plannedAlerts } from './alert-plan';
import type { CaseState, Intervention } from './case-state';
import type { DomainEvent } from './schemas/events';
import { evolve } from './evolve';
import { candidateGaps, gapsAt } from './gaps';
import { rulesOf } from './rules';

const iso = (ms: number) => new Date(ms).toISOString();

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
