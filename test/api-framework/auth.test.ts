import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEV_REMOTE_WARNING } from '../../config/dev-auth';
import { ConfigError, loadEnv } from '../../config/env';
import { bearer, buildTestServer, devToken, testEnv, type TestServer } from './harness';

const PROBLEM = /^application\/problem\+json/;

describe('AUTH_MODE=dev', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await buildTestServer();
  });
  afterAll(() => t.app.close());

  test('POST /v1/dev/tokens issues a token that authenticates as the given principal', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/dev/tokens',
      payload: { sub: 'anna', role: 'agency', agencyId: 'sot-1480', name: 'Anna' },
    });
    expect(res.statusCode).toBe(200);
    const { token, expiresAt } = res.json();
    expect(token.split('.')).toHaveLength(3);
    const hours = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ sub: 'anna', role: 'agency', agencyId: 'sot-1480', name: 'Anna' });
  });

  test('an admin needs no agencyId; every other role does (400 with the path)', async () => {
    const admin = await devToken(t.app, { sub: 'root', role: 'admin' });
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin) });
    expect(me.json()).toEqual({ sub: 'root', role: 'admin', agencyId: null });
    const res = await t.app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: { sub: 'x', role: 'coordinator' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json().errors[0].path).toBe('agencyId');
  });

  test('no token is a 401 problem with WWW-Authenticate: Bearer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  test.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['wrong scheme', 'Basic dXNlcjpwYXNz'],
    ['tampered', 'TAMPER'],
  ])('a bad token (%s) is a 401', async (_name, header) => {
    let authorization = header;
    if (header === 'TAMPER') {
      const token = await devToken(t.app, { sub: 'c1', role: 'coordinator', agencyId: 'kvv-gbg' });
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      authorization = `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    }
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  test('tokens signed with another secret, expired, or with invalid claims are 401', async () => {
    const secret = new TextEncoder().encode(testEnv().AUTH_DEV_SECRET);
    const other = new TextEncoder().encode('some-other-secret-of-enough-length');
    const sign = (claims: Record<string, unknown>, key: Uint8Array, exp: number | string = '1h') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuedAt().setExpirationTime(exp).sign(key);
    const cases = [
      await sign({ role: 'coordinator', agencyId: 'a' }, other),
      await sign({ role: 'coordinator', agencyId: 'a' }, secret, Math.floor(Date.now() / 1000) - 3600),
      await sign({ role: 'king', agencyId: 'a' }, secret),
      await sign({ role: 'agency' }, secret),
    ];
    const valid = await sign({ role: 'coordinator', agencyId: 'a' }, secret);
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(valid) })).statusCode).toBe(200);
    for (const token of cases) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
    }
  });

  test('a role that is not allowed is a 403 problem', async () => {
    const agency = await devToken(t.app, { sub: 'a1', role: 'agency', agencyId: 'sot-1480' });
    const res = await t.app.inject({ method: 'GET', url: '/v1/admin-only', headers: bearer(agency) });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    const post = await t.app.inject({
      method: 'POST',
      url: '/v1/samples',
      headers: bearer(agency),
      payload: { client: { name: 'A', municipality: '1480' } },
    });
    expect(post.statusCode).toBe(403);
    expect(t.counters.created).toBe(0);
    const admin = await devToken(t.app, { sub: 'root', role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin-only', headers: bearer(admin) })).statusCode).toBe(200);
  });
});

describe('AUTH_MODE=dev does not start where it could leak', () => {
  test('without AUTH_DEV_SECRET: a ConfigError naming it', async () => {
    const env = loadEnv({ AUTH_MODE: 'dev', LOG_LEVEL: 'silent' });
    await expect(buildTestServer({ env })).rejects.toThrow(ConfigError);
    await expect(buildTestServer({ env })).rejects.toThrow(/AUTH_DEV_SECRET: required/);
  });

  test('on a non-loopback API_HOST: a ConfigError naming it', async () => {
    await expect(buildTestServer({ env: testEnv({ API_HOST: '0.0.0.0' }) })).rejects.toThrow(/API_HOST: must be a loopback address/);
  });

  test('forced with AUTH_DEV_ALLOW_REMOTE=true: starts, and the log says so loudly', async () => {
    const forced = await buildTestServer({ env: testEnv({ API_HOST: '0.0.0.0', AUTH_DEV_ALLOW_REMOTE: 'true', LOG_LEVEL: 'info' }) });
    const warning = forced.logs.entries.find((e) => e.msg === DEV_REMOTE_WARNING);
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning?.msg)).toMatch(/ANYONE WHO REACHES THIS API CAN MINT A TOKEN/);
    await forced.app.close();
  });

  test('on loopback there is no such warning', async () => {
    const local = await buildTestServer();
    expect(local.logs.text).not.toContain('AUTH_DEV_ALLOW_REMOTE');
    await local.app.close();
  });
});

describe('AUTH_MODE=jwks', () => {
  const ISSUER = 'https://idp.test/';
  const AUDIENCE = 'glappfri-api';
  let jwksServer: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let jwksHits = 0;
  let t: TestServer;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((req, res) => {
      jwksHits += 1;
      if (req.url !== '/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    t = await buildTestServer({
      env: testEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, LOG_LEVEL: 'info' }),
    });
  });
  afterAll(async () => {
    await t.app.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const sign = (claims: Record<string, unknown>, opts: { key?: CryptoKey; iss?: string; aud?: string; kid?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setSubject('sup-1')
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(opts.key ?? privateKey);

  test('the dev token route does not exist (404 problem)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: { sub: 'x', role: 'admin' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  test('a token signed by a key of the JWKS authenticates', async () => {
    const token = await sign({ role: 'supervisor', agencyId: 'kvv-gbg', name: 'Sara' });
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'sup-1', role: 'supervisor', agencyId: 'kvv-gbg', name: 'Sara' });
    expect(jwksHits).toBeGreaterThan(0);
  });

  test('wrong issuer, wrong audience, a foreign key, or an HS256 token are 401', async () => {
    const foreign = await generateKeyPair('RS256');
    const hs = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(testEnv().AUTH_DEV_SECRET));
    const tokens = [
      await sign({ role: 'admin' }, { iss: 'https://evil.test/' }),
      await sign({ role: 'admin' }, { aud: 'someone-else' }),
      await sign({ role: 'admin' }, { key: foreign.privateKey }),
      hs,
    ];
    for (const token of tokens) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  test('an unreachable JWKS is a 503, not a 401', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await buildTestServer({
      env: testEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, LOG_LEVEL: 'info' }),
    });
    const token = await sign({ role: 'supervisor', agencyId: 'kvv-gbg' });
    const res = await down.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    await down.app.close();
  });
});
