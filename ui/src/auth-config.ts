import { api } from './api';
import type { OidcSettings } from './oidc';
import { DEFAULT_CLAIM_NAMES, type ClaimNames } from './session';

/** `GET /v1/auth/config` (api/routes/auth-config.ts): how this installation signs people in. */
export interface AuthConfig {
  mode: 'dev' | 'jwks';
  oidc: OidcSettings | null;
  claims: ClaimNames;
}

/** The API's answer; an API too old to have the route signs in by pasted token, as before. */
export async function fetchAuthConfig(): Promise<AuthConfig> {
  try {
    return await api<AuthConfig>('GET', '/v1/auth/config', { token: '' });
  } catch (err) {
    if (err instanceof Error && 'status' in err && err.status === 404) return { mode: 'jwks', oidc: null, claims: DEFAULT_CLAIM_NAMES };
    throw err;
  }
}
