import fastifySwagger, { type SwaggerTransform } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Env } from '../config/env';
import { authRequirementOf } from './auth';
import { problemSchema } from './problem';

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
  422: 'Unprocessable',
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

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'A retried request with the same key and body returns the first response (header Idempotent-Replayed: true).' }),
});

type DocSchema = FastifySchema & { hide?: boolean; security?: unknown; description?: string; headers?: unknown };

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

  const augmented: DocSchema = { ...schema, response };
  if (roles) {
    augmented.security = schema.security ?? [{ bearerAuth: [] }];
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
      ...(env.PUBLIC_BASE_URL ? { servers: [{ url: env.PUBLIC_BASE_URL }] } : {}),
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: openApiTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // The Swagger UI applies one inline style (its icon sprite): allowed on its pages only, where
    // nothing is personal; scripts stay this origin's own (api/security-headers.ts).
    transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { idempotency: false } }, async () => app.swagger());
}
