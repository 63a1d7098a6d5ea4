import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caseBody, settle } from './support';

/** The HTTP edge on the real API (api/start-api.ts), with /metrics on a port of its own. */

let s: ApiTestStack;
beforeAll(async () => {
  s = await startApiTestStack({ METRICS_PORT: '0' });
});
afterAll(async () => {
  await s?.close();
});

test('a case answer is Cache-Control: no-store and carries the security headers', async () => {
  const coordinator = await s.token({ sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
  const opened = await s.call('POST', '/v1/cases', { token: coordinator, body: caseBody() });
  expect(opened.status).toBe(201);
  expect(opened.headers.get('cache-control')).toBe('no-store');
  await settle(s.pool, opened.body.caseId);
  const read = await s.call('GET', `/v1/cases/${opened.body.caseId}`, { token: coordinator });
  expect(read.status).toBe(200);
  expect(read.body.client.name).toBe('Klient Testsson');
  expect(read.headers.get('cache-control')).toBe('no-store');
  expect(read.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(read.headers.get('x-content-type-options')).toBe('nosniff');
});

test('METRICS_PORT: /metrics on its own port, 404 on the API port', async () => {
  expect(s.api.metricsUrl).not.toBe(`${s.api.url}/metrics`);
  const metrics = await fetch(s.api.metricsUrl);
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toContain('http_request_duration_seconds');
  const main = await s.call('GET', '/metrics');
  expect(main.status).toBe(404);
  expect(main.headers.get('content-type')).toMatch(/^application\/problem\+json/);
});
