import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { DEV_REMOTE_WARNING } from '../config/dev-auth';
import type { Env } from '../config/env';
import { isLoopbackHost } from '../config/loopback';
import { createAuthenticator, installAuth, type Authenticator } from './auth';
import { installCachePolicy } from './cache-policy';
import { httpLimitOptions } from './http-limits';
import { createMetricsRegistry, installHttpMetrics } from './http-metrics';
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../store/idempotency';
import { installIdempotency } from './idempotency';
import { buildMetricsServer } from './metrics-port';
import { installOpenApi } from './openapi';
import { installProblemHandlers } from './problem';
import { installRateLimit } from './rate-limit';
import { installRequestLog, loggingOptions, type LogDestination } from './request-log';
import { installSecurityHeaders } from './security-headers';
import { authConfigRoutes } from './routes/auth-config';
import { devTokenRoutes } from './routes/dev-tokens';
import { healthRoutes, type ReadinessChecks } from './routes/health';

/** The fastify instance routes are registered on: zod schemas type requests and replies. */
export type ApiApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What the HTTP layer needs from the process. Extend freely (optional members). */
export interface ApiDeps {
  env: Env;
  pool: pg.Pool;
  /** The Temporal client (typed by the modules that use it). */
  temporal?: unknown;
  /** Readiness probes behind `GET /readyz`. */
  checks: ReadinessChecks;
  /** Registers the domain routes; runs after the framework (auth, idempotency, OpenAPI) is set up. */
  registerRoutes?: (app: ApiApp, deps: ApiDeps) => Promise<void> | void;
  /** Storage of `Idempotency-Key` responses (store/idempotency.ts); a process-local one if absent. */
  idempotency?: IdempotencyStore;
  /** The registry served at `/metrics`; a new one with default metrics if absent. */
  metricsRegistry?: Registry;
  /** Where JSON log lines go (default stdout); tests capture them here. */
  logDestination?: LogDestination;
  /** Replaces the authenticator built from `env` (AUTH_MODE…). */
  authenticator?: Authenticator;
}

/**
 * Builds the API: zod type provider, request limits, security headers, problem+json errors,
 * request ids and logs, auth, rate limits, the Idempotency-Key hooks, `/openapi.json`, `/docs`,
 * `/metrics` (or `app.metricsServer` with METRICS_PORT), `/healthz`, `/readyz`, `/v1/auth/config`, the dev token
 * route in `AUTH_MODE=dev`, then `deps.registerRoutes`. The instance is not yet listening
 * (`app.listen({ host: env.API_HOST, port: env.API_PORT })`, or `app.inject` in tests).
 */
export async function buildServer(deps: ApiDeps): Promise<ApiApp> {
  const app = Fastify({ ...loggingOptions(deps.env, deps.logDestination), ...httpLimitOptions() }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);

  // First, so that every answer carries them, problems and 404s included.
  await installSecurityHeaders(app, deps.env);
  installCachePolicy(app);
  installProblemHandlers(app);
  installRequestLog(app);

  const authenticator = deps.authenticator ?? createAuthenticator(deps.env);
  installAuth(app, authenticator);
  // Only reachable with AUTH_DEV_ALLOW_REMOTE=true (config/dev-auth.ts): say so in every start's log.
  if (authenticator.mode === 'dev' && !isLoopbackHost(deps.env.API_HOST)) app.log.warn(DEV_REMOTE_WARNING);
  // Before the Idempotency-Key hooks: both append a preHandler to each route, in this order.
  await installRateLimit(app, deps.env);

  let idempotency = deps.idempotency;
  if (!idempotency) {
    app.log.warn('no idempotency store configured: Idempotency-Key responses are kept in process memory only');
    idempotency = createMemoryIdempotencyStore();
  }
  installIdempotency(app, { store: idempotency });

  // Before any route, so that every route is in the document.
  await installOpenApi(app, deps.env);

  const registry = deps.metricsRegistry ?? createMetricsRegistry();
  const separateMetrics = deps.env.METRICS_PORT !== undefined;
  installHttpMetrics(app, registry, { serve: !separateMetrics });
  const metricsServer = separateMetrics ? buildMetricsServer(registry) : null;
  app.decorate('metricsServer', metricsServer);
  if (metricsServer) app.addHook('onClose', async () => {
    await metricsServer.close();
  });
  await app.register(healthRoutes, { checks: deps.checks });
  await app.register(authConfigRoutes, { env: deps.env });
  if (authenticator.mode === 'dev') await app.register(devTokenRoutes, { authenticator });

  if (deps.registerRoutes) await deps.registerRoutes(app, deps);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: ApiDeps;
    /** The server of `/metrics` alone when METRICS_PORT is set (start-api.ts listens), else null. */
    metricsServer: FastifyInstance | null;
  }
}
