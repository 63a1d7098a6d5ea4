import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { listTasks } from '../../store/read-models';
import { principalOf, requireRole } from '../auth';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { auditRead } from '../read-audit';
import { items, taskSchema } from '../schemas/views';

/** An agency's inbox: only its own tasks, for clients whose consent covers it, overdue first. */
export const taskRoutes: FastifyPluginAsyncZod<{ pool: Pool }> = async (app, { pool }) => {
  app.get('/v1/tasks', {
    onRequest: requireRole('agency', 'supervisor'),
    config: { audit: true },
    schema: {
      tags: ['agencies’ work'], summary: "The caller's agency's tasks",
      querystring: z.object({ status: z.enum(['open', 'overdue', 'done', 'all']).default('open') }),
      response: { 200: items(taskSchema), ...problemResponses(400, 401, 403, 503) },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const rows = await orUnavailable(() => listTasks(pool, principal.agencyId ?? '', request.query.status));
    await auditRead(request, pool, rows.map((t) => t.caseId), 'tasks');
    return { items: rows };
  });
};
