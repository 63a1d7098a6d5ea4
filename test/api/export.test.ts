import { startWebhookReceiver, type WebhookReceiver } from '../delivery/support';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { caller, openCase, settle, validPin, type Call } from './support';

/**
 * Issue 15, part 5: the subject access extract (GDPR art. 15) holds every piece of data the
 * test put in about the client: identity with the full number (only here), the case, the trail
 * with its texts, alerts, deliveries, the access log. Only the coordinating agency's
 * coordinators get it, and getting it is logged.
 */
let s: ApiTestStack;
let call: Call;
let hooks: WebhookReceiver;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  hooks = await startWebhookReceiver();
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  expect((await call('PUT', '/v1/agencies/sot-1480/subscriptions', {
    token: admin, body: { webhooks: [{ url: hooks.url, secret: 'a-webhook-secret-of-some-length', levels: [1, 2, 3] }], emails: [] },
  })).status).toBe(200);
});
afterAll(async () => {
  await hooks?.close();
  await s?.close();
});

const NAME = 'Sofia Utdragsson';
const PIN = validPin('19880415', '246');
const TEXTS = {
  clientView: 'Vill ha hjälp med körkortet',
  note: 'Kontrakt skrivet med Familjebostäder',
  declined: 'Vill inte träffa beroendemottagningen',
  title: 'Budget- och skuldrådgivning',
  meeting: 'Möte med mamma närvarande',
};

test('the extract holds everything put in; only the coordinating agency gets it, and it is logged', async () => {
  const coordinator = await s.token({ sub: 'coord-exp', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'officer-exp', role: 'agency', agencyId: 'sot-1480' });
  const boss = await s.token({ sub: 'boss-exp', role: 'supervisor', agencyId: 'sot-1480' });
  const other = await s.token({ sub: 'coord-other', role: 'coordinator', agencyId: 'sot-1480' });
  const c = await openCase({ call, pool: s.pool }, coordinator, {
    client: { name: NAME, municipality: '1480', personalIdentityNumber: PIN }, clientView: TEXTS.clientView,
  });
  const id = c.caseId as string;
  expect((await call('POST', `/v1/cases/${id}/interventions/i1/complete`, { token: social, body: { note: TEXTS.note } })).status).toBe(200);
  expect((await call('POST', `/v1/cases/${id}/interventions/i2/decline`, { token: coordinator, body: { reason: TEXTS.declined } })).status).toBe(200);
  expect((await call('POST', `/v1/cases/${id}/interventions`, {
    token: coordinator, body: { area: 'skulder', title: TEXTS.title, agencyId: 'sot-1480', requiredBeforeRelease: true, dueAt: new Date(Date.now() + 1500).toISOString() },
  })).status).toBe(201);
  expect((await call('POST', `/v1/cases/${id}/meetings`, { token: coordinator, body: { note: TEXTS.meeting, agencyIds: ['sot-1480'] } })).status).toBe(201);
  await eventually(async () => expect(hooks.requests.some((r) => r.body.includes(TEXTS.title))).toBe(true), 20_000);
  await settle(s.pool, id);
  expect((await call('GET', `/v1/cases/${id}`, { token: boss })).status).toBe(200);

  // Not for others: another agency's coordinator (who does not see it), an officer, a supervisor.
  expect((await call('GET', `/v1/cases/${id}/export`, { token: other })).status).toBe(404);
  expect((await call('GET', `/v1/cases/${id}/export`, { token: social })).status).toBe(403);
  expect((await call('GET', `/v1/cases/${id}/export`, { token: boss })).status).toBe(403);

  const r = await call('GET', `/v1/cases/${id}/export`, { token: coordinator });
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  const x = r.body;
  expect(x.identity).toEqual({ name: NAME, personalIdentityNumber: PIN });
  expect(x.case).toEqual(expect.objectContaining({ caseId: id, clientView: TEXTS.clientView }));
  // Only here is the number shown whole; the case view inside stays masked.
  expect(x.case.client.personalIdentityNumber).toBe(`${PIN.slice(0, 8)}-****`);
  const trail = JSON.stringify(x.trail);
  for (const t of Object.values(TEXTS)) expect(trail).toContain(t);
  expect(x.trail.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['CaseOpened', 'InterventionCompleted', 'InterventionDeclined', 'InterventionPlanned', 'CoordinationMeetingRecorded', 'AlertRaised']));
  expect(x.alerts).toEqual([expect.objectContaining({ caseId: id, kind: 'intervention_overdue', message: expect.stringContaining(TEXTS.title) })]);
  expect(x.deliveries.length).toBeGreaterThan(0);
  expect(x.deliveries[0]).toEqual(expect.objectContaining({ caseId: id, agencyId: 'sot-1480', channel: 'webhook' }));
  expect(JSON.stringify(x.deliveries)).toContain(TEXTS.title);
  const whoRead = x.accessLog.map((e: { sub: string; what: string }) => `${e.sub}:${e.what}`);
  expect(whoRead).toEqual(expect.arrayContaining(['coord-exp:export', 'boss-exp:case', 'coord-exp:command']));
  expect(x.storage.length).toBeGreaterThan(0);

  const audit = await s.pool.query(`SELECT user_id, status FROM audit_reads WHERE case_id = $1 AND route = '/v1/cases/:caseId/export' ORDER BY id`, [id]);
  expect(audit.rows).toEqual(expect.arrayContaining([{ user_id: 'coord-exp', status: 200 }, { user_id: 'officer-exp', status: 403 }]));
}, 90_000);
