import { createMemoryIdempotencyStore, type IdempotencyStore } from '../../store/idempotency';
import { bearer, buildTestServer, devToken, type TestServer } from './harness';

describe('Idempotency-Key on POST', () => {
  let t: TestServer;
  let store: ReturnType<typeof createMemoryIdempotencyStore>;
  let coordinator: string;
  let otherCoordinator: string;
  const body = { client: { name: 'Anna', municipality: '1480' }, needs: ['boende'] };
  const post = (token: string, key: string | undefined, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: { ...bearer(token), ...(key !== undefined ? { 'idempotency-key': key } : {}) },
      payload: payload as object,
    });

  beforeAll(async () => {
    store = createMemoryIdempotencyStore();
    t = await buildTestServer({ idempotency: store });
    coordinator = await devToken(t.app, { sub: 'c1', role: 'coordinator', agencyId: 'kvv-gbg' });
    otherCoordinator = await devToken(t.app, { sub: 'c2', role: 'coordinator', agencyId: 'kvv-gbg' });
  });
  afterAll(() => t.app.close());
  beforeEach(() => {
    t.counters.created = 0;
  });

  test('a retry with the same key and body replays the first response and runs nothing', async () => {
    const first = await post(coordinator, 'key-1', body);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(coordinator, 'key-1', { needs: ['boende'], client: { municipality: '1480', name: 'Anna' } });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.json()).toEqual(first.json());
    expect(t.counters.created).toBe(1);
  });

  test('the same key with another body is a 409 problem and runs nothing', async () => {
    await post(coordinator, 'key-2', body);
    const res = await post(coordinator, 'key-2', { ...body, client: { name: 'Anna', municipality: '1401' } });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 409, title: 'Conflict' });
    expect(t.counters.created).toBe(1);
  });

  test('keys are scoped per user', async () => {
    const a = await post(coordinator, 'key-3', body);
    const b = await post(otherCoordinator, 'key-3', body);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().sampleId).not.toBe(a.json().sampleId);
    expect(t.counters.created).toBe(2);
  });

  test('only 2xx responses are stored', async () => {
    const refused = await post(coordinator, 'key-4', { client: { name: 'conflict', municipality: '1480' } });
    expect(refused.statusCode).toBe(409);
    const invalid = await post(coordinator, 'key-5', { client: { name: 'Anna', municipality: 'x' } });
    expect(invalid.statusCode).toBe(400);
    const retried = await post(coordinator, 'key-5', body);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await store.find('key-4', 'c1')).toBeNull();
    expect(await store.find('key-5', 'c1')).toMatchObject({ status: 201 });
  });

  test('without a key every request runs; an invalid key is a 400', async () => {
    await post(coordinator, undefined, body);
    await post(coordinator, undefined, body);
    expect(t.counters.created).toBe(2);
    const bad = await post(coordinator, 'x'.repeat(300), body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('idempotency-key');
  });

  test('an unauthenticated request never reaches the store', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/samples', headers: { 'idempotency-key': 'key-6' }, payload: body });
    expect(res.statusCode).toBe(401);
    expect(await store.find('key-6', 'c1')).toBeNull();
  });

  test('a failing store is a 503 and nothing runs', async () => {
    const broken: IdempotencyStore = {
      find: () => Promise.reject(new Error('db down')),
      save: () => Promise.reject(new Error('db down')),
    };
    const s = await buildTestServer({ idempotency: broken });
    const token = await devToken(s.app, { sub: 'c1', role: 'coordinator', agencyId: 'kvv-gbg' });
    const res = await s.app.inject({ method: 'POST', url: '/v1/samples', headers: { ...bearer(token), 'idempotency-key': 'k' }, payload: body });
    expect(res.statusCode).toBe(503);
    expect(s.counters.created).toBe(0);
    await s.app.close();
  });
});
