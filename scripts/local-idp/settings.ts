import { randomBytes } from 'node:crypto';
import { OIDC_CALLBACK_PATH, SIGNED_OUT_PATH } from '../../ui/src/oidc-paths';
import type { LocalIdp, LocalIdpOptions } from './provider';

/** How the local stack and the tests register the web interface and the API at the local provider. */
export const LOCAL_OIDC = {
  webClientId: 'glappfri-web',
  adminClientId: 'glappfri-admin',
  audience: 'glappfri-api',
  /** RFC 8707 wants an absolute URI; a URN names the API without tying it to a port. */
  resource: 'urn:glappfri:api',
  scopes: 'openid profile',
};

export const DEFAULT_CLAIM_NAMES = { role: 'role', agencyId: 'agencyId', name: 'name' };

/** The provider's options for a web interface served at `webOrigin` (`http://127.0.0.1:8080`). */
export function localIdpOptions(webOrigin: string, rest: Pick<LocalIdpOptions, 'port' | 'signingKey'> & Partial<Pick<LocalIdpOptions, 'claims'>>): LocalIdpOptions {
  return {
    audience: LOCAL_OIDC.audience,
    resource: LOCAL_OIDC.resource,
    web: { clientId: LOCAL_OIDC.webClientId, redirectUris: [`${webOrigin}${OIDC_CALLBACK_PATH}`], postLogoutRedirectUris: [`${webOrigin}${SIGNED_OUT_PATH}`] },
    // Random on every start: only the process that started the provider knows it.
    admin: { clientId: LOCAL_OIDC.adminClientId, clientSecret: randomBytes(24).toString('base64url') },
    claims: DEFAULT_CLAIM_NAMES,
    ...rest,
  };
}

/** The API's settings for verifying the local provider's tokens and offering sign-in through it. */
export function apiEnvForLocalIdp(idp: Pick<LocalIdp, 'issuer' | 'jwksUrl'>): Record<string, string> {
  return {
    AUTH_MODE: 'jwks',
    AUTH_ISSUER: idp.issuer,
    AUTH_JWKS_URL: idp.jwksUrl,
    AUTH_AUDIENCE: LOCAL_OIDC.audience,
    AUTH_UI_CLIENT_ID: LOCAL_OIDC.webClientId,
    AUTH_UI_RESOURCE: LOCAL_OIDC.resource,
    AUTH_UI_SCOPES: LOCAL_OIDC.scopes,
  };
}

/** An administrator's access token from the provider (client credentials), for scripts and tests. */
export async function adminTokenFrom(idp: Pick<LocalIdp, 'issuer'>, admin: LocalIdpOptions['admin']): Promise<string> {
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(admin.clientId)}:${encodeURIComponent(admin.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: LOCAL_OIDC.resource, scope: 'glappfri' }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`the local provider refused the administrator's token: ${res.status} ${body.error ?? ''}`);
  return body.access_token;
}
