import { randomBytes } from 'node:crypto';
import { ConfigError, type Env } from './env';
import { isLoopbackHost } from './loopback';

/**
 * `AUTH_MODE=dev` signs tokens with a shared secret and hands them to anyone who asks
 * (`POST /v1/dev/tokens`): whoever reaches the API is whoever they claim to be. So it listens
 * on loopback only, and its secret is random, never a value known from the source code.
 */

/** Bytes of randomness in a made secret: HS256 is as strong as its key, up to 256 bits. */
export const DEV_SECRET_BYTES = 32;
/** The shortest `AUTH_DEV_SECRET` accepted (a made one is 43 characters). */
export const DEV_SECRET_MIN_LENGTH = 32;

/** A new dev secret: 32 random bytes, base64url. Tests, the bench and scripts use one each. */
export function newDevSecret(): string {
  return randomBytes(DEV_SECRET_BYTES).toString('base64url');
}

/**
 * Throws a ConfigError unless dev mode is safe to start: a secret is set (`npm start` makes one
 * in DATA_DIR/dev-secret; other processes pass their own) and API_HOST is a loopback address,
 * unless AUTH_DEV_ALLOW_REMOTE=true forces it. Returns whether it was forced, to warn about.
 * Not part of loadEnv: the worker and the maintenance scripts set AUTH_MODE=dev only to load
 * their settings without an identity provider, and neither verify nor mint tokens.
 */
export function checkDevAuth(env: Pick<Env, 'AUTH_MODE' | 'AUTH_DEV_SECRET' | 'API_HOST' | 'AUTH_DEV_ALLOW_REMOTE'>): { remoteForced: boolean } {
  if (env.AUTH_MODE !== 'dev') return { remoteForced: false };
  const problems: string[] = [];
  if (!env.AUTH_DEV_SECRET) {
    problems.push('AUTH_DEV_SECRET: required when AUTH_MODE=dev (at least 32 random characters; npm start makes one in DATA_DIR/dev-secret)');
  }
  const remote = !isLoopbackHost(env.API_HOST);
  if (remote && !env.AUTH_DEV_ALLOW_REMOTE) {
    problems.push('API_HOST: must be a loopback address when AUTH_MODE=dev, where anyone can mint a token (AUTH_DEV_ALLOW_REMOTE=true forces it)');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { remoteForced: remote };
}

/** The warning logged when AUTH_DEV_ALLOW_REMOTE opened dev mode beyond this machine. */
export const DEV_REMOTE_WARNING =
  'AUTH_DEV_ALLOW_REMOTE=true: AUTH_MODE=dev listens beyond loopback — ANYONE WHO REACHES THIS API CAN MINT A TOKEN FOR ANY ROLE (POST /v1/dev/tokens). Never with real data.';
