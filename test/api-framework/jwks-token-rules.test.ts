import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { bearer, buildTestServer, testEnv, type TestServer } from './harness';

/**
 * Production tokens (AUTH_MODE=jwks, api/access-token-rules.ts): a local JWKS on 127.0.0.1 and
 * tokens that must not open the API, next to ones that must.
 */

const ISSUER = 'https://idp.test/realms/glappfri';
const AUDIENCE = 'glappfri-api';
const UI_CLIENT = 'glappfri-web';
const now = () => Math.floor(Date.now() / 1000);

let jwksServer: Server;
let jwksUrl: string;
let privateKey: CryptoKey;
let publicKey: CryptoKey;
let t: TestServer;
let strict: TestServer;

interface Spec {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  iss?: string | null;
  aud?: string | string[] | null;
  exp?: number | null;
}

/** A token of the provider's key, valid unless the spec changes it (null leaves a claim out). */
async function token(spec: Spec = {}): Promise<string> {
  let jwt = new SignJWT({ role: 'supervisor', agencyId: 'kvv-gbg', ...spec.claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...spec.header })
    .setSubject('sup-1')
    .setIssuedAt();
  if (spec.iss !== null) jwt = jwt.setIssuer(spec.iss ?? ISSUER);
  if (spec.aud !== null) jwt = jwt.setAudience(spec.aud ?? AUDIENCE);
  if (spec.exp !== null) jwt = jwt.setExpirationTime(spec.exp ?? now() + 600);
  return jwt.sign(privateKey);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const me = (server: TestServer, jwt: string) => server.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(jwt) });

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  ({ privateKey, publicKey } = pair);
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((req, res) => {
    if (req.url !== '/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  const jwks = { AUTH_MODE: 'jwks', AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_UI_CLIENT_ID: UI_CLIENT };
  t = await buildTestServer({ env: testEnv(jwks) });
  strict = await buildTestServer({ env: testEnv({ ...jwks, AUTH_REQUIRE_AT_JWT: 'true' }) });
});
afterAll(async () => {
  await t.app.close();
  await strict.app.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});

test('a valid access token is accepted, typed JWT or at+jwt, also a little past exp (within the 30 s skew)', async () => {
  for (const jwt of [await token(), await token({ header: { typ: 'at+jwt' } }), await token({ exp: now() - 10 })]) {
    const res = await me(t, jwt);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'sup-1', role: 'supervisor', agencyId: 'kvv-gbg' });
  }
});

test.each<[string, () => Promise<string>]>([
  ['another audience', () => token({ aud: 'another-app' })],
  ['no audience', () => token({ aud: null })],
  ['another issuer', () => token({ iss: 'https://evil.test/' })],
  ['no issuer', () => token({ iss: null })],
  ['expired beyond the skew', () => token({ exp: now() - 60 })],
  ['no exp', () => token({ exp: null })],
  ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.`],
  ['alg none with a signature', async () => `${b64({ alg: 'none' })}.${b64({ sub: 'x', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.c2ln`],
  [
    'HS256 signed with the public key (key confusion)',
    async () =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setSubject('x')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(await exportSPKI(publicKey))),
  ],
  ['an ID token: typ JWT with a nonce', () => token({ header: { typ: 'JWT' }, claims: { nonce: 'n-0S6_WzA2Mj' } })],
  ['an ID token: untyped with at_hash', () => token({ claims: { at_hash: '77QmUPtjPfzWtF2AnpK9RQ' } })],
  ['a token for the web interface (aud = AUTH_UI_CLIENT_ID)', () => token({ header: { typ: 'at+jwt' }, aud: [AUDIENCE, UI_CLIENT] })],
])('refused with 401: %s', async (_name, make) => {
  const res = await me(t, await make());
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
});

describe('AUTH_REQUIRE_AT_JWT=true', () => {
  test('an RFC 9068 access token (typ at+jwt, also application/at+jwt) is accepted', async () => {
    expect((await me(strict, await token({ header: { typ: 'at+jwt' } }))).statusCode).toBe(200);
    expect((await me(strict, await token({ header: { typ: 'application/at+jwt' } }))).statusCode).toBe(200);
  });

  test.each([
    ['an ID token (typ JWT with a nonce)', { header: { typ: 'JWT' }, claims: { nonce: 'n-0S6_WzA2Mj' } }],
    ['a token typed JWT without ID-token claims', { header: { typ: 'JWT' } }],
    ['an untyped token', {}],
  ])('refused with 401: %s', async (_name, spec: Spec) => {
    expect((await me(strict, await token(spec))).statusCode).toBe(401);
  });
});
