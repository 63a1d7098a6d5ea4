import { eventually } from '../../dev/eventually';
import { fastPolicy, openCommand, probation, request, social } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { alertsOf, eventsAfter, expectContiguous, expectNoDuplicateAlerts, typesOf } from './event-log';
import { sleepUntil } from '../../dev/eventually';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * Timers live in Temporal, not in the worker: while no worker runs, they still fire on the
 * server, and a worker started later replays each case and catches up, writing every due event
 * exactly once. The cases are set up with distant dates first; then, in three quick commands,
 * the deadlines are brought close (times relative to `t0`; housing is due 20 s before release).
 */
test('a worker stopped mid-case and started again fires every pending timer, once', async () => {
  const prepare = async (policy: Parameters<typeof fastPolicy>[0]) => {
    const open = openCommand({ releaseInSeconds: 3600, policy: fastPolicy(policy) });
    await stack.journeys.open(open.caseId, request(open));
    await stack.journeys.send(open.caseId, request({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' }));
    await stack.journeys.send(open.caseId, request({ type: 'record_meeting', agencyIds: ['sot-1480'] }));
    return open.caseId;
  };
  const overdue = await prepare({ reminders: [] });
  const reminded = await prepare({ reminders: ['PT8S'] });
  const released = await prepare({ reminders: [], followUps: { high: ['PT5S', 'PT7S'], medium: [], low: [] } });
  await stack.journeys.send(released, request({ type: 'complete_intervention', interventionId: 'i1' }, social));

  const t0 = Date.now();
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  // released: high risk, follow-ups 5 s and 7 s after release; neither is completed in time.
  const releasedAt = Date.parse((await stack.journeys.send(released, request({ type: 'change_phase', to: 'frigiven' }))).state.releasedAt!);
  // overdue: housing due at +8 s, so level 1 at +8 s and level 2 at +11 s, both while no worker runs.
  await stack.journeys.send(overdue, request({ type: 'set_release_date', expectedReleaseAt: at(28), reason: 'ny beräkning' }));
  // reminded: the reminder is due at +12 s (8 s before the due time at +20 s), also while stopped.
  await stack.journeys.send(reminded, request({ type: 'set_release_date', expectedReleaseAt: at(40), reason: 'ny beräkning' }));

  // The premise: nothing has fallen due yet.
  const before = new Map<string, number>();
  for (const id of [overdue, reminded, released]) {
    const events = await eventsAfter(stack.pool, id);
    expect(typesOf(events).filter((t) => ['AlertRaised', 'ReminderSent', 'FollowUpMissed'].includes(t))).toEqual([]);
    before.set(id, events.length);
  }
  await stack.stopWorker();
  expect(Date.now()).toBeLessThan(Math.min(t0 + 8_000, releasedAt + 5_000));
  await sleepUntil(Math.max(t0 + 13_500, releasedAt + 8_000));
  // Nothing ran while the worker was away.
  for (const [id, n] of before) expect(await eventsAfter(stack.pool, id)).toHaveLength(n);
  const restartedAt = Date.now();
  await stack.startWorker();

  await eventually(async () => {
    const rows = (await alertsOf(stack.pool, overdue)).filter((a) => a.kind === 'intervention_overdue');
    expect(rows.map((a) => [a.level, a.agency_id, a.status])).toEqual([[1, 'sot-1480', 'open'], [2, 'kvv-gbg', 'open']]);
    // Raised once a worker was back, not before: the timers waited for it on the server.
    for (const a of rows) expect(a.raised_at.getTime()).toBeGreaterThanOrEqual(restartedAt - 1_000);
  });
  await eventually(async () => {
    const rows = (await alertsOf(stack.pool, released)).filter((a) => a.kind === 'follow_up_missed');
    expect(rows.map((a) => [a.follow_up_id, a.level, a.agency_id]).sort()).toEqual([['f1', 1, 'frv-gbg'], ['f2', 1, 'frv-gbg']]);
    const missed = (await eventsAfter(stack.pool, released)).filter((e) => e.type === 'FollowUpMissed');
    expect(missed.map((e) => (e.data as { followUpId: string }).followUpId).sort()).toEqual(['f1', 'f2']);
  });
  // The reminder's moment passed while stopped but its due time had not: it is sent late, once.
  await eventually(async () => {
    expect(typesOf(await eventsAfter(stack.pool, reminded))).toContain('ReminderSent');
  });
  // The timers still ahead at restart fire on time with the new worker.
  await eventually(async () => {
    const rows = (await alertsOf(stack.pool, reminded)).filter((a) => a.kind === 'intervention_overdue');
    expect(rows.map((a) => a.level)).toEqual([1, 2]);
  }, 20_000);

  // A missed follow-up done late closes its gap, and the alert resolves.
  await stack.journeys.send(released, request({ type: 'complete_follow_up', followUpId: 'f2' }, probation));
  await eventually(async () => {
    expect((await alertsOf(stack.pool, released)).find((a) => a.follow_up_id === 'f2')?.status).toBe('resolved');
  });

  for (const id of [overdue, reminded, released]) {
    const events = await eventsAfter(stack.pool, id);
    expectContiguous(events);
    expectNoDuplicateAlerts(events);
    expect(typesOf(events).filter((t) => t === 'ReminderSent').length).toBeLessThanOrEqual(1);
    const raised = events.filter((e) => e.type === 'AlertRaised');
    const rows = await alertsOf(stack.pool, id);
    expect(rows.map((a) => a.alert_id).sort()).toEqual(raised.map((e) => (e.data as { alertId: string }).alertId).sort());
    // Each alert reached the notification channel (receivers deduplicate on the id).
    const delivered = new Set(stack.delivered.filter((n) => n.kind === 'alert' && n.caseId === id).map((n) => n.id));
    expect([...delivered].sort()).toEqual(rows.map((a) => a.alert_id).sort());
  }
}, 60_000);
