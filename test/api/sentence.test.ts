import { addDuration } from '../../domain/duration';
import { estimateConditionalRelease } from '../../domain/schemas/release-estimate';
import { DEFAULT_RELEASE_RULES, probationAfterRelease } from '../../domain/release-arithmetic';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, caseBody, inDays, openCase, settle, tableCounts, tokensFor, type Call, type Tokens } from './support';

/*
 * Issue 18 through the API: the coordinator gives the sentence instead of a date. The estimate
 * (domain/schemas/release-estimate.ts, worked examples in test/domain/sentence.test.ts) is the working
 * release date until Kriminalvården's own date is set, and never after; probation ends are set
 * at release from the actual release date.
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

const date = (iso: string) => iso.slice(0, 10);
/** 2½ years begun a month ago, judgment final ten days before that: under the reform (judged after 2026-01-01). */
const sentence = { length: 'P2Y6M', startsAt: date(inDays(-30)), judgmentAt: date(inDays(-40)) };
const estimateOf = (x: typeof sentence) => {
  const e = estimateConditionalRelease({ sentenceStart: x.startsAt, sentenceLength: x.length, judgmentFinalAt: x.judgmentAt });
  if (e.kind !== 'estimate') throw new Error('no regime');
  const { kind: _k, regimeIndex: _r, ...shown } = e;
  return shown;
};
const housingDue = (view: { interventions: { title: string; dueAt: string | null }[] }) =>
  view.interventions.find((i) => i.title === 'Bostad ordnad')!.dueAt;
const without = (key: string, body: Record<string, unknown>) => {
  const b = { ...body };
  delete b[key];
  return b;
};

test('the sentence instead of a date: the estimate is the release date until Kriminalvården sets its own', async () => {
  const estimate = estimateOf(sentence);
  const body = without('expectedReleaseAt', caseBody({ admittedAt: inDays(-30), sentence }));
  const opened = await call('POST', '/v1/cases', { token: tok.coordinator, body });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  await settle(s.pool, caseId);
  expect(opened.body).toMatchObject({
    expectedReleaseAt: estimate.estimatedReleaseAt, releaseDateSource: 'estimate', releaseEstimate: estimate, sentence,
  });
  expect(housingDue(opened.body)).toBe(new Date(addDuration(estimate.estimatedReleaseAt, 'P30D', -1)).toISOString());
  const events = await call('GET', `/v1/cases/${caseId}/events`, { token: tok.coordinator });
  expect(events.body.items[0]).toMatchObject({ type: 'CaseOpened', data: { sentence, releaseEstimate: estimate } });
  expect(events.body.items[0].data).not.toHaveProperty('expectedReleaseAt');

  // An agency officer sees the estimate and that it is one, not the sentence.
  const asOfficer = await call('GET', `/v1/cases/${caseId}`, { token: tok.social });
  expect(asOfficer.body).toMatchObject({ releaseDateSource: 'estimate', releaseEstimate: estimate });
  expect(asOfficer.body).not.toHaveProperty('sentence');
  // …and so do the case list and the housing officer's inbox, next to the date.
  const listed = async () => (await call('GET', '/v1/cases?limit=200', { token: tok.coordinator })).body.items.find((c: { caseId: string }) => c.caseId === caseId);
  const inboxed = async () => (await call('GET', '/v1/tasks?status=all', { token: tok.social })).body.items.find((t: { caseId: string }) => t.caseId === caseId);
  expect(await listed()).toMatchObject({ expectedReleaseAt: estimate.estimatedReleaseAt, releaseDateSource: 'estimate' });
  expect(await inboxed()).toMatchObject({ expectedReleaseAt: estimate.estimatedReleaseAt, releaseDateSource: 'estimate' });

  // A corrected sentence moves the working date and the deadlines on it.
  const corrected = { ...sentence, length: 'P2Y' };
  const moved = await call('PUT', `/v1/cases/${caseId}/sentence`, { token: tok.coordinator, body: { ...corrected, reason: 'Hovrättens dom' } });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ expectedReleaseAt: estimateOf(corrected).estimatedReleaseAt, releaseDateSource: 'estimate', sentence: corrected });
  expect(housingDue(moved.body)).toBe(new Date(addDuration(estimateOf(corrected).estimatedReleaseAt, 'P30D', -1)).toISOString());

  // Kriminalvården's date is authoritative: from now on a sentence only changes the estimate.
  const official = inDays(400);
  const dated = await call('PUT', `/v1/cases/${caseId}/release-date`, { token: tok.coordinator, body: { expectedReleaseAt: official, reason: 'Strafftidsbeslut' } });
  expect(dated.body).toMatchObject({ expectedReleaseAt: official, releaseDateSource: 'kriminalvarden' });
  expect(await listed()).toMatchObject({ expectedReleaseAt: official, releaseDateSource: 'kriminalvarden' });
  expect(await inboxed()).toMatchObject({ expectedReleaseAt: official, releaseDateSource: 'kriminalvarden' });
  const again = await call('PUT', `/v1/cases/${caseId}/sentence`, { token: tok.coordinator, body: sentence });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ expectedReleaseAt: official, releaseDateSource: 'kriminalvarden', releaseEstimate: estimate });
  expect(housingDue(again.body)).toBe(new Date(addDuration(official, 'P30D', -1)).toISOString());

  // Released today: probation runs from the actual release, at least the reform's two years.
  const released = await call('POST', `/v1/cases/${caseId}/transitions`, { token: tok.coordinator, body: { to: 'frigiven' } });
  expect(released.status).toBe(200);
  const probationEndsAt = released.body.probationEndsAt as string;
  // The rest of the sentence (about 2 years 5 months) outlasts the two-year minimum.
  expect(probationEndsAt).toBe(probationAfterRelease(
    { sentenceStart: sentence.startsAt, sentenceLength: sentence.length, judgmentFinalAt: sentence.judgmentAt },
    released.body.releasedAt, DEFAULT_RELEASE_RULES,
  ));
  expect(Date.parse(probationEndsAt)).toBe(Math.max(Date.parse(estimate.sentenceEndsAt), addDuration(released.body.releasedAt, 'P2Y')));
  const shown = await call('GET', `/v1/cases/${caseId}`, { token: tok.probation });
  expect(shown.body.probationEndsAt).toBe(probationEndsAt);
  // The release's own alerts are raised just after the answer; later tests count rows.
  await settle(s.pool, caseId);
}, 60_000);

test('a case opened with a date and without a sentence looks as it always did', async () => {
  const c = await openCase({ call, pool: s.pool }, tok.coordinator);
  for (const k of ['sentence', 'releaseEstimate', 'releaseDateSource']) expect(c).not.toHaveProperty(k);
  const listed = (await call('GET', '/v1/cases?limit=200', { token: tok.coordinator })).body.items.find((x: { caseId: string }) => x.caseId === c.caseId);
  expect(listed).toBeDefined();
  expect(listed).not.toHaveProperty('releaseDateSource');
  const released = await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: tok.coordinator, body: { to: 'frigiven' } });
  expect(released.body).not.toHaveProperty('probationEndsAt');
  await settle(s.pool, c.caseId);
}, 30_000);

test("a judgment date the pinned policy's rules do not cover → 400 sentence.judgmentAt, nothing stored", async () => {
  const reformOnly = {
    requirements: [], followUps: { high: ['P7D'], medium: ['P7D'], low: ['P30D'] },
    releaseRules: [{ judgmentFinalFrom: '2026-01-01', fraction: { numerator: 3, denominator: 4 }, minimumServed: 'P1M', minimumProbation: 'P2Y' }],
  };
  expect((await s.call('PUT', '/v1/policies/reform-only', { token: tok.admin, body: reformOnly })).status).toBe(200);
  const before = await tableCounts(s.pool);
  const body = without('expectedReleaseAt', caseBody({ policyId: 'reform-only', sentence: { ...sentence, judgmentAt: '2025-12-31' } }));
  const r = await call('POST', '/v1/cases', { token: tok.coordinator, body });
  expect(r.status).toBe(400);
  expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['sentence.judgmentAt']);
  expect(await tableCounts(s.pool)).toEqual(before);
  // The same sentence judged under the reform is fine.
  const ok = await call('POST', '/v1/cases', { token: tok.coordinator, body: { ...body, sentence } });
  expect(ok.status).toBe(201);
}, 30_000);
