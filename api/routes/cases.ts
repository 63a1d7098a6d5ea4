import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canSeeAccessLog, canSeeCase, canSeeTrail } from '../../domain/access';
import { agenciesNeeded } from '../../domain/agencies-needed';
import { decide } from '../../domain/decide';
import {
  addInterventionBodySchema, clientViewBodySchema, consentBodySchema, meetingBodySchema, needsBodySchema,
  noteBodySchema, planBodySchema, reasonBodySchema, reassignBodySchema, releaseDateBodySchema,
  responsibilityBodySchema, riskLevelBodySchema, sentenceBodySchema, transferBodySchema, transitionBodySchema,
} from '../../domain/schemas/commands';
import { openCaseBodySchema } from '../../domain/schemas/open-case-body';
import { phaseSchema } from '../../domain/schemas/vocabulary';
import { listAgencies } from '../../store/agencies';
import { accessLog } from '../../store/audit-log';
import { birthDatesOf, forgetUnopenedClientIdentity, openCasesOfNumber, saveClientIdentity } from '../../store/client-identities';
import type { CaseKeys } from '../../store/case-keys';
import { readStream } from '../../store/event-store';
import { openEvents } from '../../store/sealed-events';
import { latestPolicy } from '../../store/policies';
import { caseState, listCases } from '../../store/read-models';
import { principalOf, requireRole, type Principal } from '../auth';
import { composeView, orUnavailable, requestIdOf, runCommand, toPerson, visibleCase } from '../case-service';
import type { JourneyClient } from '../journey-client';
import { problemResponses } from '../openapi';
import { ProblemError, problemFromRejection, problems, safeErrorForLog } from '../problem';
import { auditRead } from '../read-audit';
import { encodeCursor, keyId, keyTimestamp, page, pageQuery, toPage } from '../schemas/page';
import { accessLogEntrySchema, caseSummarySchema, caseViewSchema, eventViewSchema, items } from '../schemas/views';
import type { Pool } from 'pg';

export interface CaseRouteDeps {
  pool: Pool;
  journeys: JourneyClient;
  keys: CaseKeys;
}

const caseParams = z.object({ caseId: z.string().min(1).max(100) });
const interventionParams = caseParams.extend({ interventionId: z.string().min(1).max(50) });
const view = { 200: caseViewSchema, ...problemResponses(400, 401, 403, 404, 409, 503) };
const audited = { audit: true };

/**
 * One person, one open case, unless the coordinator says a second one is meant: a second case by
 * mistake splits the plan, and each half looks complete. The existing case is named only to a
 * caller who may see it; anyone else learns that one exists and whom to ask, nothing more.
 */
async function refuseSecondCase(deps: CaseRouteDeps, pin: string, principal: Principal): Promise<void> {
  const existing = await orUnavailable(() => openCasesOfNumber(deps.pool, deps.keys.lookupHashes(pin)));
  if (existing.length === 0) return;
  const states = await orUnavailable(() => Promise.all(existing.map((id) => caseState(deps.pool, id))));
  const visible = states.filter((s): s is NonNullable<typeof s> => !!s && canSeeCase(s, principal)).map((s) => s.caseId);
  throw new ProblemError(409, 'Conflict',
    visible.length > 0
      ? 'This person already has an open case. Open it instead, or send allowSecondCase: true for a genuine second case.'
      : 'This person already has an open case at another agency. Contact its coordinator, or send allowSecondCase: true for a genuine second case.',
    [{ path: 'client.personalIdentityNumber', message: 'already has an open case' }],
    { type: 'client-has-open-case', extensions: { existingCaseIds: visible } });
}

/** Coordinators plan; agencies act on their own tasks; everyone reads what their role allows. */
export const caseRoutes: FastifyPluginAsyncZod<CaseRouteDeps> = async (app, deps) => {
  const coordinator = requireRole('coordinator');

  app.post('/v1/cases', {
    onRequest: coordinator,
    config: audited,
    schema: { tags: ['cases'], summary: 'Open a case; the plan is filled from the policy at once', body: openCaseBodySchema,
      response: { 201: caseViewSchema, ...problemResponses(400, 401, 403, 409, 503) } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const body = request.body;
    const caseId = request.headers['idempotency-key'] ? requestIdOf(request, principal, 'open-case') : randomUUID();
    const [policy, agencies] = await orUnavailable(() => Promise.all([latestPolicy(deps.pool, body.policyId), listAgencies(deps.pool)]));
    if (!policy) throw problems.badRequest('unknown policy', [{ path: 'policyId', message: 'no such policy' }]);
    const { client, policyId: _policyId, allowSecondCase, ...fields } = body;
    if (client.personalIdentityNumber && !allowSecondCase) await refuseSecondCase(deps, client.personalIdentityNumber, principal);
    const command = { type: 'open_case' as const, ...fields, caseId, client: { municipality: client.municipality }, policy };
    const actor = toPerson(principal);
    // The update is kept in the case's history for good: only the agencies its decision can look at.
    const directory = agenciesNeeded(undefined, command, actor, agencies);
    // Decided here first, exactly as the workflow will, so a refused case starts nothing.
    const check = decide(undefined, command, { now: new Date().toISOString(), actor, directory });
    if (!check.ok) throw problemFromRejection(check.rejection);
    await orUnavailable(() => saveClientIdentity(deps.pool, deps.keys, caseId, { name: client.name, personalIdentityNumber: client.personalIdentityNumber ?? null }));
    let result;
    try {
      result = await orUnavailable(() => deps.journeys.open(caseId, { requestId: caseId, command, actor, directory }));
    } catch (err) {
      // A 503 or a refusal changes nothing: the identity written above goes again.
      await forgetUnopenedClientIdentity(deps.pool, caseId).catch((e: unknown) =>
        request.log.error({ err: safeErrorForLog(e) }, 'client identity of a failed opening not removed'));
      throw err;
    }
    request.auditCaseId = caseId;
    const view = await composeView(deps, result.state, principal);
    await auditRead(request, deps.pool, [caseId], 'command', { status: 201, changed: true });
    return reply.code(201).send(view);
  });

  app.get('/v1/cases', {
    onRequest: requireRole('coordinator', 'supervisor', 'agency'),
    config: audited,
    schema: { tags: ['cases'], summary: "List the cases the caller's agency may see (coordinating, holding or taking over responsibility, or consented, by role)",
      querystring: z.object({
        phase: phaseSchema.optional(),
        releaseWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
        hasGaps: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      }).extend(pageQuery('cases', z.tuple([keyTimestamp.nullable(), keyId])).shape),
      response: { 200: page(caseSummarySchema), ...problemResponses(400, 401, 403, 503) } },
  }, async (request) => {
    const principal = principalOf(request);
    const { limit, cursor, ...filter } = request.query;
    const after = cursor && { expectedReleaseAt: cursor[0], caseId: cursor[1] };
    const rows = await orUnavailable(() => listCases(deps.pool, {
      ...filter, limit: limit + 1, viewer: { role: principal.role as 'coordinator' | 'supervisor' | 'agency', agencyId: principal.agencyId ?? '' },
    }, after));
    const result = toPage('cases', rows, limit, ({ sortKey: k }) => [k.expectedReleaseAt, k.caseId],
      ({ sortKey: _, ...c }) => c as z.infer<typeof caseSummarySchema>);
    await auditRead(request, deps.pool, result.items.map((r) => r.caseId), 'case-list');
    const born = await orUnavailable(() => birthDatesOf(deps.pool, deps.keys, result.items.map((r) => r.caseId)));
    return { ...result, items: result.items.map((c) => (born.has(c.caseId) ? { ...c, client: { ...c.client, birthDate: born.get(c.caseId) } } : c)) };
  });

  app.get('/v1/cases/:caseId', {
    onRequest: requireRole('coordinator', 'supervisor', 'agency'),
    config: audited,
    schema: { tags: ['cases'], summary: 'One case (an agency officer sees only what its own tasks need)', params: caseParams, response: view },
  }, async (request) => {
    const principal = principalOf(request);
    const state = await visibleCase(deps.pool, request.params.caseId, principal);
    const shown = await composeView(deps, state, principal);
    await auditRead(request, deps.pool, [state.caseId], 'case');
    return shown;
  });

  app.get('/v1/cases/:caseId/events', {
    onRequest: requireRole('coordinator', 'supervisor'),
    config: audited,
    schema: { tags: ['cases'], summary: "The case's audit trail, in version order", params: caseParams,
      querystring: pageQuery('events', z.tuple([z.number().int().min(1)])),
      response: { 200: page(eventViewSchema), ...problemResponses(400, 401, 403, 404, 503) } },
  }, async (request) => {
    const principal = principalOf(request);
    const state = await visibleCase(deps.pool, request.params.caseId, principal);
    if (!canSeeTrail(state, principal)) throw problems.notFound('No such case.');
    const { limit, cursor } = request.query;
    // Versions only grow: a page continues after the last version shown, new events come at the end.
    const stored = await orUnavailable(() => readStream(deps.pool, request.params.caseId, (cursor?.[0] ?? 0) + 1, limit + 1));
    const more = stored.length > limit;
    const events = await orUnavailable(() => openEvents(deps.pool, deps.keys, stored.slice(0, limit)));
    await auditRead(request, deps.pool, [state.caseId], 'events');
    return {
      items: events.map((e) => ({
        version: e.version, type: e.type, occurredAt: e.occurredAt,
        actor: e.metadata.actor as Record<string, unknown>, data: e.data as Record<string, unknown>,
      })),
      nextCursor: more ? encodeCursor('events', [events.at(-1)!.version]) : null,
    };
  });

  app.get('/v1/cases/:caseId/access-log', {
    onRequest: requireRole('coordinator', 'supervisor'),
    config: audited,
    schema: { tags: ['cases'], summary: "Who read this client's data, newest first (coordinating agency's coordinators and supervisors); itself logged",
      params: caseParams, response: { 200: items(accessLogEntrySchema), ...problemResponses(401, 403, 404, 503) } },
  }, async (request) => {
    const principal = principalOf(request);
    const state = await visibleCase(deps.pool, request.params.caseId, principal);
    if (!canSeeAccessLog(state, principal)) throw problems.forbidden('Only the coordinating agency reads the access log.');
    // Logged first, so the extract includes this reading of it.
    await auditRead(request, deps.pool, [state.caseId], 'access-log');
    return { items: await orUnavailable(() => accessLog(deps.pool, state.caseId)) };
  });

  /** One planning command per route, all shaped alike. */
  const command = <S extends z.ZodObject, P extends z.ZodObject>(
    method: 'POST' | 'PUT', url: string, summary: string, body: S, params: P,
    toCommand: (body: z.infer<S>, params: z.infer<P>) => Parameters<typeof runCommand>[4],
    roles: Parameters<typeof requireRole> = ['coordinator'],
    status = 200,
  ) => {
    app.route({
      method, url, onRequest: requireRole(...roles), config: audited,
      schema: { tags: ['cases'], summary, body, params, response: { [status]: caseViewSchema, ...problemResponses(400, 401, 403, 404, 409, 503) } },
      handler: async (request, reply) => {
        const params = request.params as z.infer<P> & { caseId: string };
        const result = await runCommand(deps, request, principalOf(request), params.caseId, toCommand(request.body as z.infer<S>, params));
        return reply.code(status).send(result);
      },
    });
  };

  command('POST', '/v1/cases/:caseId/transitions', 'Move the case along its path', transitionBodySchema, caseParams,
    (b) => ({ type: 'change_phase', ...b }));
  command('PUT', '/v1/cases/:caseId/release-date', 'Set the expected release date; deadlines move with it', releaseDateBodySchema, caseParams,
    (b) => ({ type: 'set_release_date', ...b }));
  command('PUT', '/v1/cases/:caseId/sentence', "Record or correct the sentence; its estimate is the release date only until Kriminalvården's is set", sentenceBodySchema, caseParams,
    (b) => ({ type: 'set_sentence', ...b }));
  command('PUT', '/v1/cases/:caseId/needs', 'Set the needs; the plan follows', needsBodySchema, caseParams,
    (b) => ({ type: 'set_needs', ...b }));
  command('PUT', '/v1/cases/:caseId/risk-level', 'Set the risk level; the plan and follow-up intensity follow', riskLevelBodySchema, caseParams,
    (b) => ({ type: 'set_risk_level', ...b }));
  command('PUT', '/v1/cases/:caseId/consent', "Record the client's consent; withdrawal cancels that agency's open work", consentBodySchema, caseParams,
    (b) => ({ type: 'set_consent', ...b }));
  command('PUT', '/v1/cases/:caseId/responsibility', 'Name who holds overall responsibility and who takes over after release', responsibilityBodySchema, caseParams,
    (b) => ({ type: 'set_responsibility', ...b }));
  command('PUT', '/v1/cases/:caseId/client-view', "Record the client's own view and wishes", clientViewBodySchema, caseParams,
    (b) => ({ type: 'record_client_view', ...b }));
  command('POST', '/v1/cases/:caseId/meetings', 'Record a coordination meeting', meetingBodySchema, caseParams,
    (b) => ({ type: 'record_meeting', ...b }), ['coordinator'], 201);
  command('POST', '/v1/cases/:caseId/plan/adopt', 'Record that the sentence plan was adopted', planBodySchema, caseParams,
    (b) => ({ type: 'adopt_plan', ...b }));
  command('POST', '/v1/cases/:caseId/plan/review', 'Record a review of the sentence plan', planBodySchema, caseParams,
    (b) => ({ type: 'review_plan', ...b }));
  command('POST', '/v1/cases/:caseId/interventions', 'Add an intervention to the plan', addInterventionBodySchema, caseParams,
    (b) => ({ type: 'add_intervention', ...b }), ['coordinator'], 201);
  command('POST', '/v1/cases/:caseId/interventions/:interventionId/accept', 'The assigned agency accepts', noteBodySchema, interventionParams,
    (b, p) => ({ type: 'accept_intervention', interventionId: p.interventionId, ...b }), ['agency']);
  command('POST', '/v1/cases/:caseId/interventions/:interventionId/complete', 'The assigned agency completes (from planned or accepted)', noteBodySchema, interventionParams,
    (b, p) => ({ type: 'complete_intervention', interventionId: p.interventionId, ...b }), ['agency']);
  command('POST', '/v1/cases/:caseId/interventions/:interventionId/decline', 'The client declined (coordinator or assigned agency)', reasonBodySchema, interventionParams,
    (b, p) => ({ type: 'decline_intervention', interventionId: p.interventionId, ...b }), ['coordinator', 'agency']);
  command('POST', '/v1/cases/:caseId/interventions/:interventionId/waive', 'Not needed, with a reason', reasonBodySchema, interventionParams,
    (b, p) => ({ type: 'waive_intervention', interventionId: p.interventionId, ...b }));
  command('POST', '/v1/cases/:caseId/interventions/:interventionId/reassign', 'Give the intervention to another agency', reassignBodySchema, interventionParams,
    (b, p) => ({ type: 'reassign_intervention', interventionId: p.interventionId, ...b }));
  command('POST', '/v1/cases/:caseId/transfer', 'Hand the coordination over to another agency (a coordinator of the coordinating agency)', transferBodySchema, caseParams,
    (b) => ({ type: 'transfer_case', ...b }));
  command('POST', '/v1/cases/:caseId/follow-ups/:followUpId/complete', 'The assigned agency completes a follow-up', noteBodySchema,
    caseParams.extend({ followUpId: z.string().min(1).max(50) }),
    (b, p) => ({ type: 'complete_follow_up', followUpId: p.followUpId, ...b }), ['agency']);
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The case a request read or changed, for the audit log when the URL does not name it. */
    auditCaseId?: string;
  }
}
