import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeJwt } from 'jose';
import type { Pool } from 'pg';
import type { CaseKeys } from '../../store/case-keys';
import { z } from 'zod';
import { findAlert, listAlerts } from '../../store/read-models';
import { formatCursor, parseCursor } from '../../store/log-order';
import { bearerToken, principalOf, requireRole } from '../auth';
import { AlertFeed } from '../alert-feed';
import { StreamSlots } from '../stream-slots';
import { orUnavailable, runCommand, visibleCase } from '../case-service';
import type { JourneyClient } from '../journey-client';
import { problemResponses } from '../openapi';
import { ProblemError, problems } from '../problem';
import { auditRead } from '../read-audit';
import { keyId, keyTimestamp, page, pageQuery, toPage } from '../schemas/page';
import { alertSchema } from '../schemas/views';

const STREAM_POLL_MS = 250;
const STREAM_RETRY_MS = 2000;
const HEARTBEAT_MS = 15_000;

/** Supervisors' alerts: addressed to their agency; acknowledged by a person; resolved by the case. */
export const alertRoutes: FastifyPluginAsyncZod<{ pool: Pool; journeys: JourneyClient; keys: CaseKeys; streamsPerUser: number }> = async (app, deps) => {
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

  const feed = new AlertFeed(deps.pool, {
    pollMs: STREAM_POLL_MS,
    heartbeatMs: HEARTBEAT_MS,
    ...(app.hasDecorator('metricsRegistry') ? { registry: app.metricsRegistry } : {}),
  });
  app.addHook('onClose', async () => feed.stop());
  const slots = new StreamSlots(deps.streamsPerUser);

  /**
   * Server-sent events: one per alert raised or changed, each with its place in the feed as id
   * ("tx.seq", ../../store/log-order.ts; a bare number from before is still understood), so a
   * reconnecting dashboard sends Last-Event-ID and misses nothing in between. All streams of
   * the process share one poller (../alert-feed.ts). A stream ends when its token expires, with
   * an `expired` event first: the client reconnects with a fresh token and its Last-Event-ID.
   */
  app.get('/v1/alerts/stream', {
    onRequest: supervisor,
    config: { audit: true },
    schema: {
      tags: ['alerts'], summary: 'Live alerts (text/event-stream); resumes from Last-Event-ID; ends when the token expires',
      querystring: z.object({
        after: z.string().regex(/^(\d{1,20}\.)?\d{1,19}$/, 'a Last-Event-ID of this stream: "tx.seq" (or a bare seq)').optional()
          .describe('Resume after this event id, as Last-Event-ID does'),
      }),
      produces: ['text/event-stream'],
      response: { ...problemResponses(401, 403, 429, 503) },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const expiresAt = tokenExpiry(request);
    const header = request.headers['last-event-id'];
    // A fresh subscriber starts from now: the list endpoint gives the backlog.
    const position = await orUnavailable(() => feed.position());
    const after = parseCursor(typeof header === 'string' ? header.trim() : '') ?? (request.query.after ? parseCursor(request.query.after) : null) ?? position;
    const release = slots.take(principal.sub);
    if (!release) {
      throw new ProblemError(429, 'Too Many Requests', `At most ${deps.streamsPerUser} alert streams may be open at once for one person; close one first.`, undefined, {
        headers: { 'retry-after': String(Math.ceil(STREAM_RETRY_MS / 1000)) },
      });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: ${STREAM_RETRY_MS}\n\n`);
    // Rows for refused or failed requests come from the route's audit hook; the feed logs per event.
    request.auditWritten = true;
    const unsubscribe = feed.subscribe({
      reader: { sub: principal.sub, role: principal.role, agencyId: principal.agencyId ?? '' },
      after,
      send: (at, alert) => res.write(`id: ${formatCursor(at)}\nevent: alert\ndata: ${JSON.stringify(alert)}\n\n`),
      heartbeat: () => res.write(`: heartbeat\n\n`),
    });
    let expiry: NodeJS.Timeout | null = null;
    const end = () => {
      if (expiry) clearTimeout(expiry);
      unsubscribe();
      release();
    };
    request.raw.on('close', end);
    if (expiresAt !== null) {
      // setTimeout holds at most 2^31-1 ms (24.8 days); a token longer-lived than that is cut there.
      expiry = setTimeout(() => {
        res.write(`event: expired\ndata: {}\n\n`);
        res.end();
        end();
      }, Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1));
    }
  });
};

/** When the verified bearer token expires (ms since the epoch), or null when it has no `exp`. */
function tokenExpiry(request: FastifyRequest): number | null {
  const token = bearerToken(request);
  if (!token) return null;
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : null;
}
