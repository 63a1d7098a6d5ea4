import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { serveMetrics } from './http-metrics';
import { installProblemHandlers } from './problem';

/**
 * `/metrics` on a port of its own (METRICS_PORT, on METRICS_HOST, loopback by default), so that
 * the public port does not show the process's figures to the world and a scraper need not pass
 * through the public proxy. Nothing else is served there; the main port then answers 404 for
 * `/metrics`. The server listens when the API does (api/start-api.ts) and closes with it.
 */
export function buildMetricsServer(registry: Registry): FastifyInstance {
  const app = Fastify({ logger: false });
  // The route's schema is zod, as on the main server.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  serveMetrics(app, registry);
  return app;
}
