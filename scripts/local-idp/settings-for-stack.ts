import { ConfigError } from '../../config/env';
import { apiEnvForLocalIdp } from './settings';

/*
 * What `npm start` decides before anything starts, about the local identity provider of
 * `--oidc` (or START_AUTH=oidc) on 127.0.0.1:LOCAL_IDP_PORT. Apart from ./stack.ts, which loads
 * oidc-provider, so that a start without it loads none of it.
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

