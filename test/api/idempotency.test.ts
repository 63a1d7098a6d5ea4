import { randomUUID } from 'node:crypto';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import {
  caller, caseBody, eventTypes, LogCapture, openCase, settle, snapshot, startApiWithLogs, tableCounts, tokensFor,
  type Call, type ExtraApi, type Response, type Tokens,
} from './support';

/**
 * `Idempotency-Key` on POST: a retry with the same key and body gets the first response and
 * changes nothing more; the same key with another body is a 409. Also when the retries race
 * each other, in one API process or in two, and when the first reply was lost.
 */

let s: ApiTestStack;
let call: Call;
let other: ExtraApi;
let t: Tokens;
const ctx = () => ({ call, pool: s.pool });
const key = () => `key-${randomUUID()}`;

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
  // A second API process over the same database and task queue.
  other = await startApiWithLogs(s, new LogCapture(), 'silent');
});
afterAll(async () => {
  await other?.close();
  await s?.close();
});

const count = (types: string[], type: string) => types.filter((x) => x === type).length;
const withKey = (k: string) => ({ 'idempotency-key': k });

async function openWith(k: string, body: unknown, via: Call = call, token = t.coordinator): Promise<Response> {
  return via('POST', '/v1/cases', { token, body, headers: withKey(k) });
}

describe('POST /v1/cases', () => {
  test('twice with the same key and body: the same case and status, one CaseOpened', async () => {
    const k = key();
    const body = caseBody();
    const first = await openWith(k, body);
    expect(first.status).toBe(201);
    await settle(s.pool, first.body.caseId);
    const counts = await tableCounts(s.pool);
    const second = await openWith(k, body);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    // Key order in the body does not make it another request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const third = await openWith(k, reordered);
    expect({ status: third.status, caseId: third.body.caseId }).toEqual({ status: 201, caseId: first.body.caseId });
    expect(count(await eventTypes(s.pool, first.body.caseId), 'CaseOpened')).toBe(1);
    expect(await tableCounts(s.pool)).toEqual(counts);
  });

  test('the same key with another body → 409, and nothing changes', async () => {
    const k = key();
    const first = await openWith(k, caseBody());
    expect(first.status).toBe(201);
    await settle(s.pool, first.body.caseId);
    const before = await snapshot(s.pool, first.body.caseId);
    const counts = await tableCounts(s.pool);
    for (const changed of [
      caseBody({ riskLevel: 'low' }),
      caseBody({ client: { name: 'Någon Annan', municipality: '1480' } }),
      { ...caseBody(), needs: ['boende'] },
    ]) {
      const r = await openWith(k, changed);
      expect({ status: r.status, type: r.body.type }).toEqual({ status: 409, type: 'urn:glappfri:problem:idempotency-key-reused' });
    }
    // The same key on another route is another request, too.
    const elsewhere = await call('POST', `/v1/cases/${first.body.caseId}/transitions`, {
      token: t.coordinator, body: { to: 'frigiven' }, headers: withKey(k),
    });
    expect(elsewhere.status).toBe(409);
    expect(await snapshot(s.pool, first.body.caseId)).toEqual(before);
    expect(await tableCounts(s.pool)).toEqual(counts);
  });

  test('keys belong to their user: the same key from another coordinator is their own request', async () => {
    const k = key();
    const a = await openWith(k, caseBody());
    const b = await openWith(k, caseBody(), call, t.coordinator2);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.caseId).not.toBe(b.body.caseId);
  });

  test('a lost reply (no stored response): the retry still finds the one case', async () => {
    const k = key();
    const body = caseBody();
    const first = await openWith(k, body);
    expect(first.status).toBe(201);
    await settle(s.pool, first.body.caseId);
    // As if the process died after opening the case but before keeping the response.
    await s.pool.query('DELETE FROM idempotency_keys WHERE key = $1', [k]);
    const counts = await tableCounts(s.pool);
    const retry = await openWith(k, body);
    expect({ status: retry.status, caseId: retry.body.caseId }).toEqual({ status: 201, caseId: first.body.caseId });
    expect(retry.body.interventions).toEqual(first.body.interventions);
    expect(count(await eventTypes(s.pool, first.body.caseId), 'CaseOpened')).toBe(1);
    expect(await tableCounts(s.pool)).toEqual(counts);
  });

  test('concurrent retries in one process: one case, one CaseOpened; the others wait their turn (409) or replay', async () => {
    const k = key();
    const body = caseBody();
    const rs = await Promise.all(Array.from({ length: 8 }, () => openWith(k, body)));
    const ok = rs.filter((r) => r.status === 201);
    const busy = rs.filter((r) => r.status === 409);
    expect(ok.length + busy.length).toBe(rs.length);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of busy) expect(r.body.type).toBe('urn:glappfri:problem:idempotency-in-progress');
    const caseIds = new Set(ok.map((r) => r.body.caseId));
    expect(caseIds.size).toBe(1);
    const [caseId] = [...caseIds] as [string];
    await settle(s.pool, caseId);
    expect(count(await eventTypes(s.pool, caseId), 'CaseOpened')).toBe(1);
    // Once the first has answered, a retry replays it.
    const later = await openWith(k, body);
    expect({ status: later.status, caseId: later.body.caseId }).toEqual({ status: 201, caseId });
    const n = await s.pool.query('SELECT count(*)::int AS n FROM client_identities WHERE case_id = $1', [caseId]);
    expect(n.rows[0].n).toBe(1);
  });

  test('concurrent retries through two API processes: the same case from both, one CaseOpened', async () => {
    const k = key();
    const body = caseBody();
    const rs = await Promise.all([openWith(k, body, call), openWith(k, body, other.call), openWith(k, body, call), openWith(k, body, other.call)]);
    const ok = rs.filter((r) => r.status === 201);
    expect(rs.map((r) => (r.status === 201 || (r.status === 409 && r.body.type === 'urn:glappfri:problem:idempotency-in-progress') ? 'ok' : `${r.status} ${JSON.stringify(r.body)}`))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ok.map((r) => r.body.caseId)).size).toBe(1);
    const caseId = ok[0]!.body.caseId as string;
    await settle(s.pool, caseId);
    expect(count(await eventTypes(s.pool, caseId), 'CaseOpened')).toBe(1);
    for (const r of ok) expect(r.body.interventions).toEqual(ok[0]!.body.interventions);
  });
});

describe('intervention completion', () => {
  const complete = (caseId: string, k: string, body: unknown = { note: 'Kontrakt påskrivet' }, via: Call = call) =>
    via('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: t.social, body, headers: withKey(k) });

  test('retried with the same key: the same response, one InterventionCompleted', async () => {
    const c = await openCase(ctx(), t.coordinator);
    const k = key();
    const first = await complete(c.caseId, k);
    expect(first.status).toBe(200);
    expect(first.body.interventions[0]).toMatchObject({ interventionId: 'i1', status: 'completed' });
    await settle(s.pool, c.caseId);
    const before = await snapshot(s.pool, c.caseId);
    const second = await complete(c.caseId, k);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await snapshot(s.pool, c.caseId)).toEqual(before);
    expect(count(await eventTypes(s.pool, c.caseId), 'InterventionCompleted')).toBe(1);
    // Without the key it is a new request, and completing a completed intervention is a 409.
    const fresh = await call('POST', `/v1/cases/${c.caseId}/interventions/i1/complete`, { token: t.social, body: { note: 'Kontrakt påskrivet' } });
    expect(fresh.status).toBe(409);
    // The same key with another note is another request: 409, nothing changes.
    const reused = await complete(c.caseId, k, { note: 'Annat' });
    expect({ status: reused.status, type: reused.body.type }).toEqual({ status: 409, type: 'urn:glappfri:problem:idempotency-key-reused' });
    expect(await snapshot(s.pool, c.caseId)).toEqual(before);
  });

  test('a lost reply: the retry reaches the case, which recognises the request (200, one event)', async () => {
    const c = await openCase(ctx(), t.coordinator);
    const k = key();
    const first = await complete(c.caseId, k);
    expect(first.status).toBe(200);
    await settle(s.pool, c.caseId);
    await s.pool.query('DELETE FROM idempotency_keys WHERE key = $1', [k]);
    const before = await snapshot(s.pool, c.caseId);
    const retry = await complete(c.caseId, k);
    expect(retry.status).toBe(200);
    expect(retry.body.interventions).toEqual(first.body.interventions);
    expect(retry.body.version).toBe(first.body.version);
    expect(await snapshot(s.pool, c.caseId)).toEqual(before);
    expect(count(await eventTypes(s.pool, c.caseId), 'InterventionCompleted')).toBe(1);
  });

  test('concurrent retries, in one process and across two: one InterventionCompleted', async () => {
    const c = await openCase(ctx(), t.coordinator);
    const k = key();
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => complete(c.caseId, k, undefined, i % 2 === 0 ? call : other.call)));
    const ok = rs.filter((r) => r.status === 200);
    expect(rs.every((r) => r.status === 200 || (r.status === 409 && r.body.type === 'urn:glappfri:problem:idempotency-in-progress'))).toBe(true);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    for (const r of ok) expect(r.body.interventions[0]).toMatchObject({ interventionId: 'i1', status: 'completed' });
    await settle(s.pool, c.caseId);
    expect(count(await eventTypes(s.pool, c.caseId), 'InterventionCompleted')).toBe(1);
    const later = await complete(c.caseId, k);
    expect(later.status).toBe(200);
    expect(count(await eventTypes(s.pool, c.caseId), 'InterventionCompleted')).toBe(1);
  });
});

test('an Idempotency-Key that is not 1–255 visible ASCII characters → 400 naming the header, nothing stored', async () => {
  const counts = await tableCounts(s.pool);
  for (const bad of ['two words', 'x'.repeat(256), 'ålder']) {
    const r = await call('POST', '/v1/cases', { token: t.coordinator, body: caseBody(), headers: { 'idempotency-key': bad } });
    expect({ status: r.status, paths: r.body.errors?.map((e: { path: string }) => e.path) }).toEqual({ status: 400, paths: ['idempotency-key'] });
  }
  expect(await tableCounts(s.pool)).toEqual(counts);
});
