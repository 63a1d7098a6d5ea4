import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDevAuth, newDevSecret } from '../../config/dev-auth';
import { ConfigError, loadEnv } from '../../config/env';
import { localDevSecret } from '../../scripts/local-dev-secret';

/** AUTH_MODE=dev start-up refusals (config/dev-auth.ts) and `npm start`'s secret file. */

function refusal(source: Record<string, string | undefined>): string {
  try {
    loadEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadEnv accepted the configuration');
}

describe('AUTH_MODE=dev', () => {
  const dev = (over: Record<string, string | undefined> = {}) => loadEnv({ AUTH_MODE: 'dev', ...over });

  test('there is no default secret', () => {
    expect(dev().AUTH_DEV_SECRET).toBeUndefined();
  });

  test('a secret shorter than 32 characters is refused, naming AUTH_DEV_SECRET without echoing it', () => {
    const message = refusal({ AUTH_MODE: 'dev', AUTH_DEV_SECRET: 'local-development-only-secret' });
    expect(message).toMatch(/^ {2}AUTH_DEV_SECRET: /m);
    expect(message).not.toMatch(/local-development/);
  });

  test('without a secret it does not start (the worker and scripts that only load settings still do)', () => {
    expect(() => checkDevAuth(dev())).toThrow(ConfigError);
    expect(() => checkDevAuth(dev())).toThrow(/^ {2}AUTH_DEV_SECRET: required/m);
  });

  test.each(['0.0.0.0', '::', '10.1.2.3', 'api.internal'])('API_HOST=%s is refused, naming API_HOST', (host) => {
    expect(() => checkDevAuth(dev({ AUTH_DEV_SECRET: newDevSecret(), API_HOST: host }))).toThrow(/^ {2}API_HOST: must be a loopback address/m);
  });

  test('AUTH_DEV_ALLOW_REMOTE=true forces a remote API_HOST, and says it was forced', () => {
    expect(checkDevAuth(dev({ AUTH_DEV_SECRET: newDevSecret(), API_HOST: '0.0.0.0', AUTH_DEV_ALLOW_REMOTE: 'true' }))).toEqual({ remoteForced: true });
    expect(checkDevAuth(dev({ AUTH_DEV_SECRET: newDevSecret() }))).toEqual({ remoteForced: false });
  });

  test('a made secret is 32 random bytes', () => {
    const a = newDevSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(newDevSecret());
    expect(dev({ AUTH_DEV_SECRET: a }).AUTH_DEV_SECRET).toBe(a);
  });
});

describe('npm start: DATA_DIR/dev-secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dev-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is made once, readable by its owner only, and reused', () => {
    const said: string[] = [];
    const first = localDevSecret(dir, (l) => said.push(l));
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(statSync(path.join(dir, 'dev-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'dev-secret'), 'utf8').trim()).toBe(first);
    expect(localDevSecret(dir, (l) => said.push(l))).toBe(first);
    expect(said).toHaveLength(1);
    expect(said[0]).not.toContain(first);
  });

  test('a file too short to be a secret is refused, naming AUTH_DEV_SECRET', () => {
    writeFileSync(path.join(dir, 'dev-secret'), 'short\n');
    expect(() => localDevSecret(dir, () => undefined)).toThrow(ConfigError);
    expect(() => localDevSecret(dir, () => undefined)).toThrow(/AUTH_DEV_SECRET/);
  });
});
