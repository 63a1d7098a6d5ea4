import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { devTokenRequestSchema, type Authenticator } from '../auth';
import { problemResponses } from '../openapi';

/**
 * `POST /v1/dev/tokens`: signs a token for any identity. Registered only when `AUTH_MODE=dev`
 * (the local stack); in any other mode the route does not exist (404).
 */
export const devTokenRoutes: FastifyPluginAsyncZod<{ authenticator: Authenticator }> = async (app, { authenticator }) => {
  const issue = authenticator.issueDevToken?.bind(authenticator);
  if (!issue) throw new Error('dev tokens need AUTH_MODE=dev');

  app.post(
    '/v1/dev/tokens',
    {
      config: { idempotency: false },
      schema: {
        tags: ['development'],
        summary: 'Issue a development token (AUTH_MODE=dev only)',
        body: devTokenRequestSchema,
        response: {
          200: z.object({ token: z.string(), expiresAt: z.string() }),
          ...problemResponses(400),
        },
      },
    },
    async (request) => issue(request.body),
  );
};
