import fastifySwagger, { type SwaggerTransform } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Env } from '../config/env';
import { authRequirementOf } from './auth';
import { problemSchema } from './problem';
import { UNLIMITED_ROUTES } from './rate-limit';

/**
 * The OpenAPI document (`GET /openapi.json`) generated from the routes' zod schemas, and the
 * reference page (`GET /docs`). Routes get their auth, problem responses and the
 * `Idempotency-Key` header documented from the hooks they use, so schemas stay small.
 */

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'No or invalid token',
  403: 'Role or agency not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Not allowed in the current state, or a conflict (also: Idempotency-Key reused with another body)',
  413: 'The body is larger than the limit (api/http-limits.ts)',
  422: 'Unprocessable',
  429: 'Too many requests from this user (or, unauthenticated, this address); Retry-After says when to try again',
  500: 'Unexpected error',
  503: 'A dependency is down; nothing was changed (unless the detail says the change was recorded and only reading it back failed)',
};

/**
 * Response schema entries for problem statuses, for a route's `schema.response`:
 * `response: { 201: CaseView, ...problemResponses(404, 409) }`.
 */
export function problemResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }> = {};
  for (const status of statuses) {
    out[status] = {
      description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: problemSchema } },
    };
  }
  return out;
}

/**
 * Statuses whose problems may say when to come back: 429 always, 503 when the figures are busy.
 * Added to the finished document, because the zod transform keeps only a response's content.
 */
const RETRY_AFTER_STATUSES = ['429', '503'];
type DocObject = { paths?: Record<string, Record<string, { responses?: Record<string, { headers?: unknown }> }>> };
const withRetryAfter: typeof jsonSchemaTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as DocObject;
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      for (const status of RETRY_AFTER_STATUSES) {
        const r = op.responses?.[status];
        if (r) r.headers = { 'Retry-After': { description: 'Seconds to wait before trying again (429 always; 503 when known)', schema: { type: 'integer' } } };
      }
    }
  }
  return doc as ReturnType<typeof jsonSchemaTransformObject>;
};

/** `GET /v1/cases/{caseId}/events` → `getCasesByCaseIdEvents`: unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = url.replace(/^\/v1(?=\/)/, '').split('/').filter(Boolean).map((seg) => {
    const param = /^[:{](\w+)\}?$/.exec(seg);
    const word = (param ? `by-${param[1]}` : seg).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
    return word.charAt(0).toUpperCase() + word.slice(1);
  });
  return method.toLowerCase() + words.join('');
}

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'A retried request with the same key and body returns the first response (header Idempotent-Replayed: true).' }),
});

type DocSchema = FastifySchema & {
  hide?: boolean; security?: unknown; description?: string; headers?: unknown; operationId?: string; produces?: string[];
};

/** Adds what the route's hooks imply to its documented schema, then converts zod to JSON schema. */
export const openApiTransform: SwaggerTransform = (input) => {
  const schema = (input.schema ?? {}) as DocSchema;
  if (schema.hide) return jsonSchemaTransform(input);
  const { route } = input;
  const roles = authRequirementOf(route.onRequest) ?? authRequirementOf(route.preHandler);
  const methods = ([] as string[]).concat(route.method);
  const idempotent = methods.includes('POST') && (route.config as { idempotency?: boolean } | undefined)?.idempotency !== false;

  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  const add = (status: number) => {
    if (!(String(status) in response)) Object.assign(response, problemResponses(status));
  };
  if (schema.body || schema.querystring || schema.params) add(400);
  if (roles) {
    add(401);
    if (roles.length > 0) add(403);
    if (idempotent) add(409);
  }
  // The body limit holds for every body; the rate limit for every route but the probes.
  if (schema.body) add(413);
  if (!UNLIMITED_ROUTES.has(input.url)) add(429);
  // A stream's answer is no JSON schema of fastify's: documented here, for the document only.
  const streamed = schema.produces?.find((t) => t !== 'application/json');
  if (streamed && !Object.keys(response).some((code) => code.startsWith('2'))) {
    response[200] = { description: `A stream (${streamed})`, content: { [streamed]: { schema: z.string() } } };
  }

  const augmented: DocSchema = {
    ...schema, response, operationId: schema.operationId ?? operationIdOf(methods[0]!, input.url),
    // Every operation says what it needs, the public ones that they need nothing.
    security: schema.security ?? (roles ? [{ bearerAuth: [] }] : []),
  };
  if (roles) {
    if (roles.length > 0) {
      const note = `Roles: ${roles.join(', ')}.`;
      augmented.description = schema.description ? `${schema.description}\n\n${note}` : note;
    }
    if (idempotent && !schema.headers) augmented.headers = idempotencyHeaders;
  }
  return jsonSchemaTransform({ ...input, schema: augmented });
};

export async function installOpenApi(app: FastifyInstance, env: Env): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Glappfri API',
        version: '1.0.0',
        description:
          'Release-transition coordination: one durable workflow per client, from häkte to follow-up. ' +
          'Errors are application/problem+json (RFC 7807).',
      },
      // Without a configured public address the document names its own origin, relative.
      servers: [env.PUBLIC_BASE_URL ? { url: env.PUBLIC_BASE_URL } : { url: '/', description: 'The origin this document is served from' }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: openApiTransform,
    transformObject: withRetryAfter,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // The Swagger UI applies one inline style (its icon sprite): allowed on its pages only, where
    // nothing is personal; scripts stay this origin's own (api/security-headers.ts).
    transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { idempotency: false } }, async () => app.swagger());
}
