import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { recordRead } from '../store/audit-log';

/**
 * Every request to a route marked `config: { audit: true }` (anything that shows or changes a
 * client's data) leaves a row in `audit_reads`: who, role, agency, case, route, outcome.
 * Written after the response, so the audit never delays or fails the request it records.
 */
export function installReadAudit(app: FastifyInstance, pool: Pool): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!(request.routeOptions.config as { audit?: boolean }).audit || !request.principal) return;
    const params = request.params as { caseId?: string } | undefined;
    const p = request.principal;
    await recordRead(pool, {
      userId: p.sub,
      role: p.role,
      agencyId: p.agencyId,
      caseId: params?.caseId ?? request.auditCaseId ?? null,
      route: request.routeOptions.url ?? 'unknown',
      method: request.method,
      status: reply.statusCode,
    }).catch((err: unknown) => request.log.error({ err: String(err) }, 'audit write failed'));
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reads or changes a client's data: each request is written to the audit table. */
    audit?: boolean;
    idempotency?: boolean;
  }
}
