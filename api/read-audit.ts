import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { recordRead, recordReads } from '../store/audit-log';
import { problems, safeErrorForLog } from './problem';

/** What a response shows of a client, as the client's access log names it. */
export type ReadKind =
  | 'case' | 'events' | 'access-log' | 'case-list' | 'tasks' | 'alerts' | 'alert-stream' | 'command' | 'export'
  | 'erasure' | 'codec-decode' | 'codec-encode';

/**
 * Logs that this request shows these cases to the caller: one row per case, one statement, before
 * anything leaves. Personal data that cannot be logged is not served: a failed write is a 503.
 * `changed`: the request already changed the case, so the 503 must not promise "nothing changed".
 */
export async function auditRead(
  request: FastifyRequest,
  pool: Pool,
  caseIds: readonly string[],
  what: ReadKind,
  opts: { status?: number; changed?: boolean } = {},
): Promise<void> {
  const p = request.principal;
  if (!p) return;
  request.auditWritten = true;
  // An empty id: a read that concerns no one case (the codec endpoint).
  const distinct = [...new Set(caseIds)].map((id) => id || null);
  try {
    await recordReads(pool, {
      userId: p.sub, role: p.role, agencyId: p.agencyId, caseIds: distinct,
      route: request.routeOptions.url ?? 'unknown', method: request.method, status: opts.status ?? 200, what,
    });
  } catch (err) {
    request.log.error({ err: safeErrorForLog(err) }, 'audit write failed; the data is not shown');
    throw problems.unavailable(
      opts.changed
        ? 'The change was made, but its result cannot be shown: the access log cannot be written. Send the same request with the same Idempotency-Key again to see it.'
        : 'The access log cannot be written, so the data is not shown; try again.',
    );
  }
}

/**
 * Requests to a route marked `config: { audit: true }` that did not show any data (refused,
 * failed) still leave a row: who tried what, with the status. Written after the response,
 * best effort, since nothing was shown.
 */
export function installReadAudit(app: FastifyInstance, pool: Pool): void {
  app.decorateRequest('auditWritten', false);
  app.addHook('onResponse', async (request, reply) => {
    if (!(request.routeOptions.config as { audit?: boolean }).audit || !request.principal || request.auditWritten) return;
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
    }).catch((err: unknown) => request.log.error({ err: safeErrorForLog(err) }, 'audit write failed'));
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reads or changes a client's data: each request is written to the audit table. */
    audit?: boolean;
    idempotency?: boolean;
  }
  interface FastifyRequest {
    /** Set once auditRead has logged what this request shows. */
    auditWritten: boolean;
  }
}
