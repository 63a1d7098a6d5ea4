import { envSchema, parseEnvWith } from '../../config/env';
import { webhookTargetRules, type HostLookup, type WebhookTargetRules } from './target-guard';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface DeliverySettings {
  /** Links in payloads and e-mails point to the case in the web interface, `${publicBaseUrl}/arenden/{caseId}`. */
  publicBaseUrl: string;
  /** null: no SMTP_HOST, e-mail subscriptions are not delivered. */
  smtp: SmtpSettings | null;
  /** DIGEST_INTERVAL: an ISO duration, a cron line, or `off`. */
  digestInterval: string;
  /** How long a webhook receiver may take to answer one attempt. */
  webhookTimeoutMs: number;
  /** Which webhook targets may be sent to (https outside dev mode, WEBHOOK_ALLOW_PRIVATE). */
  webhookTargets: WebhookTargetRules;
  /** Resolves webhook hosts before they are checked; the system resolver when absent (tests inject one). */
  lookup?: HostLookup;
}

const deliveryEnvSchema = envSchema.pick({
  PUBLIC_BASE_URL: true, API_PORT: true, SMTP_HOST: true, SMTP_PORT: true, SMTP_SECURE: true, SMTP_USER: true,
  SMTP_PASSWORD: true, SMTP_FROM: true, DIGEST_INTERVAL: true, AUTH_MODE: true, WEBHOOK_ALLOW_PRIVATE: true,
});

/** The delivery part of the environment (config/env.ts validates the same variables at start-up). */
export function deliverySettingsFromEnv(source: NodeJS.ProcessEnv = process.env): DeliverySettings {
  const env = parseEnvWith(deliveryEnvSchema, source);
  return {
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.API_PORT || 8080}`).replace(/\/+$/, ''),
    smtp: env.SMTP_HOST
      ? {
          host: env.SMTP_HOST,
          port: env.SMTP_PORT ?? (env.SMTP_SECURE ? 465 : 587),
          secure: env.SMTP_SECURE,
          ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
          ...(env.SMTP_PASSWORD ? { password: env.SMTP_PASSWORD } : {}),
          from: env.SMTP_FROM,
        }
      : null,
    digestInterval: env.DIGEST_INTERVAL.trim(),
    webhookTimeoutMs: 10_000,
    webhookTargets: webhookTargetRules(env),
  };
}
