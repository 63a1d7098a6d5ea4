import type { Pool } from 'pg';
import { ERASED_TEXT } from '../../domain/free-text';
import { compareWithLive, rebuildProjections } from '../../store/rebuild-projections';
import { caseWorkflowId } from '../../workflows/messages';
import { startWebhookReceiver, type WebhookReceiver } from '../delivery/support';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { caller, caseBody, openCase, settle, validPin, type Call } from './support';

/**
 * Issue 15, parts 3, 4 and 6: a client's texts are sealed in the event log with the case's own
 * key, the identity number sealed beside the name, and erasure leaves nothing of either readable
 * in PostgreSQL or Temporal, while the figures and a rebuild stay exactly as they were.
 */
let s: ApiTestStack;
let call: Call;
let hooks: WebhookReceiver;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  // Housekeeping every two seconds: it confirms that Temporal has deleted what it was asked to.
  await s.stopWorker();
  await s.startWorker({ housekeeping: HOUSEKEEPING });
  hooks = await startWebhookReceiver();
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const sub = await call('PUT', '/v1/agencies/sot-1480/subscriptions', {
    token: admin, body: { webhooks: [{ url: hooks.url, secret: 'a-webhook-secret-of-some-length', levels: [1, 2, 3] }], emails: [] },
  });
  expect(sub.status).toBe(200);
});
afterAll(async () => {
  await hooks?.close();
  await s?.close();
});

const HOUSEKEEPING = { caseRetention: 'off', idempotencyRetention: 'P1D', interval: 'PT2S' };
const NAME = 'Kerstin Raderasson';
const PIN = validPin('19790312', '482');
const PIN_FORMS = [PIN, PIN.slice(2), `${PIN.slice(0, 8)}-${PIN.slice(8)}`, `${PIN.slice(2, 8)}-${PIN.slice(8)}`];
const TEXTS = {
  clientView: 'Vill flytta tillbaka till mamma i Kortedala',
  note: 'Har fått plats på Nämndemansgården',
  declined: 'Avböjer substitutionsbehandling just nu',
  title: 'Skuldsanering hos kronofogden',
  meeting: 'Samordnat möte om spelberoendet',
  transfer: 'Klienten flyttar till socialtjänstens område',
};

/** Every row of every table of the database, as text: what a backup or a DBA would read. */
async function everything(pool: Pool): Promise<string> {
  const tables = await pool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const parts: string[] = [];
  for (const t of tables.rows) {
    const r = await pool.query<{ all: string | null }>(`SELECT string_agg(x::text, E'\\n') AS all FROM "${t.schema}"."${t.name}" x`);
    parts.push(`${t.schema}.${t.name}: ${r.rows[0]?.all ?? ''}`);
  }
  return parts.join('\n');
}

const secretsIn = (text: string) => [NAME, ...NAME.split(' '), ...PIN_FORMS, ...Object.values(TEXTS)].filter((x) => text.includes(x));

async function figures() {
  const boss = await s.token({ sub: 'boss-fig', role: 'supervisor', agencyId: 'kvv-gbg' });
  const r = await call('GET', '/v1/metrics/summary', { token: boss });
  expect(r.status).toBe(200);
  const { generatedAt: _generatedAt, ...rest } = r.body;
  return rest;
}

async function rawHistory(caseId: string) {
  return s.client.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(caseId) } });
}

test('texts are sealed in the log, the number beside the name; erasure leaves nothing readable, figures and rebuild unchanged', async () => {
  const coordinator = await s.token({ sub: 'coord-erase', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'officer-erase', role: 'agency', agencyId: 'sot-1480' });
  const boss = await s.token({ sub: 'boss-erase', role: 'supervisor', agencyId: 'sot-1480' });
  const c = await openCase({ call, pool: s.pool }, coordinator, {
    client: { name: NAME, municipality: '1480', personalIdentityNumber: PIN }, clientView: TEXTS.clientView,
  }, { 'idempotency-key': 'erase-open' });
  const id = c.caseId as string;
  const ok = async (r: Promise<{ status: number; text?: string }>, status = 200) => expect((await r).status).toBe(status);
  await ok(call('POST', `/v1/cases/${id}/interventions/i1/complete`, { token: social, body: { note: TEXTS.note } }));
  await ok(call('POST', `/v1/cases/${id}/interventions/i2/decline`, { token: coordinator, body: { reason: TEXTS.declined } }));
  // Overdue in two seconds: an alert quoting the title, and a webhook delivery carrying it.
  await ok(call('POST', `/v1/cases/${id}/interventions`, {
    token: coordinator, headers: { 'idempotency-key': 'erase-add' },
    body: { area: 'skulder', title: TEXTS.title, agencyId: 'sot-1480', requiredBeforeRelease: true, dueAt: new Date(Date.now() + 2000).toISOString() },
  }), 201);
  await ok(call('POST', `/v1/cases/${id}/meetings`, { token: coordinator, body: { note: TEXTS.meeting, agencyIds: ['sot-1480'] } }), 201);
  await eventually(async () => {
    const alerts = await call('GET', '/v1/alerts', { token: boss });
    expect(alerts.body.items.map((a: { caseId: string }) => a.caseId)).toContain(id);
  }, 20_000);
  await eventually(async () => expect(hooks.requests.some((r) => r.body.includes(TEXTS.title))).toBe(true), 20_000);
  await ok(call('POST', `/v1/cases/${id}/transfer`, { token: coordinator, body: { toAgencyId: 'sot-1480', reason: TEXTS.transfer } }));
  const successor = await s.token({ sub: 'coord-sot-erase', role: 'coordinator', agencyId: 'sot-1480' });
  await settle(s.pool, id);

  // Before: the log holds every text sealed, and no table holds the number in the clear.
  const log = JSON.stringify((await s.pool.query('SELECT data FROM events WHERE stream_id = $1', [id])).rows);
  expect(Object.values(TEXTS).filter((t) => log.includes(t))).toEqual([]);
  const before = await everything(s.pool);
  expect(PIN_FORMS.filter((f) => before.includes(f))).toEqual([]);
  expect(before).toContain(NAME); // in client_identities and nowhere else it could not be erased from
  // …while the trail and the case still read as typed.
  const trail = await call('GET', `/v1/cases/${id}/events`, { token: successor });
  expect(JSON.stringify(trail.body)).toContain(TEXTS.note);
  expect((await call('GET', `/v1/cases/${id}`, { token: successor })).body.client.personalIdentityNumber).toBe(`${PIN.slice(0, 8)}-****`);
  const figuresBefore = await figures();

  // Only the coordinating agency's coordinators erase; the reason is one of the named ones.
  // Kriminalvården still sees the case (it holds responsibility) but no longer coordinates it.
  const stillSees = (await call('GET', `/v1/cases/${id}`, { token: coordinator })).status === 200;
  await ok(call('DELETE', `/v1/cases/${id}`, { token: coordinator, body: { reason: 'opened_in_error' } }), stillSees ? 403 : 404);
  await ok(call('DELETE', `/v1/cases/${id}`, { token: social, body: { reason: 'opened_in_error' } }), 403);
  const bad = await call('DELETE', `/v1/cases/${id}`, { token: successor, body: { reason: 'tired of it' } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('reason');
  expect((await call('GET', `/v1/cases/${id}`, { token: successor })).status).toBe(200);

  await ok(call('DELETE', `/v1/cases/${id}`, { token: successor, body: { reason: 'opened_in_error' } }), 204);

  // Gone for everyone, everywhere.
  for (const [who, path] of [
    [successor, `/v1/cases/${id}`], [successor, `/v1/cases/${id}/events`], [successor, `/v1/cases/${id}/export`],
    [successor, `/v1/cases/${id}/access-log`], [boss, `/v1/cases/${id}`],
  ] as const) await ok(call('GET', path, { token: who }), 404);
  for (const [who, path] of [[successor, '/v1/cases'], [social, '/v1/tasks?status=all'], [boss, '/v1/alerts?status=all']] as const) {
    const r = await call('GET', path, { token: who });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(id);
  }
  await ok(call('DELETE', `/v1/cases/${id}`, { token: successor, body: { reason: 'opened_in_error' } }), 404);

  // Nothing readable in any table, nor in Temporal, whose history is deleted.
  expect(secretsIn(await everything(s.pool))).toEqual([]);
  await eventually(async () => expect(rawHistory(id)).rejects.toThrow(/not found/i), 30_000, 500);
  await eventually(async () => {
    const erasure = await s.pool.query('SELECT reason, requested_by, history_deleted_at FROM erasures WHERE case_id = $1', [id]);
    expect(erasure.rows).toEqual([expect.objectContaining({ reason: 'opened_in_error', requested_by: 'coord-sot-erase', history_deleted_at: expect.any(Date) })]);
  }, 60_000, 500);
  const last = await s.pool.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1', [id]);
  expect(last.rows[0]).toEqual({ type: 'CaseErased', data: { reason: 'opened_in_error' } });
  // The skeleton stays: texts read as erased, the figures exactly as they were.
  const skeleton = await s.pool.query<{ title: string }>('SELECT title FROM tasks WHERE case_id = $1', [id]);
  expect(skeleton.rows.length).toBeGreaterThan(0);
  expect(skeleton.rows.filter((r) => r.title === ERASED_TEXT).length).toBeGreaterThan(0);
  expect(await figures()).toEqual(figuresBefore);

  // A rebuild agrees with the live read models, and changes nothing in the figures.
  expect((await compareWithLive(s.pool)).equal).toBe(true);
  await rebuildProjections(s.pool);
  expect((await compareWithLive(s.pool)).equal).toBe(true);
  expect(await figures()).toEqual(figuresBefore);
  expect(secretsIn(await everything(s.pool))).toEqual([]);
  // A retried opening with the first key does not bring the case back.
  const again = await call('POST', '/v1/cases', {
    token: coordinator, headers: { 'idempotency-key': 'erase-open' },
    body: caseBody({ client: { name: NAME, municipality: '1480' }, clientView: TEXTS.clientView }),
  });
  expect(again.status).toBe(409);
  expect(secretsIn(await everything(s.pool))).toEqual([]);
}, 120_000);

test('an erasure cut short by an outage is finished by the housekeeping schedule', async () => {
  const coordinator = await s.token({ sub: 'coord-erase2', role: 'coordinator', agencyId: 'kvv-gbg' });
  const c = await openCase({ call, pool: s.pool }, coordinator, { client: { name: NAME, municipality: '1480' }, clientView: TEXTS.clientView });
  // The intent recorded, then the process died before anything else (as the API does first).
  await s.pool.query(`INSERT INTO erasures (case_id, reason, requested_by) VALUES ($1, 'duplicate', 'coord-erase2')`, [c.caseId]);
  await eventually(async () => expect((await call('GET', `/v1/cases/${c.caseId}`, { token: coordinator })).status).toBe(404), 30_000, 500);
  await eventually(async () => {
    const r = await s.pool.query('SELECT history_deleted_at FROM erasures WHERE case_id = $1', [c.caseId]);
    expect(r.rows[0].history_deleted_at).toBeInstanceOf(Date);
  }, 60_000, 500);
  await expect(rawHistory(c.caseId)).rejects.toThrow(/not found/i);
}, 90_000);
