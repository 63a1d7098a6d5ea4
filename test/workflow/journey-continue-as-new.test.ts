import type { CommandRequest } from '../../workflows/messages';
import { caseWorkflowId } from '../../workflows/messages';
import { eventually } from '../../dev/eventually';
import { fastPolicy, inSeconds, openCommand, request, social } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { alertsOf, eventsAfter, expectContiguous, expectNoDuplicateAlerts, typesOf } from './event-log';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * The memo lowers the history threshold so that a case continues as new every few commands.
 * Across runs the case must keep its state, recognise request ids it applied in an earlier run,
 * and keep its timers.
 */
test('continue-as-new keeps the state, the processed request ids and the timers', async () => {
  const open = openCommand({ releaseInSeconds: 3600, policy: fastPolicy({ reminders: [] }) });
  const caseId = open.caseId;
  const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
  const runIds: string[] = [];
  const noteRun = async () => {
    const { runId } = await handle.describe();
    if (runIds.at(-1) !== runId) runIds.push(runId);
  };
  const send = (req: CommandRequest) => stack.journeys.send(caseId, req);

  await stack.journeys.open(caseId, request(open), { continueAsNewAfter: 40 });
  await noteRun();
  const adopt = request({ type: 'adopt_plan' });
  const responsibility = request({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' });
  await send(adopt);
  await send(responsibility);
  await noteRun();
  const firstRunId = runIds[0];
  for (let k = 1; k <= 8; k++) {
    await send(request({ type: 'record_client_view', text: `synpunkt ${k}` }));
    await noteRun();
  }
  expect(runIds.length).toBeGreaterThanOrEqual(3);
  const firstRun = await stack.client.workflow.getHandle(caseWorkflowId(caseId), firstRunId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');

  // Commands that arrive together while the case is about to continue as new: each applies once.
  const burst = Array.from({ length: 10 }, (_, k) => request({ type: 'record_meeting', agencyIds: ['sot-1480'], note: `möte ${k}` }));
  const results = await Promise.all(burst.map(send));
  expect(results.every((r) => !r.duplicate)).toBe(true);
  await noteRun();

  const logged = await eventsAfter(stack.pool, caseId);
  const meetings = logged.filter((e) => e.type === 'CoordinationMeetingRecorded');
  expect(meetings.map((e) => e.metadata.requestId).sort()).toEqual(burst.map((r) => r.requestId).sort());

  // Retries of requests applied in the first run: recognised, nothing written, no rejection
  // (adopting the plan again would otherwise be refused: it is already adopted).
  for (const req of [adopt, responsibility]) {
    const again = await send(req);
    expect(again.duplicate).toBe(true);
    // The version its first answer named, carried across the runs with the request id.
    expect(again.version).toBe(logged.find((e) => e.metadata.requestId === req.requestId)!.version);
  }
  expect(await eventsAfter(stack.pool, caseId)).toHaveLength(logged.length);

  // The workflow's state after the runs is the state the log folds to.
  const state = await stack.journeys.state(caseId);
  const stored = await stack.pool.query('SELECT state FROM case_states WHERE case_id = $1', [caseId]);
  expect(state).toEqual(stored.rows[0].state);
  expect(state).toMatchObject({ version: logged.length, clientView: 'synpunkt 8', plan: { adoptedAt: expect.any(String) } });
  expect(state?.meetings).toHaveLength(10);

  // Timers still fire in a later run: housing due 2 s from now, level 2 three seconds after.
  const moved = await send(request({ type: 'set_release_date', expectedReleaseAt: inSeconds(22), reason: 'ny beräkning' }));
  const dueAt = Date.parse(moved.state.interventions[0]!.dueAt!);
  await eventually(async () => {
    const rows = (await alertsOf(stack.pool, caseId)).filter((a) => a.kind === 'intervention_overdue');
    expect(rows.map((a) => [a.level, a.agency_id])).toEqual([[1, 'sot-1480'], [2, 'kvv-gbg']]);
    expect(rows[0]!.raised_at.getTime() - dueAt).toBeLessThan(1_500);
  });
  await send(request({ type: 'complete_intervention', interventionId: 'i1' }, social));
  await eventually(async () => {
    expect((await alertsOf(stack.pool, caseId)).map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });
  await noteRun();
  expect(runIds.length).toBeGreaterThanOrEqual(5);
  expect(new Set(runIds).size).toBe(runIds.length);

  const all = await eventsAfter(stack.pool, caseId);
  expectContiguous(all);
  expectNoDuplicateAlerts(all);
  expect(typesOf(all).filter((t) => t === 'PlanAdopted')).toHaveLength(1);
  // Events name the run that wrote them: more than one run wrote to this stream.
  expect(new Set(all.map((e) => e.metadata.workflowRunId)).size).toBeGreaterThanOrEqual(3);
  // Alerts raised just before a continue-as-new still reach the notification channel.
  await eventually(async () => {
    const delivered = new Set(stack.delivered.filter((n) => n.kind === 'alert' && n.caseId === caseId).map((n) => n.id));
    expect([...delivered].sort()).toEqual((await alertsOf(stack.pool, caseId)).map((a) => a.alert_id).sort());
  }, 5_000);
}, 60_000);
