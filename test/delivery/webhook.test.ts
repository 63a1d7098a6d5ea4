import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import {
  expectNoClientIdentity, openCase, setEnv, signatureIsValid, startWebhookReceiver, type ReceivedRequest, type WebhookReceiver,
} from './support';

const SECRET = 'whsec-test-0123456789abcdef';
const BASE = 'https://glappfri.example.se';

let s: ApiTestStack;
let receiver: WebhookReceiver;
let restoreEnv: () => void;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ failFirst: 3 });
  restoreEnv = setEnv({ PUBLIC_BASE_URL: BASE, DIGEST_INTERVAL: 'off' });
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
  await receiver?.close();
  restoreEnv?.();
});

test('subscriptions are the admin\'s, validated, and never give a secret back', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const boss = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  const path = '/v1/agencies/sot-1480/subscriptions';
  const body = {
    webhooks: [{ url: 'https://hooks.example.se/glappfri?token=abc', secret: SECRET, levels: [1, 2], reminders: true }],
    emails: [{ address: 'enhetschef@sot.example.se', levels: [2, 3] }],
  };

  expect((await s.call('PUT', path, { body })).status).toBe(401);
  expect((await s.call('PUT', path, { token: boss, body })).status).toBe(403);
  expect((await s.call('GET', path, { token: boss })).status).toBe(403);
  expect((await s.call('PUT', '/v1/agencies/nobody/subscriptions', { token: admin, body })).status).toBe(404);

  const noSecret = await s.call('PUT', path, { token: admin, body: { webhooks: [{ url: 'https://hooks.example.se/x', levels: [1] }] } });
  expect(noSecret.status).toBe(400);
  expect(noSecret.body.errors).toEqual([expect.objectContaining({ path: 'webhooks.0.secret' })]);
  for (const bad of [
    { webhooks: [{ url: 'ftp://hooks.example.se/x', secret: SECRET }] },
    { webhooks: [{ url: 'not a url', secret: SECRET }] },
    { webhooks: [{ url: 'https://hooks.example.se/x', secret: 'short' }] },
    // Credentials in the URL would be shown back by GET (and fetch refuses them): the secret authenticates.
    { webhooks: [{ url: 'https://glappfri:url-password@hooks.example.se/x', secret: SECRET }] },
    { emails: [{ address: 'not-an-address' }] },
    { emails: [{ address: 'a@example.se', levels: [4] }] },
    { emails: [{ address: 'a@example.se' }, { address: 'A@example.se' }] },
  ]) {
    const r = await s.call('PUT', path, { token: admin, body: bad });
    expect([r.status, bad]).toEqual([400, bad]);
    expect(JSON.stringify(r.body)).not.toContain('url-password');
  }

  const put = await s.call('PUT', path, { token: admin, body });
  expect(put.status).toBe(200);
  expect(put.body).toEqual({
    agencyId: 'sot-1480',
    webhooks: [{ url: body.webhooks[0]!.url, secretHint: `****${SECRET.slice(-4)}`, levels: [1, 2], reminders: true, digest: true }],
    emails: [{ address: 'enhetschef@sot.example.se', levels: [2, 3], reminders: false, digest: true }],
    updatedAt: expect.any(String),
  });
  expect(JSON.stringify(put.body)).not.toContain(SECRET);
  const got = await s.call('GET', path, { token: admin });
  expect(got.body).toEqual(put.body);

  // The same URL again without a secret keeps the stored one.
  const again = await s.call('PUT', path, { token: admin, body: { webhooks: [{ url: body.webhooks[0]!.url, levels: [3] }] } });
  expect(again.status).toBe(200);
  expect(again.body.webhooks).toEqual([expect.objectContaining({ levels: [3], secretHint: `****${SECRET.slice(-4)}` })]);
  expect(again.body.emails).toEqual([]);
  const stored = await s.pool.query('SELECT secret FROM subscription_channels WHERE agency_id = $1', ['sot-1480']);
  expect(stored.rows).toEqual([{ secret: SECRET }]);

  const doc = await s.call('GET', '/openapi.json');
  expect(Object.keys(doc.body.paths['/v1/agencies/{agencyId}/subscriptions'])).toEqual(expect.arrayContaining(['put', 'get']));
});

test('an alert and an opted-in reminder reach the webhook signed, retried through three failures, accepted exactly once each', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const put = await s.call('PUT', '/v1/agencies/sot-1480/subscriptions', {
    token: admin, body: { webhooks: [{ url: receiver.url, secret: SECRET, levels: [1], reminders: true }] },
  });
  expect(put.status).toBe(200);
  const { caseId } = await openCase(s, { dueInSeconds: 6, reminderBefore: 'PT5S', key: 'webhook' });

  await eventually(async () => {
    const r = await s.pool.query(`SELECT event_type, status FROM deliveries WHERE case_id = $1 ORDER BY event_type`, [caseId]);
    expect(r.rows).toEqual([{ event_type: 'alert', status: 'delivered' }, { event_type: 'reminder', status: 'delivered' }]);
  }, 40_000, 200);
  const countThen = receiver.requests.length;
  await new Promise((r) => setTimeout(r, 2500));
  expect(receiver.requests.length).toBe(countThen);

  const byId = new Map<string, ReceivedRequest[]>();
  for (const r of receiver.requests) {
    const id = String(r.headers['x-glappfri-delivery-id']);
    byId.set(id, [...(byId.get(id) ?? []), r]);
  }
  expect(byId.size).toBe(2);
  expect(receiver.accepted().sort()).toEqual([...byId.keys()].sort());
  for (const [id, attempts] of byId) {
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 500, 204]);
    expect(attempts.map((a) => a.headers['x-glappfri-attempt'])).toEqual(['1', '2', '3', '4']);
    // Backoff 1 s, 2 s, 4 s (with a little slack for timer granularity).
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(900 * 2 ** i));
    for (const a of attempts) {
      expect(a.headers['content-type']).toMatch(/^application\/json/);
      expect(signatureIsValid(SECRET, a)).toBe(true);
      expect(signatureIsValid('another-secret-entirely', a)).toBe(false);
      expect(signatureIsValid(SECRET, { ...a, body: a.body.replace('sot-1480', 'sot-1481') })).toBe(false);
      expect(a.body).toBe(attempts[0]!.body);
      expectNoClientIdentity(a.body);
      expect(JSON.parse(a.body).deliveryId).toBe(id);
    }
  }

  const bodies = [...byId.values()].map((a) => JSON.parse(a[0]!.body));
  const alert = bodies.find((b) => b.type === 'alert');
  const reminder = bodies.find((b) => b.type === 'reminder');
  expect(alert).toEqual({
    type: 'alert', deliveryId: expect.any(String), agencyId: 'sot-1480',
    alert: {
      alertId: expect.any(String), caseId, kind: 'intervention_overdue', level: 1, dueAt: expect.any(String), raisedAt: expect.any(String),
      message: expect.stringMatching(/^Insatsen "Bostad ordnad" \(boende\) är inte klar; den skulle vara klar \d{4}-\d{2}-\d{2}\.$/),
      link: `${BASE}/arenden/${caseId}`,
    },
  });
  expect(reminder).toEqual({
    type: 'reminder', deliveryId: expect.any(String), agencyId: 'sot-1480',
    reminder: { caseId, dueAt: alert.alert.dueAt, sentAt: expect.any(String), message: expect.stringMatching(/^Påminnelse: /), link: `${BASE}/arenden/${caseId}` },
  });
  const header = [...byId.values()].map((a) => a[0]!.headers['x-glappfri-event']).sort();
  expect(header).toEqual(['alert', 'reminder']);

  const rows = await s.pool.query(`SELECT * FROM deliveries WHERE case_id = $1`, [caseId]);
  for (const row of rows.rows) {
    expect(row).toEqual(expect.objectContaining({ channel: 'webhook', status: 'delivered', attempts: 4, last_error: 'the receiver answered HTTP 500' }));
    expect(JSON.stringify(row)).not.toContain(SECRET);
  }
  const listed = await s.call('GET', '/v1/agencies/sot-1480/deliveries?status=delivered', { token: admin });
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((d: { deliveryId: string }) => d.deliveryId).sort()).toEqual([...byId.keys()].sort());
  expect(JSON.stringify(listed.body)).not.toContain(SECRET);

  // A delivery started again (a retried fan-out, a replay) sends nothing more.
  const again = await s.client.workflow.execute('deliverToChannel', {
    taskQueue: s.taskQueue, workflowId: `again-${alert.deliveryId}`, args: [{ deliveryId: alert.deliveryId }],
  });
  expect(again).toBe('delivered');
  expect(receiver.requests.length).toBe(countThen);
});
