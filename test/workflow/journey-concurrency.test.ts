import { openCommand, request } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { eventsAfter, expectContiguous, summaryOf } from './event-log';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * The workflow is the single writer of its case: commands that arrive at the same moment are
 * applied one after another, each exactly once, with no lock anywhere.
 */
test('50 concurrent commands on one case all apply, each exactly once, in order', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  const caseId = open.caseId;
  await stack.journeys.open(caseId, request(open));
  const n = 50;
  const requests = Array.from({ length: n }, (_, k) =>
    request({ type: 'add_intervention', area: 'annat', title: `Insats ${k + 1}`, agencyId: 'sot-1480', requiredBeforeRelease: false }),
  );
  const results = await Promise.all(requests.map((req) => stack.journeys.send(caseId, req)));

  // Opening planned i1 (housing) and adopted the case rules; the 50 commands planned i2..i51, one each.
  expect(results.every((r) => !r.duplicate)).toBe(true);
  expect(new Set(results.map((r) => r.version)).size).toBe(n);
  const events = await eventsAfter(stack.pool, caseId);
  expectContiguous(events);
  expect(events).toHaveLength(3 + n);
  const planned = events.filter((e) => e.type === 'InterventionPlanned').map((e) => e.data as { interventionId: string; title: string });
  expect(planned.map((p) => p.interventionId)).toEqual(Array.from({ length: n + 1 }, (_, k) => `i${k + 1}`));
  const titles = planned.slice(1).map((p) => p.title);
  expect([...titles].sort()).toEqual(requests.map((r) => (r.command as { title: string }).title).sort());

  // Each request's result names the version of its own event, and shows the case at least there
  // (read from the read model, so possibly with later commands of the burst too).
  for (const [k, req] of requests.entries()) {
    const result = results[k]!;
    const event = events.find((e) => e.metadata.requestId === req.requestId)!;
    expect(event.version).toBe(result.version);
    expect(result.state.version).toBeGreaterThanOrEqual(result.version);
    expect(result.state.interventions.map((i) => i.title)).toContain((req.command as { title: string }).title);
  }

  // The workflow, the log and the read models agree.
  const state = await stack.journeys.state(caseId);
  expect(state?.interventions.map((i) => i.interventionId)).toEqual(planned.map((p) => p.interventionId));
  expect(await summaryOf(stack.pool, caseId)).toMatchObject({ version: 3 + n });
  const tasks = await stack.pool.query(`SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND kind = 'intervention'`, [caseId]);
  expect(tasks.rows[0].n).toBe(n + 1);

  // Sending the same 50 again (a client retrying everything) changes nothing.
  const again = await Promise.all(requests.map((req) => stack.journeys.send(caseId, req)));
  // Temporal answers a retried update id with the update's first answer: the same versions.
  expect(again.map((r) => r.version)).toEqual(results.map((r) => r.version));
  expect(await eventsAfter(stack.pool, caseId)).toHaveLength(3 + n);
}, 60_000);
