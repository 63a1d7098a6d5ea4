import type { Pool } from 'pg';
import { z } from 'zod';
import { newDevSecret } from '../../config/dev-auth';
import { loadEnv, type Env } from '../../config/env';
import { requireRole } from '../../api/auth';
import { createMemoryIdempotencyStore } from '../../store/idempotency';
import { problemResponses } from '../../api/openapi';
import { ProblemError } from '../../api/problem';
import type { ReadinessChecks } from '../../api/routes/health';
import { buildServer, type ApiApp, type ApiDeps } from '../../api/server';

/** Unit tests of the HTTP layer: no Temporal, no PostgreSQL, only `app.inject`. */

export const okChecks: ReadinessChecks = { temporal: async () => undefined, postgres: async () => undefined };

/** This process's dev secret: random, like every secret outside `npm start`'s DATA_DIR. */
const DEV_SECRET = newDevSecret();

export function testEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({ AUTH_MODE: 'dev', LOG_LEVEL: 'silent', AUTH_DEV_SECRET: DEV_SECRET, ...overrides });
}

/** Log lines captured from the server's pino logger. */
export class LogCapture {
  readonly lines: string[] = [];
  write(msg: string): void {
    this.lines.push(msg);
  }
  get entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  get text(): string {
    return this.lines.join('');
  }
}

export const sampleBody = z.object({
  client: z.object({
    name: z.string().min(1),
    municipality: z.string().regex(/^\d{4}$/, 'expected a four-digit municipality code'),
  }),
  needs: z.array(z.enum(['boende', 'missbruk'])).default([]),
});

export interface SampleCounters {
  created: number;
}

/** A few routes of the shape the domain routes will have. */
export function sampleRoutes(counters: SampleCounters) {
  return (app: ApiApp) => {
    app.post(
      '/v1/samples',
      {
        onRequest: requireRole('coordinator'),
        schema: {
          tags: ['samples'],
          summary: 'Create a sample',
          body: sampleBody,
          response: { 201: z.object({ sampleId: z.string(), created: z.number(), municipality: z.string() }), ...problemResponses(409) },
        },
      },
      async (request, reply) => {
        counters.created += 1;
        if (request.body.client.name === 'conflict') throw new ProblemError(409, 'Conflict', 'The sample is in the wrong state.');
        return reply.code(201).send({
          sampleId: `s-${counters.created}`,
          created: counters.created,
          municipality: request.body.client.municipality,
        });
      },
    );
    app.get(
      '/v1/samples',
      {
        onRequest: requireRole('coordinator', 'supervisor'),
        schema: { querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }) },
      },
      async (request) => ({ limit: request.query.limit }),
    );
    app.get('/v1/me', { preHandler: app.authenticate }, async (request) => request.principal);
    app.get('/v1/admin-only', { preHandler: requireRole('admin') }, async () => ({ ok: true }));
    app.get('/v1/boom', async () => {
      throw new Error('connection to db.internal:5432 failed for password=hunter2');
    });
    app.post('/v1/echo-open', { config: { idempotency: false }, schema: { body: z.object({ pnr: z.string() }) } }, async () => ({ ok: true }));
  };
}

export interface TestServer {
  app: ApiApp;
  logs: LogCapture;
  counters: SampleCounters;
}

export async function buildTestServer(overrides: Partial<ApiDeps> = {}): Promise<TestServer> {
  const logs = new LogCapture();
  const counters: SampleCounters = { created: 0 };
  const app = await buildServer({
    env: testEnv({ LOG_LEVEL: 'info' }),
    pool: undefined as unknown as Pool,
    checks: okChecks,
    idempotency: createMemoryIdempotencyStore(),
    logDestination: logs,
    registerRoutes: sampleRoutes(counters),
    ...overrides,
  });
  await app.ready();
  return { app, logs, counters };
}

export async function devToken(app: ApiApp, claims: { sub: string; role: string; agencyId?: string; name?: string }): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: claims });
  if (res.statusCode !== 200) throw new Error(`dev token: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
