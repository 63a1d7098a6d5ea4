import { readStream } from '../../store/event-store';
import { CommandRejected } from '../../api/journey-client';
import { coordinator, openCommand, request, social } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
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
  expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'InterventionPlanned']);
  const tasks = await stack.pool.query('SELECT agency_id, status FROM tasks WHERE case_id = $1', [open.caseId]);
  expect(tasks.rows).toEqual([{ agency_id: 'sot-1480', status: 'planned' }]);
});

test('a retried open with the same request id opens the case once', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  const req = request(open);
  const [a, b] = await Promise.all([stack.journeys.open(open.caseId, req), stack.journeys.open(open.caseId, req)]);
  expect(a.state.version).toBe(b.state.version);
  const again = await stack.journeys.open(open.caseId, req);
  expect(again.state.version).toBe(a.state.version);
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
  expect(await readStream(stack.pool, open.caseId)).toHaveLength(before.length);
  const done = await stack.journeys.send(open.caseId, request({ type: 'complete_intervention', interventionId: 'i1' }, social));
  expect(done.state.interventions[0]!.status).toBe('completed');
});
