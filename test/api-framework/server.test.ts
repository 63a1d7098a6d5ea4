import { bearer, buildTestServer, devToken, okChecks, type TestServer } from './harness';

const PROBLEM = /^application\/problem\+json/;

describe('operations routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await buildTestServer();
  });
  afterAll(() => t.app.close());

  test('GET /healthz is 200 {status: ok} without auth', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test('a request id is generated, or the caller\'s is echoed back', async () => {
    const generated = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const insane = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a b\nc' } });
    expect(insane.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('GET /readyz is 200 when both dependencies answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ temporal: 'ok', postgres: 'ok' });
  });

  test('GET /docs serves the reference page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(res.statusCode);
    const page = res.statusCode === 302 ? await t.app.inject({ method: 'GET', url: `/docs/${res.headers.location}`.replace('/docs//docs', '/docs') }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('GET /readyz when a dependency is down', () => {
  test('503 problem naming postgres when its check fails', async () => {
    const t = await buildTestServer({
      checks: { ...okChecks, postgres: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432 password=x')) },
    });
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({ status: 503, title: 'Service Unavailable', checks: { postgres: 'down', temporal: 'ok' } });
    expect(body.detail).toContain('postgres');
    expect(body.detail).not.toContain('temporal');
    expect(res.body).not.toContain('ECONNREFUSED');
    await t.app.close();
  });

  test('503 naming temporal when its check does not answer within 2 s', async () => {
    const t = await buildTestServer({ checks: { ...okChecks, temporal: () => new Promise<void>(() => undefined) } });
    const started = Date.now();
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { temporal: 'down', postgres: 'ok' } });
    expect(res.json().detail).toContain('temporal');
    await t.app.close();
  });
});

describe('OpenAPI document', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await buildTestServer();
  });
  afterAll(() => t.app.close());

  test('/openapi.json describes a route registered by registerRoutes from its zod schema', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const post = doc.paths['/v1/samples'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body.properties.client.properties.municipality).toMatchObject({ type: 'string', pattern: '^\\d{4}$' });
    expect(body.required).toContain('client');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect(post.description).toContain('coordinator');
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // the query string of the list route, and the framework's own routes
    expect(doc.paths['/v1/samples'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'query', name: 'limit' })]));
    for (const path of ['/healthz', '/readyz', '/metrics', '/v1/dev/tokens']) expect(doc.paths[path]).toBeDefined();
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined();
    expect(doc.paths['/docs']).toBeUndefined();
  });
});

describe('problem+json errors', () => {
  let t: TestServer;
  let coordinator: string;
  beforeAll(async () => {
    t = await buildTestServer();
    coordinator = await devToken(t.app, { sub: 'c1', role: 'coordinator', agencyId: 'kvv-gbg' });
  });
  afterAll(() => t.app.close());

  test('a nested invalid field is a 400 with its dotted path and no echo of the value', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: bearer(coordinator),
      payload: { client: { name: 'Anna', municipality: 'SECRET-VALUE-1985' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
    expect(body.errors[0].path).toBe('client.municipality');
    expect(body.errors[0].message).toBe('expected a four-digit municipality code');
    expect(res.body).not.toContain('SECRET-VALUE-1985');
  });

  test('wrong types and array items have dotted paths; no received value is echoed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: bearer(coordinator),
      payload: { client: { name: 19850101, municipality: '1480' }, needs: ['boende', 'SECRET-NEED'] },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['client.name', 'needs.1']));
    expect(res.body).not.toContain('19850101');
    expect(res.body).not.toContain('SECRET-NEED');
  });

  test('an invalid query string is a 400 with the parameter as path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/samples?limit=1000', headers: bearer(coordinator) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('limit');
    expect(res.json().detail).toContain('query');
  });

  test('malformed JSON is a 400 problem that does not quote the body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: { ...bearer(coordinator), 'content-type': 'application/json' },
      payload: '{"client": SECRET-PNR-198501011234',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).not.toContain('SECRET');
  });

  test('an unknown route is a 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here?pnr=198501011234' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found' });
    expect(res.body).not.toContain('198501011234');
  });

  test('a ProblemError thrown by a route keeps its status and detail', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: bearer(coordinator),
      payload: { client: { name: 'conflict', municipality: '1480' } },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 409, title: 'Conflict', detail: 'The sample is in the wrong state.' });
  });

  test('a 500 is a generic problem: no stack, no message; the error is logged without the body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toEqual({
      type: expect.any(String),
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(res.body).not.toMatch(/hunter2|db\.internal|at .*\.ts|stack/);
    const logged = t.logs.entries.find((e) => e.msg === 'request failed');
    expect(logged).toMatchObject({ level: 50, route: '/v1/boom', err: { type: 'Error' } });
  });
});

describe('request logs', () => {
  test('one line per request with method, route pattern, status and duration; no body, query, path or token', async () => {
    const t = await buildTestServer();
    const token = await devToken(t.app, { sub: 'c1', role: 'coordinator', agencyId: 'kvv-gbg' });
    t.logs.lines.length = 0;
    await t.app.inject({
      method: 'POST',
      url: '/v1/samples?pnr=198501011234',
      headers: { ...bearer(token), 'x-request-id': 'req-42' },
      payload: { client: { name: 'Anna Andersson', municipality: '1480' } },
    });
    await t.app.inject({ method: 'GET', url: '/v1/unknown/198501011234' });
    await t.app.inject({ method: 'GET', url: '/v1/boom?pnr=198501011234', headers: bearer(token) });
    const completed = t.logs.entries.filter((e) => e.msg === 'request completed');
    expect(completed).toHaveLength(3);
    expect(completed[0]).toMatchObject({ requestId: 'req-42', method: 'POST', route: '/v1/samples', status: 201, durationMs: expect.any(Number) });
    expect(completed[1]).toMatchObject({ method: 'GET', route: null, status: 404 });
    expect(t.logs.text).not.toContain('198501011234');
    expect(t.logs.text).not.toContain('Anna Andersson');
    expect(t.logs.text).not.toContain(token);
    await t.app.close();
  });

  test('a logged request object is reduced to method and route, and authorization is redacted', async () => {
    const t = await buildTestServer({
      registerRoutes: (app) => {
        app.get('/v1/logs-everything', async (request) => {
          request.log.info({ req: request, headers: request.headers }, 'careless');
          return { ok: true };
        });
      },
    });
    await t.app.inject({ method: 'GET', url: '/v1/logs-everything?pnr=198501011234', headers: { authorization: 'Bearer SECRET.TOKEN.VALUE' } });
    const careless = t.logs.entries.find((e) => e.msg === 'careless');
    expect(careless).toMatchObject({ req: { method: 'GET', route: '/v1/logs-everything' }, headers: { authorization: '[redacted]' } });
    expect(t.logs.text).not.toContain('SECRET.TOKEN.VALUE');
    expect(t.logs.text).not.toContain('198501011234');
    await t.app.close();
  });
});
