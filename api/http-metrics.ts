import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';

/**
 * Prometheus metrics: the process's default metrics and one histogram of HTTP request durations
 * by method, route pattern and status, served at `GET /metrics` (no auth). Other modules add
 * their own metrics (e.g. Temporal client counters) to the same registry:
 * `new Counter({ name, help, registers: [app.metricsRegistry] })`.
 */

export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';
export type HttpDurationLabels = 'method' | 'route' | 'status_code';

/** A fresh registry with the default Node.js process metrics. */
export function createMetricsRegistry(options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

function httpDurationHistogram(registry: Registry): Histogram<HttpDurationLabels> {
  const existing = registry.getSingleMetric(HTTP_DURATION_METRIC);
  if (existing) return existing as Histogram<HttpDurationLabels>;
  return new Histogram<HttpDurationLabels>({
    name: HTTP_DURATION_METRIC,
    help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * Observes every response and serves `GET /metrics` (unless `serve: false`: served on a port of
 * its own, api/metrics-port.ts); decorates `app.metricsRegistry`.
 */
export function installHttpMetrics(app: FastifyInstance, registry: Registry, options: { serve?: boolean } = {}): Histogram<HttpDurationLabels> {
  const histogram = httpDurationHistogram(registry);
  app.decorate('metricsRegistry', registry);

  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        // The pattern (`/v1/cases/:caseId`), never the concrete path: bounded label values.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  if (options.serve !== false) serveMetrics(app, registry);
  return histogram;
}

/** `GET /metrics`: the registry in Prometheus text format (no auth). */
export function serveMetrics(app: FastifyInstance, registry: Registry): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: z.string().meta({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The prom-client registry served at /metrics. */
    metricsRegistry: Registry;
  }
}
