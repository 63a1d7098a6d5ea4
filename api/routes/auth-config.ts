import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Env } from '../../config/env';
import { claimNamesOf } from '../token-claims';

/** What the web interface needs to sign a person in; nothing in it is secret. */
export const authConfigSchema = z
  .object({
    mode: z.enum(['dev', 'jwks']).meta({ description: '`dev`: tokens from `POST /v1/dev/tokens`; `jwks`: access tokens from the identity provider.' }),
    oidc: z
      .object({
        issuer: z.string().meta({ description: 'The provider (AUTH_ISSUER); its discovery document is `<issuer>/.well-known/openid-configuration`.' }),
        clientId: z.string().meta({ description: 'The web interface’s public client at the provider (AUTH_UI_CLIENT_ID).' }),
        scopes: z.string().meta({ description: 'Scopes to ask for, space-separated (AUTH_UI_SCOPES).' }),
        resource: z.string().optional().meta({ description: 'RFC 8707 resource to name in the authorization and token requests (AUTH_UI_RESOURCE).' }),
      })
      .nullable()
      .meta({ description: 'Authorization code flow with PKCE; null when sign-in through a provider is not configured.' }),
    claims: z
      .object({ role: z.string(), agencyId: z.string(), name: z.string() })
      .meta({ description: 'The access-token claims that carry role, agency and display name (AUTH_*_CLAIM).' }),
  });
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** Sign-in through the provider needs its issuer and the web interface's client id, and jwks mode. */
export function authConfigOf(env: Env): AuthConfig {
  const oidc =
    env.AUTH_MODE === 'jwks' && env.AUTH_ISSUER && env.AUTH_UI_CLIENT_ID
      ? { issuer: env.AUTH_ISSUER, clientId: env.AUTH_UI_CLIENT_ID, scopes: env.AUTH_UI_SCOPES, ...(env.AUTH_UI_RESOURCE ? { resource: env.AUTH_UI_RESOURCE } : {}) }
      : null;
  return { mode: env.AUTH_MODE, oidc, claims: claimNamesOf(env) };
}

/**
 * `GET /v1/auth/config`, public: the web interface asks it before anyone signs in, so that one
 * build of it works against any provider the API is configured for.
 */
export const authConfigRoutes: FastifyPluginAsyncZod<{ env: Env }> = async (app, { env }) => {
  const config = authConfigOf(env);
  app.get(
    '/v1/auth/config',
    {
      schema: {
        tags: ['authentication'],
        summary: 'How the web interface signs in (public)',
        security: [],
        response: { 200: authConfigSchema },
      },
    },
    async () => config,
  );
};
