import { bearer, buildTestServer, devToken, testEnv, type TestServer } from './harness';

/** Limits low enough to reach in a test; the window is a minute, so each test has its own server. */
const limited = (perUser: string, anonymous = '60') =>
  buildTestServer({ env: testEnv({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: perUser, RATE_LIMIT_ANONYMOUS_PER_MINUTE: anonymous }) });

async function times(n: number, send: () => Promise<{ statusCode: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += 1) statuses.push((await send()).statusCode);
  return statuses;
}

describe('rate limits per user', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await limited('5');
  });
  afterAll(() => t.app.close());

  test('past RATE_LIMIT_PER_MINUTE a user gets a 429 problem with Retry-After; another user is not limited', async () => {
    const anna = await devToken(t.app, { sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
    const bo = await devToken(t.app, { sub: 'bo', role: 'coordinator', agencyId: 'kvv-gbg' });
    const get = (token: string) => () => t.app.inject({ method: 'GET', url: '/v1/samples', headers: bearer(token) });

    expect(await times(5, get(anna))).toEqual([200, 200, 200, 200, 200]);
    const over = await get(anna)();
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json()).toMatchObject({ type: 'urn:glappfri:problem:too-many-requests', status: 429, title: 'Too Many Requests' });
    const retryAfter = Number(over.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another token of the same user does not start a new count: the key is the principal.
    const annaAgain = await devToken(t.app, { sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
    expect((await get(annaAgain)()).statusCode).toBe(429);
    // Bo has his own budget.
    expect(await times(5, get(bo))).toEqual([200, 200, 200, 200, 200]);
  });

  test('a route that authenticates in a preHandler is limited per user too', async () => {
    const cid = await devToken(t.app, { sub: 'cid', role: 'agency', agencyId: 'af' });
    const me = () => t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(cid) });
    expect(await times(6, me)).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test('the health probes and /metrics are never limited', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      expect(new Set(await times(8, () => t.app.inject({ method: 'GET', url })))).toEqual(new Set([200]));
    }
  });
});

describe('rate limits without a principal', () => {
  test('past RATE_LIMIT_ANONYMOUS_PER_MINUTE one address gets 429 on POST /v1/dev/tokens; signed-in users are unaffected', async () => {
    const t = await limited('100', '3');
    try {
      const issue = () => t.app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: { sub: 'x', role: 'admin' } });
      const first = await issue();
      expect(first.statusCode).toBe(200);
      const token = (first.json() as { token: string }).token;
      expect(await times(3, issue)).toEqual([200, 200, 429]);
      const over = await issue();
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The same address with a valid token counts as that user.
      expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });

  test('off turns a limit off', async () => {
    const t = await limited('off', 'off');
    try {
      const issue = () => t.app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: { sub: 'x', role: 'admin' } });
      expect(new Set(await times(70, issue))).toEqual(new Set([200]));
    } finally {
      await t.app.close();
    }
  });
});
