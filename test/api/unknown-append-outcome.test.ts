import { caseWorkflowId } from '../../workflows/messages';
import { openCase, setEnv } from '../delivery/support';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { appendWaiting, holdAppends } from '../../dev/hold-appends';

/*
 * Issue 17, part 3: an append whose outcome is unknown. The event log stalls while a command is
 * being recorded; the command's activity times out through all its retries and the caller gets
 * 503, and then the stalled append commits after all. The log is now ahead of the workflow.
 * Before the fix, the case's next append conflicted: every later command failed, and the first
 * deadline to fall due failed the whole workflow, so the case went silent for good.
 */

let s: ApiTestStack;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv({ DIGEST_INTERVAL: 'off' });
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
  restoreEnv?.();
});

const report = (line: string) => process.stderr.write(`[unknown outcome] ${line}\n`);

test('a command answered 503 whose append landed later is answered as applied on retry, and the case goes on: its deadline raises its alert', async () => {
  // The housing deadline falls after the stalled command has given up (about a minute).
  const { caseId } = await openCase(s, { dueInSeconds: 85, key: 'unknown-outcome' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const accept = (key: string) =>
    s.call('POST', `/v1/cases/${caseId}/interventions/i1/accept`, { token: social, headers: { 'idempotency-key': key }, body: {} });

  const held = await holdAppends(s.pool);
  const started = Date.now();
  let first: Awaited<ReturnType<typeof accept>>;
  try {
    const pending = accept('accept-once');
    await eventually(async () => expect(await appendWaiting(s.pool)).toBe(true));
    first = await pending;
  } finally {
    await held.release();
  }
  report(`held command answered ${first.status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(first.status).toBe(503);
  expect(first.body.detail).toContain('same Idempotency-Key');

  // The stalled append went through once the log came back: the log is ahead of the workflow.
  const accepted = async () =>
    (await s.pool.query(`SELECT version FROM events WHERE stream_id = $1 AND type = 'InterventionAccepted'`, [caseId])).rows;
  await eventually(async () => expect(await accepted()).toHaveLength(1), 15_000);

  // The deadline falls due: the schedule's append finds the log ahead, reads it back and goes on.
  const alerts = async () =>
    (await s.pool.query(`SELECT alert_id FROM alerts WHERE case_id = $1 AND kind = 'intervention_overdue' AND level = 1`, [caseId])).rows;
  await eventually(async () => expect(await alerts()).toHaveLength(1), 60_000);
  const run = await s.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
  expect(run.status.name).toBe('RUNNING');

  // The caller retries with the same key: told it was applied, and it is in the log once.
  const retry = await accept('accept-once');
  report(`retry with the same key answered ${retry.status}`);
  expect(retry.status).toBe(200);
  expect(retry.body.interventions.find((i: { interventionId: string }) => i.interventionId === 'i1').status).toBe('accepted');
  expect(await accepted()).toHaveLength(1);

  // And the case takes new commands.
  const done = await s.call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: social, headers: { 'idempotency-key': 'complete-after' }, body: {} });
  expect(done.status).toBe(200);
  await eventually(async () => {
    const r = await s.pool.query(`SELECT status FROM alerts WHERE case_id = $1 AND kind = 'intervention_overdue'`, [caseId]);
    expect(r.rows.map((x: { status: string }) => x.status)).toEqual(['resolved']);
  });
  // Versions without gaps or repeats, and each alert raised once.
  const versions = (await s.pool.query(`SELECT version FROM events WHERE stream_id = $1 ORDER BY version`, [caseId])).rows.map((r: { version: number }) => r.version);
  expect(versions).toEqual(versions.map((_: number, i: number) => i + 1));
  const raised = (await s.pool.query(`SELECT data->>'alertId' AS id FROM events WHERE stream_id = $1 AND type = 'AlertRaised'`, [caseId])).rows.map((r: { id: string }) => r.id);
  expect(raised.length).toBeGreaterThan(0);
  expect(new Set(raised).size).toBe(raised.length);
  const stored = await s.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE case_id = $1`, [caseId]);
  expect(stored.rows[0].n).toBe(raised.length);
}, 240_000);
