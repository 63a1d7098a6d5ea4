import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, openCase, settle, tokensFor, type Call, type Tokens } from './support';

/*
 * DOMAIN.md "Policy: the timed rules, as data": a policy is versioned data and a case pins the
 * version it started with. Through the API: publishing a changed body makes a new version, an
 * identical body (whatever the order of its keys) does not, and a case opened under version 1
 * keeps version 1, and fills its plan from it, after version 2 is published.
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

const followUps = { high: ['P1D', 'P7D'], medium: ['P7D'], low: ['P30D'] };
const housing = (title: string, due: string) => ({ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: due, title });
const addiction = (title: string) => ({ area: 'missbruk', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title });
const V1 = { requirements: [housing('Bostad ordnad (v1)', 'P30D'), addiction('Beroendevård (v1)')], followUps };
const V2 = { requirements: [housing('Bostad ordnad (v2)', 'P45D'), addiction('Beroendevård (v2)')], followUps };

const publish = (body: unknown) => s.call('PUT', '/v1/policies/versioned', { token: tok.admin, body });
const titles = (view: { interventions: { title: string }[] }) => view.interventions.map((i) => i.title).sort();

test('a changed body makes a new version, an identical one does not, and a case keeps the version it started with', async () => {
  expect(await publish(V1)).toMatchObject({ status: 200, body: { policyId: 'versioned', version: 1 } });
  // The same body again, and the same body with its keys in another order: still version 1.
  expect(await publish(V1)).toMatchObject({ status: 200, body: { version: 1 } });
  const reordered = { followUps: { low: ['P30D'], medium: ['P7D'], high: ['P1D', 'P7D'] }, requirements: V1.requirements.map((r) => Object.fromEntries(Object.entries(r).reverse())) };
  expect(await publish(reordered)).toMatchObject({ status: 200, body: { version: 1 } });

  const before = await openCase({ call, pool: s.pool }, tok.coordinator, { policyId: 'versioned', needs: ['boende'] });
  expect(before.policy).toEqual({ policyId: 'versioned', version: 1 });
  expect(titles(before)).toEqual(['Bostad ordnad (v1)']);

  expect(await publish(V2)).toMatchObject({ status: 200, body: { version: 2 } });
  expect(await publish(V2)).toMatchObject({ status: 200, body: { version: 2 } });
  const latest = await s.call('GET', '/v1/policies/versioned', { token: tok.coordinator });
  expect(latest.body).toMatchObject({ policyId: 'versioned', version: 2, body: { requirements: [{ title: 'Bostad ordnad (v2)' }, { title: 'Beroendevård (v2)' }] } });
  // Going back to the first body is a change too: a new version, not a return to version 1.
  expect(await publish(V1)).toMatchObject({ status: 200, body: { version: 3 } });
  expect(await publish(V2)).toMatchObject({ status: 200, body: { version: 4 } });

  // The case opened under version 1 still names it, and a need added now is planned from it.
  const needs = await s.call('PUT', `/v1/cases/${before.caseId}/needs`, { token: tok.coordinator, body: { needs: ['boende', 'missbruk'] } });
  expect(needs.status).toBe(200);
  await settle(s.pool, before.caseId);
  const kept = await s.call('GET', `/v1/cases/${before.caseId}`, { token: tok.coordinator });
  expect(kept.body.policy).toEqual({ policyId: 'versioned', version: 1 });
  expect(titles(kept.body)).toEqual(['Beroendevård (v1)', 'Bostad ordnad (v1)']);

  // A case opened now starts with the latest version.
  const after = await openCase({ call, pool: s.pool }, tok.coordinator, { policyId: 'versioned', needs: ['boende'] });
  expect(after.policy).toEqual({ policyId: 'versioned', version: 4 });
  expect(titles(after)).toEqual(['Bostad ordnad (v2)']);
}, 60_000);
