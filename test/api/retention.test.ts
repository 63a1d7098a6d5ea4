import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { caller, caseBody, openCase, settle, validPin, type Call } from './support';

/**
 * Issue 15, parts 4 and 6, on a compressed clock (CASE_RETENTION=PT3S, IDEMPOTENCY_RETENTION=PT3S,
 * housekeeping every two seconds): a closed case is erased by the schedule once its retention
 * has run out, an open one is not; stored Idempotency-Key responses hold no personal data, still
 * replay the same answer, and are purged after their period.
 */
let s: ApiTestStack;
let call: Call;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  await s.stopWorker();
  await s.startWorker({ housekeeping: { caseRetention: 'PT3S', idempotencyRetention: 'PT3S', interval: 'PT2S' } });
});
afterAll(async () => {
  await s?.close();
});

const NAME = 'Ingrid Gallrasson';
const VIEW = 'Vill helst bo i Bergsjön nära syster';
const REASON = 'Flyttat utomlands, ärendet avslutas';

test('idempotency rows keep references, not views; a closed case is erased after its retention, an open one stays', async () => {
  const coordinator = await s.token({ sub: 'coord-ret', role: 'coordinator', agencyId: 'kvv-gbg' });
  const body = { client: { name: NAME, municipality: '1480', personalIdentityNumber: validPin('19660102', '135') }, clientView: VIEW };
  const exact = caseBody(body);
  const closing = await openCase({ call, pool: s.pool }, coordinator, exact, { 'idempotency-key': 'ret-open-1' });
  const staying = await openCase({ call, pool: s.pool }, coordinator, { ...body, client: { ...body.client, personalIdentityNumber: validPin('19660102', '143') } }, { 'idempotency-key': 'ret-open-2' });

  // What is kept to answer a retry: the case and its version, nothing of the client.
  const rows = await s.pool.query<{ response: unknown; case_id: string }>('SELECT response, case_id FROM idempotency_keys ORDER BY created_at');
  expect(rows.rows).toEqual([
    { response: { kept: 'case-view', caseId: closing.caseId, version: closing.version }, case_id: closing.caseId },
    { response: { kept: 'case-view', caseId: staying.caseId, version: staying.version }, case_id: staying.caseId },
  ]);
  // …and a retry still gets the first answer, composed again.
  const replay = await call('POST', '/v1/cases', { token: coordinator, body: exact, headers: { 'idempotency-key': 'ret-open-1' } });
  expect(replay.status).toBe(201);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.body).toEqual(closing);

  const closed = await call('POST', `/v1/cases/${closing.caseId}/transitions`, { token: coordinator, body: { to: 'avslutad', reason: REASON } });
  expect(closed.status).toBe(200);
  await settle(s.pool, closing.caseId);

  // Purged after IDEMPOTENCY_RETENTION.
  await eventually(async () => {
    expect((await s.pool.query('SELECT count(*)::int AS n FROM idempotency_keys')).rows[0].n).toBe(0);
  }, 30_000, 500);
  // Erased after CASE_RETENTION, by the schedule, and said so; the open case stays.
  await eventually(async () => {
    expect((await call('GET', `/v1/cases/${closing.caseId}`, { token: coordinator })).status).toBe(404);
    const e = await s.pool.query('SELECT reason, requested_by, history_deleted_at FROM erasures WHERE case_id = $1', [closing.caseId]);
    expect(e.rows).toEqual([{ reason: 'retention', requested_by: 'system:retention', history_deleted_at: expect.any(Date) }]);
  }, 90_000, 500);
  expect((await call('GET', `/v1/cases/${staying.caseId}`, { token: coordinator })).status).toBe(200);
  const left = await s.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'CaseErased'`, [closing.caseId]);
  expect(left.rows[0]!.n).toBe(1);
  const identities = await s.pool.query<{ case_id: string }>('SELECT case_id FROM client_identities');
  expect(identities.rows.map((r) => r.case_id)).toEqual([staying.caseId]);
  const state = JSON.stringify((await s.pool.query('SELECT state FROM case_states WHERE case_id = $1', [closing.caseId])).rows);
  expect(state).not.toContain(VIEW);
  expect(state).not.toContain(REASON);
}, 150_000);
