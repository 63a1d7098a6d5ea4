import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../config/env';
import { digestScheduleId, ensureDigestSchedule } from '../../activities/delivery/schedule';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import {
  CLIENT, expectNoClientIdentity, openCase, setEnv, signatureIsValid, startSmtpSink, startWebhookReceiver, type ReceivedRequest,
  type WebhookReceiver,
} from './support';

/*
 * The digest Schedule on a compressed interval, set the way an operator sets it (DIGEST_INTERVAL),
 * delivering to loopback receivers over the real worker, Temporal dev server and PostgreSQL.
 */
const INTERVAL = 'PT2S';
const SECRET = 'whsec-digest-0123456789abcdef';
const BASE = 'https://glappfri.example.se';
const SOT_MAIL = 'enhetschef@sot.example.se';
const AF_MAIL = 'chef@af.example.se';

let s: ApiTestStack;
let digestHook: WebhookReceiver;
let liveHook: WebhookReceiver;
let afHook: WebhookReceiver;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let restoreEnv: () => void;

beforeAll(async () => {
  [digestHook, liveHook, afHook, smtp] = await Promise.all([startWebhookReceiver(), startWebhookReceiver(), startWebhookReceiver(), startSmtpSink()]);
  restoreEnv = setEnv({
    DIGEST_INTERVAL: INTERVAL, PUBLIC_BASE_URL: BASE,
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', SMTP_FROM: 'Glappfri <larm@glappfri.example.se>',
  });
  s = await startApiTestStack();
});
afterAll(async () => {
  // The schedule lives on the shared dev server: it must not go on starting runs after this file.
  if (s) await ensureDigestSchedule(s.client, { taskQueue: s.taskQueue, interval: 'off' });
  await s?.close();
  await Promise.all([digestHook?.close(), liveHook?.close(), afHook?.close(), smtp?.close()]);
  restoreEnv?.();
});

const json = (r: ReceivedRequest) => JSON.parse(r.body);
const eventOf = (r: ReceivedRequest) => String(r.headers['x-glappfri-event']);
/** The schedule names each run `<schedule id>-<scheduled time>`; deliveries carry it as their subject. */
const scheduledAtOf = (runKey: string) => Date.parse(/-(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(runKey)![1]!);

test('the digest fires on DIGEST_INTERVAL and sends each agency its open alerts, and nothing when it has none', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const boss = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });

  // The worker made the schedule from DIGEST_INTERVAL, like any deployment.
  const schedule = await s.client.schedule.getHandle(digestScheduleId(s.taskQueue)).describe();
  expect(schedule.spec.intervals).toEqual([expect.objectContaining({ every: 2000 })]);
  expect(schedule.action).toEqual(expect.objectContaining({ workflowType: 'dailyDigest', taskQueue: s.taskQueue }));

  // Socialtjänsten: a digest-only webhook (no levels: every level in the digest, no single
  // alerts), a live webhook without digest, and an address that wants everything.
  const sot = await s.call('PUT', '/v1/agencies/sot-1480/subscriptions', {
    token: admin,
    body: {
      webhooks: [
        { url: digestHook.url, secret: SECRET, levels: [], digest: true },
        { url: liveHook.url, secret: SECRET, levels: [1], reminders: true, digest: false },
      ],
      emails: [{ address: SOT_MAIL, levels: [1, 2, 3], reminders: true, digest: true }],
    },
  });
  expect(sot.status).toBe(200);
  // Arbetsförmedlingen wants the digest too, but will have no alerts.
  const af = await s.call('PUT', '/v1/agencies/af/subscriptions', {
    token: admin, body: { webhooks: [{ url: afHook.url, secret: SECRET }], emails: [{ address: AF_MAIL }] },
  });
  expect(af.status).toBe(200);

  // Two interventions of socialtjänsten fall due in seconds; one's title names the client.
  const { caseId, coordinator } = await openCase(s, { dueInSeconds: 5, reminderBefore: 'PT4S', key: 'digest' });
  const added = await s.call('POST', `/v1/cases/${caseId}/interventions`, {
    token: coordinator,
    headers: { 'idempotency-key': 'digest-add' },
    body: { area: 'missbruk', title: `Behandling för ${CLIENT.name}`, agencyId: 'sot-1480', requiredBeforeRelease: true, dueAt: new Date(Date.now() + 5000).toISOString() },
  });
  expect(added.status).toBe(201);
  const i2 = (added.body.interventions as { interventionId: string; area: string }[]).find((i) => i.area === 'missbruk')!.interventionId;

  // A digest listing both open alerts reaches the webhook…
  const firstDigest = await eventually(async () => {
    const d = digestHook.requests.map(json).find((b) => b.digest.total === 2);
    expect(d).toBeDefined();
    return d;
  }, 30_000, 100);
  const alerts = (await s.pool.query(
    `SELECT alert_id, kind, level, message FROM alerts WHERE case_id = $1 AND agency_id = 'sot-1480' ORDER BY alert_id`, [caseId],
  )).rows as { alert_id: string; kind: string; level: number; message: string }[];
  expect(alerts).toHaveLength(2);
  expect(firstDigest).toEqual({
    type: 'digest', deliveryId: expect.stringMatching(/^[0-9a-f]{64}$/), agencyId: 'sot-1480',
    digest: { generatedAt: expect.any(String), total: 2, alerts: expect.any(Array) },
  });
  expect(firstDigest.digest.alerts.map((a: { alertId: string }) => a.alertId).sort()).toEqual(alerts.map((a) => a.alert_id));
  for (const a of firstDigest.digest.alerts) {
    expect(a).toEqual({
      alertId: expect.any(String), caseId, kind: 'intervention_overdue', level: 1, status: 'open',
      dueAt: expect.any(String), raisedAt: expect.any(String), message: expect.any(String), link: `${BASE}/arenden/${caseId}`,
    });
  }
  // …and the address, in Swedish, with the same alerts.
  const firstMail = await eventually(async () => {
    const m = smtp.received.find((x) => x.headers['x-glappfri-event'] === 'digest' && x.headers.subject === 'Glappfri: 2 olösta larm (sammanställning)');
    expect(m).toBeDefined();
    return m!;
  }, 10_000, 100);
  expect(firstMail.to).toEqual([SOT_MAIL]);
  expect(firstMail.text).toMatch(/^Sammanställning \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(svensk tid\): 2 olösta larm\./);
  expect(firstMail.text.split(`${BASE}/arenden/${caseId}`)).toHaveLength(3);
  expect(firstMail.text).toContain('Nivå 1 – Insats inte klar i tid (öppet)');

  // Acknowledged alerts are still unresolved: the next digests list them as such.
  const acknowledged = alerts[0]!.alert_id;
  const ack = await s.call('POST', `/v1/alerts/${acknowledged}/acknowledge`, { token: boss, headers: { 'idempotency-key': 'digest-ack' } });
  expect(ack.status).toBe(200);
  await eventually(async () => {
    const d = digestHook.requests.map(json).find((b) => b.digest.alerts.some((a: { status: string }) => a.status === 'acknowledged'));
    expect(d?.digest.alerts.map((a: { alertId: string; status: string }) => [a.alertId, a.status]).sort()).toEqual([
      [acknowledged, 'acknowledged'], [alerts[1]!.alert_id, 'open'],
    ].sort());
  }, 10_000, 100);
  await eventually(async () => expect(smtp.received.some((m) => m.headers['x-glappfri-event'] === 'digest' && m.text.includes('(kvitterat)'))).toBe(true), 10_000, 100);

  // Both gaps close: the alerts resolve, and the digests stop.
  for (const [id, key] of [['i1', 'digest-done-1'], [i2, 'digest-done-2']] as const) {
    const done = await s.call('POST', `/v1/cases/${caseId}/interventions/${id}/complete`, { token: social, headers: { 'idempotency-key': key }, body: {} });
    expect(done.status).toBe(200);
  }
  await eventually(async () => {
    const r = await s.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE agency_id = 'sot-1480' AND status <> 'resolved'`);
    expect(r.rows[0].n).toBe(0);
  });
  const allResolvedAt = Date.now();
  // Wait for a run scheduled after that to finish: it finds nothing to send.
  const quietRun = await eventually(async () => {
    const d = await s.client.schedule.getHandle(digestScheduleId(s.taskQueue)).describe();
    const run = d.info.recentActions.find((a) => a.scheduledAt.getTime() > allResolvedAt);
    expect(run).toBeDefined();
    return run!.action.workflow.workflowId;
  }, 10_000, 200);
  expect(await s.client.workflow.getHandle(quietRun).result()).toEqual({ deliveries: 0, delivered: 0 });

  // Every digest was planned by a run scheduled before the alerts resolved, one per run and channel.
  const digests = (await s.pool.query(
    `SELECT d.delivery_id, d.subject, d.agency_id, d.status, c.kind, c.target FROM deliveries d JOIN subscription_channels c USING (channel_id)
      WHERE d.event_type = 'digest' ORDER BY d.created_at`,
  )).rows as { delivery_id: string; subject: string; agency_id: string; status: string; kind: string; target: string }[];
  expect(digests.length).toBeGreaterThanOrEqual(4);
  for (const d of digests) {
    expect(d).toEqual(expect.objectContaining({ agency_id: 'sot-1480', status: 'delivered' }));
    expect(scheduledAtOf(d.subject)).toBeLessThan(allResolvedAt);
  }
  const runs = new Set(digests.map((d) => d.subject));
  expect(digests.filter((d) => d.target === digestHook.url)).toHaveLength(runs.size);
  expect(digests.filter((d) => d.target === SOT_MAIL)).toHaveLength(runs.size);

  // The digest-only webhook got digests only, each signed, each delivery id accepted once.
  expect(digestHook.requests.map(eventOf)).toEqual(digestHook.requests.map(() => 'digest'));
  for (const r of digestHook.requests) {
    expect(signatureIsValid(SECRET, r)).toBe(true);
    expect(json(r).deliveryId).toBe(r.headers['x-glappfri-delivery-id']);
    expect(json(r).digest.total).toBeGreaterThan(0);
  }
  expect(new Set(digestHook.accepted()).size).toBe(digestHook.accepted().length);
  expect(digestHook.accepted().sort()).toEqual(digests.filter((d) => d.target === digestHook.url).map((d) => d.delivery_id).sort());
  // The live webhook, which did not opt in to the digest, got the alerts and reminders only.
  await eventually(async () => expect(new Set(liveHook.requests.map(eventOf))).toEqual(new Set(['alert', 'reminder'])));
  // Arbetsförmedlingen had no open alerts: no digest, no delivery at all.
  expect(afHook.requests).toEqual([]);
  expect(smtp.received.filter((m) => m.to.includes(AF_MAIL))).toEqual([]);

  // From the scheduled time of a run to its digest at the receiver.
  const latencies = digestHook.requests.map((r) => r.at - scheduledAtOf(digests.find((d) => d.delivery_id === json(r).deliveryId)!.subject));
  for (const ms of latencies) expect(ms).toBeLessThan(10_000);
});

test('nothing delivered anywhere carries the client\'s name or personal identity number', async () => {
  // Everything the previous test made go out: alerts, reminders and digests, by webhook and e-mail.
  const bodies = [...digestHook.requests, ...liveHook.requests].map((r) => r.body);
  const mails = smtp.received;
  expect(new Set([...digestHook.requests, ...liveHook.requests].map(eventOf))).toEqual(new Set(['alert', 'reminder', 'digest']));
  expect(new Set(mails.map((m) => m.headers['x-glappfri-event']))).toEqual(new Set(['alert', 'reminder', 'digest']));

  // The alert for signed-in supervisors quotes the title that names the client; nothing sent does.
  const named = await s.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE message LIKE $1`, [`%${CLIENT.name}%`]);
  expect(named.rows[0].n).toBe(1);
  for (const body of bodies) expectNoClientIdentity(body);
  for (const m of mails) {
    expectNoClientIdentity(m.raw);
    expectNoClientIdentity(m.text);
    expectNoClientIdentity(JSON.stringify(m.headers));
  }
  expect(bodies.some((b) => b.includes('En insats är inte klar i tid.'))).toBe(true);
  // Nor does the record of deliveries.
  const rows = await s.pool.query(`SELECT payload::text AS payload, coalesce(last_error, '') AS error FROM deliveries`);
  expect(rows.rows.length).toBeGreaterThan(0);
  for (const r of rows.rows as { payload: string; error: string }[]) {
    expectNoClientIdentity(r.payload);
    expectNoClientIdentity(r.error);
  }
});

test('by default the digest goes out every morning at 07:00 Swedish time', async () => {
  const interval = loadEnv({ AUTH_MODE: 'dev' }).DIGEST_INTERVAL;
  const taskQueue = `digest-default-${randomUUID()}`;
  expect(await ensureDigestSchedule(s.client, { taskQueue, interval })).toBe('created');
  // Every worker start brings an existing schedule to the configured spec.
  expect(await ensureDigestSchedule(s.client, { taskQueue, interval })).toBe('updated');
  try {
    const d = await s.client.schedule.getHandle(digestScheduleId(taskQueue)).describe();
    const next = d.info.nextActionTimes;
    expect(next.length).toBeGreaterThanOrEqual(2);
    const local = (t: Date) => t.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' });
    expect(next.map(local)).toEqual(next.map(() => '07:00'));
    const days = next.map((t) => t.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' }));
    expect(new Set(days).size).toBe(days.length);
  } finally {
    expect(await ensureDigestSchedule(s.client, { taskQueue, interval: 'off' })).toBe('removed');
  }
});
