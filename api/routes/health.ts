import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../openapi';
import { problems, safeErrorForLog } from '../problem';

/** Probes of the dependencies; each resolves when the dependency answers, rejects otherwise. */
export interface ReadinessChecks {
  temporal(): Promise<void>;
  postgres(): Promise<void>;
}

export const READINESS_TIMEOUT_MS = 2_000;
type Dependency = keyof ReadinessChecks;
const DEPENDENCIES: readonly Dependency[] = ['temporal', 'postgres'];

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CheckTimeout';
  }
}

/** Resolves when `probe` does within `ms`; a hung probe is abandoned, not awaited. */
function within(ms: number, probe: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CheckTimeout(ms)), ms);
    timer.unref?.();
    Promise.resolve()
      .then(probe)
      .then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
  });
}

/**
 * `GET /healthz` (the process runs) and `GET /readyz` (Temporal and PostgreSQL both answer within
 * 2 s, else 503 naming what is down). No authentication.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ checks: ReadinessChecks; timeoutMs?: number }> = async (app, opts) => {
  const timeoutMs = opts.timeoutMs ?? READINESS_TIMEOUT_MS;

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process runs',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 200 when Temporal and PostgreSQL answer, else 503 naming the dependency',
        response: {
          200: z.object({ temporal: z.literal('ok'), postgres: z.literal('ok') }),
          ...problemResponses(503),
        },
      },
    },
    async (request) => {
      const results = await Promise.allSettled(DEPENDENCIES.map((d) => within(timeoutMs, () => opts.checks[d]())));
      const down: Dependency[] = [];
      results.forEach((r, i) => {
        const dependency = DEPENDENCIES[i] as Dependency;
        if (r.status === 'rejected') {
          down.push(dependency);
          request.log.warn({ dependency, err: safeErrorForLog(r.reason) }, 'readiness check failed');
        }
      });
      if (down.length > 0) {
        const checks = Object.fromEntries(DEPENDENCIES.map((d) => [d, down.includes(d) ? 'down' : 'ok']));
        throw problems.unavailable(`Not ready: ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down.`, {
          checks,
        });
      }
      return { temporal: 'ok' as const, postgres: 'ok' as const };
    },
  );
};
