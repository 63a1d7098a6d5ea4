import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { isPerson } from '../../domain/actor';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import { decide } from '../../domain/decide';
import { EVENT_SCHEMA_VERSION } from '../../domain/schemas/events';
import { fold } from '../../domain/evolve';
import { defaultForecastPolicy } from '../../domain/forecast';
import type { Person } from '../../domain/schemas/actor';
import { defaultPolicyBody, type PinnedPolicy } from '../../domain/schemas/policy';
import { bråShape, generateCohort } from '../../simulation/cohort';
import { measuredWorld } from '../../simulation/measured';
import { simulatePolicy } from '../../simulation/simulate';
import { defaultWorld } from '../../simulation/world';
import { appendToStream } from '../../store/event-store';
import { leadTimeRecordsFrom } from '../../store/lead-times';
import { projectEvents } from '../../store/projections';
import { coordinator, directory } from '../../dev/fixtures';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { DAY_MS, caller, tokensFor, type Call, type Tokens } from './support';

/**
 * `POST /v1/simulations` with `leadTimes: 'measured'` (issue 19): the simulated agencies answer
 * with the lead times measured in the log, pooled by agency type and area.
 *
 * The log needs lead times of weeks, which a request-driven test cannot wait for, so its cases are
 * written as test/support/generate-log.ts writes them, the way production does apart from the
 * clock: every event decided by the real domain (`decide`), appended with `appendToStream` and
 * projected into the read models in the same transaction (`projectEvents`), here at moments in the
 * past. Göteborg's social services (sot-1480) take 70–93 days over housing: 24 cases, more than
 * `minObservations` (20). Five of the cases also need addiction care from the region, which has
 * not finished any of it: too few observations, so the region's lead times stay given.
 */
let s: ApiTestStack;
let call: Call;
let t: Tokens;
const SLOW_CASES = 24;
const REGION_CASES = 5;

const officer = (agencyId: string): Person => ({ sub: `officer-${agencyId}`, role: 'agency', agencyId });
const iso = (ms: number) => new Date(ms).toISOString();

/** One command as the workflow runs it (decide, then append with the read models), at `at`. */
async function run(pool: Pool, caseId: string, state: CaseState | undefined, command: Command, actor: Person, at: number): Promise<CaseState> {
  const decision = decide(state, command, { now: iso(at), actor, directory });
  if (!decision.ok) throw new Error(`${command.type} on ${caseId} refused: ${JSON.stringify(decision.rejection)}`);
  await appendToStream(pool, {
    streamId: caseId,
    expectedVersion: state?.version ?? 0,
    events: decision.events.map((e) => ({
      type: e.type, schemaVersion: EVENT_SCHEMA_VERSION, data: e.data, occurredAt: e.occurredAt,
      metadata: { actor: isPerson(e.actor) ? { sub: e.actor.sub, role: e.actor.role, agencyId: e.actor.agencyId } : e.actor, workflowRunId: 'written-by-test' },
    })),
  }, projectEvents);
  return fold(decision.events, state)!;
}

async function writeSlowLog(pool: Pool): Promise<void> {
  const policy: PinnedPolicy = { policyId: 'default', version: 1, body: defaultPolicyBody };
  const t0 = Date.now() - 100 * DAY_MS;
  for (let k = 0; k < SLOW_CASES; k++) {
    const caseId = `slow-${k + 1}`;
    const openedAt = t0 + k * 60_000;
    const region = k < REGION_CASES;
    // Arbetsförmedlingen is left out of the consent: its work stays unassigned and out of the log's lead times.
    const state = await run(pool, caseId, undefined, {
      type: 'open_case', caseId, client: { municipality: '1480' }, phase: 'anstalt',
      admittedAt: iso(openedAt - DAY_MS), expectedReleaseAt: iso(Date.now() + 60 * DAY_MS), riskLevel: 'medium',
      needs: region ? ['missbruk'] : [], consent: { agencyIds: region ? ['sot-1480', 'reg-vg', 'frv-gbg'] : ['sot-1480', 'frv-gbg'] }, policy,
    }, coordinator, openedAt);
    const housing = state.interventions.find((i) => i.area === 'boende' && i.agencyId === 'sot-1480');
    if (!housing) throw new Error(`${caseId}: no housing intervention for sot-1480`);
    await run(pool, caseId, state, { type: 'complete_intervention', interventionId: housing.interventionId }, officer('sot-1480'), openedAt + (70 + k) * DAY_MS);
  }
}

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
  await writeSlowLog(s.pool);
});
afterAll(async () => {
  await s?.close();
});

type Pair = { agencyType: string; area: string; basis: string; reason?: string; observations?: number; completed?: number; medianDays?: number | null };
const pair = (pairs: Pair[], agencyType: string, area: string) => pairs.find((p) => p.agencyType === agencyType && p.area === area);

describe('POST /v1/simulations with measured lead times', () => {
  it('has slow measured social services leave more releases with housing undone than the given ones, and says which lead times were measured', async () => {
    const body = { policy: 'default', releases: 300, seed: 11 };
    const given = await call('POST', '/v1/simulations', { token: t.admin, body });
    const measured = await call('POST', '/v1/simulations', { token: t.admin, body: { ...body, leadTimes: 'measured' } });
    expect(given.status).toBe(200);
    expect(measured.status).toBe(200);

    // Given (the default): nothing read from the log, every pair the policy assigns work to given.
    expect(given.body.leadTimes.source).toBe('given');
    expect(given.body.leadTimes.pairs.length).toBeGreaterThan(0);
    expect(given.body.leadTimes.pairs.every((p: Pair) => p.basis === 'given' && p.observations === undefined)).toBe(true);

    const lt = measured.body.leadTimes;
    expect(lt).toMatchObject({ source: 'measured', minObservations: 20, windowDays: 180, unknownAgencyObservations: 0 });
    // Median of 70, 71, … 93 days by Kaplan–Meier: the 12th completion brings S to ½.
    expect(pair(lt.pairs, 'socialtjansten', 'boende')).toEqual({
      agencyType: 'socialtjansten', area: 'boende', basis: 'measured', observations: SLOW_CASES, completed: SLOW_CASES, medianDays: 81,
    });
    expect(pair(lt.pairs, 'regionen', 'missbruk')).toEqual({
      agencyType: 'regionen', area: 'missbruk', basis: 'given', reason: 'too_few_observations', observations: REGION_CASES, completed: 0,
    });
    expect(pair(lt.pairs, 'arbetsformedlingen', 'sysselsattning')).toMatchObject({ basis: 'given', observations: 0 });
    expect(lt.pairs.filter((p: Pair) => p.basis === 'measured')).toHaveLength(1);

    const [g] = given.body.reports;
    const [m] = measured.body.reports;
    expect(m.releasesWithGap).toBeGreaterThan(g.releasesWithGap);
    expect(m.openAtReleaseByArea.boende).toBeGreaterThan(g.openAtReleaseByArea.boende * 1.5);
    // The same clients, and every agency not measured answering them as given.
    expect(m.releases).toBe(g.releases);
    for (const area of ['missbruk', 'psykisk_halsa', 'sysselsattning']) expect(m.openAtReleaseByArea[area]).toBe(g.openAtReleaseByArea[area]);
    expect(m).toMatchObject({ refused: 0, runaways: 0 });

    // What the threads ran is the measured world, as data: the simulator in-process gives the same.
    const world = measuredWorld(defaultWorld, await leadTimeRecordsFrom(s.pool), directory, Date.now(), defaultForecastPolicy).world;
    const published = await call('GET', '/v1/policies/default', { token: t.coordinator });
    const cohort = generateCohort({ ...bråShape, releases: 300 }, world, 11);
    expect(m).toEqual(simulatePolicy({ label: 'default', policy: { policyId: 'default', version: published.body.version, body: published.body.body } }, cohort, world, { seed: 11, year: bråShape.year }));
  });

  it('gives the same figures from `npm run simulate -- --lead-times measured` on the same database, and says so when DATABASE_URL is missing', async () => {
    const script = ['--import', 'tsx', path.join(__dirname, '../../scripts/simulate.ts')];
    const args = [...script, '--policy', 'default', '--releases', '300', '--seed', '11', '--lead-times', 'measured', '--json'];
    const { DATABASE_URL: _, ...env } = process.env;
    const cli = await promisify(execFile)(process.execPath, args, { env: { ...env, DATABASE_URL: s.databaseUrl }, maxBuffer: 64 << 20 });
    const out = JSON.parse(cli.stdout);
    const api = await call('POST', '/v1/simulations', { token: t.admin, body: { policy: 'default', releases: 300, seed: 11, leadTimes: 'measured' } });
    expect(out.reports).toEqual(api.body.reports);
    const { asOf: _cliAsOf, ...cliLeadTimes } = out.leadTimes;
    const { asOf: _apiAsOf, ...apiLeadTimes } = api.body.leadTimes;
    expect(cliLeadTimes).toEqual(apiLeadTimes);

    const missing = await promisify(execFile)(process.execPath, args, { env }).then(() => null, (err: { code: number; stderr: string }) => err);
    expect(missing?.code).toBe(1);
    expect(missing?.stderr).toContain('--lead-times measured reads the lead times from the log: set DATABASE_URL');
  });

  it('names `leadTimes` when it is neither given nor measured (400)', async () => {
    const r = await call('POST', '/v1/simulations', { token: t.admin, body: { policy: 'default', releases: 5, leadTimes: 'guessed' } });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toContain('leadTimes');
  });
});
