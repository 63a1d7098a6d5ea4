import { eventually } from '../../dev/eventually';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';

let s: ApiTestStack;
beforeAll(async () => {
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
});

test('open a case → tasks in the right inbox only → overdue alert to the right supervisor → completion resolves it', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const coordinator = await s.token({ sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const work = await s.token({ sub: 'ali', role: 'agency', agencyId: 'af' });
  const socialBoss = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  const workBoss = await s.token({ sub: 'per', role: 'supervisor', agencyId: 'af' });
  const policy = await s.call('PUT', '/v1/policies/fast', {
    token: admin,
    body: {
      requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT20S', title: 'Bostad ordnad' }],
      reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
    },
  });
  expect(policy.status).toBe(200);

  const opened = await s.call('POST', '/v1/cases', {
    token: coordinator,
    headers: { 'idempotency-key': 'story-1' },
    body: {
      client: { name: 'Klient Exempel', municipality: '1480' }, phase: 'anstalt', admittedAt: '2026-01-10T08:00:00Z',
      expectedReleaseAt: new Date(Date.now() + 23_000).toISOString(), riskLevel: 'medium', needs: ['boende'],
      consent: { agencyIds: ['sot-1480', 'af'] }, policyId: 'fast',
    },
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  expect(opened.body.interventions).toEqual([expect.objectContaining({ interventionId: 'i1', agencyId: 'sot-1480', status: 'planned' })]);

  const inbox = await s.call('GET', '/v1/tasks', { token: social });
  expect(inbox.body.items).toEqual([expect.objectContaining({ caseId, interventionId: 'i1', clientName: 'Klient Exempel' })]);
  expect((await s.call('GET', '/v1/tasks', { token: work })).body.items).toEqual([]);

  const alert = await eventually(async () => {
    const r = await s.call('GET', '/v1/alerts', { token: socialBoss });
    expect(r.body.items).toEqual([expect.objectContaining({ caseId, kind: 'intervention_overdue', level: 1 })]);
    return r.body.items[0];
  }, 20_000);
  expect((await s.call('GET', '/v1/alerts', { token: workBoss })).body.items).toEqual([]);

  const done = await s.call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: social, body: { note: 'Kontrakt påskrivet' } });
  expect(done.status).toBe(200);
  expect(done.body.interventions[0].status).toBe('completed');
  await eventually(async () => {
    const r = await s.call('GET', '/v1/alerts?status=resolved', { token: socialBoss });
    expect(r.body.items.map((a: { alertId: string }) => a.alertId)).toContain(alert.alertId);
  });
  const events = await s.call('GET', `/v1/cases/${caseId}/events`, { token: coordinator });
  expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(
    expect.arrayContaining(['CaseOpened', 'InterventionPlanned', 'AlertRaised', 'InterventionCompleted', 'AlertResolved']),
  );
  const audit = await s.pool.query(`SELECT count(*)::int AS n FROM audit_reads WHERE case_id = $1`, [caseId]);
  expect(audit.rows[0].n).toBeGreaterThan(0);
});
