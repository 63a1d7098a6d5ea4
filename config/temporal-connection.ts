import type { Env } from './env';

/** The settings a connection needs: scripts that only talk to Temporal parse just these. */
export type TemporalSettings = Pick<Env, 'TEMPORAL_ADDRESS' | 'TEMPORAL_DEV_PORT' | 'TEMPORAL_TLS' | 'TEMPORAL_API_KEY'>;

/** One shape for the client's and the worker's connection: address, TLS and API key. */
export function temporalConnectionOptions(env: TemporalSettings, address = env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_DEV_PORT}`) {
  return {
    address,
    ...(env.TEMPORAL_TLS || env.TEMPORAL_API_KEY ? { tls: true as const } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}
