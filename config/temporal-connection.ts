import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, envSchema } from './env';

/** The settings a connection needs: scripts that only talk to Temporal parse just these. */
export const temporalSettingsSchema = envSchema.pick({
  TEMPORAL_ADDRESS: true,
  TEMPORAL_DEV_PORT: true,
  TEMPORAL_NAMESPACE: true,
  TEMPORAL_TLS: true,
  TEMPORAL_TLS_CERT: true,
  TEMPORAL_TLS_KEY: true,
  TEMPORAL_TLS_CA: true,
  TEMPORAL_TLS_SERVER_NAME: true,
  TEMPORAL_API_KEY: true,
});
export type TemporalSettings = Omit<z.infer<typeof temporalSettingsSchema>, 'TEMPORAL_NAMESPACE'> & { TEMPORAL_NAMESPACE?: string };

/** The TLS options both the client (grpc-js) and the worker (Rust core) take, in one shape. */
interface TlsOptions {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
}

/** Reads a PEM file named by a setting; the error names the setting, not the file's content. */
function pemFile(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** TLS as the settings ask for it: none, plain TLS, or mTLS with a client certificate. */
function tlsOptions(env: TemporalSettings): TlsOptions | true | undefined {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new ConfigError(`Invalid configuration:\n  ${env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY`);
  }
  const options: TlsOptions = {
    ...(env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: pemFile('TEMPORAL_TLS_CERT', env.TEMPORAL_TLS_CERT), key: pemFile('TEMPORAL_TLS_KEY', env.TEMPORAL_TLS_KEY) } }
      : {}),
    ...(env.TEMPORAL_TLS_CA ? { serverRootCACertificate: pemFile('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA) } : {}),
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
  if (Object.keys(options).length > 0) return options;
  // An API key is only ever sent over TLS.
  return env.TEMPORAL_TLS || env.TEMPORAL_API_KEY ? true : undefined;
}

/** One shape for the client's and the worker's connection: address, TLS (or mTLS) and API key. */
export function temporalConnectionOptions(env: TemporalSettings, address = env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_DEV_PORT}`) {
  const tls = tlsOptions(env);
  return {
    address,
    ...(tls ? { tls } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}
