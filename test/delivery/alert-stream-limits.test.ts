import { SignJWT } from 'jose';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { openCase, openEventStream, setEnv } from './support';

/*
 * The alert stream's limits: it ends when the token does, one person holds only a few, and a
 * thousand open streams cost the database one poller, not a thousand.
 */

const STREAMS = 1000;
const PER_USER = 250;

let s: ApiTestStack;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv({ DIGEST_INTERVAL: 'off' });
  s = await startApiTestStack({ ALERT_STREAMS_PER_USER: String(PER_USER) });
});
afterAll(async () => {
  await s?.close();
  restoreEnv?.();
});

/** A supervisor's dev token that expires in `seconds`. */
async function shortToken(sub: string, seconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ role: 'supervisor', agencyId: 'sot-1480' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + seconds);
  if (process.env.AUTH_ISSUER) jwt = jwt.setIssuer(process.env.AUTH_ISSUER);
  if (process.env.AUTH_AUDIENCE) jwt = jwt.setAudience(process.env.AUTH_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(process.env.AUTH_DEV_SECRET));
}

/**
 * Transactions committed so far in this test file's database: every query outside a transaction
 * is one. Nothing else runs here between the readings (no commands, digest and housekeeping off),
 * so the difference is what the open streams cost.
 */
async function committed(): Promise<number> {
  // Statistics reach the shared counters when a backend's transaction ends, at most once a second.
  await new Promise((r) => setTimeout(r, 1500));
  await s.pool.query('SELECT pg_stat_clear_snapshot()');
  const r = await s.pool.query<{ n: string }>(`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(r.rows[0]?.n ?? 0);
}

test('the stream ends with an `expired` event when its token expires, and a fresh token resumes it without a gap', async () => {
  const url = `${s.api.url}/v1/alerts/stream`;
  const stream = openEventStream(url, { authorization: `Bearer ${await shortToken('sara-kort', 4)}` });
  await eventually(async () => expect(stream.status()).toBe(200));
  const opened = Date.now();
  // The server ends the response: the reader's loop returns without an abort.
  await eventually(async () => expect(stream.events.map((e) => e.event)).toContain('expired'), 10_000);
  await stream.ended;
  const lasted = Date.now() - opened;
  expect(lasted).toBeGreaterThan(2000);
  expect(lasted).toBeLessThan(8000);

  // While the dashboard gets its new token, an alert is raised; the resumed stream has it.
  const { caseId } = await openCase(s, { dueInSeconds: 1, key: 'expiry' });
  await eventually(async () => {
    const r = await s.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE case_id = $1 AND agency_id = 'sot-1480'`, [caseId]);
    expect(r.rows[0].n).toBeGreaterThan(0);
  }, 20_000);
  const fresh = await s.token({ sub: 'sara-kort', role: 'supervisor', agencyId: 'sot-1480' });
  const resumed = openEventStream(url, { authorization: `Bearer ${fresh}`, 'last-event-id': '0' });
  await eventually(async () => expect(resumed.events.some((e) => e.event === 'alert' && JSON.parse(e.data).caseId === caseId)).toBe(true));
  await resumed.close();
});

test('one person may hold a few streams: past the limit 429 with Retry-After, and a closed stream frees its slot', async () => {
  const boss = await s.token({ sub: 'sara-flikar', role: 'supervisor', agencyId: 'sot-1480' });
  const url = `${s.api.url}/v1/alerts/stream`;
  const held = Array.from({ length: PER_USER }, () => openEventStream(url, { authorization: `Bearer ${boss}` }));
  await eventually(async () => expect(held.map((h) => h.status())).toEqual(held.map(() => 200)));
  const refused = await fetch(url, { headers: { authorization: `Bearer ${boss}`, accept: 'text/event-stream' } });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await refused.json()) as { detail: string }).detail).toContain(String(PER_USER));
  // Someone else of the same agency is not affected.
  const colleague = openEventStream(url, { authorization: `Bearer ${await s.token({ sub: 'sune', role: 'supervisor', agencyId: 'sot-1480' })}` });
  await eventually(async () => expect(colleague.status()).toBe(200));
  await colleague.close();

  await held.pop()!.close();
  const again = openEventStream(url, { authorization: `Bearer ${boss}` });
  await eventually(async () => expect(again.status()).toBe(200));
  await Promise.all([...held, again].map((h) => h.close()));
});

test(`${STREAMS} open streams cost one poller: a handful of queries a second, and every stream gets the alert`, async () => {
  const url = `${s.api.url}/v1/alerts/stream`;
  const users = await Promise.all(Array.from({ length: STREAMS / PER_USER }, (_, i) => s.token({ sub: `tavla-${i}`, role: 'supervisor', agencyId: 'sot-1480' })));
  const idle = await committed();
  const streams = Array.from({ length: STREAMS }, (_, i) => openEventStream(url, { authorization: `Bearer ${users[i % users.length]}` }));
  await eventually(async () => expect(streams.filter((x) => x.status() === 200).length).toBe(STREAMS), 30_000);

  const before = await committed();
  const windowMs = 5000;
  await new Promise((r) => setTimeout(r, windowMs));
  const after = await committed();
  // The window between the two readings is the 5 s plus the statistics' own flush wait.
  const perSecond = (after - before) / ((windowMs + 1500) / 1000);
  console.log(`${STREAMS} open alert streams: ${after - before} database transactions in ${(windowMs + 1500) / 1000} s (${perSecond.toFixed(1)}/s); opening them: ${before - idle}`);
  // One poller every 250 ms is 4 a second (and the readings' own few); one per stream would be thousands.
  expect(perSecond).toBeLessThanOrEqual(8);

  const { caseId } = await openCase(s, { dueInSeconds: 1, key: 'thousand' });
  const started = Date.now();
  await eventually(
    async () => expect(streams.filter((x) => x.events.some((e) => e.event === 'alert' && JSON.parse(e.data).caseId === caseId)).length).toBe(STREAMS),
    30_000,
  );
  console.log(`the alert reached all ${STREAMS} streams within ${Date.now() - started} ms of the case being opened (due after 1 s)`);
  // Every stream's reader logged the read: one audit row per stream.
  const audited = await s.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_reads WHERE case_id = $1 AND what = 'alert-stream'`, [caseId]);
  expect(audited.rows[0]!.n).toBe(STREAMS);
  await Promise.all(streams.map((x) => x.close()));
}, 120_000);
