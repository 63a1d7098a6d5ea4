import type { temporal } from '@temporalio/proto';
import { eventually } from '../../dev/eventually';
import { fastPolicy, openCommand, request } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { caseWorkflowId } from '../../workflows/messages';

/**
 * Issue 20, patch `kept-timer`: commands that leave the case's next moment where it was keep its
 * timer (before, every command cancelled it and started it again); a command that moves the
 * moment replaces it.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

type Event = temporal.api.history.v1.IHistoryEvent;
const seconds = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(d?.seconds ?? 0) + (d?.nanos ?? 0) / 1e9;
const timerEvents = (events: Event[]) =>
  events.flatMap((e) => {
    if (e.timerStartedEventAttributes) return [{ id: Number(e.eventId), kind: 'started', timer: e.timerStartedEventAttributes.timerId!, s: seconds(e.timerStartedEventAttributes.startToFireTimeout) }];
    if (e.timerFiredEventAttributes) return [{ id: Number(e.eventId), kind: 'fired', timer: e.timerFiredEventAttributes.timerId!, s: 0 }];
    if (e.timerCanceledEventAttributes) return [{ id: Number(e.eventId), kind: 'canceled', timer: e.timerCanceledEventAttributes.timerId!, s: 0 }];
    return [];
  });

test('a meeting and the client view keep the timer, which raises the alert; a completion moves the next moment and replaces it', async () => {
  // No reminders; housing due 20 s before release, so release in 28 s puts the due moment 8 s ahead.
  const policy = fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' } });
  const open = { ...openCommand({ releaseInSeconds: 28, policy }), responsibility: { successorAgencyId: 'frv-gbg' } };
  const opened = await stack.journeys.open(open.caseId, request(open));
  const dueAt = Date.parse(opened.state.interventions[0]!.dueAt!);
  await stack.journeys.send(open.caseId, request({ type: 'record_meeting', agencyIds: ['sot-1480'] }));
  await stack.journeys.send(open.caseId, request({ type: 'record_client_view', text: 'vill bo nära familjen' }));
  const handle = stack.client.workflow.getHandle(caseWorkflowId(open.caseId));
  const beforeDue = timerEvents((await handle.fetchHistory()).events ?? []);
  // The unopened case's lifetime timer ends with the opening; then the opening's own timer (about
  // 8 s: to the due moment), and nothing since.
  const lifetime = beforeDue[0]!;
  const [armed, ...rest] = beforeDue.filter((t) => t.timer !== lifetime.timer);
  expect(armed).toEqual(expect.objectContaining({ kind: 'started' }));
  expect(armed!.s).toBeGreaterThan(5);
  expect(armed!.s).toBeLessThanOrEqual(8);
  expect(rest).toEqual([]);

  const level1 = await eventually(async () => {
    const { rows } = await stack.pool.query(`SELECT raised_at FROM alerts WHERE case_id = $1 AND kind = 'intervention_overdue' AND level = 1`, [open.caseId]);
    expect(rows).toHaveLength(1);
    return rows[0] as { raised_at: Date };
  }, 20_000);
  expect(level1.raised_at.getTime()).toBeGreaterThanOrEqual(dueAt);
  // That timer fired; the next one is for level 2, an hour on. The alert is in the read model as
  // soon as the step's append commits, a moment before the task that arms the next timer.
  const afterDue = await eventually(async () => {
    const later = timerEvents((await handle.fetchHistory()).events ?? []).filter((t) => t.id > Math.max(...beforeDue.map((b) => b.id)));
    expect(later.slice(0, 2).map((t) => t.kind)).toEqual(['fired', 'started']);
    return later;
  }, 10_000);
  expect(afterDue[0]!.timer).toBe(armed!.timer);
  expect(afterDue[1]!.s).toBeGreaterThan(3590);

  // Level 2 is the next moment; completing housing removes it, so that timer goes.
  const lastBefore = Math.max(...afterDue.map((t) => t.id));
  await stack.journeys.send(open.caseId, request({ type: 'complete_intervention', interventionId: 'i1' }, { sub: 'sot-officer', role: 'agency', agencyId: 'sot-1480' }));
  // Its timer is replaced by one for the next moment (the release date passed), a day off.
  const level2Timer = afterDue.find((t) => t.id === lastBefore)!;
  expect(level2Timer).toEqual(expect.objectContaining({ kind: 'started' }));
  await eventually(async () => {
    const afterCompletion = timerEvents((await handle.fetchHistory()).events ?? []).filter((t) => t.id > lastBefore);
    expect(afterCompletion).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'canceled', timer: level2Timer.timer }),
      expect.objectContaining({ kind: 'started' }),
    ]));
  }, 10_000);
}, 60_000);
