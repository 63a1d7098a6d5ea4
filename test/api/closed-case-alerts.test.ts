import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { caller, openCase, tokensFor, type Call, type Tokens } from './support';

/*
 * DOMAIN.md "Gaps and alerts": an alert is acknowledged by a person. Closing a case ends its
 * gaps, not that duty (case rules 2): through the API, a supervisor still acknowledges an alert
 * of a closed case, which then ends; every other command on the closed case is refused.
 */
let s: ApiTestStack;
let tok: Tokens;
let call: Call;
beforeAll(async () => {
  s = await startApiTestStack();
  tok = await tokensFor(s);
  call = caller(s.api.url);
}, 90_000);
afterAll(async () => {
  await s?.close();
});

test('a supervisor acknowledges an alert of a closed case, and only then does it end', async () => {
  // Without consent for Arbetsförmedlingen, the default policy's work contact has no agency: level 1 at once.
  const opened = await openCase({ call, pool: s.pool }, tok.coordinator, { consent: { agencyIds: ['sot-1480', 'frv-gbg'] } });
  const alert = await eventually(async () => {
    const r = await s.call('GET', '/v1/alerts', { token: tok.coordinatorBoss });
    const a = r.body.items.find((x: { caseId: string; kind: string }) => x.caseId === opened.caseId && x.kind === 'intervention_unassigned');
    expect(a).toBeDefined();
    return a as { alertId: string };
  });
  const closed = await s.call('POST', `/v1/cases/${opened.caseId}/transitions`, { token: tok.coordinator, body: { to: 'avslutad', reason: 'avliden' } });
  expect(closed.status).toBe(200);
  await new Promise((r) => setTimeout(r, 1_500));
  // Still open for the supervisor after the closing.
  const listed = await s.call('GET', '/v1/alerts', { token: tok.coordinatorBoss });
  expect(listed.body.items.find((x: { alertId: string }) => x.alertId === alert.alertId)).toMatchObject({ status: 'open' });

  const refused = await s.call('POST', `/v1/cases/${opened.caseId}/meetings`, { token: tok.coordinator, body: { agencyIds: [] } });
  expect(refused.status).toBe(409);

  const ack = await s.call('POST', `/v1/alerts/${alert.alertId}/acknowledge`, { token: tok.coordinatorBoss });
  expect(ack.status).toBe(200);
  await eventually(async () => {
    const r = await s.call('GET', '/v1/alerts?status=all', { token: tok.coordinatorBoss });
    expect(r.body.items.find((x: { alertId: string }) => x.alertId === alert.alertId)).toMatchObject({ status: 'resolved', resolvedReason: 'case_closed' });
  });
}, 60_000);
