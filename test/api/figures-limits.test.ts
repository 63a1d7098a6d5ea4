import { FIGURES_POOL_MAX, FIGURES_RETRY_AFTER_SECONDS } from '../../api/figures-gate';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';

/*
 * The figures cannot starve the rest of the API of connections: however many callers ask at
 * once, they hold at most FIGURES_POOL_MAX connections of their own, the API's pool stays free,
 * and when PostgreSQL cannot answer them in time they get 503 with Retry-After.
 */

let s: ApiTestStack;
beforeAll(async () => {
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
});

const figuresBackends = async () =>
  (await s.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'glappfri-figures'`)).rows[0]!.n;

test('50 concurrent calls all get the figures, over at most the figures pool', async () => {
  const boss = await s.token({ sub: 'fig-boss', role: 'supervisor', agencyId: 'kvv-gbg' });
  const answers = await Promise.all(Array.from({ length: 50 }, () => s.call('GET', '/v1/metrics/summary', { token: boss })));
  expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  expect(answers[0]!.body).toHaveProperty('casesByPhase');
  expect(await figuresBackends()).toBeLessThanOrEqual(FIGURES_POOL_MAX);
});

test('an answer is never older than its request: a row written just before the calls is counted by all of them', async () => {
  const boss = await s.token({ sub: 'fig-boss', role: 'supervisor', agencyId: 'kvv-gbg' });
  const before = await s.call('GET', '/v1/metrics/summary', { token: boss });
  // A computation is under way while the row is written; the calls after it must not get that one's answer.
  const under = s.call('GET', '/v1/metrics/summary', { token: boss });
  await s.pool.query(
    `INSERT INTO case_summaries (case_id, version, phase, municipality, risk_level, coordinator_agency_id, consent_agency_ids,
       admitted_at, open_gap_count, meeting_count, policy_id, opened_at, updated_at)
     VALUES ('fig-fresh', 1, 'hakte', '1480', 'low', 'kvv-gbg', '{}', now(), 0, 0, 'default', now(), now())`);
  const after = await Promise.all(Array.from({ length: 10 }, () => s.call('GET', '/v1/metrics/summary', { token: boss })));
  await under;
  const hakte = (r: { body: { casesByPhase: Record<string, number> } }) => r.body.casesByPhase.hakte ?? 0;
  expect(after.map(hakte)).toEqual(Array(10).fill(hakte(before) + 1));
  await s.pool.query(`DELETE FROM case_summaries WHERE case_id = 'fig-fresh'`);
});

test('figures stuck behind a lock: the API still answers, and the figures give 503 with Retry-After', async () => {
  const boss = await s.token({ sub: 'fig-boss', role: 'supervisor', agencyId: 'kvv-gbg' });
  const coordinator = await s.token({ sub: 'fig-coord', role: 'coordinator', agencyId: 'kvv-gbg' });
  const locker = await s.pool.connect();
  try {
    // Holds every figures query (they all read case_summaries, tasks or case_gaps) until its statement timeout.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE case_summaries, tasks, case_gaps IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const figures = Promise.all(Array.from({ length: 50 }, () => s.call('GET', '/v1/metrics/summary', { token: boss })));
    await new Promise((r) => setTimeout(r, 500));
    // The API's own pool is untouched: reads that need no locked table answer at once.
    const t = Date.now();
    const policy = await s.call('GET', '/v1/policies/default', { token: coordinator });
    expect(policy.status).toBe(200);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await figuresBackends()).toBeLessThanOrEqual(FIGURES_POOL_MAX);
    const answers = await figures;
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(503));
    expect(answers[0]!.headers.get('retry-after')).toBe(String(FIGURES_RETRY_AFTER_SECONDS));
    expect(answers[0]!.headers.get('content-type')).toContain('application/problem+json');
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await locker.query('ROLLBACK');
    locker.release();
  }
  // Once the lock is gone the figures come back.
  expect((await s.call('GET', '/v1/metrics/summary', { token: boss })).status).toBe(200);
}, 60_000);

test('the period of the completion table: a bad day is a 400 naming the field, from after to is a 400, none is the last 90 days', async () => {
  const boss = await s.token({ sub: 'fig-boss', role: 'supervisor', agencyId: 'kvv-gbg' });
  for (const [query, field] of [['from=2026-02-30', 'from'], ['to=yesterday', 'to'], ['from=2026-01-01T00:00:00Z', 'from'], ['from=2026-04-01&to=2026-03-31', 'from']] as const) {
    const r = await s.call('GET', `/v1/metrics/summary?${query}`, { token: boss });
    expect({ query, status: r.status, type: r.headers.get('content-type') }).toEqual({ query, status: 400, type: expect.stringContaining('application/problem+json') });
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
  }
  const quarter = await s.call('GET', '/v1/metrics/summary?from=2026-01-01&to=2026-03-31', { token: boss });
  expect(quarter.status).toBe(200);
  expect(quarter.body.completion).toMatchObject({ period: { from: '2026-01-01', to: '2026-03-31' }, byAgency: expect.any(Array), byArea: expect.any(Array) });
  // Two periods asked for at once each get their own answer.
  const [a, b] = await Promise.all([
    s.call('GET', '/v1/metrics/summary?from=2026-01-01&to=2026-03-31', { token: boss }),
    s.call('GET', '/v1/metrics/summary?from=2025-10-01&to=2025-12-31', { token: boss }),
  ]);
  expect([a.body.completion.period, b.body.completion.period]).toEqual([{ from: '2026-01-01', to: '2026-03-31' }, { from: '2025-10-01', to: '2025-12-31' }]);
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
  const byDefault = await s.call('GET', '/v1/metrics/summary', { token: boss });
  expect(byDefault.body.completion.period.to).toBe(today);
  expect((Date.parse(today) - Date.parse(byDefault.body.completion.period.from)) / 86_400_000).toBe(89);
}, 30_000);
