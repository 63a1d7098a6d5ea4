import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { openCase as openFastCase, openEventStream } from '../delivery/support';
import { caller, eventTypes, openCase, settle, snapshot, type Call } from './support';

/**
 * Issue 14, the stories behind the matrix: withdrawal ends access at once (also on an open
 * alert stream), transfer moves it, a replayed request is authorised again, and every read
 * is logged before it is served (503 and no data when it cannot be).
 */
let s: ApiTestStack;
let call: Call;
const token = (sub: string, role: string, agencyId?: string) => s.token({ sub, role, ...(agencyId ? { agencyId } : {}) });

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
});
afterAll(async () => {
  await s?.close();
});

const auditRows = async (userId: string, what: string) =>
  (await s.pool.query<{ case_id: string }>('SELECT case_id FROM audit_reads WHERE user_id = $1 AND what = $2', [userId, what])).rows.map((r) => r.case_id);

test('withdrawn consent: the agency loses the case on the next request and on its open alert stream; its alert ends', async () => {
  const boss = await token('stream-boss', 'supervisor', 'sot-1480');
  const stream = openEventStream(`${s.api.url}/v1/alerts/stream`, { authorization: `Bearer ${boss}` });
  await eventually(async () => expect(stream.status()).toBe(200));
  const withdrawnCase = await openFastCase(s, { dueInSeconds: 2, key: 'withdraw-a' });
  const keptCase = await openFastCase(s, { dueInSeconds: 4, key: 'withdraw-b' });
  const caseOf = (e: { data: string }) => JSON.parse(e.data).caseId as string;
  await eventually(async () => expect(stream.events.map(caseOf)).toContain(withdrawnCase.caseId), 20_000);
  const alert = JSON.parse(stream.events.find((e) => caseOf(e) === withdrawnCase.caseId)!.data);
  expect((await call('GET', `/v1/cases/${withdrawnCase.caseId}`, { token: boss })).status).toBe(200);

  const r = await call('PUT', `/v1/cases/${withdrawnCase.caseId}/consent`, { token: withdrawnCase.coordinator, body: { agencyIds: ['af'] } });
  expect(r.status).toBe(200);
  // The next request: gone, everywhere.
  expect((await call('GET', `/v1/cases/${withdrawnCase.caseId}`, { token: boss })).status).toBe(404);
  expect((await call('GET', `/v1/cases/${withdrawnCase.caseId}/events`, { token: boss })).status).toBe(404);
  expect((await call('POST', `/v1/alerts/${alert.alertId}/acknowledge`, { token: boss })).status).toBe(404);
  const alerts = await call('GET', '/v1/alerts?status=all', { token: boss });
  expect(alerts.body.items.map((a: { caseId: string }) => a.caseId)).not.toContain(withdrawnCase.caseId);
  // The alert ended for that reason, in the read model and the trail.
  const row = await s.pool.query('SELECT status, resolved_reason FROM alerts WHERE alert_id = $1', [alert.alertId]);
  expect(row.rows[0]).toEqual({ status: 'resolved', resolved_reason: 'consent_withdrawn' });
  const trail = await call('GET', `/v1/cases/${withdrawnCase.caseId}/events`, { token: withdrawnCase.coordinator });
  expect(trail.body.items).toContainEqual(expect.objectContaining({ type: 'AlertResolved', data: { alertId: alert.alertId, reason: 'consent_withdrawn' } }));

  // The stream goes on for the other client, and never again mentions the withdrawn one.
  await eventually(async () => expect(stream.events.map(caseOf)).toContain(keptCase.caseId), 20_000);
  await new Promise((done) => setTimeout(done, 1_200));
  await stream.close();
  expect(stream.events.filter((e) => caseOf(e) === withdrawnCase.caseId).map((e) => JSON.parse(e.data).status)).toEqual(['open']);
  // Each event it sent was logged, as it was sent.
  expect((await auditRows('stream-boss', 'alert-stream')).length).toBe(stream.events.length);
}, 60_000);

test('transfer moves access: the old coordinating agency loses the case unless it holds a role, the new one gains it and its log', async () => {
  const kvv = await token('coord-kvv-t', 'coordinator', 'kvv-gbg');
  const frv = await token('coord-frv-t', 'coordinator', 'frv-gbg');
  const c = await openCase({ call, pool: s.pool }, kvv, { responsibility: { holderAgencyId: 'sot-1480', successorAgencyId: 'reg-vg' } });
  expect((await call('GET', `/v1/cases/${c.caseId}`, { token: frv })).status).toBe(404);
  const moved = await call('POST', `/v1/cases/${c.caseId}/transfer`, { token: kvv, body: { toAgencyId: 'frv-gbg', reason: 'Klienten har flyttats till frivården' } });
  expect(moved.status).toBe(200);
  expect(moved.body.coordinatorAgencyId).toBe('frv-gbg');
  await settle(s.pool, c.caseId);
  expect((await call('GET', `/v1/cases/${c.caseId}`, { token: kvv })).status).toBe(404);
  expect((await call('GET', '/v1/cases', { token: kvv })).body.items.map((x: { caseId: string }) => x.caseId)).not.toContain(c.caseId);
  expect((await call('GET', `/v1/cases/${c.caseId}`, { token: frv })).status).toBe(200);
  expect((await call('GET', `/v1/cases/${c.caseId}/access-log`, { token: frv })).status).toBe(200);
  const trail = await call('GET', `/v1/cases/${c.caseId}/events`, { token: frv });
  expect(trail.body.items).toContainEqual(expect.objectContaining({
    type: 'CaseTransferred', data: { fromAgencyId: 'kvv-gbg', toAgencyId: 'frv-gbg', reason: 'Klienten har flyttats till frivården' },
  }));
  // The old agency can no longer hand it on or change it.
  expect((await call('POST', `/v1/cases/${c.caseId}/transfer`, { token: kvv, body: { toAgencyId: 'kvv-gbg', reason: 'x' } })).status).toBe(404);
});

test('a replayed request is authorised again: a caller who has lost access gets 404, not the stored response', async () => {
  const kvv = await token('coord-kvv-r', 'coordinator', 'kvv-gbg');
  const sot = await token('coord-sot-r', 'coordinator', 'sot-1480');
  const c = await openCase({ call, pool: s.pool }, kvv, { responsibility: { holderAgencyId: 'sot-1480', successorAgencyId: 'frv-gbg' } });
  const headers = { 'idempotency-key': 'replay-after-loss' };
  const body = { agencyIds: ['sot-1480'] };
  const first = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: sot, headers, body });
  expect(first.status).toBe(201);
  const again = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: sot, headers, body });
  expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
  // sot-1480 no longer holds responsibility: it has no relation left that lets its coordinators see the case.
  expect((await call('PUT', `/v1/cases/${c.caseId}/responsibility`, { token: kvv, body: { holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' } })).status).toBe(200);
  const before = await eventTypes(s.pool, c.caseId);
  const replay = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: sot, headers, body });
  expect(replay.status).toBe(404);
  expect(replay.text).not.toContain('Klient');
  expect(await eventTypes(s.pool, c.caseId)).toEqual(before);
});

test('one audit row per case shown, per page; the access log lists who read the client, newest first, itself included', async () => {
  const kvv = await token('coord-kvv-a', 'coordinator', 'kvv-gbg');
  const opened = [];
  for (let i = 0; i < 3; i += 1) opened.push(await openCase({ call, pool: s.pool }, kvv));
  const list = await call('GET', '/v1/cases', { token: kvv });
  expect(list.status).toBe(200);
  const shown = list.body.items.map((x: { caseId: string }) => x.caseId);
  expect(shown.length).toBeGreaterThanOrEqual(3);
  expect((await auditRows('coord-kvv-a', 'case-list')).sort()).toEqual([...shown].sort());

  const officer = await token('officer-sot-a', 'agency', 'sot-1480');
  const tasks = await call('GET', '/v1/tasks?status=all', { token: officer });
  const taskCases = [...new Set(tasks.body.items.map((x: { caseId: string }) => x.caseId))];
  expect((await auditRows('officer-sot-a', 'tasks')).sort()).toEqual([...taskCases].sort());

  const c = opened[0]!;
  expect((await call('GET', `/v1/cases/${c.caseId}`, { token: officer })).status).toBe(200);
  const log = await call('GET', `/v1/cases/${c.caseId}/access-log`, { token: kvv });
  expect(log.status).toBe(200);
  const entries = log.body.items as { at: string; sub: string; role: string; agencyId: string | null; what: string }[];
  expect(entries[0]).toMatchObject({ sub: 'coord-kvv-a', role: 'coordinator', agencyId: 'kvv-gbg', what: 'access-log' });
  expect(entries[1]).toMatchObject({ sub: 'officer-sot-a', role: 'agency', agencyId: 'sot-1480', what: 'case' });
  expect(entries.map((e) => e.what)).toEqual(expect.arrayContaining(['tasks', 'case-list', 'command']));
  const times = entries.map((e) => Date.parse(e.at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
});

test('an officer sees only what its own tasks need', async () => {
  const kvv = await token('coord-kvv-v', 'coordinator', 'kvv-gbg');
  const c = await openCase({ call, pool: s.pool }, kvv); // needs boende, missbruk; successor frv-gbg
  const sot = await call('GET', `/v1/cases/${c.caseId}`, { token: await token('officer-sot-v', 'agency', 'sot-1480') });
  expect(sot.status).toBe(200);
  expect(sot.body).not.toHaveProperty('consent');
  expect(sot.body).not.toHaveProperty('riskLevel');
  expect(sot.body).not.toHaveProperty('clientView');
  expect(sot.body.needs).toEqual(['boende']);
  expect(sot.body.interventions.map((i: { agencyId: string }) => i.agencyId)).toEqual(['sot-1480']);
  expect(sot.body.responsibility).toEqual({ holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' });
  expect(sot.body.client.name).toBe('Klient Testsson');
  // frivården takes over and plans supervision from the risk level.
  const frv = await call('GET', `/v1/cases/${c.caseId}`, { token: await token('officer-frv-v', 'agency', 'frv-gbg') });
  expect(frv.body.riskLevel).toBe('high');
  expect(frv.body.needs).toEqual([]);
});

describe('a read that cannot be logged is not served', () => {
  beforeAll(async () => {
    // Fault injection in this file's own database: the audit write fails for one user only.
    await s.pool.query(`CREATE FUNCTION audit_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$`);
    await s.pool.query(`CREATE TRIGGER audit_fails BEFORE INSERT ON audit_reads FOR EACH ROW WHEN (NEW.user_id = 'unlogged') EXECUTE FUNCTION audit_fails()`);
  });
  afterAll(async () => {
    await s.pool.query('DROP TRIGGER IF EXISTS audit_fails ON audit_reads');
  });

  test('case, trail, list, inbox and alerts: 503 with no client data; a command: 503 that says the change was made', async () => {
    const kvv = await token('coord-kvv-u', 'coordinator', 'kvv-gbg');
    const c = await openCase({ call, pool: s.pool }, kvv);
    const unlogged = await token('unlogged', 'coordinator', 'kvv-gbg');
    const unloggedBoss = await token('unlogged', 'supervisor', 'sot-1480');
    for (const [path, tok] of [
      [`/v1/cases/${c.caseId}`, unlogged], [`/v1/cases/${c.caseId}/events`, unlogged], ['/v1/cases', unlogged],
      [`/v1/cases/${c.caseId}/access-log`, unlogged], ['/v1/tasks', unloggedBoss], ['/v1/alerts?status=all', unloggedBoss],
    ] as const) {
      const r = await call('GET', path, { token: tok });
      expect({ path, status: r.status }).toEqual({ path, status: 503 });
      expect(r.text).not.toContain('Klient');
      expect(r.text).not.toContain('"items"');
    }
    const before = await snapshot(s.pool, c.caseId);
    const headers = { 'idempotency-key': 'unlogged-meeting' };
    const r = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: unlogged, headers, body: { agencyIds: [] } });
    expect(r.status).toBe(503);
    expect(r.body.detail).toMatch(/change was made/);
    expect(r.text).not.toContain('Klient');
    expect(await eventTypes(s.pool, c.caseId)).toEqual([...(before.events as { type: string }[]).map((e) => e.type), 'CoordinationMeetingRecorded']);
    // Once the log is back, the same request shows the result and changes nothing more.
    await s.pool.query('DROP TRIGGER audit_fails ON audit_reads');
    const retried = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: unlogged, headers, body: { agencyIds: [] } });
    expect(retried.status).toBe(201);
    expect(retried.body.meetings).toHaveLength(1);
    expect((await eventTypes(s.pool, c.caseId)).filter((t) => t === 'CoordinationMeetingRecorded')).toHaveLength(1);
  });
});
