import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Env } from '../config/env';
import { authConfigOf } from './routes/auth-config';

/**
 * Security headers on every response (`@fastify/helmet`): the API's JSON, its problems, the web
 * interface's files, `/docs`. One strict policy fits all of them: the built web interface has no
 * inline script or style, neither has the Swagger UI page at `/docs` (its own default policy is
 * as strict for scripts), and a JSON answer needs nothing at all.
 */

/** What the web interface's pages may load: only this origin's own files and `data:` images. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The policy for this configuration: with sign-in through a provider, the web interface fetches
 * the provider's discovery document and token endpoint from its own code, so the issuer's origin
 * joins `connect-src` (the authorization and end-session pages are navigations, which
 * `connect-src` does not govern).
 */
export function contentSecurityPolicyFor(env: Env): typeof CONTENT_SECURITY_POLICY {
  const oidc = authConfigOf(env).oidc;
  if (!oidc) return CONTENT_SECURITY_POLICY;
  let origin: string;
  try {
    origin = new URL(oidc.issuer).origin;
  } catch {
    return CONTENT_SECURITY_POLICY;
  }
  return { ...CONTENT_SECURITY_POLICY, 'connect-src': ["'self'", origin] };
}

export async function installSecurityHeaders(app: FastifyInstance, env: Env): Promise<void> {
  await app.register(helmet, {
    global: true,
    // Exactly the policy above: helmet's defaults would add `upgrade-insecure-requests`, which
    // breaks the plain-HTTP local stack, and allow inline styles and any https: font.
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyFor(env) },
    // Nothing of this service belongs in a frame (clickjacking).
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Cross-Origin-Resource-Policy stays helmet's same-origin: the Temporal Web UI calls
    // `/codec/*` in CORS mode, to which it does not apply. HSTS stays helmet's (a year,
    // subdomains): browsers heed it only over HTTPS, i.e. behind the TLS-terminating proxy.
  });
}
