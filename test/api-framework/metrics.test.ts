import { Counter } from 'prom-client';
import { buildTestServer, type TestServer } from './harness';

describe('GET /metrics', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await buildTestServer();
  });
  afterAll(() => t.app.close());

  test('serves Prometheus text with default metrics and the HTTP histogram by route pattern', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/v1/not/a/route/198501011234' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/healthz",status_code="200"\}/);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).not.toContain('198501011234');
  });

  test('the registry is exposed for other modules\' metrics', async () => {
    const counter = new Counter({ name: 'temporal_client_test_total', help: 'test', registers: [t.app.metricsRegistry] });
    counter.inc(3);
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('temporal_client_test_total 3');
  });
});
