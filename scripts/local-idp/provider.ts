import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { ClaimNames } from '../../api/token-claims';
import { localUser } from './users';
import type { JWK } from 'jose';

/**
 * A real OpenID Connect provider (panva's `oidc-provider`) on loopback, for the local stack
 * (`npm start -- --oidc`) and the browser tests: the web interface signs in against it exactly as
 * against a municipality's or a national provider, through its own login page, and the API
 * verifies the JWT access tokens it issues through its JWKS like any other provider's.
 *
 * - one public client for the web interface (authorization code + PKCE, no secret);
 * - one confidential client for scripts and tests that act as an administrator
 *   (client credentials), since jwks mode has no dev tokens;
 * - access tokens are JWTs (resource indicators, RFC 8707) for one resource, the API, with the
 *   audience AUTH_AUDIENCE and the role and agency claims under the configured names, signed
 *   with an RSA key whose public half the JWKS publishes.
 */

export interface LocalIdpOptions {
  /** 0: any free port. */
  port: number;
  /** The `aud` of access tokens for the API (AUTH_AUDIENCE). */
  audience: string;
  /** The API's resource indicator, an absolute URI (AUTH_UI_RESOURCE). */
  resource: string;
  web: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  admin: { clientId: string; clientSecret: string };
  claims: ClaimNames;
  /** The private signing key (JWK, RS256); a new one when absent. */
  signingKey: JWK;
}

export interface LocalIdp {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/** The scope of the API at this provider: granted with every sign-in, carried in the token's `scope`. */
export const API_SCOPE = 'glappfri';
const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function configuration(opts: LocalIdpOptions): Configuration {
  const { claims: names } = opts;
  const webOrigins = new Set(opts.web.redirectUris.map((u) => new URL(u).origin));
  return {
    clients: [
      {
        client_id: opts.web.clientId,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: opts.web.redirectUris,
        post_logout_redirect_uris: opts.web.postLogoutRedirectUris,
      },
      {
        client_id: opts.admin.clientId,
        client_secret: opts.admin.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [opts.signingKey] },
    // Fresh on every start: sessions at this provider need not outlive it.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(_ctx, sub) {
      const user = localUser(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: user.name }) };
    },
    // The web interface's own origin only (it calls the token endpoint from the page).
    clientBasedCORS: (_ctx, origin, client) => client.clientId === opts.web.clientId && webOrigins.has(origin),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => opts.resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== opts.resource) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience: opts.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // A first-party application: a person who signed in is not asked to consent to it as well.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(opts.resource, API_SCOPE);
      await grant.save();
      return grant;
    },
    // Who the token's holder is, as the API reads it: role, agency and name under the configured names.
    extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') {
        return token.clientId === opts.admin.clientId ? { [names.role]: 'admin', [names.name]: 'Lokal administration' } : undefined;
      }
      const user = token.accountId ? localUser(token.accountId) : undefined;
      if (!user) return undefined;
      return {
        ...(user.role ? { [names.role]: user.role } : {}),
        ...(user.agencyId ? { [names.agencyId]: user.agencyId } : {}),
        [names.name]: user.name,
      };
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      Interaction: 10 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    // Its error pages must not echo details to a browser; the log line is enough on this machine.
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign-in error</title><h1>Sign-in error</h1><p>${String(out.error).replace(/[^\w .-]/g, '')}</p></html>`;
    },
  };
}

/** Starts the provider on 127.0.0.1 and resolves once it accepts connections. */
export async function startLocalIdp(opts: LocalIdpOptions): Promise<LocalIdp> {
  const server = createServer();
  const port = await listen(server, opts.port);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(opts));
  // The development login and sign-out pages @import a web font from the internet: a policy that
  // admits inline styles only stops the browser from fetching it, so everything stays on loopback.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.response.is('html')) ctx.set('Content-Security-Policy', "style-src 'unsafe-inline'; font-src 'none'");
  });
  server.on('request', provider.callback());
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
