import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import type { CaseKeys } from '../../store/case-keys';
import { z } from 'zod';
import { alertChangesSince, findAlert, listAlerts } from '../../store/read-models';
import { principalOf, requireRole } from '../auth';
import { orUnavailable, runCommand, visibleCase } from '../case-service';
import type { JourneyClient } from '../journey-client';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { auditRead } from '../read-audit';
import { recordReads } from '../../store/audit-log';
import { keyId, keyTimestamp, page, pageQuery, toPage } from '../schemas/page';
import { alertSchema } from '../schemas/views';

const STREAM_POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/** Supervisors' alerts: addressed to their agency; acknowledged by a person; resolved by the case. */
export const alertRoutes: FastifyPluginAsyncZod<{ pool: Pool; journeys: JourneyClient; keys: CaseKeys }> = async (app, deps) => {
  const supervisor = requireRole('supervisor');

  app.get('/v1/alerts', {
    onRequest: supervisor,
    config: { audit: true },
    schema: {
      tags: ['alerts'], summary: "Alerts addressed to the caller's agency",
      querystring: z.object({ status: z.enum(['open', 'acknowledged', 'resolved', 'all']).default('open') })
        .extend(pageQuery('alerts', z.tuple([z.number().int().min(1).max(3), keyTimestamp, keyId])).shape),
      response: { 200: page(alertSchema), ...problemResponses(400, 401, 403, 503) },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { status, limit, cursor } = request.query;
    const after = cursor && { level: cursor[0], raisedAt: cursor[1], alertId: cursor[2] };
    const rows = await orUnavailable(() => listAlerts(deps.pool, principal.agencyId ?? '', status, limit + 1, after));
    const result = toPage('alerts', rows, limit, ({ sortKey: k }) => [k.level, k.raisedAt, k.alertId],
      ({ sortKey: _, ...a }) => a as z.infer<typeof alertSchema>);
    await auditRead(request, deps.pool, result.items.map((a) => a.caseId), 'alerts');
    return result;
  });

  app.post('/v1/alerts/:alertId/acknowledge', {
    onRequest: supervisor,
    config: { audit: true },
    schema: {
      tags: ['alerts'], summary: 'Acknowledge an alert (it stays until its gap closes)',
      params: z.object({ alertId: z.string().min(1).max(200) }),
      response: { 200: alertSchema, ...problemResponses(401, 403, 404, 409, 503) },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const alert = await orUnavailable(() => findAlert(deps.pool, request.params.alertId));
    if (!alert || alert.agencyId !== principal.agencyId) throw problems.notFound('No such alert for your agency.');
    request.auditCaseId = alert.caseId;
    // An alert of a client the agency no longer sees (consent withdrawn) does not exist for it.
    await visibleCase(deps.pool, alert.caseId, principal);
    if (alert.status !== 'open') throw problems.conflict(`The alert is already ${alert.status}.`);
    await runCommand(deps, request, principal, alert.caseId, { type: 'acknowledge_alert', alertId: alert.alertId });
    return (await findAlert(deps.pool, alert.alertId)) as z.infer<typeof alertSchema>;
  });

  /**
   * Server-sent events: one per alert raised or changed, each with its sequence number as id, so
   * a reconnecting dashboard sends Last-Event-ID and misses nothing in between.
   */
  app.get('/v1/alerts/stream', {
    onRequest: supervisor,
    config: { audit: true },
    schema: {
      tags: ['alerts'], summary: 'Live alerts (text/event-stream); resumes from Last-Event-ID',
      querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
      produces: ['text/event-stream'],
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const header = request.headers['last-event-id'];
    let after = Number.parseInt(typeof header === 'string' ? header : '', 10);
    if (!Number.isFinite(after)) after = request.query.after ?? Number.MAX_SAFE_INTEGER;
    if (after === Number.MAX_SAFE_INTEGER) {
      // A fresh subscriber starts from now: the list endpoint gives the backlog.
      const r = await orUnavailable(() => deps.pool.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM alert_changes'));
      after = Number(r.rows[0]?.seq ?? 0);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\n\n`);
    let closed = false;
    let lastBeat = Date.now();
    request.raw.on('close', () => {
      closed = true;
    });
    // Rows for refused or failed requests come from the route's audit hook; this one logs per event.
    request.auditWritten = true;
    while (!closed) {
      try {
        // Only alerts of clients the agency still sees (coordinating, or consent): a withdrawal
        // ends the stream's events for that case on the next poll.
        const changes = await alertChangesSince(deps.pool, principal.agencyId ?? '', after);
        if (changes.length > 0) {
          // Logged before they are sent; if the log cannot be written nothing is sent and the
          // same events are tried again on the next poll.
          await recordReads(deps.pool, {
            userId: principal.sub, role: principal.role, agencyId: principal.agencyId, caseIds: changes.map((c) => c.alert.caseId),
            route: '/v1/alerts/stream', method: 'GET', status: 200, what: 'alert-stream',
          });
        }
        for (const c of changes) {
          res.write(`id: ${c.seq}\nevent: alert\ndata: ${JSON.stringify(c.alert)}\n\n`);
          after = c.seq;
        }
        if (Date.now() - lastBeat > HEARTBEAT_MS) {
          res.write(`: heartbeat\n\n`);
          lastBeat = Date.now();
        }
      } catch {
        // The database is away for a moment: the client keeps its place and we try again.
      }
      await new Promise((r) => setTimeout(r, STREAM_POLL_MS));
    }
    res.end();
  });
};
