import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { leadTimeTable, refreshNow } from '../../scripts/forecast';
import { setEnv } from '../delivery/support';
import { caller, inDays, openCase, tokensFor, type Call, type Tokens } from './support';

/**
 * Issue 19 end to end, on the real Temporal dev server and PostgreSQL: the forecast Schedule
 * (FORECAST_INTERVAL, compressed to two seconds the way an operator sets it) records a predicted
 * gap on the case, the agency's inbox and the coordinator's case view mark the task, and the
 * prediction is withdrawn when the work is done (in the command's own append) or when a later
 * forecast gives it a good chance.
 */
let s: ApiTestStack;
let call: Call;
let t: Tokens;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv({ FORECAST_INTERVAL: 'PT2S' });
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
});
afterAll(async () => {
  await s?.close();
  restoreEnv?.();
});

interface Ev { type: string; actor: Record<string, unknown>; data: Record<string, unknown> }
const trail = async (caseId: string): Promise<Ev[]> => (await call('GET', `/v1/cases/${caseId}/events`, { token: t.coordinator })).body.items;
const inbox = async (token: string, caseId: string) =>
  ((await call('GET', '/v1/tasks?status=all', { token })).body.items as { caseId: string; area?: string; likelyLate: Record<string, unknown> | null }[])
    .filter((x) => x.caseId === caseId);
/** The case's first PredictedGapWithdrawn, once a refresh (every 2 s) has recorded it. */
const withdrawal = (caseId: string) => eventually(async () => {
  const w = (await trail(caseId)).find((e) => e.type === 'PredictedGapWithdrawn');
  expect(w).toBeDefined();
  return w!;
}, 20_000, 200);
const housingOf = (items: Awaited<ReturnType<typeof inbox>>) => items.find((x) => x.area === 'boende')!;

// Default policy, no measured housing work yet: the prior (median 14 days). Released in 40 days,
// housing is due in 10: 1 − 0.5^(10/14) ≈ 0.39 < 0.5. Work (due 14 days before release, in 26
// days) has 1 − 0.5^(26/14) ≈ 0.72 and is not predicted.
const PRIOR_P = 1 - Math.pow(0.5, 10 / 14);

test('a required intervention likely to be late is recorded on the case, marked in the inbox and the case view, and withdrawn when done', async () => {
  const { caseId } = await openCase({ call, pool: s.pool }, t.coordinator, { expectedReleaseAt: inDays(40), needs: [] });

  const mark = await eventually(async () => {
    const h = housingOf(await inbox(t.social, caseId));
    expect(h.likelyLate).not.toBeNull();
    return h.likelyLate!;
  }, 20_000, 200);
  // One observation: its own housing work, open and so censored; fewer than the default 20.
  expect(mark).toMatchObject({ basis: 'prior', observations: 1, medianDays: 14, probability: expect.closeTo(PRIOR_P, 2) });
  expect((await inbox(t.work, caseId))[0]).toMatchObject({ area: 'sysselsattning', likelyLate: null });

  const view = await call('GET', `/v1/cases/${caseId}`, { token: t.coordinator });
  const housing = view.body.interventions.find((i: { area: string }) => i.area === 'boende');
  expect(housing.likelyLate).toMatchObject({ basis: 'prior', probability: expect.closeTo(PRIOR_P, 2) });
  expect(view.body.interventions.find((i: { area: string }) => i.area === 'sysselsattning').likelyLate).toBeUndefined();

  // In the trail, with the chance and what it rests on, by the forecast; and only once, although
  // the schedule has run again since.
  await new Promise((r) => setTimeout(r, 5_000));
  const predicted = (await trail(caseId)).filter((e) => e.type === 'GapPredicted');
  expect(predicted).toHaveLength(1);
  expect(predicted[0]).toMatchObject({
    actor: { system: 'forecast' },
    data: { interventionId: housing.interventionId, agencyId: 'sot-1480', dueAt: housing.dueAt, basis: 'prior', observations: 1, probability: expect.closeTo(PRIOR_P, 2) },
  });

  const done = await call('POST', `/v1/cases/${caseId}/interventions/${housing.interventionId}/complete`, { token: t.social, body: {} });
  expect(done.status).toBe(200);
  // Read your writes: the answer and the inbox no longer warn, at once.
  expect(done.body.interventions.find((i: { area: string }) => i.area === 'boende').likelyLate).toBeUndefined();
  expect(housingOf(await inbox(t.social, caseId)).likelyLate).toBeNull();
  const types = (await trail(caseId)).map((e) => e.type);
  expect(types.slice(types.indexOf('InterventionCompleted'), types.indexOf('InterventionCompleted') + 2)).toEqual(['InterventionCompleted', 'PredictedGapWithdrawn']);
  expect((await trail(caseId)).find((e) => e.type === 'PredictedGapWithdrawn')).toMatchObject({ data: { reason: 'completed' }, actor: { sub: 'officer-sven' } });
}, 60_000);

test('a later forecast withdraws the prediction when the chance is good again (the release moved)', async () => {
  const { caseId } = await openCase({ call, pool: s.pool }, t.coordinator, { expectedReleaseAt: inDays(40), needs: [] });
  await eventually(async () => expect(housingOf(await inbox(t.social, caseId)).likelyLate).not.toBeNull(), 20_000, 200);

  const moved = await call('PUT', `/v1/cases/${caseId}/release-date`, { token: t.coordinator, body: { expectedReleaseAt: inDays(200), reason: 'Ny beräkning' } });
  expect(moved.status).toBe(200);
  const withdrawn = await withdrawal(caseId);
  expect(withdrawn).toMatchObject({ actor: { system: 'forecast' }, data: { reason: 'on_track' } });
  expect(housingOf(await inbox(t.social, caseId)).likelyLate).toBeNull();
}, 60_000);

test("with enough measured work the forecast rests on the agency's own lead times, under the policy's forecast section", async () => {
  // A compressed policy: work due 30 s before release; the agency's measured lead time decides.
  const policy = {
    requirements: [{ area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'PT30S', title: 'Kontakt med Arbetsförmedlingen' }],
    followUps: { high: [], medium: [], low: [] },
    forecast: { warnBelow: 0.5, minObservations: 3, priorMedian: 'P14D' },
  };
  expect((await call('PUT', '/v1/policies/snabb', { token: t.admin, body: policy })).status).toBe(200);
  const release = (inSeconds: number) => new Date(Date.now() + inSeconds * 1000).toISOString();

  // Three cases whose work Arbetsförmedlingen finished after about 10 s each.
  const earlier = await Promise.all([0, 1, 2].map(() => openCase({ call, pool: s.pool }, t.coordinator, { policyId: 'snabb', expectedReleaseAt: release(600), needs: [] })));
  await new Promise((r) => setTimeout(r, 10_000));
  for (const { caseId } of earlier) {
    const work = (await inbox(t.work, caseId))[0] as unknown as { interventionId: string };
    expect((await call('POST', `/v1/cases/${caseId}/interventions/${work.interventionId}/complete`, { token: t.work, body: {} })).status).toBe(200);
  }

  // Now a case whose work is due in 8 s: nothing Arbetsförmedlingen did took less than 10 s.
  const { caseId } = await openCase({ call, pool: s.pool }, t.coordinator, { policyId: 'snabb', expectedReleaseAt: release(38), needs: [] });
  const mark = await eventually(async () => {
    const m = (await inbox(t.work, caseId))[0]!.likelyLate;
    expect(m).not.toBeNull();
    return m!;
  }, 8_000, 100);
  expect(mark).toMatchObject({ basis: 'observed', probability: expect.closeTo(0, 5) });
  expect(mark.observations as number).toBeGreaterThanOrEqual(3);
  // Its due time passes: the alert ladder takes over and the next forecast withdraws it as overdue.
  const withdrawn = await withdrawal(caseId);
  expect(withdrawn).toMatchObject({ actor: { system: 'forecast' }, data: { reason: 'overdue' } });
}, 90_000);

test('npm run forecast: the lead-time table an operator reads, and a forecast of every case run now on the workers', async () => {
  const now = await refreshNow(s.client, s.taskQueue);
  expect(now.failed).toBe(0);
  expect(now.cases).toBeGreaterThanOrEqual(1);
  const rows = await leadTimeTable(s.pool);
  // The first test's housing was completed by Göteborg's social services; Arbetsförmedlingen's three.
  expect(rows.find((r) => r.agencyId === 'sot-1480' && r.area === 'boende')).toMatchObject({ basis: 'prior', medianDays: 14 });
  expect(rows.find((r) => r.agencyId === 'sot-1480' && r.area === 'boende')!.completed).toBeGreaterThanOrEqual(1);
  expect(rows.find((r) => r.agencyId === 'af' && r.area === 'sysselsattning')!.completed).toBeGreaterThanOrEqual(3);
}, 60_000);
