import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, openCase, tokensFor, validPin, type Call, type Tokens } from './support';

/*
 * Issue 21, through the API: two clients of the same name are told apart by their birth dates
 * (from the sealed personal identity number; only the date leaves the store) in the case list
 * and in an agency's inbox; each task names the coordinating agency, and the directory says how
 * to reach it; the policies a case can be opened under are listed with their descriptions.
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

test('same name, different birth dates: told apart in the case list and in the inbox, which names the coordinator', async () => {
  const name = { name: 'Samma Namnsson', municipality: '1480' };
  const first = await openCase({ call, pool: s.pool }, tok.coordinator, { client: { ...name, personalIdentityNumber: validPin('19850101') } });
  // A samordningsnummer: the day plus 60, shown as the real day.
  const second = await openCase({ call, pool: s.pool }, tok.coordinator, { client: { ...name, personalIdentityNumber: validPin('19920375', '111') } });
  const none = await openCase({ call, pool: s.pool }, tok.coordinator, { client: { ...name } });

  const list = await s.call('GET', '/v1/cases', { token: tok.coordinator });
  expect(list.status).toBe(200);
  const client = (id: string) => list.body.items.find((c: { caseId: string }) => c.caseId === id)?.client;
  expect(client(first.caseId)).toEqual({ ...name, birthDate: '1985-01-01' });
  expect(client(second.caseId)).toEqual({ ...name, birthDate: '1992-03-15' });
  expect(client(none.caseId)).toEqual(name);
  // Only the date: nothing of the rest of the number is in the reply.
  expect(JSON.stringify(list.body)).not.toContain('19850101');

  const inbox = await s.call('GET', '/v1/tasks?status=all', { token: tok.social });
  expect(inbox.status).toBe(200);
  const task = (id: string) => inbox.body.items.find((t: { caseId: string }) => t.caseId === id);
  expect(task(first.caseId)).toMatchObject({ clientName: name.name, clientBirthDate: '1985-01-01', municipality: '1480', coordinatorAgencyId: 'kvv-gbg' });
  expect(task(second.caseId)).toMatchObject({ clientBirthDate: '1992-03-15', municipality: '1480' });
  expect(task(none.caseId)).not.toHaveProperty('clientBirthDate');

  // The inbox is still a read of each client it shows.
  const log = await s.call('GET', `/v1/cases/${first.caseId}/access-log`, { token: tok.coordinator });
  expect(log.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ sub: 'officer-sven', what: 'tasks' })]));
}, 60_000);

test("the directory says how to reach each agency; a contact is the agency's own, and checked", async () => {
  const all = await s.call('GET', '/v1/agencies', { token: tok.social });
  expect(all.status).toBe(200);
  expect(all.body.items.find((a: { agencyId: string }) => a.agencyId === 'kvv-gbg')).toMatchObject({
    name: 'Kriminalvården Göteborg', contact: { phone: '010-000 00 01', email: 'samordning.goteborg@kvv.example.se' },
  });
  const bad = await s.call('PUT', '/v1/agencies/kontakt-fel', {
    token: tok.admin, body: { type: 'ideell', name: 'Föreningen', municipalities: ['1480'], contact: { phone: 'ring mig', email: 'inte-en-adress' } },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['contact.email', 'contact.phone']);
  // Without a contact the entry is as before.
  const plain = await s.call('PUT', '/v1/agencies/utan-kontakt', { token: tok.admin, body: { type: 'ideell', name: 'Utan kontakt', municipalities: ['1480'] } });
  expect(plain).toMatchObject({ status: 200, body: { agencyId: 'utan-kontakt', name: 'Utan kontakt' } });
  expect(plain.body).not.toHaveProperty('contact');
});

test('the policies a case can be opened under, each at its latest version with its description', async () => {
  const put = (body: unknown) => s.call('PUT', '/v1/policies/kort-strafftid', { token: tok.admin, body });
  const rules = { requirements: [], followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] } };
  expect(await put({ ...rules, description: 'För korta straff' })).toMatchObject({ status: 200, body: { version: 1 } });
  // A new description is a change like any other: a new version.
  expect(await put({ ...rules, description: 'För straff under fyra månader' })).toMatchObject({ status: 200, body: { version: 2 } });
  const list = await s.call('GET', '/v1/policies', { token: tok.coordinator });
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual(expect.arrayContaining([
    { policyId: 'default', version: 1, description: expect.stringMatching(/^Standard/) },
    { policyId: 'kort-strafftid', version: 2, description: 'För straff under fyra månader' },
  ]));
});
