import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, caseBody, tableCounts, validPin, type Call } from './support';

/**
 * Issue 21: one person, one open case. A second opening for a personal identity number with an
 * open case is refused (409), naming the existing case only to a caller who may see it, unless
 * the coordinator says a second case is meant; a date of birth in the future is refused.
 */
let s: ApiTestStack;
let call: Call;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
});
afterAll(async () => {
  await s?.close();
});

const PIN = validPin('19720830', '318');

test('a second open case for the same number is refused, named only to those who see the first; allowed when meant', async () => {
  const kvv = await s.token({ sub: 'coord-dup', role: 'coordinator', agencyId: 'kvv-gbg' });
  const other = await s.token({ sub: 'coord-dup-sot', role: 'coordinator', agencyId: 'reg-vg' });
  const client = { name: 'Per Dubbelsson', municipality: '1480', personalIdentityNumber: PIN };
  const first = await call('POST', '/v1/cases', { token: kvv, body: caseBody({ client }) });
  expect(first.status).toBe(201);

  const counts = await tableCounts(s.pool);
  const again = await call('POST', '/v1/cases', { token: kvv, body: caseBody({ client: { ...client, personalIdentityNumber: `${PIN.slice(0, 8)}-${PIN.slice(8)}` } }) });
  expect(again.status).toBe(409);
  expect(again.body).toEqual(expect.objectContaining({
    type: expect.stringContaining('client-has-open-case'), existingCaseIds: [first.body.caseId],
    errors: [{ path: 'client.personalIdentityNumber', message: 'already has an open case' }],
  }));
  // Another agency, which does not see the case, is told that one exists, not which.
  const elsewhere = await call('POST', '/v1/cases', { token: other, body: caseBody({ client }) });
  expect(elsewhere.status).toBe(409);
  expect(elsewhere.body.existingCaseIds).toEqual([]);
  expect(JSON.stringify(elsewhere.body)).not.toContain(first.body.caseId);
  expect(JSON.stringify(elsewhere.body)).not.toContain(PIN.slice(8));
  expect(await tableCounts(s.pool)).toEqual(counts);

  const meant = await call('POST', '/v1/cases', { token: kvv, body: caseBody({ client, allowSecondCase: true }) });
  expect(meant.status).toBe(201);
  // Once the first is closed it no longer counts… but the second one still does.
  expect((await call('POST', `/v1/cases/${first.body.caseId}/transitions`, { token: kvv, body: { to: 'avslutad', reason: 'Dubblett' } })).status).toBe(200);
  const third = await call('POST', '/v1/cases', { token: kvv, body: caseBody({ client }) });
  expect(third.status).toBe(409);
  expect(third.body.existingCaseIds).toEqual([meant.body.caseId]);
});

test('a date of birth in the future is refused, naming the field', async () => {
  const kvv = await s.token({ sub: 'coord-future', role: 'coordinator', agencyId: 'kvv-gbg' });
  const nextYear = String(new Date().getUTCFullYear() + 1);
  const r = await call('POST', '/v1/cases', { token: kvv, body: caseBody({ client: { name: 'Ofödd', municipality: '1480', personalIdentityNumber: validPin(`${nextYear}0101`, '123') } }) });
  expect(r.status).toBe(400);
  expect(r.body.errors).toEqual([expect.objectContaining({ path: 'client.personalIdentityNumber', message: 'personal identity number has a date of birth in the future' })]);
});
