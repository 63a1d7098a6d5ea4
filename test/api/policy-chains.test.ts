import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { caller, openCase, tokensFor, type Call, type Tokens } from './support';

/*
 * Interventions in order on the real stack (issue 18, "the plan in the right order"): a policy
 * with a cycle is refused when it is saved; with a chain, the due dates are derived backwards
 * from the release, and a late prerequisite puts its dependant at risk at once. Compressed time:
 * work (Arbetsförmedlingen) due 2 s before release on its own, housing 10 s before release and
 * needing 10 s after work is done, so work is due 20 s before release.
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

const followUps = { high: ['PT1H'], medium: ['PT1H'], low: ['PT1H'] };
const work = { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'PT2S', title: 'Praktikplats' };
const housing = { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT10S', title: 'Bostad', after: ['sysselsattning'], leadTime: 'PT10S' };

test('a policy whose order goes round in a circle is refused, naming the requirement, and nothing is published', async () => {
  const cyclic = { requirements: [{ ...work, after: ['boende'], leadTime: 'PT1S' }, housing], followUps };
  const r = await s.call('PUT', '/v1/policies/circular', { token: tok.admin, body: cyclic });
  expect(r.status).toBe(400);
  expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['requirements.0.after', 'requirements.1.after']);
  expect((await s.call('GET', '/v1/policies/circular', { token: tok.admin })).status).toBe(404);
});

test('a late prerequisite puts the work that waits for it at risk at once, and the case page says by how much', async () => {
  expect((await s.call('PUT', '/v1/policies/chained', { token: tok.admin, body: { requirements: [work, housing], followUps, reminders: [] } })).status).toBe(200);
  const release = Date.now() + 26_000;
  const opened = await openCase({ call, pool: s.pool }, tok.coordinator, {
    policyId: 'chained', needs: [], expectedReleaseAt: new Date(release).toISOString(),
  });
  const byArea = (v: { interventions: { area: string; interventionId: string; dueAt: string }[] }, area: string) => v.interventions.find((i) => i.area === area)!;
  // Work is due 10 s (housing's lead time) before housing, not 2 s before release.
  expect(Date.parse(byArea(opened, 'sysselsattning').dueAt)).toBe(release - 20_000);
  expect(Date.parse(byArea(opened, 'boende').dueAt)).toBe(release - 10_000);

  const housingId = byArea(opened, 'boende').interventionId;
  const atRisk = await eventually(async () => {
    const alerts = await s.call('GET', '/v1/alerts', { token: tok.coordinatorBoss });
    const a = alerts.body.items.find((x: { kind: string; caseId: string }) => x.kind === 'chain_at_risk' && x.caseId === opened.caseId);
    expect(a).toBeDefined();
    return a;
  }, 20_000);
  expect(atRisk).toMatchObject({ interventionId: housingId, level: 1, agencyId: 'kvv-gbg' });
  // Raised when work fell due, not when housing's own deadline passes 10 s later.
  expect(Date.parse(atRisk.raisedAt)).toBeLessThan(release - 10_000);

  await new Promise((r) => setTimeout(r, 2_000));
  const view = await s.call('GET', `/v1/cases/${opened.caseId}`, { token: tok.coordinator });
  const chain = view.body.chains.find((c: { interventionId: string }) => c.interventionId === housingId);
  expect(chain).toMatchObject({ waitsFor: [byArea(opened, 'sysselsattning').interventionId], leadTime: 'PT10S' });
  expect(chain.lateByMs).toBeGreaterThanOrEqual(2_000);

  const done = await s.call('POST', `/v1/cases/${opened.caseId}/interventions/${byArea(opened, 'sysselsattning').interventionId}/complete`, { token: tok.work, body: {} });
  expect(done.status).toBe(200);
  await eventually(async () => {
    const alerts = await s.call('GET', '/v1/alerts?status=all', { token: tok.coordinatorBoss });
    expect(alerts.body.items.find((x: { alertId: string }) => x.alertId === atRisk.alertId).status).toBe('resolved');
  });
}, 60_000);
