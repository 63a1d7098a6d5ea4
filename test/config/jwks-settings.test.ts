import { ConfigError, loadEnv } from '../../config/env';

/** AUTH_MODE=jwks start-up refusals (config/jwks-rules.ts): the message names the variable, never its value. */

const jwks = {
  AUTH_MODE: 'jwks',
  AUTH_JWKS_URL: 'https://idp.example.org/realms/glappfri/protocol/openid-connect/certs',
  AUTH_ISSUER: 'https://idp.example.org/realms/glappfri',
  AUTH_AUDIENCE: 'glappfri-api',
};

function refusal(source: Record<string, string | undefined>): string {
  try {
    loadEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadEnv accepted the configuration');
}

describe('AUTH_MODE=jwks', () => {
  test('a complete configuration loads, with the defaults of the token rules', () => {
    const env = loadEnv(jwks);
    expect(env.AUTH_ALGORITHMS).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(env.AUTH_CLOCK_SKEW_SECONDS).toBe(30);
    expect(env.AUTH_REQUIRE_AT_JWT).toBe(false);
  });

  test('AUTH_MODE defaults to jwks, so an empty environment is refused', () => {
    expect(refusal({})).toMatch(/AUTH_JWKS_URL: required/);
  });

  test.each([
    ['a missing issuer', { AUTH_ISSUER: undefined }, 'AUTH_ISSUER'],
    ['an empty issuer', { AUTH_ISSUER: '' }, 'AUTH_ISSUER'],
    ['a missing audience', { AUTH_AUDIENCE: undefined }, 'AUTH_AUDIENCE'],
    ['a missing JWKS URL', { AUTH_JWKS_URL: undefined }, 'AUTH_JWKS_URL'],
    ['an http: JWKS URL on another host', { AUTH_JWKS_URL: 'http://idp.example.org/certs' }, 'AUTH_JWKS_URL'],
    ['an http: JWKS URL on a private address', { AUTH_JWKS_URL: 'http://10.0.0.5:8080/certs' }, 'AUTH_JWKS_URL'],
    ['a file: JWKS URL', { AUTH_JWKS_URL: 'file:///etc/jwks.json' }, 'AUTH_JWKS_URL'],
    ['HS256 among the algorithms', { AUTH_ALGORITHMS: 'RS256,HS256' }, 'AUTH_ALGORITHMS'],
    ['alg none', { AUTH_ALGORITHMS: 'none' }, 'AUTH_ALGORITHMS'],
    ['no algorithm', { AUTH_ALGORITHMS: ' , ' }, 'AUTH_ALGORITHMS'],
    ['a clock skew over 5 minutes', { AUTH_CLOCK_SKEW_SECONDS: '3600' }, 'AUTH_CLOCK_SKEW_SECONDS'],
    ['the web interface as the audience', { AUTH_UI_CLIENT_ID: 'glappfri-api' }, 'AUTH_UI_CLIENT_ID'],
  ])('%s is refused, naming the variable', (_name, change, variable) => {
    expect(refusal({ ...jwks, ...change })).toMatch(new RegExp(`^ {2}${variable}(\\.\\d+)?: `, 'm'));
  });

  test('the message does not echo the values', () => {
    const message = refusal({ ...jwks, AUTH_JWKS_URL: 'http://user:s3cr3t-pw@idp.example.org/certs', AUTH_ISSUER: undefined });
    expect(message).toMatch(/AUTH_JWKS_URL/);
    expect(message).toMatch(/AUTH_ISSUER/);
    expect(message).not.toMatch(/s3cr3t|idp\.example/);
  });

  test.each(['http://127.0.0.1:8443/certs', 'http://[::1]:8443/certs', 'http://localhost/certs', 'https://idp.example.org/certs'])(
    '%s is accepted (http: on loopback only)',
    (url) => {
      expect(loadEnv({ ...jwks, AUTH_JWKS_URL: url }).AUTH_JWKS_URL).toBe(url);
    },
  );

  test('AUTH_ALGORITHMS narrows or widens the asymmetric allow-list', () => {
    expect(loadEnv({ ...jwks, AUTH_ALGORITHMS: 'ES384, RS512' }).AUTH_ALGORITHMS).toEqual(['ES384', 'RS512']);
  });
});
