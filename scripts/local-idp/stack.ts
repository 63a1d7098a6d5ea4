import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config/env';
import { startLocalIdp, type LocalIdp } from './provider';
import { apiEnvForLocalIdp, localIdpOptions } from './settings';
import { persistedSigningKey } from './signing-key';

/**
 * The local identity provider of `npm start -- --oidc` (or START_AUTH=oidc): on
 * 127.0.0.1:LOCAL_IDP_PORT (8090), its signing key and the administrator client's secret made
 * once in DATA_DIR and reused, so a restart keeps people signed in and scripts working.
 */

export const DEFAULT_LOCAL_IDP_PORT = 8090;

export function wantsOidc(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--oidc') || env.START_AUTH === 'oidc';
}

export function localIdpPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.LOCAL_IDP_PORT ?? DEFAULT_LOCAL_IDP_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('Invalid configuration:\n  LOCAL_IDP_PORT: a port number 1–65535');
  return port;
}

/** The API settings for the provider that will listen on `port`: set before the environment is read. */
export function apiEnvForStackIdp(port: number): Record<string, string> {
  const issuer = `http://127.0.0.1:${port}`;
  return apiEnvForLocalIdp({ issuer, jwksUrl: `${issuer}/jwks` });
}

function persistedSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export async function startStackIdp(opts: { port: number; apiPort: number; dataDir: string }): Promise<LocalIdp> {
  const options = localIdpOptions(`http://127.0.0.1:${opts.apiPort}`, {
    port: opts.port,
    signingKey: await persistedSigningKey(path.join(opts.dataDir, 'idp-signing-key.json')),
  });
  options.admin.clientSecret = persistedSecret(path.join(opts.dataDir, 'idp-admin-secret'));
  return startLocalIdp(options);
}
