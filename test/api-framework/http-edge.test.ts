import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { newPayloadKeys } from '../../config/payload-keys';
import { codecRoutes } from '../../api/routes/codec';
import type { ApiApp } from '../../api/server';
import { webUiRoutes } from '../../ui/serve-ui';
import { bearer, buildTestServer, devToken, sampleRoutes, testEnv, type TestServer } from './harness';

const PROBLEM = /^application\/problem\+json/;
const MiB = 1024 * 1024;

/** The sample routes, the codec routes (a pool that accepts the read log) and the web interface. */
function edgeRoutes(distDir: string) {
  const pool = { query: async () => ({ rows: [], rowCount: 0 }) } as unknown as Pool;
  return async (app: ApiApp) => {
    sampleRoutes({ created: 0 })(app);
    await app.register(codecRoutes, { pool, payloadKeys: newPayloadKeys('edge'), corsOrigins: [] });
    await app.register(webUiRoutes, { distDir });
  };
}

let t: TestServer;
let dist: string;
let coordinator: string;
let operator: string;
beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'ui-dist-'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Glappfri</title><script type="module" src="/assets/app.js"></script>');
  t = await buildTestServer({ registerRoutes: edgeRoutes(dist) });
  coordinator = await devToken(t.app, { sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
  operator = await devToken(t.app, { sub: 'olle', role: 'operator' });
});
afterAll(async () => {
  await t.app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('body limits', () => {
  test('a body past 1 MiB is a 413 problem', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/v1/echo-open', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ pnr: 'x'.repeat(MiB) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ type: 'urn:glappfri:problem:payload-too-large', status: 413 });
  });

  test('the codec endpoints take a batch of a few MiB, not more than 8 MiB', async () => {
    // Not base64: read and parsed (so a 400 about the content), not refused for its size.
    const big = (bytes: number) => JSON.stringify({ payloads: [{ data: '!'.repeat(Math.floor(bytes / 2)) }, { data: '!'.repeat(Math.floor(bytes / 2)) }] });
    const send = (payload: string) => t.app.inject({
      method: 'POST', url: '/codec/decode', headers: { ...bearer(operator), 'content-type': 'application/json' }, payload,
    });
    const accepted = await send(big(3 * MiB));
    expect(accepted.statusCode).toBe(400);
    expect(accepted.json().errors[0]).toMatchObject({ path: 'payloads.0.data', message: 'not base64' });
    const tooBig = await send(big(7 * MiB) + ' '.repeat(1.5 * MiB));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('security headers on every response', () => {
  const expectSecurityHeaders = (headers: Record<string, unknown>, inlineStyles = false) => {
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp.includes("style-src 'self' 'unsafe-inline'")).toBe(inlineStyles);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['x-powered-by']).toBeUndefined();
  };

  test('on a JSON answer of the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/samples', headers: bearer(coordinator) });
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res.headers);
  });

  test('on problems: 401 from authentication, 404 from no route, 400 from validation', async () => {
    const unauthorized = await t.app.inject({ method: 'GET', url: '/v1/samples' });
    expect(unauthorized.statusCode).toBe(401);
    expectSecurityHeaders(unauthorized.headers);
    const missing = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: { accept: 'application/json' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(PROBLEM);
    expectSecurityHeaders(missing.headers);
    const invalid = await t.app.inject({ method: 'POST', url: '/v1/samples', headers: bearer(coordinator), payload: { client: { name: 'x', municipality: 'abc' } } });
    expect(invalid.statusCode).toBe(400);
    expectSecurityHeaders(invalid.headers);
  });

  test("on the web interface's index page and on /docs", async () => {
    const index = await t.app.inject({ method: 'GET', url: '/arenden/123', headers: { accept: 'text/html' } });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>Glappfri</title>');
    expectSecurityHeaders(index.headers);
    expect(index.headers['cache-control']).toBe('no-cache');
    const first = await t.app.inject({ method: 'GET', url: '/docs' });
    const docs = first.statusCode === 302 ? await t.app.inject({ method: 'GET', url: `/docs/${first.headers.location}`.replace('/docs//docs', '/docs') }) : first;
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    // The Swagger UI's one inline style is allowed there, and only there.
    expectSecurityHeaders(docs.headers, true);
  });
});

describe('Cache-Control: no-store on every API answer', () => {
  test('answers, problems and unknown paths under /v1 and /codec', async () => {
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/v1/samples', headers: bearer(coordinator) }),
      t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(coordinator) }),
      t.app.inject({ method: 'GET', url: '/v1/samples' }),
      t.app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      t.app.inject({ method: 'POST', url: '/codec/decode', headers: bearer(operator), payload: { payloads: [] } }),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 401, 404, 200]);
    for (const r of answers) expect(r.headers['cache-control']).toBe('no-store');
  });
});

describe('METRICS_PORT', () => {
  test('set: /metrics is served on its own port only, the main port answers 404', async () => {
    const s = await buildTestServer({ env: testEnv({ LOG_LEVEL: 'silent', METRICS_PORT: '0' }) });
    try {
      await s.app.inject({ method: 'GET', url: '/healthz' });
      const main = await s.app.inject({ method: 'GET', url: '/metrics' });
      expect(main.statusCode).toBe(404);
      expect(main.headers['content-type']).toMatch(PROBLEM);
      const doc = (await s.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(doc.paths['/metrics']).toBeUndefined();

      expect(s.app.metricsServer).not.toBeNull();
      const url = await s.app.metricsServer!.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      // The main port's requests are counted, and shown here.
      expect(await res.text()).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/);
      expect((await fetch(`${url}/healthz`)).status).toBe(404);
    } finally {
      await s.app.close();
    }
    // Closed with the API.
    expect(s.app.metricsServer!.server.listening).toBe(false);
  });

  test('unset: /metrics stays on the main port', async () => {
    expect(t.app.metricsServer).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});
