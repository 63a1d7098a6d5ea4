import { envSchema, parseEnvWith, type Env } from '../../config/env';

export interface HousekeepingSettings {
  /** CASE_RETENTION: how long after closing a client's data is kept, or `off`. */
  caseRetention: string;
  /** IDEMPOTENCY_RETENTION: how long a stored Idempotency-Key response is kept. */
  idempotencyRetention: string;
  /** HOUSEKEEPING_INTERVAL: how often the schedule runs, or `off`. */
  interval: string;
}

const housekeepingEnvSchema = envSchema.pick({ CASE_RETENTION: true, IDEMPOTENCY_RETENTION: true, HOUSEKEEPING_INTERVAL: true });

export function housekeepingSettings(env: Pick<Env, 'CASE_RETENTION' | 'IDEMPOTENCY_RETENTION' | 'HOUSEKEEPING_INTERVAL'>): HousekeepingSettings {
  return { caseRetention: env.CASE_RETENTION, idempotencyRetention: env.IDEMPOTENCY_RETENTION, interval: env.HOUSEKEEPING_INTERVAL };
}

/** The housekeeping part of the environment (config/env.ts validates the same variables at start-up). */
export function housekeepingSettingsFromEnv(source: NodeJS.ProcessEnv = process.env): HousekeepingSettings {
  return housekeepingSettings(parseEnvWith(housekeepingEnvSchema, source));
}
