import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { figuresPeriod } from '../../domain/figures-period';
import { requireRole } from '../auth';
import type { FiguresGate } from '../figures-gate';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { metricsQuerySchema, metricsSummarySchema } from '../schemas/figures';

export { metricsSummarySchema };

export const metricsSummaryRoutes: FastifyPluginAsyncZod<{ figures: FiguresGate }> = async (app, { figures }) => {
  app.get('/v1/metrics/summary', {
    onRequest: requireRole('supervisor', 'coordinator', 'admin'),
    schema: { tags: ['figures'], summary: 'Figures for follow-up and evaluation',
      description: 'Computed once for all callers asking at the same moment (for the same period), on a small pool of their own; 503 with Retry-After when the database cannot give them in time. `from`/`to` choose the period of the per agency and per area table (whole days in Swedish time, both included; default the last 90 days up to today); a `from` after `to` is a 400.',
      querystring: metricsQuerySchema,
      response: { 200: metricsSummarySchema, ...problemResponses(400, 401, 403, 503) } },
  }, async (request) => orUnavailable(() => figures.summary(figuresPeriod(request.query, new Date()))));
};
