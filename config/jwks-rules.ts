import { isLoopbackHost } from './loopback';

/**
 * What `AUTH_MODE=jwks` (production) needs before the API may start. Checked by loadEnv
 * (config/env.ts) and again where the authenticator is built, for an `Env` made by hand.
 */

/** JWS algorithms a production token may use: asymmetric only, so no shared secret can sign one. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** What identity providers sign access tokens with in practice; `AUTH_ALGORITHMS` widens or narrows it. */
export const DEFAULT_ALGORITHMS: AsymmetricAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** The settings the rules read (structurally part of `Env`; no import of env.ts, so no cycle). */
export interface JwksSettings {
  AUTH_MODE: string;
  AUTH_JWKS_URL?: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  AUTH_UI_CLIENT_ID?: string;
}

/** `URL.parse` is Node ≥ 20.18; engines allows any 20. */
function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** `VARIABLE: reason` for each rule broken; none outside jwks mode. Values are never echoed. */
export function jwksSettingProblems(s: JwksSettings): string[] {
  if (s.AUTH_MODE !== 'jwks') return [];
  const problems: string[] = [];
  if (!s.AUTH_JWKS_URL) {
    problems.push('AUTH_JWKS_URL: required when AUTH_MODE=jwks');
  } else {
    // The keys decide who is who: fetched over plain HTTP, anyone on the path could swap them.
    // Loopback stays open for a provider on this machine and for tests.
    const url = parseUrl(s.AUTH_JWKS_URL);
    const loopbackHttp = url?.protocol === 'http:' && isLoopbackHost(url.hostname);
    if (url?.protocol !== 'https:' && !loopbackHttp) problems.push('AUTH_JWKS_URL: must be an https: URL (http: only on a loopback host)');
  }
  // Without them any token the provider signs for any application, or any other issuer sharing
  // the keys (a multi-tenant provider), would be accepted here.
  if (!s.AUTH_ISSUER) problems.push('AUTH_ISSUER: required when AUTH_MODE=jwks (the provider\'s "issuer")');
  if (!s.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE: required when AUTH_MODE=jwks (the audience the provider puts in access tokens for this API)');
  if (s.AUTH_UI_CLIENT_ID && s.AUTH_UI_CLIENT_ID === s.AUTH_AUDIENCE) {
    problems.push('AUTH_UI_CLIENT_ID: must differ from AUTH_AUDIENCE (every token would be refused)');
  }
  return problems;
}
