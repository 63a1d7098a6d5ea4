import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ConfigError, loadEnv } from '../../config/env';
import { bearer, buildTestServer, devToken, testEnv, type TestServer } from './harness';

/*
 * What the web interface learns before anyone signs in (`GET /v1/auth/config`), and the claim
 * names (AUTH_ROLE_CLAIM, AUTH_AGENCY_CLAIM, AUTH_NAME_CLAIM) by which the API reads who a
 * caller is from an access token.
 */

const ISSUER = 'https://idp.test/realms/glappfri';
const AUDIENCE = 'glappfri-api';

describe('GET /v1/auth/config', () => {
  test('in dev mode: no provider, the default claim names', async () => {
    const t = await buildTestServer();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/v1/auth/config' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ mode: 'dev', oidc: null, claims: { role: 'role', agencyId: 'agencyId', name: 'name' } });
      expect(res.headers['cache-control']).toBe('no-store');
    } finally {
      await t.app.close();
    }
  });

  test('in jwks mode with a web client: the provider, scopes, resource and claim names, without a token; the issuer may be fetched from the page', async () => {
    const t = await buildTestServer({
      env: testEnv({
        AUTH_MODE: 'jwks', AUTH_JWKS_URL: `${ISSUER}/protocol/openid-connect/certs`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE,
        AUTH_UI_CLIENT_ID: 'glappfri-web', AUTH_UI_RESOURCE: 'urn:glappfri:api', AUTH_UI_SCOPES: 'openid profile glappfri',
        AUTH_ROLE_CLAIM: 'https://glappfri.se/role', AUTH_AGENCY_CLAIM: 'org', AUTH_NAME_CLAIM: 'preferred_username',
      }),
    });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/v1/auth/config' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        mode: 'jwks',
        oidc: { issuer: ISSUER, clientId: 'glappfri-web', scopes: 'openid profile glappfri', resource: 'urn:glappfri:api' },
        claims: { role: 'https://glappfri.se/role', agencyId: 'org', name: 'preferred_username' },
      });
      // The page calls the provider's discovery and token endpoints itself.
      expect(res.headers['content-security-policy']).toContain("connect-src 'self' https://idp.test;");

      const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const op = doc.paths['/v1/auth/config'].get;
      expect(op.security).toEqual([]);
      // Every route shares the rate limit, so 429 is documented here too.
      expect(Object.keys(op.responses)).toEqual(['200', '429']);
    } finally {
      await t.app.close();
    }
  });

  test('in jwks mode without a web client id: no sign-in through the provider, and the page connects to its own origin only', async () => {
    const t = await buildTestServer({ env: testEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: `${ISSUER}/certs`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE }) });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/v1/auth/config' });
      expect(res.json()).toMatchObject({ mode: 'jwks', oidc: null });
      expect(res.headers['content-security-policy']).toContain("connect-src 'self';");
    } finally {
      await t.app.close();
    }
  });

  test('bad settings stop start-up, naming the variable', () => {
    expect(() => loadEnv({ AUTH_MODE: 'dev', AUTH_UI_SCOPES: 'openid  profile' })).toThrow(/AUTH_UI_SCOPES/);
    expect(() => loadEnv({ AUTH_MODE: 'dev', AUTH_UI_RESOURCE: 'not a uri' })).toThrow(ConfigError);
  });
});

describe('claim names', () => {
  let jwksServer: Server;
  let privateKey: CryptoKey;
  let t: TestServer;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    t = await buildTestServer({
      env: testEnv({
        AUTH_MODE: 'jwks', AUTH_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE,
        AUTH_ROLE_CLAIM: 'https://glappfri.se/role', AUTH_AGENCY_CLAIM: 'org', AUTH_NAME_CLAIM: 'given_name',
      }),
    });
  });
  afterAll(async () => {
    await t.app.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('u-1').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('10m').sign(privateKey);

  test('role, agency and name are read from the configured claims', async () => {
    const token = await sign({ 'https://glappfri.se/role': 'coordinator', org: 'kvv-gbg', given_name: 'Anna' });
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'u-1', role: 'coordinator', agencyId: 'kvv-gbg', name: 'Anna' });
  });

  test('claims under the default names count for nothing once others are configured', async () => {
    const token = await sign({ role: 'admin', agencyId: 'kvv-gbg', name: 'Mallory' });
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('The token does not carry valid sub, https://glappfri.se/role and org claims.');
  });

  test('an unknown role, or a role that needs an agency without one, is 401', async () => {
    for (const claims of [{ 'https://glappfri.se/role': 'superuser', org: 'kvv-gbg' }, { 'https://glappfri.se/role': 'agency' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(await sign(claims)) });
      expect(res.statusCode).toBe(401);
    }
  });
});

test('dev tokens are signed under the configured claim names and read back by them', async () => {
  const t = await buildTestServer({ env: testEnv({ AUTH_ROLE_CLAIM: 'roll', AUTH_AGENCY_CLAIM: 'myndighet' }) });
  try {
    const token = await devToken(t.app, { sub: 'anna', role: 'agency', agencyId: 'sot-1480' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ roll: 'agency', myndighet: 'sot-1480' });
    expect(payload).not.toHaveProperty('role');
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ sub: 'anna', role: 'agency', agencyId: 'sot-1480' });
  } finally {
    await t.app.close();
  }
});
