import { addDuration, instantOf, isoAt } from './duration';
import { SCHEDULE } from './system-actor';
import { alertKey, alertTargets, describe, type AlertTargetInputs } from './alert-plan';
import type { CaseState, Intervention } from './case-state';
import type { DomainEvent } from './schemas/events';
import { evolveOwned } from './evolve';
import { caseGaps, followUpGaps, workGaps, type Gap, type GapInputs } from './gaps';
import { rulesOf } from './rules';

interface AlertPlan { gap: Gap; sinceMs: number; key: string; level: 1 | 2 | 3; agencyId: string; raiseAtMs: number }
interface PlannedReminder { reminderId: string; at: number; before: string }
interface RemindersOf { intervention: Intervention; dueMs: number; reminders: PlannedReminder[] }

/**
 * What the schedule can see coming in a state: every candidate gap's alerts (without their texts,
 * which only a raised alert needs), every reminder, every moment. `dueActions` and `afterStep`
 * both read it, so a step builds it once instead of each of them rebuilding every gap (issue 19:
 * that was most of a simulated year's time).
 */
interface SchedulePlan { alerts: AlertPlan[]; reminders: RemindersOf[]; moments: number[] }

/** Everything a plan is made of: the gaps' inputs, and whom their alerts go to. */
type PlanInputs = GapInputs & AlertTargetInputs;

/**
 * The same plan: every input is the same value. States are never changed once made (evolve
 * returns a new one, sharing what an event left alone), so comparing identities is enough, and
 * an event that touches none of these (an alert acknowledged, raised or resolved, a reminder
 * sent, consent or needs recorded) keeps the plan of the state before it.
 */
function samePlanInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.interventions === b.interventions && a.followUps === b.followUps && a.phase === b.phase
    && a.policy === b.policy && a.plan === b.plan && a.meetings === b.meetings
    && a.responsibility === b.responsibility && a.expectedReleaseAt === b.expectedReleaseAt
    && a.prisonAdmittedAt === b.prisonAdmittedAt && a.releasedAt === b.releasedAt
    && a.atRelease === b.atRelease && a.rules === b.rules && a.period === b.period
    && a.coordinatorAgencyId === b.coordinatorAgencyId;
}

// The plan of the state last looked at is kept: a step asks for it twice, and the next state
// mostly differs from it in what the plan is not made of. A WeakMap of every state would cost
// the garbage collector more than the plans save.
let last: { state: PlanInputs; plan: SchedulePlan } | undefined;

function planOf(s: PlanInputs): SchedulePlan {
  if (last && (last.state === s || samePlanInputs(last.state, s))) {
    last.state = s;
    return last.plan;
  }
  // Most events change one of the work, the rest of the case and its follow-ups: the parts they
  // left alone are kept (each compared on its own inputs, as the whole plan is above).
  const work = lastWork && sameWorkInputs(lastWork.state, s) ? lastWork.part : workPlan(s);
  const rest = lastRest && sameRestInputs(lastRest.state, s) ? lastRest.part : restPlan(s);
  const follow = lastFollow && sameFollowInputs(lastFollow.state, s) ? lastFollow.part : followPlan(s);
  lastWork = { state: s, part: work };
  lastRest = { state: s, part: rest };
  lastFollow = { state: s, part: follow };
  // In the order one pass over `candidateGaps` gives: the work's gaps, the case's, the follow-ups'.
  const alerts = [work.alerts, rest.alerts, follow.alerts].filter((a) => a.length > 0);
  const plan = {
    alerts: alerts.length === 0 ? [] : alerts.length === 1 ? alerts[0]! : alerts[0]!.concat(...alerts.slice(1)),
    reminders: work.reminders,
    moments: [...work.alertMoments, ...rest.moments, ...follow.moments, ...work.reminderMoments],
  };
  last = { state: s, plan };
  return plan;
}

/** The work's part of a plan: its gaps' alerts, and its reminders. */
interface WorkPlan { alerts: AlertPlan[]; alertMoments: number[]; reminders: RemindersOf[]; reminderMoments: number[] }
/** The rest: the case's own gaps' alerts and their moments; or the follow-ups', and the open ones' due times. */
interface RestPlan { alerts: AlertPlan[]; moments: number[] }

let lastWork: { state: PlanInputs; part: WorkPlan } | undefined;
let lastRest: { state: PlanInputs; part: RestPlan } | undefined;
let lastFollow: { state: PlanInputs; part: RestPlan } | undefined;

// What `workGaps`, the reminders and their gaps' `alertTargets` read (no follow-up: work gaps name none).
function sameWorkInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.interventions === b.interventions && a.phase === b.phase && a.policy === b.policy
    && a.releasedAt === b.releasedAt && a.atRelease === b.atRelease && a.coordinatorAgencyId === b.coordinatorAgencyId;
}

// What `caseGaps` and its gaps' `alertTargets` read (no intervention, no follow-up: these gaps name none).
function sameRestInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.phase === b.phase && a.policy === b.policy && a.plan === b.plan
    && a.meetings === b.meetings && a.responsibility === b.responsibility
    && a.expectedReleaseAt === b.expectedReleaseAt && a.prisonAdmittedAt === b.prisonAdmittedAt
    && a.releasedAt === b.releasedAt && a.atRelease === b.atRelease && a.rules === b.rules
    && a.period === b.period && a.coordinatorAgencyId === b.coordinatorAgencyId;
}

// What `followUpGaps` and its gaps' `alertTargets` read.
function sameFollowInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.followUps === b.followUps && a.phase === b.phase && a.policy === b.policy && a.coordinatorAgencyId === b.coordinatorAgencyId;
}

function alertsOf(s: PlanInputs, gaps: Gap[], alerts: AlertPlan[], moments: number[]): void {
  for (const gap of gaps) {
    const sinceMs = instantOf(gap.since);
    for (const { level, agencyId, after } of alertTargets(s, gap)) {
      const raiseAtMs = after === undefined ? sinceMs : addDuration(gap.since, after);
      alerts.push({ gap, sinceMs, key: alertKey(gap, level, agencyId), level, agencyId, raiseAtMs });
      moments.push(raiseAtMs);
    }
  }
}

function workPlan(s: PlanInputs): WorkPlan {
  const alerts: AlertPlan[] = [];
  const alertMoments: number[] = [];
  if (s.phase !== 'avslutad') alertsOf(s, workGaps(s), alerts, alertMoments);
  const reminders: RemindersOf[] = [];
  const reminderMoments: number[] = [];
  for (const i of s.interventions) {
    if (!i.agencyId || !i.dueAt || (i.status !== 'planned' && i.status !== 'accepted')) continue;
    const dueAt = i.dueAt;
    const planned = s.policy.body.reminders.map((before) => ({
      reminderId: `${i.interventionId}@${dueAt}/${before}`,
      at: addDuration(dueAt, before, -1),
      before,
    }));
    reminders.push({ intervention: i, dueMs: instantOf(dueAt), reminders: planned });
    if (s.phase !== 'avslutad') for (const r of planned) reminderMoments.push(r.at);
  }
  return { alerts, alertMoments, reminders, reminderMoments };
}

function restPlan(s: PlanInputs): RestPlan {
  const alerts: AlertPlan[] = [];
  const moments: number[] = [];
  if (s.phase !== 'avslutad') alertsOf(s, caseGaps(s), alerts, moments);
  return { alerts, moments };
}

function followPlan(s: PlanInputs): RestPlan {
  const alerts: AlertPlan[] = [];
  const moments: number[] = [];
  if (s.phase !== 'avslutad') alertsOf(s, followUpGaps(s), alerts, moments);
  for (const f of s.followUps) if (f.status === 'open') moments.push(instantOf(f.dueAt));
  return { alerts, moments };
}

/**
 * The reminder to send now for one intervention: only the latest one whose moment has passed,
 * so a case opened a day before the due date gets one reminder, not a burst of stale ones.
 */
function dueReminder(s: CaseState, r: RemindersOf, t: number): PlannedReminder | undefined {
  if (t >= r.dueMs) return undefined;
  let latest: PlannedReminder | undefined;
  // The first of equal moments wins, in the policy's order.
  for (const x of r.reminders) if (x.at <= t && (!latest || x.at > latest.at)) latest = x;
  return latest && !s.remindersSent.includes(latest.reminderId) ? latest : undefined;
}

/**
 * Everything that has fallen due by `now`, as events to record: reminders, alerts to raise,
 * alerts whose gap has closed, follow-ups now missed. Applying them makes them not due again.
 */
export function dueActions(state: CaseState, now: string): DomainEvent[] {
  return dueStep(state, now).events;
}

/** `dueActions`, and the state once its events are applied (what folding them would give). */
export function dueStep(state: CaseState, now: string): { events: DomainEvent[]; state: CaseState } {
  const t = clockMs(now);
  const events: DomainEvent[] = [];
  let s = state;
  // Whether `s` is a copy made in this step and seen by nobody yet: then the next event may
  // change it in place (`evolveOwned`, as `fold` does) instead of copying it again.
  let owned = false;
  const emit = (e: Omit<DomainEvent, 'occurredAt' | 'actor'>) => {
    // Written out, not spread: every event here is `{ type, data }` (as in `decide`).
    const full = { type: e.type, data: e.data, occurredAt: now, actor: SCHEDULE } as DomainEvent;
    events.push(full);
    s = evolveOwned(s, full, owned);
    owned = true;
  };

  for (const f of state.followUps) {
    if (f.status === 'open' && instantOf(f.dueAt) <= t) emit({ type: 'FollowUpMissed', data: { followUpId: f.followUpId } });
  }

  const judged = s;
  owned = false; // `judged` is kept with its plan and read below: what follows copies it first
  const plan = planOf(judged);
  const wanted = plan.alerts.filter((a) => a.sinceMs <= t && a.raiseAtMs <= t);

  // Closing a case ends its gaps but not the duty to answer for them (rules 2): an alert nobody
  // has acknowledged stays until someone does, and only then ends.
  const closed = s.phase === 'avslutad' && rulesOf(s) >= 2;
  for (const a of s.alerts) {
    // `wanted` is a handful at most: looking through it is cheaper than a Set made at every step.
    if (a.status === 'resolved' || wanted.some((w) => w.key === a.key)) continue;
    if (closed && a.status === 'open') continue;
    emit({ type: 'AlertResolved', data: { alertId: a.alertId, ...(closed ? { reason: 'case_closed' as const } : {}) } });
  }
  for (const a of wanted) {
    const g = a.gap;
    const live = s.alerts.some((x) => x.key === a.key && (x.status !== 'resolved' || x.since === g.since));
    if (live) continue;
    emit({
      type: 'AlertRaised',
      data: {
        alertId: `${s.caseId}-a${s.seq.alert + 1}`,
        key: a.key,
        kind: g.kind,
        level: a.level,
        agencyId: a.agencyId,
        ...(g.interventionId ? { interventionId: g.interventionId } : {}),
        ...(g.followUpId ? { followUpId: g.followUpId } : {}),
        since: g.since,
        message: describe(judged, g),
      },
    });
  }

  if (s.phase !== 'avslutad') {
    for (const r of plan.reminders) {
      const due = dueReminder(s, r, t);
      if (!due) continue;
      const i = r.intervention;
      emit({
        type: 'ReminderSent',
        data: { reminderId: due.reminderId, interventionId: i.interventionId, agencyId: i.agencyId!, dueAt: i.dueAt!, before: due.before },
      });
    }
  }
  // Raising and resolving alerts and sending reminders change nothing the plan is made of
  // (gaps, their alerts' keys and moments, reminders' moments), so the next step's plan is this one.
  if (s !== judged) last = { state: s, plan };
  return { events, state: s };
}

// A step's own clock is a new instant each time: remembering every one would only churn a
// cache, but one step reads the same one up to three times (`dueStep`, then `afterStep`).
let lastClock = '';
let lastClockMs = NaN;
function clockMs(iso: string): number {
  if (iso !== lastClock) {
    lastClockMs = Date.parse(iso);
    lastClock = iso;
  }
  return lastClockMs;
}

/**
 * Every moment at which `dueActions` could have something to do, past or future, unsorted:
 * alerts' raise times (of gaps that may open), follow-ups' due times, reminders.
 */
export function scheduleMoments(s: CaseState): number[] {
  return [...planOf(s).moments];
}

function firstMomentAfter(s: CaseState, t: number): number | null {
  let next = Infinity;
  for (const ms of planOf(s).moments) if (ms > t && ms < next) next = ms;
  return Number.isFinite(next) ? next : null;
}

/**
 * The next moment after `since` at which `dueActions` could have something to do, or null when
 * nothing is ahead. Waking a little too often is harmless; waking too late is a missed alert.
 * `since` is the moment the schedule was last looked at, not the clock after recording what it
 * found: a moment that fell due in between is returned too, even though it is already past.
 */
export function nextWakeUp(s: CaseState, since: string): string | null {
  const next = firstMomentAfter(s, clockMs(since));
  return next === null ? null : isoAt(next);
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
  const wake = firstMomentAfter(s, clockMs(evaluatedAt));
  if (wake === null) return { kind: 'idle' };
  const ms = wake - clockMs(now);
  return ms <= 0 ? { kind: 'now' } : { kind: 'sleep', until: isoAt(wake), ms };
}
