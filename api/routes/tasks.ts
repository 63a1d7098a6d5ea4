import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { CaseKeys } from '../../store/case-keys';
import { birthDatesOf } from '../../store/client-identities';
import { listTasks } from '../../store/read-models';
import { principalOf, requireRole } from '../auth';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { auditRead } from '../read-audit';
import { keyId, keyTimestamp, page, pageQuery, toPage } from '../schemas/page';
import { taskSchema } from '../schemas/views';

/** An agency's inbox: only its own tasks, for clients whose consent covers it, overdue first. */
export const taskRoutes: FastifyPluginAsyncZod<{ pool: Pool; keys: CaseKeys }> = async (app, { pool, keys }) => {
  app.get('/v1/tasks', {
    onRequest: requireRole('agency', 'supervisor'),
    config: { audit: true },
    schema: {
      tags: ['agencies’ work'], summary: "The caller's agency's tasks",
      querystring: z.object({ status: z.enum(['open', 'overdue', 'done', 'all']).default('open') })
        .extend(pageQuery('tasks', z.tuple([keyTimestamp, z.boolean(), keyTimestamp.nullable(), keyId])).shape),
      response: { 200: page(taskSchema), ...problemResponses(400, 401, 403, 503) },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { status, limit, cursor } = request.query;
    const after = cursor && { asOf: cursor[0], overdue: cursor[1], dueAt: cursor[2], taskId: cursor[3] };
    const rows = await orUnavailable(() => listTasks(pool, principal.agencyId ?? '', status, limit + 1, after));
    const result = toPage('tasks', rows, limit, ({ sortKey: k }) => [k.asOf, k.overdue, k.dueAt, k.taskId], ({ sortKey: _, ...t }) => t);
    // Each page is a read of its own: logged with the cases it shows.
    await auditRead(request, pool, result.items.map((t) => t.caseId), 'tasks');
    const born = await orUnavailable(() => birthDatesOf(pool, keys, result.items.map((t) => t.caseId)));
    return { ...result, items: result.items.map((t) => (born.has(t.caseId) ? { ...t, clientBirthDate: born.get(t.caseId) } : t)) };
  });
};
