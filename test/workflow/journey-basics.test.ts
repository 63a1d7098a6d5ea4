import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from '../../domain/schemas/commands';
import { readStream } from '../../store/event-store';
import { REJECTED, caseWorkflowId, commandUpdate } from '../../workflows/messages';
import { CommandRejected } from '../../api/journey-client';
import { coordinator, openCommand, request, social } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';

let stack: TestStack;

/** Nothing was written for the refused commands, and the case still takes a valid one. */
async function expectUnchangedAndStillWorking(caseId: string, eventsBefore: number): Promise<void> {
  expect(await readStream(stack.pool, caseId)).toHaveLength(eventsBefore);
  const done = await stack.journeys.send(caseId, request({ type: 'complete_intervention', interventionId: 'i1' }, social));
  expect(done.state.interventions[0]!.status).toBe('completed');
}
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

test('opening a case plans it, writes the events and the read models', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  const result = await stack.journeys.open(open.caseId, request(open));
  expect(result.state.interventions).toEqual([
    expect.objectContaining({ area: 'boende', agencyId: 'sot-1480', status: 'planned' }),
  ]);
  const events = await readStream(stack.pool, open.caseId);
  expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'InterventionPlanned', 'RulesAdopted']);
  const tasks = await stack.pool.query('SELECT agency_id, status FROM tasks WHERE case_id = $1', [open.caseId]);
  expect(tasks.rows).toEqual([{ agency_id: 'sot-1480', status: 'planned' }]);
});

test('a retried open with the same request id opens the case once', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  const req = request(open);
  const [a, b] = await Promise.all([stack.journeys.open(open.caseId, req), stack.journeys.open(open.caseId, req)]);
  expect(a.version).toBe(b.version);
  const again = await stack.journeys.open(open.caseId, req);
  expect(again.version).toBe(a.version);
  expect((await readStream(stack.pool, open.caseId)).filter((e) => e.type === 'CaseOpened')).toHaveLength(1);
});

test('a refused command changes nothing and reports the rule', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  await stack.journeys.open(open.caseId, request(open));
  const before = await readStream(stack.pool, open.caseId);
  await expect(stack.journeys.send(open.caseId, request({ type: 'change_phase', to: 'hakte' }))).rejects.toMatchObject({
    rejection: { kind: 'invalid_transition', path: 'to' },
  });
  await expect(
    stack.journeys.send(open.caseId, request({ type: 'complete_intervention', interventionId: 'i1' }, coordinator)),
  ).rejects.toBeInstanceOf(CommandRejected);
  await expectUnchangedAndStillWorking(open.caseId, before.length);
});

test('a malformed command is refused at the edge, and one without a type by the workflow itself', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  await stack.journeys.open(open.caseId, request(open));
  const before = await readStream(stack.pool, open.caseId);
  const malformed = [
    { type: 'complete_intervention' },
    { type: 'add_intervention', area: 'boende', title: 42 },
    { nothing: 'here' },
  ] as unknown as Command[];
  for (const command of malformed) {
    await expect(stack.journeys.send(open.caseId, request(command))).rejects.toMatchObject({ rejection: { kind: 'invalid_input' } });
  }

  // Straight to the workflow, past JourneyClient: the workflow trusts the edge's parsing but not
  // blindly — no type, or a command its rules cannot apply, is refused before it reaches history.
  const direct = (command: unknown) =>
    stack.client.workflow
      .getHandle(caseWorkflowId(open.caseId))
      .executeUpdate(commandUpdate, { args: [request(command as Command)] })
      .then(() => undefined, (err: unknown) => ((err as WorkflowUpdateFailedError).cause as ApplicationFailure));
  const noType = await direct({ nothing: 'here' });
  expect(noType?.type).toBe(REJECTED);
  expect(noType?.details?.[0]).toMatchObject({ kind: 'invalid_input', path: 'type' });
  expect((await direct({ type: 'complete_intervention' }))?.type).toBe(REJECTED);

  await expectUnchangedAndStillWorking(open.caseId, before.length);
});

test('JourneyClient sends commands normalised by the schema: trimmed text', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  await stack.journeys.open(open.caseId, request(open));
  const added = await stack.journeys.send(open.caseId, request({
    type: 'add_intervention', area: 'skulder', title: '  Budget- och skuldrådgivning  ', requiredBeforeRelease: false,
  }));
  expect(added.state.interventions.map((i) => i.title)).toContain('Budget- och skuldrådgivning');
});
