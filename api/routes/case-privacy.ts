import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { canEraseOrExport } from '../../domain/access';
import { eraseCase } from '../../erasure/erase-case';
import { accessLog } from '../../store/audit-log';
import type { CaseKeys } from '../../store/case-keys';
import { clientIdentity } from '../../store/client-identities';
import { readStream } from '../../store/event-store';
import { alertsOfCase } from '../../store/read-models';
import { openEvents } from '../../store/sealed-events';
import { deliveriesAboutCase } from '../../store/deliveries';
import { principalOf, requireRole } from '../auth';
import { composeView, orUnavailable, visibleCase } from '../case-service';
import { problemResponses } from '../openapi';
import { problems, safeErrorForLog } from '../problem';
import { auditRead } from '../read-audit';
import { caseExportSchema, eraseCaseBodySchema } from '../schemas/export';
import type { alertSchema } from '../schemas/views';

export interface CasePrivacyDeps {
  pool: Pool;
  keys: CaseKeys;
  temporal: Client;
}

const caseParams = z.object({ caseId: z.string().min(1).max(100) });

/** Told to the client in the extract: what is kept where, and how it is protected. */
const STORAGE = [
  { what: 'Namn och personnummer', where: 'PostgreSQL, tabellen client_identities', protection: 'Personnumret krypterat med ärendets egen nyckel; raderas helt vid radering' },
  { what: 'Anteckningar, skäl, rubriker, din egen syn', where: 'Händelseloggen i PostgreSQL', protection: 'Krypterade med ärendets egen nyckel; nyckeln förstörs vid radering' },
  { what: 'Ärendets förlopp i Temporal', where: 'Temporals historik', protection: 'Krypterad (AES-256-GCM); raderas vid radering' },
  { what: 'Läsloggen', where: 'PostgreSQL, tabellen audit_reads', protection: 'Innehåller bara tjänstepersoner och ärendets id, inga uppgifter om dig' },
] as const;

/**
 * The client's rights (GDPR art. 15 and 17) on one case: the extract of everything held, and
 * erasure of a case opened in error. Both for the coordinating agency's coordinators only, both
 * logged; erasure after the retention period is the housekeeping schedule's.
 */
export const casePrivacyRoutes: FastifyPluginAsyncZod<CasePrivacyDeps> = async (app, deps) => {
  const coordinator = requireRole('coordinator');

  app.get('/v1/cases/:caseId/export', {
    onRequest: coordinator,
    config: { audit: true },
    schema: { tags: ['cases'], summary: "Everything held about the client, for a subject access request (the coordinating agency's coordinators)",
      params: caseParams, response: { 200: caseExportSchema, ...problemResponses(401, 403, 404, 503) } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const state = await visibleCase(deps.pool, request.params.caseId, principal);
    if (!canEraseOrExport(state, principal)) throw problems.forbidden("Only the coordinating agency's coordinators export a client's data.");
    const caseId = state.caseId;
    // Logged first, so that the extract's access log shows this export too.
    await auditRead(request, deps.pool, [caseId], 'export');
    const [identity, view, trail, alerts, deliveries, log] = await orUnavailable(() => Promise.all([
      clientIdentity(deps.pool, deps.keys, caseId),
      composeView(deps, state, principal),
      readStream(deps.pool, caseId).then((events) => openEvents(deps.pool, deps.keys, events)),
      alertsOfCase(deps.pool, caseId),
      deliveriesAboutCase(deps.pool, caseId),
      accessLog(deps.pool, caseId),
    ]));
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="registerutdrag-${caseId}.json"`);
    return {
      exportedAt: new Date().toISOString(),
      caseId,
      identity: { name: identity?.name ?? '', personalIdentityNumber: identity?.personalIdentityNumber ?? null },
      case: view,
      trail: trail.map((e) => ({
        version: e.version, type: e.type, occurredAt: e.occurredAt,
        actor: e.metadata.actor as Record<string, unknown>, data: e.data as Record<string, unknown>,
      })),
      alerts: alerts as z.infer<typeof alertSchema>[],
      deliveries,
      accessLog: log,
      storage: [...STORAGE],
    };
  });

  app.delete('/v1/cases/:caseId', {
    onRequest: coordinator,
    config: { audit: true },
    schema: { tags: ['cases'], summary: "Erase a case opened in error: its workflow ends, its texts and the client's identity become unreadable everywhere (the coordinating agency's coordinators)",
      params: caseParams, body: eraseCaseBodySchema, response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 503) } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const state = await visibleCase(deps.pool, request.params.caseId, principal);
    if (!canEraseOrExport(state, principal)) throw problems.forbidden("Only the coordinating agency's coordinators erase a case.");
    await auditRead(request, deps.pool, [state.caseId], 'erasure');
    try {
      await eraseCase(deps, state.caseId, { reason: request.body.reason, requestedBy: principal.sub });
    } catch (err) {
      request.log.error({ err: safeErrorForLog(err) }, 'erasure not finished');
      // Once the request is recorded, the housekeeping schedule finishes the erasure.
      throw problems.unavailable('The erasure is recorded but could not be finished now; it is finished automatically as soon as Temporal and the database answer.');
    }
    return reply.code(204).send(null);
  });
};
