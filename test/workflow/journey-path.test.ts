import { CommandRejected } from '../../api/journey-client';
import type { Command } from '../../domain/schemas/commands';
import type { Person } from '../../domain/schemas/actor';
import { caseWorkflowId } from '../../workflows/messages';
import { coordinator, fastPolicy, inSeconds, openCommand, probation, request, social } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { eventsAfter, expectContiguous, expectNoDuplicateAlerts, summaryOf, typesOf, type SummaryRow } from './event-log';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * The whole path of one client, step by step. Every deadline is far enough ahead (release in an
 * hour, the follow-up a minute after release) that only the commands write to the log, so each
 * step's new events are exactly what that command decided.
 */
test('häkte → anstalt → utslussning → anstalt (revoked) → utslussning → frigiven → avslutad', async () => {
  const { expectedReleaseAt: _none, ...base } = openCommand({
    riskLevel: 'medium',
    policy: fastPolicy({ followUps: { high: ['PT60S'], medium: ['PT60S'], low: ['PT60S'] } }),
  });
  const open: Command = { ...base, phase: 'hakte' };
  const caseId = base.caseId;
  let version = 0;

  /** Sends one command and checks what it wrote to the log and to the case summary. */
  const step = async (
    command: Command,
    expectedTypes: string[],
    summary: Partial<SummaryRow>,
    actor: Person = coordinator,
  ) => {
    const req = request(command, actor);
    const result = command.type === 'open_case' ? await stack.journeys.open(caseId, req) : await stack.journeys.send(caseId, req);
    expect(result.duplicate).toBe(false);
    const written = await eventsAfter(stack.pool, caseId, version);
    expect(typesOf(written)).toEqual(expectedTypes);
    expect(written.every((e) => e.metadata.requestId === req.requestId)).toBe(true);
    version += written.length;
    expect(result.version).toBe(version);
    expect(await summaryOf(stack.pool, caseId)).toMatchObject({ version, ...summary });
    return { result, written };
  };

  const opened = await step(open, ['CaseOpened', 'InterventionPlanned', 'RulesAdopted'], {
    phase: 'hakte', measure: null, expected_release_at: null, released_at: null, closed_at: null, open_gap_count: 0,
  });
  // In häkte the release date is unknown, so the housing intervention has no due time yet.
  expect(opened.result.state.interventions).toEqual([expect.objectContaining({ interventionId: 'i1', agencyId: 'sot-1480', dueAt: null })]);

  await step({ type: 'change_phase', to: 'anstalt' }, ['PhaseChanged'], { phase: 'anstalt', measure: null });

  const releaseAt = inSeconds(3600);
  const dated = await step({ type: 'set_release_date', expectedReleaseAt: releaseAt, reason: 'dom har vunnit laga kraft' }, ['ReleaseDateChanged'], {
    phase: 'anstalt', expected_release_at: new Date(releaseAt),
  });
  expect(dated.result.state.interventions[0]!.dueAt).toBe(new Date(Date.parse(releaseAt) - 20_000).toISOString());
  const task = await stack.pool.query('SELECT due_at FROM tasks WHERE case_id = $1 AND intervention_id = $2', [caseId, 'i1']);
  expect(task.rows[0].due_at).toEqual(new Date(Date.parse(releaseAt) - 20_000));

  const first = await step({ type: 'change_phase', to: 'utslussning', measure: 'frigang' }, ['PhaseChanged'], { phase: 'utslussning', measure: 'frigang' });
  expect(first.written[0]!.data).toMatchObject({ from: 'anstalt', to: 'utslussning', measure: 'frigang' });

  // The measure is revoked: back to anstalt, with the reason on the event.
  const revoked = await step({ type: 'change_phase', to: 'anstalt', reason: 'frigången återkallad' }, ['PhaseChanged'], { phase: 'anstalt', measure: null });
  expect(revoked.written[0]!.data).toMatchObject({ from: 'utslussning', to: 'anstalt', reason: 'frigången återkallad' });

  // A path the rules do not allow changes nothing.
  await expect(stack.journeys.send(caseId, request({ type: 'change_phase', to: 'hakte' }))).rejects.toBeInstanceOf(CommandRejected);
  expect(await eventsAfter(stack.pool, caseId, version)).toEqual([]);

  await step({ type: 'change_phase', to: 'utslussning', measure: 'utokad_frigang' }, ['PhaseChanged'], { phase: 'utslussning', measure: 'utokad_frigang' });

  // Before release: a successor, a coordination meeting, housing in place.
  await step({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' }, ['ResponsibilityChanged'], { phase: 'utslussning' });
  await step({ type: 'record_meeting', agencyIds: ['sot-1480', 'frv-gbg'] }, ['CoordinationMeetingRecorded'], { meeting_count: 1 });
  await step({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet via socialtjänsten' }, ['InterventionCompleted'], { open_gap_count: 0 }, social);

  // Responsibility passes to the successor at release (case rules 2).
  const released = await step({ type: 'change_phase', to: 'frigiven' }, ['PhaseChanged', 'FollowUpScheduled', 'ResponsibilityHandedOver'], {
    phase: 'frigiven', measure: null, closed_at: null, open_gap_count: 0,
  });
  const releasedAt = released.result.state.releasedAt!;
  expect(await summaryOf(stack.pool, caseId)).toMatchObject({ released_at: new Date(releasedAt) });
  expect(released.written[1]!.data).toMatchObject({ followUpId: 'f1', agencyId: 'frv-gbg', offset: 'PT60S' });

  await step({ type: 'complete_follow_up', followUpId: 'f1' }, ['FollowUpCompleted'], { phase: 'frigiven' }, probation);

  const closed = await step({ type: 'change_phase', to: 'avslutad', reason: 'prövotiden har löpt ut' }, ['PhaseChanged'], {
    phase: 'avslutad', open_gap_count: 0,
  });
  const summary = await summaryOf(stack.pool, caseId);
  expect(summary?.closed_at).toEqual(new Date(closed.result.state.closedAt!));
  const stored = await stack.pool.query('SELECT state FROM case_states WHERE case_id = $1', [caseId]);
  expect(stored.rows[0].state).toMatchObject({ phase: 'avslutad', closeReason: 'prövotiden har löpt ut', version });

  // A closed case with no live alert ends its workflow.
  const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
  await expect(handle.result()).resolves.toBeUndefined();
  expect((await handle.describe()).status.name).toBe('COMPLETED');

  const all = await eventsAfter(stack.pool, caseId);
  expect(all).toHaveLength(version);
  expectContiguous(all);
  expectNoDuplicateAlerts(all);
  expect(all.filter((e) => e.type === 'PhaseChanged').map((e) => (e.data as { to: string }).to)).toEqual([
    'anstalt', 'utslussning', 'anstalt', 'utslussning', 'frigiven', 'avslutad',
  ]);
});
