import * as oauth from 'oauth4webapi';
import { NOT_STARTED_HERE, PROVIDER_DOWN, REFUSED } from './oidc-messages';
import { OIDC_CALLBACK_PATH, SIGNED_OUT_PATH } from './oidc-paths';

/**
 * Sign-in through the organisation's identity provider: OpenID Connect authorization code flow
 * with PKCE, as a public client (no secret can be kept in a browser), by `oauth4webapi`. The
 * provider's endpoints come from its discovery document; what to ask it for comes from the API
 * (`GET /v1/auth/config`), so one build of the web interface serves every installation.
 *
 * No `nonce` is sent: PKCE already ties the code to this tab, and some providers (Keycloak
 * before 25) copy the nonce into access tokens, which the API then takes for ID tokens.
 */

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: string;
  resource?: string | undefined;
}

/** A sign-in that could not be done, with the Swedish message to show. */
export class OidcError extends Error {
  override readonly name = 'OidcError';
}


/** State between leaving for the provider and coming back: this tab only. */
const PENDING_KEY = 'glappfri.oidc.pending';

interface Pending {
  state: string;
  codeVerifier: string;
}

/** Plain HTTP only to a provider on this machine (the local one), never across a network. */
function insecureAllowed(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

const requestOptions = (settings: OidcSettings) => ({
  [oauth.allowInsecureRequests]: insecureAllowed(new URL(settings.issuer)),
  signal: AbortSignal.timeout(10_000),
});

const redirectUri = () => `${location.origin}${OIDC_CALLBACK_PATH}`;

/** The provider's metadata; an {@link OidcError} saying it is down when it cannot be had. */
async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  try {
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(settings) });
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch {
    throw new OidcError(PROVIDER_DOWN);
  }
}

/** Leaves for the provider's login page; resolves only when it cannot. */
export async function beginSignIn(settings: OidcSettings): Promise<void> {
  const as = await discover(settings);
  if (!as.authorization_endpoint) throw new OidcError(PROVIDER_DOWN);
  const pending: Pending = { state: oauth.generateRandomState(), codeVerifier: oauth.generateRandomCodeVerifier() };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scopes);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (settings.resource) url.searchParams.set('resource', settings.resource);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url.href);
}

/** Whether this address is the provider's answer to a sign-in (or to a refused one). */
export const isCallback = (url: URL) => url.pathname === OIDC_CALLBACK_PATH && (url.searchParams.has('code') || url.searchParams.has('error'));

/** Exchanges the code in `callbackUrl` for tokens; the pending state is used up either way. */
export async function completeSignIn(settings: OidcSettings, callbackUrl: URL): Promise<{ accessToken: string; idToken?: string }> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) throw new OidcError(NOT_STARTED_HERE);
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
  } catch (err) {
    // The provider's own refusal (the person cancelled, access_denied…) or a state that is not ours.
    throw new OidcError(err instanceof oauth.AuthorizationResponseError ? REFUSED : NOT_STARTED_HERE);
  }
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.codeVerifier, {
      ...requestOptions(settings),
      ...(settings.resource ? { additionalParameters: { resource: settings.resource } } : {}),
    });
  } catch {
    throw new OidcError(PROVIDER_DOWN);
  }
  try {
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    return { accessToken: result.access_token, ...(result.id_token ? { idToken: result.id_token } : {}) };
  } catch {
    throw new OidcError(REFUSED);
  }
}

/**
 * Where to send the browser to end the session at the provider too, or null when its discovery
 * document names no `end_session_endpoint` (or it cannot be reached: the session here ends anyway).
 */
export async function endSessionUrl(settings: Pick<OidcSettings, 'issuer' | 'clientId'>, idToken?: string): Promise<string | null> {
  let as: oauth.AuthorizationServer;
  try {
    as = await discover({ ...settings, scopes: '' });
  } catch {
    return null;
  }
  if (!as.end_session_endpoint) return null;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('post_logout_redirect_uri', `${location.origin}${SIGNED_OUT_PATH}`);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.href;
}
