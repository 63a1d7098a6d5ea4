import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { estimateLeadTimes } from '../../domain/forecast';
import { leadTimeKey, observationsAt } from '../../domain/lead-times';
import type { PinnedPolicy, PolicyBody } from '../../domain/schemas/policy';
import { quantile } from '../../domain/survival';
import { leadTimeSources, measuredWorld } from '../../simulation/measured';
import { defaultWorld } from '../../simulation/world';
import { SimulationTimeout, simulateInThreads, type SimulationJob } from '../simulation-threads';
import { listAgencies } from '../../store/agencies';
import { leadTimeRecordsFrom } from '../../store/lead-times';
import { latestPolicy, productForecastPolicy } from '../../store/policies';
import { principalOf, requireRole } from '../auth';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { leadTimesSchema, simulationRequestSchema, simulationResultSchema } from '../schemas/foresight';

/** A year of 6,731 releases takes seconds; more than this is a simulation gone wrong, or a machine too busy to help. */
const SIMULATION_TIMEOUT_MS = 120_000;

/** Forecasts from measured lead times, and policy what-if over a cohort (issue 19). */
export const foresightRoutes: FastifyPluginAsyncZod<{ pool: Pool; simulationTimeoutMs?: number }> = async (app, { pool, simulationTimeoutMs }) => {
  // Each simulation takes a core per policy for seconds: one at a time, so the API keeps answering.
  let running = false;

  app.post('/v1/simulations', {
    onRequest: requireRole('admin', 'supervisor'),
    schema: {
      tags: ['figures'], summary: 'Run a policy (and optionally a second) over a simulated year of releases',
      description: "The product's own rules over a cohort shaped like Brå's figures, in compressed time, with no case recorded; the same seed gives the same clients and the same agency answers under both policies. With `leadTimes: measured` the agencies answer from the lead times measured in the log (as `GET /v1/forecast/lead-times` gives them, pooled by agency type) where there are enough observations. One simulation at a time: 503 while another runs, or when it takes longer than the time allowed.",
      body: simulationRequestSchema,
      response: { 200: simulationResultSchema, ...problemResponses(400, 401, 403, 404, 503) },
    },
  }, async (request) => {
    const { policy, compare, releases, seed, leadTimes } = request.body;
    const pin = async (ref: string | PolicyBody, field: 'policy' | 'compare'): Promise<{ label: string; policy: PinnedPolicy }> => {
      if (typeof ref !== 'string') return { label: field, policy: { policyId: field, version: 0, body: ref } };
      const p = await orUnavailable(() => latestPolicy(pool, ref));
      if (!p) throw problems.notFound(`No such policy for "${field}": ${ref}.`);
      return { label: ref, policy: p };
    };
    const runs = [await pin(policy, 'policy'), ...(compare === undefined ? [] : [await pin(compare, 'compare')])];
    if (running) throw problems.unavailable('Another simulation is running; try again when it is done.');
    running = true;
    try {
      const used = runs.flatMap((r) => r.policy.body.requirements.map((q) => ({ agencyType: q.agencyType, area: q.area })));
      if (leadTimes === 'given') {
        const jobs: SimulationJob[] = runs.map((r) => ({ ...r, releases, seed }));
        const result = await simulateInThreads(jobs, simulationTimeoutMs ?? SIMULATION_TIMEOUT_MS);
        return { ...result, leadTimes: { source: leadTimes, pairs: leadTimeSources(used) } };
      }
      // The log as it stands now, pooled by the directory's agency types (simulation/measured.ts).
      const [records, directory, forecast] = await orUnavailable(() => Promise.all([leadTimeRecordsFrom(pool), listAgencies(pool), productForecastPolicy(pool)]));
      const now = Date.now();
      const measured = measuredWorld(defaultWorld, records, directory, now, forecast);
      const jobs: SimulationJob[] = runs.map((r) => ({ ...r, releases, seed, world: measured.world }));
      const result = await simulateInThreads(jobs, simulationTimeoutMs ?? SIMULATION_TIMEOUT_MS);
      return {
        ...result,
        leadTimes: {
          source: leadTimes, asOf: new Date(now).toISOString(), minObservations: forecast.minObservations, windowDays: forecast.windowDays ?? null,
          unknownAgencyObservations: measured.unknownAgencyObservations, pairs: leadTimeSources(used, measured.sources),
        },
      };
    } catch (err) {
      if (err instanceof SimulationTimeout) throw problems.unavailable(err.message);
      throw err;
    } finally {
      running = false;
    }
  });

  app.get('/v1/forecast/lead-times', {
    onRequest: requireRole('supervisor', 'coordinator'),
    schema: {
      tags: ['figures'], summary: 'How long each agency takes, per need area: the Kaplan–Meier distributions',
      description: "Days from assignment to completion of every intervention assigned within the policy's window, work still open (or ended otherwise) counted as censored. Fewer observations than `minObservations`: the policy's prior instead, and `basis` says so. Supervisors see their own agency's, coordinators every agency's.",
      response: { 200: leadTimesSchema, ...problemResponses(401, 403, 503) },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const own = principal.role === 'supervisor' ? principal.agencyId ?? '' : undefined;
    const [records, policy] = await orUnavailable(() => Promise.all([leadTimeRecordsFrom(pool, own), productForecastPolicy(pool)]));
    const now = Date.now();
    const observed = observationsAt(records, now, policy.windowDays);
    const items = estimateLeadTimes(records, now, policy).map((e) => {
      const obs = observed.get(leadTimeKey(e.agencyId, e.area)) ?? [];
      const base = { agencyId: e.agencyId, area: e.area, observations: obs.length, completed: obs.filter((o) => o.completed).length };
      return e.basis === 'observed'
        ? { ...base, basis: e.basis, medianDays: e.medianDays, p90Days: quantile(e.curve, 0.9), curve: [...e.curve.steps] }
        : { ...base, basis: e.basis, reason: e.reason, medianDays: e.medianDays, p90Days: null, curve: [] };
    });
    return {
      asOf: new Date(now).toISOString(),
      forecast: { minObservations: policy.minObservations, windowDays: policy.windowDays ?? null, priorMedianDays: policy.priorMedianDays },
      items,
    };
  });
};
