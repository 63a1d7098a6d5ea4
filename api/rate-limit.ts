import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Env } from '../config/env';
import { ProblemError } from './problem';

/**
 * Rate limits (`@fastify/rate-limit`): RATE_LIMIT_PER_MINUTE per signed-in user, and the stricter
 * RATE_LIMIT_ANONYMOUS_PER_MINUTE per client address for calls without a principal
 * (`POST /v1/dev/tokens`, `/docs`, `/openapi.json`…). Past it: a 429 problem with `Retry-After`
 * (seconds until the minute's window ends). The health probes and `/metrics` are never limited:
 * an orchestrator must always get its answer.
 *
 * Counters live in this process's memory: several API processes each count on their own (a
 * shared Redis store would make one limit of them; not used here), so the effective limit is
 * the configured one times the number of processes behind the balancer.
 */

const WINDOW_MS = 60_000;

/** Route patterns exempt from every limit. */
export const UNLIMITED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const USER = 'user:';
const ADDRESS = 'address:';

/**
 * The key is the verified principal, not the bearer token: keyed on the token (or its hash) a
 * caller would get a fresh bucket with every token, and anyone sending made-up tokens one each.
 * The principal is known only once the route's auth hook has run (`onRequest: requireRole(…)`,
 * or a `preHandler`), so the limit runs as the last `preHandler` of the route (the plugin appends
 * it; it is registered before the Idempotency-Key hooks, so a replay is counted too). What this
 * costs: a limited caller's body is still parsed (at most the body limit, api/http-limits.ts),
 * and a request refused by authentication (401) or validation (400) is not counted.
 */
function keyOf(request: FastifyRequest): string {
  return request.principal ? `${USER}${request.principal.sub}` : `${ADDRESS}${request.ip}`;
}

function tooManyRequests(ttlMs: number, after: string): ProblemError {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new ProblemError(429, 'Too Many Requests', `Too many requests; try again in ${after}.`, undefined, {
    headers: { 'retry-after': String(seconds) },
  });
}

export async function installRateLimit(app: FastifyInstance, env: Env): Promise<void> {
  const perUser = env.RATE_LIMIT_PER_MINUTE;
  const anonymous = env.RATE_LIMIT_ANONYMOUS_PER_MINUTE;
  if (perUser === 'off' && anonymous === 'off') return;

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: WINDOW_MS,
    keyGenerator: keyOf,
    max: (_request, key) => Number(key.startsWith(USER) ? perUser : anonymous),
    allowList: (request, key) =>
      UNLIMITED_ROUTES.has(request.routeOptions.url ?? '') || (key.startsWith(USER) ? perUser : anonymous) === 'off',
    errorResponseBuilder: (_request, context) => tooManyRequests(context.ttl, context.after),
  });
}
