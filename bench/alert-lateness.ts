import { randomUUID } from 'node:crypto';
import { afterCursorSql, LOG_START, type LogCursor } from '../store/log-order';
import type { Command } from '../domain/schemas/commands';
import { policyBodySchema } from '../domain/schemas/policy';
import { caseWorkflowId } from '../workflows/messages';
import { commandRequest, DAY, retried, type BenchContext } from './context';
import { startProfile } from './profile';
import { progress, say } from './progress';
import { inPool, round, sleep, summarize } from './stats';

/**
 * Phase 2, timer precision under load: many deadlines falling due within one minute. First N
 * cases are opened (through Temporal) with their housing intervention due a month ahead. Then
 * each gets a new release date (`set_release_date`, as a coordinator would send it) that puts
 * the deadline at a moment in the window; the moments are spread evenly, in the order the
 * commands are sent, and the window starts late enough for every command to be through before
 * its deadline (from the opening rate just measured, which is the slower command, with margin),
 * whatever else the machine is doing. Nothing else in the policy falls due during the bench (no
 * reminders, level 2 a day later, release a day after the deadline), so the window carries
 * exactly one level-1 `intervention_overdue` alert per case. A case whose command came back
 * less than a second before its deadline would measure the command, not the timer: left out,
 * and counted in the notes.
 *
 * Visible = the alert row exists in the read model. Found by polling `alert_changes` (a cheap
 * incremental read) every POLL_MS; a row first seen by a poll started at t became visible at or
 * before t and after the previous poll started, so the figure overstates by at most one
 * interval. Also reported: raised_at − since, the workflow's own clock when it decided.
 */

const POLL_MS = 20;
const DUE_BEFORE_RELEASE_S = 86_400;

export const ALERT_POLICY = policyBodySchema.parse({
  requirements: [
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: `PT${DUE_BEFORE_RELEASE_S}S`, title: 'Bostad ordnad' },
  ],
  reminders: [],
  escalation: { level2After: 'PT86400S' },
  followUps: { high: ['PT60S'], medium: ['PT60S'], low: ['PT60S'] },
  milestones: { planAdoptedWithin: 'P30D', successorNamedBeforeRelease: 'PT1S', meetingBeforeRelease: 'PT1S' },
});

export interface AlertLatenessResult { n: number; p50Ms: number; p99Ms: number; maxMs: number }

/** Cases whose Temporal history is read to split the lateness into its parts. */
const BREAKDOWN_SAMPLE = 100;

interface HistoryEventLike {
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  workflowTaskStartedEventAttributes?: unknown;
  workflowTaskCompletedEventAttributes?: unknown;
  timerStartedEventAttributes?: { timerId?: string | null; startToFireTimeout?: { seconds?: unknown; nanos?: number | null } | null } | null;
  timerFiredEventAttributes?: { timerId?: string | null } | null;
  workflowTaskScheduledEventAttributes?: unknown;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { attempt?: number | null } | null;
  activityTaskCompletedEventAttributes?: unknown;
}

/** After the deadline's timer fired: how long each part of the step that raised the alert took. */
function stepAfterFire(events: HistoryEventLike[], from: number) {
  let pickup = NaN;
  let task = NaN;
  let activityQueued = NaN;
  let activityRan = NaN;
  let attempts = NaN;
  let taskStartedAt = NaN;
  let scheduledAt = NaN;
  let activityScheduledAt = NaN;
  let activityStartedAt = NaN;
  const firedAt = ms(events[from]!.eventTime);
  for (const e of events.slice(from + 1)) {
    const at = ms(e.eventTime);
    if (e.workflowTaskScheduledEventAttributes && Number.isNaN(scheduledAt)) scheduledAt = at;
    if (e.workflowTaskStartedEventAttributes && Number.isNaN(taskStartedAt)) {
      taskStartedAt = at;
      pickup = at - firedAt;
    }
    if (e.workflowTaskCompletedEventAttributes && Number.isNaN(task)) task = at - taskStartedAt;
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'appendEvents' && Number.isNaN(activityScheduledAt)) activityScheduledAt = at;
    if (e.activityTaskStartedEventAttributes && !Number.isNaN(activityScheduledAt) && Number.isNaN(activityStartedAt)) {
      activityStartedAt = at;
      activityQueued = at - activityScheduledAt;
      attempts = e.activityTaskStartedEventAttributes.attempt ?? 1;
    }
    if (e.activityTaskCompletedEventAttributes && !Number.isNaN(activityStartedAt)) {
      activityRan = at - activityStartedAt;
      break;
    }
  }
  return { pickup, task, activityQueued, activityRan, attempts, scheduledAfterFire: scheduledAt - firedAt };
}

const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

/**
 * Where the lateness comes from, read from the histories of a sample of cases: when the timer
 * that woke the case for its deadline was set to fire (TimerStarted time + duration) against the
 * due moment, how long the workflow task that set it took (from its start, the workflow's clock,
 * to its completion, when the server starts the timer), when the server fired it, and from then
 * until the alert row was visible.
 */
async function timerBreakdown(ctx: BenchContext, sample: { caseId: string; dueAt: number }[], visibleAt: Map<string, number>) {
  const target: number[] = [];
  const arming: number[] = [];
  const fired: number[] = [];
  const toVisible: number[] = [];
  const pickup: number[] = [];
  const stepTask: number[] = [];
  const appendQueued: number[] = [];
  const appendRan: number[] = [];
  let retriedAppends = 0;
  await inPool(sample, 5, async (c) => {
    const history = await ctx.stack.client.workflow.getHandle(caseWorkflowId(c.caseId)).fetchHistory();
    const events = (history.events ?? []) as HistoryEventLike[];
    const started = new Map<string, { at: number; fireAt: number; armingMs: number }>();
    let taskStartedAt = NaN;
    let taskMs = NaN;
    for (const [k, e] of events.entries()) {
      const at = ms(e.eventTime);
      if (e.workflowTaskStartedEventAttributes) taskStartedAt = at;
      if (e.workflowTaskCompletedEventAttributes) taskMs = at - taskStartedAt;
      const ts = e.timerStartedEventAttributes;
      if (ts?.timerId) started.set(ts.timerId, { at, fireAt: at + ms(ts.startToFireTimeout), armingMs: taskMs });
      const tf = e.timerFiredEventAttributes;
      const s = tf?.timerId ? started.get(tf.timerId) : undefined;
      if (s && at >= c.dueAt - 5000) {
        target.push(s.fireAt - c.dueAt);
        arming.push(s.armingMs);
        fired.push(at - s.fireAt);
        toVisible.push(visibleAt.get(c.caseId)! - at);
        const step = stepAfterFire(events, k);
        pickup.push(step.pickup);
        stepTask.push(step.task);
        appendQueued.push(step.activityQueued);
        appendRan.push(step.activityRan);
        if (step.attempts > 1) retriedAppends += 1;
        break;
      }
    }
  });
  return {
    cases: target.length, timerTargetMinusDue: summarize(target), armingTaskMs: summarize(arming),
    firedMinusTarget: summarize(fired), visibleMinusFired: summarize(toVisible),
    // The step the fired timer woke: until a worker took its workflow task, that task, then the
    // append activity waiting for a worker slot and running; appends that needed a retry.
    taskPickupAfterFire: summarize(pickup.filter(Number.isFinite)), stepTaskMs: summarize(stepTask.filter(Number.isFinite)),
    appendQueuedMs: summarize(appendQueued.filter(Number.isFinite)), appendRanMs: summarize(appendRan.filter(Number.isFinite)), retriedAppends,
  };
}

export async function alertLatenessPhase(ctx: BenchContext): Promise<AlertLatenessResult> {
  const { stack } = ctx;
  const n = ctx.quick ? 150 : 1000;
  const windowS = ctx.quick ? 20 : 60;
  const concurrency = 20;
  const releaseAt = (dueAt: number) => new Date(dueAt + DUE_BEFORE_RELEASE_S * 1000).toISOString();
  const cases = Array.from({ length: n }, () => ({ caseId: `alert-${randomUUID()}`, dueAt: 0, armedAt: 0 }));

  const failures: { retries: number; firstError?: string } = { retries: 0 };
  const openBar = progress('alertLateness: open', n);
  const openStarted = performance.now();
  await inPool(cases, concurrency, async (c) => {
    const open: Command = {
      type: 'open_case', caseId: c.caseId, client: { municipality: '1480' }, phase: 'anstalt',
      admittedAt: new Date(Date.now() - 3600_000).toISOString(), expectedReleaseAt: releaseAt(Date.now() + 30 * DAY),
      riskLevel: 'low', needs: [], consent: { agencyIds: ['sot-1480', 'frv-gbg'] },
      responsibility: { successorAgencyId: 'frv-gbg' },
      policy: { policyId: 'bench-alerts', version: 1, body: ALERT_POLICY },
    };
    const req = commandRequest(open);
    await retried('alertLateness: opening a case', () => stack.journeys.open(c.caseId, req), failures);
    openBar.tick();
  });
  const openSeconds = (performance.now() - openStarted) / 1000;
  openBar.done(`${n} opened in ${openSeconds.toFixed(1)} s`);

  // A release-date change is an update of a running workflow, cheaper than an opening.
  const headStartMs = Math.round((openSeconds * 1.5 + 15) * 1000);
  const firstDue = Date.now() + headStartMs;
  cases.forEach((c, k) => {
    c.dueAt = firstDue + Math.round((k * windowS * 1000) / n);
  });
  say(`alertLateness: moving ${n} deadlines into ${windowS} s starting in ${(headStartMs / 1000).toFixed(0)} s`);
  const armBar = progress('alertLateness: set deadlines', n);
  const armStarted = performance.now();
  // inPool takes the items in order: the earliest deadlines are sent first.
  await inPool(cases, concurrency, async (c) => {
    const req = commandRequest({ type: 'set_release_date', expectedReleaseAt: releaseAt(c.dueAt), reason: 'bench' });
    await retried('alertLateness: setting a deadline', () => stack.journeys.send(c.caseId, req), failures);
    c.armedAt = Date.now();
    armBar.tick();
  });
  const armSeconds = (performance.now() - armStarted) / 1000;
  armBar.done(`${n} set in ${armSeconds.toFixed(1)} s`);
  const lateArmed = cases.filter((c) => c.armedAt > c.dueAt - 1000);
  if (lateArmed.length > 0) say(`alertLateness: ${lateArmed.length} deadlines were set less than 1 s before they fell due; left out`);
  const measured = new Map(cases.filter((c) => c.armedAt <= c.dueAt - 1000).map((c) => [c.caseId, c]));
  if (measured.size === 0) throw new Error('alertLateness: every deadline was set too late; the machine is slower than estimated');

  const profile = startProfile(ctx.profileTargets(), { databaseUrl: stack.databaseUrl });
  const visible: number[] = [];
  const raised: number[] = [];
  const seen = new Set<string>();
  const visibleAt = new Map<string, number>();
  let after: LogCursor = LOG_START;
  const lastDue = cases.at(-1)!.dueAt;
  const wait = progress('alertLateness: alerts', measured.size);
  const giveUpAt = lastDue + 60_000;
  while (seen.size < measured.size && Date.now() < giveUpAt) {
    const pollStart = Date.now();
    // In the feed's order (store/log-order.ts), as the alert stream reads it.
    const r = await stack.pool.query<{ seq: string; tx: string; case_id: string; since: Date; raised_at: Date }>(
      `SELECT c.seq::text AS seq, c.tx::text AS tx, a.case_id, a.since, a.raised_at FROM alert_changes c JOIN alerts a ON a.alert_id = c.alert_id
        WHERE ${afterCursorSql('c.tx', 'c.seq', 1, 2)} AND a.kind = 'intervention_overdue' AND a.level = 1 ORDER BY c.tx, c.seq`,
      [after.tx, after.n],
    );
    for (const row of r.rows) {
      after = { tx: row.tx, n: row.seq };
      const c = measured.get(row.case_id);
      if (!c || seen.has(row.case_id)) continue;
      if (row.since.getTime() !== c.dueAt) throw new Error(`alert since ${row.since.toISOString()} is not the case's due moment`);
      seen.add(row.case_id);
      visible.push(pollStart - c.dueAt);
      visibleAt.set(row.case_id, pollStart);
      raised.push(row.raised_at.getTime() - c.dueAt);
    }
    wait.set(seen.size);
    const rest = POLL_MS - (Date.now() - pollStart);
    if (rest > 0) await sleep(rest);
  }
  wait.done();
  ctx.profile('alertLateness', await profile.stop());
  const missing = measured.size - seen.size;
  const v = summarize(visible);
  const rs = summarize(raised);
  const early = raised.filter((x) => x < 0).length;
  const sample = [...measured.values()].filter((c) => visibleAt.has(c.caseId));
  const breakdown = await timerBreakdown(ctx, sample.filter((_, k) => k % Math.max(1, Math.floor(sample.length / BREAKDOWN_SAMPLE)) === 0), visibleAt);
  ctx.detail('alertLateness', {
    windowSeconds: windowS, pollMs: POLL_MS, cases: n, workerCachedWorkflows: ctx.journeyWorker.maxCachedWorkflows, openSeconds: round(openSeconds, 1), setDeadlinesSeconds: round(armSeconds, 1),
    headStartSeconds: round(headStartMs / 1000, 1), commandRetries: failures.retries,
    ...(failures.firstError ? { firstCommandError: failures.firstError } : {}), ...(failures.retries > 0 ? { temporalServerLog: stack.serverLog().slice(-20) } : {}), leftOutSetLate: lateArmed.length, missingAfter60s: missing,
    visibleMinusDue: v, raisedAtMinusSince: rs, raisedBeforeDue: early, breakdown,
  });
  ctx.note('alertLateness', `${n} deadlines over ${windowS} s (${(n / windowS).toFixed(1)}/s), one level-1 alert each, set by ` +
    `set_release_date on ${n} open cases (${concurrency} in flight, ${armSeconds.toFixed(0)} s for all; the last came back ` +
    `${((cases.at(-1)!.dueAt - cases.at(-1)!.armedAt) / 1000).toFixed(0)} s before its deadline); ` +
    `visible = first poll (every ${POLL_MS} ms) of the read model that shows the row. raised_at − since: ` +
    `p50 ${rs.p50Ms.toFixed(0)} ms, p99 ${rs.p99Ms.toFixed(0)} ms, max ${rs.maxMs.toFixed(0)} ms. ` +
    `From ${breakdown.cases} cases' histories: the timer was set to fire p50 ${breakdown.timerTargetMinusDue.p50Ms.toFixed(0)} ms / ` +
    `p99 ${breakdown.timerTargetMinusDue.p99Ms.toFixed(0)} ms after the due moment (the workflow computes the delay from its task's ` +
    `start, the server starts the timer when that task completes; the arming task took p50 ${breakdown.armingTaskMs.p50Ms.toFixed(0)} ms / ` +
    `p99 ${breakdown.armingTaskMs.p99Ms.toFixed(0)} ms), the server fired it p50 ${breakdown.firedMinusTarget.p50Ms.toFixed(0)} ms after that, ` +
    `and the alert was visible p50 ${breakdown.visibleMinusFired.p50Ms.toFixed(0)} ms / p99 ${breakdown.visibleMinusFired.p99Ms.toFixed(0)} ms after the timer fired ` +
    `(a worker took the woken step's task p50 ${breakdown.taskPickupAfterFire.p50Ms.toFixed(0)} ms / p99 ${breakdown.taskPickupAfterFire.p99Ms.toFixed(0)} ms after the fire, ` +
    `the task took p50 ${breakdown.stepTaskMs.p50Ms.toFixed(0)} ms, its append waited p50 ${breakdown.appendQueuedMs.p50Ms.toFixed(0)} ms for a slot and ran ` +
    `p50 ${breakdown.appendRanMs.p50Ms.toFixed(0)} ms; ${breakdown.retriedAppends} appends retried; worker cache ${ctx.journeyWorker.maxCachedWorkflows} workflows)` +
    `${missing > 0 ? `; ${missing} alerts not seen within 60 s of the last deadline (left out of the figures)` : ''}` +
    `${lateArmed.length > 0 ? `; ${lateArmed.length} deadlines set too late to measure` : ''}.`);
  return { n: seen.size, p50Ms: round(v.p50Ms, 1), p99Ms: round(v.p99Ms, 1), maxMs: round(v.maxMs, 1) };
}
