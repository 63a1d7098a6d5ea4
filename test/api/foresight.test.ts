import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPolicyBody, policyBodySchema } from '../../domain/schemas/policy';
import { bråShape, generateCohort } from '../../simulation/cohort';
import { simulatePolicy } from '../../simulation/simulate';
import { defaultWorld } from '../../simulation/world';
import { SimulationTimeout, simulateInThreads } from '../../api/simulation-threads';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, openCase, settle, tokensFor, type Call, type Tokens } from './support';

/**
 * Issue 19 from the API: a policy what-if over a simulated cohort (admins and supervisors), and
 * the measured lead times per agency and area (supervisors their own agency's, coordinators all).
 */
let s: ApiTestStack;
let call: Call;
let t: Tokens;
const housingP60 = JSON.parse(readFileSync(path.join(__dirname, '../../simulation/policies/housing-p60d.json'), 'utf8')) as unknown;

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
});
afterAll(async () => {
  await s?.close();
});

describe('POST /v1/simulations', () => {
  it('answers supervisors and admins with the same figures the simulator gives, policy by policy', async () => {
    const published = await call('GET', '/v1/policies/default', { token: t.coordinator });
    expect(published.status).toBe(200);
    const cohort = generateCohort({ ...bråShape, releases: 40 }, defaultWorld, 7);
    const expected = (label: string, body: unknown) => simulatePolicy(
      { label, policy: { policyId: label, version: 1, body: policyBodySchema.parse(body) } }, cohort, defaultWorld, { seed: 7, year: bråShape.year },
    );
    for (const token of [t.socialBoss, t.admin]) {
      const r = await call('POST', '/v1/simulations', { token, body: { policy: 'default', compare: housingP60, releases: 40, seed: 7 } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ seed: 7, releases: 40 });
      expect(r.body.reports).toEqual([expected('default', published.body.body), expected('compare', housingP60)]);
      // The earlier housing deadline leaves fewer releases with housing undone.
      expect(r.body.reports[1].openAtReleaseByArea.boende ?? 0).toBeLessThan(r.body.reports[0].openAtReleaseByArea.boende);
      expect(r.body.reports[0]).toMatchObject({ cases: 40, releases: 40, refused: 0, runaways: 0 });
      expect(r.body.eventsPerSecond).toBeGreaterThan(0);
    }
  });

  it('refuses coordinators and agencies (403), and a missing token (401)', async () => {
    for (const token of [t.coordinator, t.social]) {
      const r = await call('POST', '/v1/simulations', { token, body: { policy: 'default', releases: 5 } });
      expect({ status: r.status, type: r.body?.type }).toEqual({ status: 403, type: 'urn:glappfri:problem:forbidden' });
    }
    expect((await call('POST', '/v1/simulations', { body: { policy: 'default', releases: 5 } })).status).toBe(401);
  });

  it('names the offending field of a bad request (400), and an unknown policy (404)', async () => {
    const bad: [unknown, string][] = [
      [{ policy: 'default', releases: 20_001 }, 'releases'],
      [{ policy: 'default', releases: 10, seed: -1 }, 'seed'],
      [{ releases: 10 }, 'policy'],
    ];
    for (const [body, field] of bad) {
      const r = await call('POST', '/v1/simulations', { token: t.admin, body });
      expect({ field, status: r.status }).toEqual({ field, status: 400 });
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const unknown = await call('POST', '/v1/simulations', { token: t.admin, body: { policy: 'no-such-policy', releases: 5 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('no-such-policy');
  });

  it('stops the threads of a simulation that outruns its time', async () => {
    const started = Date.now();
    const policy = { policyId: 'default', version: 1, body: defaultPolicyBody };
    await expect(simulateInThreads([{ label: 'default', policy, releases: 20_000, seed: 1 }], 300)).rejects.toBeInstanceOf(SimulationTimeout);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('GET /v1/forecast/lead-times', () => {
  type Item = { agencyId: string; area: string; basis: string; reason?: string; observations: number; completed: number; medianDays: number | null; curve: { days: number; survival: number; completed: number }[] };
  const leadTimes = async (token: string) => {
    const r = await call('GET', '/v1/forecast/lead-times', { token });
    expect(r.status).toBe(200);
    return r.body.items as Item[];
  };
  const housing = (items: Item[]) => items.find((i) => i.agencyId === 'sot-1480' && i.area === 'boende');

  it('falls back to the prior with too few observations, then measures, with open work censored; supervisors see their own agency only', async () => {
    const first = await openCase({ call, pool: s.pool }, t.coordinator);
    expect(housing(await leadTimes(t.coordinator))).toEqual({
      agencyId: 'sot-1480', area: 'boende', basis: 'prior', reason: 'too_few_observations', observations: 1, completed: 0, medianDays: 14, p90Days: null, curve: [],
    });
    // Twelve done at once, then nine more left open: 21 observations, 12 of them completions.
    const done = [first.caseId];
    for (let k = 0; k < 11; k++) done.push((await openCase({ call, pool: s.pool }, t.coordinator)).caseId);
    for (const caseId of done) {
      const r = await call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: t.social, body: {} });
      expect(r.status).toBe(200);
      await settle(s.pool, caseId);
    }
    for (let k = 0; k < 9; k++) await openCase({ call, pool: s.pool }, t.coordinator);
    // Wait until the open ones have been open longer than any completed one took (on a slow
    // machine the first completions took long: the loop above opens and completes one by one).
    const span = await s.pool.query<{ longest: number; youngest: number }>(
      `SELECT (extract(epoch FROM max(completed_at - assigned_at)) * 1000)::float8 AS longest,
              (extract(epoch FROM max(assigned_at) FILTER (WHERE completed_at IS NULL)) * 1000)::float8 AS youngest
         FROM tasks WHERE agency_id = 'sot-1480' AND area = 'boende'`,
    );
    const { longest, youngest } = span.rows[0]!;
    await new Promise((r) => setTimeout(r, Math.max(0, youngest + longest + 2_000 - Date.now())));

    const mine = await leadTimes(t.socialBoss);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.agencyId === 'sot-1480')).toBe(true);
    const h = housing(mine)!;
    expect(h).toMatchObject({ basis: 'observed', observations: 21, completed: 12 });
    expect(h.curve.reduce((n, x) => n + x.completed, 0)).toBe(12);
    expect(h.curve.every((x, k) => k === 0 || x.survival < h.curve[k - 1]!.survival)).toBe(true);
    // Censored work still counts at risk: 9 of 21 not done, not 0 of 12.
    expect(h.curve[h.curve.length - 1]!.survival).toBeCloseTo(9 / 21, 10);
    expect(h.medianDays).not.toBeNull();

    const everyone = await leadTimes(t.coordinator);
    expect(new Set(everyone.map((i) => i.agencyId))).toEqual(new Set(['sot-1480', 'reg-vg', 'af']));
    expect(housing(everyone)).toEqual(h);
    // Work assigned to the region and never done: measured, and no median to give.
    expect(everyone.find((i) => i.agencyId === 'reg-vg')).toMatchObject({ basis: 'observed', observations: 21, completed: 0, medianDays: null, curve: [] });
    expect((await leadTimes(t.workBoss)).every((i) => i.agencyId === 'af')).toBe(true);
  });

  it('refuses agencies and admins (403)', async () => {
    for (const token of [t.social, t.admin]) {
      const r = await call('GET', '/v1/forecast/lead-times', { token });
      expect({ status: r.status, type: r.body?.type }).toEqual({ status: 403, type: 'urn:glappfri:problem:forbidden' });
    }
  });
});
