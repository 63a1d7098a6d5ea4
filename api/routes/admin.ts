import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { agencyEntryBodySchema, agencyEntrySchema } from '../../domain/schemas/agency';
import { policyBodySchema } from '../../domain/schemas/policy';
import { agencyIdSchema } from '../../domain/schemas/vocabulary';
import { listAgencyEntries, upsertAgency } from '../../store/agencies';
import { latestPolicy, listPolicies, publishPolicy } from '../../store/policies';
import { requireRole } from '../auth';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { items, policySummarySchema } from '../schemas/views';

const policyIdParams = z.object({ policyId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" or "-"') });

/** The agency directory and the versioned policies: the system owner's. */
export const adminRoutes: FastifyPluginAsyncZod<{ pool: Pool }> = async (app, { pool }) => {
  const admin = requireRole('admin');

  app.put('/v1/agencies/:agencyId', {
    onRequest: admin,
    schema: { tags: ['administration'], summary: 'Register or change an agency', params: z.object({ agencyId: agencyIdSchema }),
      body: agencyEntryBodySchema, response: { 200: agencyEntrySchema, ...problemResponses(400, 401, 403, 503) } },
  }, async (request) => orUnavailable(() => upsertAgency(pool, { agencyId: request.params.agencyId, ...request.body })));

  app.get('/v1/agencies', {
    onRequest: requireRole(),
    schema: { tags: ['administration'], summary: 'All agencies, each with how to reach it', response: { 200: items(agencyEntrySchema), ...problemResponses(401, 503) } },
  }, async () => ({ items: await orUnavailable(() => listAgencyEntries(pool)) }));

  app.put('/v1/policies/:policyId', {
    onRequest: admin,
    schema: { tags: ['administration'], summary: 'Publish a policy; a changed body makes a new immutable version',
      params: policyIdParams, body: policyBodySchema,
      response: { 200: z.object({ policyId: z.string(), version: z.number().int() }), ...problemResponses(400, 401, 403, 503) } },
  }, async (request) => orUnavailable(() => publishPolicy(pool, request.params.policyId, request.body)));

  app.get('/v1/policies', {
    onRequest: requireRole(),
    schema: { tags: ['administration'], summary: "Every policy's latest version and description: what a new case can be opened under",
      response: { 200: items(policySummarySchema), ...problemResponses(401, 503) } },
  }, async () => ({ items: await orUnavailable(() => listPolicies(pool)) }));

  app.get('/v1/policies/:policyId', {
    onRequest: requireRole(),
    schema: { tags: ['administration'], summary: 'The latest version of a policy', params: policyIdParams,
      response: { 200: z.object({ policyId: z.string(), version: z.number().int(), body: policyBodySchema }), ...problemResponses(401, 404, 503) } },
  }, async (request) => {
    const p = await orUnavailable(() => latestPolicy(pool, request.params.policyId));
    if (!p) throw problems.notFound('No such policy.');
    return p;
  });
};
