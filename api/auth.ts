import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyOptions } from 'jose';
import { z } from 'zod';
import { checkDevAuth } from '../config/dev-auth';
import { ConfigError, type Env } from '../config/env';
import { jwksSettingProblems } from '../config/jwks-rules';
import { roleSchema, type Role } from '../domain/schemas/vocabulary';
import { idTokenMarker, jwksVerifyOptions } from './access-token-rules';
import { claimNamesOf, principalFields, type ClaimNames } from './token-claims';
import { problems, ProblemError } from './problem';

/**
 * Bearer-token authentication. `AUTH_MODE=jwks` verifies access tokens against the identity
 * provider's JWKS (`AUTH_JWKS_URL`) by the rules of ./access-token-rules.ts (issuer, audience,
 * asymmetric algorithms, exp, no ID tokens); `AUTH_MODE=dev` verifies HS256 tokens signed with
 * `AUTH_DEV_SECRET` and can issue them (`POST /v1/dev/tokens`), on loopback only
 * (config/dev-auth.ts).
 */

/** The signed-in caller. Structurally the domain's `Person` (domain/schemas/actor.ts). */
export interface Principal {
  sub: string;
  role: Role;
  agencyId: string | null;
  name?: string;
}

const agencyRequired = (c: { role: Role; agencyId?: string | null }, ctx: z.RefinementCtx) => {
  if (c.role !== 'admin' && c.role !== 'operator' && !c.agencyId) {
    ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'agencyId is required for every role but admin and operator' });
  }
};

/** The claims a token must carry (other registered claims are checked by jose). */
export const principalClaimsSchema = z
  .object({
    sub: z.string().min(1),
    role: roleSchema,
    agencyId: z.string().min(1).nullish(),
    name: z.string().optional(),
  })
  .superRefine(agencyRequired);

/** Body of `POST /v1/dev/tokens`. */
export const devTokenRequestSchema = z
  .object({
    sub: z.string().min(1).max(200),
    role: roleSchema,
    agencyId: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .superRefine(agencyRequired);
export type DevTokenRequest = z.infer<typeof devTokenRequestSchema>;

export const DEV_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

export interface Authenticator {
  readonly mode: Env['AUTH_MODE'];
  /** Verifies a compact JWT; throws a 401 {@link ProblemError} (503 when the JWKS is unreachable). */
  verify(token: string): Promise<Principal>;
  /** Dev mode only: signs an HS256 token valid for 8 hours. */
  issueDevToken?(claims: DevTokenRequest): Promise<{ token: string; expiresAt: string }>;
}

const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** jose failures that mean "the identity provider could not be asked", not "bad token". */
function isKeySourceFailure(err: unknown): boolean {
  if (!(err instanceof joseErrors.JOSEError)) return true; // fetch/network errors
  return err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === 'ERR_JOSE_GENERIC';
}

/** The caller a verified token names, by the claim names configured (AUTH_*_CLAIM); else 401. */
function toPrincipal(payload: Record<string, unknown>, names: ClaimNames): Principal {
  const parsed = principalClaimsSchema.safeParse(principalFields(payload, names));
  if (!parsed.success) {
    throw problems.unauthorized(`The token does not carry valid sub, ${names.role} and ${names.agencyId} claims.`);
  }
  const c = parsed.data;
  return { sub: c.sub, role: c.role, agencyId: c.agencyId ?? null, ...(c.name !== undefined ? { name: c.name } : {}) };
}

/** Throws a ConfigError when `env` breaks the rules of its mode (also for an `Env` not from loadEnv). */
export function createAuthenticator(env: Env): Authenticator {
  const names = claimNamesOf(env);
  if (env.AUTH_MODE === 'dev') {
    checkDevAuth(env);
    const claimOptions: JWTVerifyOptions = {
      ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
      ...(env.AUTH_AUDIENCE ? { audience: env.AUTH_AUDIENCE } : {}),
      requiredClaims: ['sub', 'exp'],
      clockTolerance: env.AUTH_CLOCK_SKEW_SECONDS,
    };
    const secret = new TextEncoder().encode(env.AUTH_DEV_SECRET);
    return {
      mode: 'dev',
      async verify(token) {
        if (!COMPACT_JWT.test(token)) throw problems.unauthorized('The bearer token is malformed.');
        try {
          const { payload } = await jwtVerify(token, secret, { ...claimOptions, algorithms: ['HS256'] });
          return toPrincipal(payload, names);
        } catch (err) {
          if (err instanceof ProblemError) throw err;
          throw problems.unauthorized('The bearer token is invalid or expired.');
        }
      },
      async issueDevToken(claims) {
        const now = Math.floor(Date.now() / 1000);
        const exp = now + DEV_TOKEN_LIFETIME_SECONDS;
        // Under the configured names, so that dev tokens read back as the provider's would.
        let jwt = new SignJWT({
          [names.role]: claims.role,
          ...(claims.agencyId !== undefined ? { [names.agencyId]: claims.agencyId } : {}),
          ...(claims.name !== undefined ? { [names.name]: claims.name } : {}),
        })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(claims.sub)
          .setIssuedAt(now)
          .setExpirationTime(exp);
        if (env.AUTH_ISSUER) jwt = jwt.setIssuer(env.AUTH_ISSUER);
        if (env.AUTH_AUDIENCE) jwt = jwt.setAudience(env.AUTH_AUDIENCE);
        return { token: await jwt.sign(secret), expiresAt: new Date(exp * 1000).toISOString() };
      },
    };
  }

  const invalid = jwksSettingProblems(env);
  if (invalid.length > 0 || !env.AUTH_JWKS_URL) throw new ConfigError(`Invalid configuration:\n${invalid.map((p) => `  ${p}`).join('\n')}`);
  const jwks = createRemoteJWKSet(new URL(env.AUTH_JWKS_URL), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  const verifyOptions = jwksVerifyOptions(env);
  return {
    mode: 'jwks',
    async verify(token) {
      if (!COMPACT_JWT.test(token)) throw problems.unauthorized('The bearer token is malformed.');
      try {
        const { payload, protectedHeader } = await jwtVerify(token, jwks, verifyOptions);
        if (idTokenMarker(protectedHeader, payload, env.AUTH_UI_CLIENT_ID)) {
          throw problems.unauthorized('This is an ID token; send an access token for this API.');
        }
        return toPrincipal(payload, names);
      } catch (err) {
        if (err instanceof ProblemError) throw err;
        if (isKeySourceFailure(err)) {
          throw problems.unavailable('The identity provider could not be reached; nothing was changed.');
        }
        throw problems.unauthorized('The bearer token is invalid or expired.');
      }
    },
  };
}

/** Marks hook functions that authenticate, so the OpenAPI document can describe them. */
export const AUTH_REQUIREMENT = Symbol.for('glappfri.api.authRequirement');
export type AuthHook = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & {
  readonly [AUTH_REQUIREMENT]: readonly Role[];
};

/** The request's bearer token, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Sets `request.principal` from the bearer token, or throws 401. Idempotent per request. Used
 * as a hook directly (`onRequest: [app.authenticate]`, any role) or through {@link requireRole}.
 */
async function authenticateRequest(request: FastifyRequest): Promise<Principal> {
  if (request.principal) return request.principal;
  const token = bearerToken(request);
  if (!token) throw problems.unauthorized();
  const principal = await request.server.authenticator.verify(token);
  request.principal = principal;
  return principal;
}

function markAuthHook(roles: readonly Role[], fn: (request: FastifyRequest, reply: FastifyReply) => Promise<void>): AuthHook {
  return Object.assign(fn, { [AUTH_REQUIREMENT]: roles });
}

/**
 * A hook (use it as `onRequest` or `preHandler`) that admits only the given roles:
 * 401 problem (with `WWW-Authenticate: Bearer`) without a valid token, 403 problem for another role.
 * With no roles, any authenticated caller is admitted.
 */
export function requireRole(...roles: Role[]): AuthHook {
  return markAuthHook(roles, async (request) => {
    const principal = await authenticateRequest(request);
    if (roles.length > 0 && !roles.includes(principal.role)) {
      throw problems.forbidden(`This requires the role ${roles.join(' or ')}.`);
    }
  });
}

/** The principal of an authenticated request; throws 401 when no auth hook ran for the route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthorized();
  return request.principal;
}

/** The roles an auth hook among the route's hooks requires, or null when the route has no auth. */
export function authRequirementOf(hooks: unknown): readonly Role[] | null {
  const list = Array.isArray(hooks) ? hooks : hooks ? [hooks] : [];
  for (const h of list) {
    if (typeof h === 'function' && AUTH_REQUIREMENT in h) return (h as AuthHook)[AUTH_REQUIREMENT];
  }
  return null;
}

/** Decorates the instance with `authenticator` and `authenticate`, and requests with `principal`. */
export function installAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorate('authenticator', authenticator);
  app.decorate('authenticate', markAuthHook([], async (request) => void (await authenticateRequest(request))));
  app.decorateRequest('principal', null);
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticator: Authenticator;
    /** Hook admitting any authenticated caller (401 otherwise). */
    authenticate: AuthHook;
  }
  interface FastifyRequest {
    /** Set by `app.authenticate` / `requireRole(...)`; null on routes without auth. */
    principal: Principal | null;
  }
}
