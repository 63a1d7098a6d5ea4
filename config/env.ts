import { z } from 'zod';
import { durationToMs, isValidDuration } from '../domain/duration';
import { ASYMMETRIC_ALGORITHMS, DEFAULT_ALGORITHMS, jwksSettingProblems } from './jwks-rules';

/**
 * Every setting of every process comes from the environment, validated here once, so that a
 * typo stops start-up with the variable's name instead of failing later somewhere obscure.
 */
const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().min(1);
/** Requests a minute, or `off` (no limit: e.g. a gateway in front limits already). */
const perMinute = z.union([z.literal('off'), positiveInt]);
const retention = z.string().refine((v) => v === 'off' || (isValidDuration(v) && durationToMs(v) >= 1000), {
  message: 'an ISO 8601 duration of at least PT1S such as P2Y, or off',
});
/** Five cron fields, optionally after `CRON_TZ=Area/City` (else Europe/Stockholm). */
export const CRON_LINE = /^(CRON_TZ=\S+\s+)?(\S+\s+){4}\S+$/;

export const envSchema = z.object({
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_BASE_URL: z.url().optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('client-journeys'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: bool.default(false),
  /** mTLS: PEM files of the client certificate and its key (both or neither); either turns TLS on. */
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  /** A PEM file of the CA that signed the server's certificate, when it is not a public one. */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  /** The name to expect in the server's certificate when it is not the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI: z.string().min(1).optional(),
  DATABASE_URL: z.url().optional(),
  PG_PORT: port.default(5433),
  DATA_DIR: z.string().min(1).default('.data'),
  AUTH_MODE: z.enum(['dev', 'jwks']).default('jwks'),
  /** jwks mode: where the provider publishes its signing keys (https:, or http: on loopback). */
  AUTH_JWKS_URL: z.url().optional(),
  /** jwks mode, required: the `iss` every token must carry (the provider's issuer). */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** jwks mode, required: an `aud` every token must carry (this API's identifier at the provider). */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** jwks mode: the JWS algorithms accepted, comma-separated; asymmetric ones only. */
  AUTH_ALGORITHMS: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS, { message: `asymmetric algorithms only, of ${ASYMMETRIC_ALGORITHMS.join(', ')}` })).min(1))
    .default(DEFAULT_ALGORITHMS),
  /** Seconds a token's exp/nbf/iat may be off from this machine's clock. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /**
   * jwks mode: accept only tokens typed `at+jwt` (RFC 9068 access tokens). Off by default: many
   * providers (Entra ID, Okta, Keycloak) type theirs `JWT`; ID tokens are refused either way by
   * their markers (api/access-token-rules.ts).
   */
  AUTH_REQUIRE_AT_JWT: bool.default(false),
  /** jwks mode: the web interface's client id at the provider; a token for that audience is its ID token. */
  AUTH_UI_CLIENT_ID: z.string().min(1).optional(),
  /**
   * The claims of an access token that say who the caller is: the provider names them as its
   * administrators set it up (an Auth0 rule must namespace them, `https://…/role`), so the names
   * are settings. The defaults are what dev tokens and the local identity provider carry.
   */
  AUTH_ROLE_CLAIM: z.string().min(1).default('role'),
  AUTH_AGENCY_CLAIM: z.string().min(1).default('agencyId'),
  AUTH_NAME_CLAIM: z.string().min(1).default('name'),
  /** jwks mode, web interface sign-in: the scopes it asks for (space-separated; `openid` first). */
  AUTH_UI_SCOPES: z.string().regex(/^\S+( \S+)*$/, 'scopes separated by single spaces').default('openid profile'),
  /**
   * jwks mode, web interface sign-in: the `resource` (RFC 8707) it names in the authorization and
   * token requests, for providers that choose the access token's audience by it. Unset: none sent.
   */
  AUTH_UI_RESOURCE: z.url().optional(),
  /**
   * dev mode: the HS256 secret of dev tokens, at least 32 random characters. No default: the
   * secret would be public. `npm start` makes one in DATA_DIR/dev-secret (config/dev-auth.ts).
   */
  AUTH_DEV_SECRET: z.string().min(32).optional(),
  /** dev mode: let it listen beyond loopback (API_HOST), where anyone can mint tokens. */
  AUTH_DEV_ALLOW_REMOTE: bool.default(false),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(40),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(100),
  /**
   * Cases kept loaded between their tasks, ≈ 0.45 MiB each. A case outside the cache is rebuilt
   * from its history when it wakes (≈ 25 ms of CPU): with too small a cache a burst of deadlines
   * is late (300 cases and 1,000 deadlines in a minute: alerts p50 3.8 s late; bench
   * alertLateness, 2026-11-23). Size it to the cases that can fall due together.
   */
  WORKER_MAX_CACHED_WORKFLOWS: positiveInt.default(1000),
  /** A workflow bundle made by `npm run build:workflows`: the worker loads it instead of bundling at start. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /**
   * Keys that encrypt what Temporal stores: `id:base64,…` (32 bytes each); the first encrypts,
   * all decrypt (config/payload-keys.ts). `npm start` makes one in DATA_DIR when unset.
   */
  PAYLOAD_KEYS: z.string().min(1).optional(),
  /**
   * Keys that wrap each case's own data key, which seals the texts of its events and its
   * personal identity number: `id:base64,…` like PAYLOAD_KEYS (config/master-keys.ts).
   * `npm start` makes one in DATA_DIR when unset.
   */
  MASTER_KEYS: z.string().min(1).optional(),
  /**
   * Origins whose pages may call the codec endpoint from a browser (the Temporal Web UI's),
   * comma-separated; none by default. `npm start` allows its dev server's Web UI.
   */
  CODEC_CORS_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url()))
    .default([]),
  /**
   * How long after a case is closed its client's data is erased by the housekeeping schedule.
   * Two years: JO (the Parliamentary Ombudsmen) does not as a rule take up a complaint about
   * matters more than two years old, and every agency keeps its own records under its own
   * rules; this shared plan is not the record. `off` keeps closed cases.
   */
  CASE_RETENTION: retention.default('P2Y'),
  /** How long a stored Idempotency-Key response is kept: retries come within minutes, a day is plenty. */
  IDEMPOTENCY_RETENTION: retention.default('P1D'),
  /** How often the housekeeping schedule (erasure after retention, idempotency purge) runs, or `off`. */
  HOUSEKEEPING_INTERVAL: z
    .string()
    .refine((v) => v === 'off' || (isValidDuration(v) && durationToMs(v) >= 1000), { message: 'an ISO 8601 duration of at least PT1S such as PT1H, or off' })
    .default('PT1H'),
  /**
   * How often the lead times are measured again from the log and every case's open required work
   * forecast (predicted gaps, issue 19), or `off`. Lead times are in days: hourly is plenty.
   */
  FORECAST_INTERVAL: z
    .string()
    .refine((v) => v === 'off' || (isValidDuration(v) && durationToMs(v) >= 1000), { message: 'an ISO 8601 duration of at least PT1S such as PT1H, or off' })
    .default('PT1H'),
  /**
   * Requests a minute each signed-in user may make to one API process (api/rate-limit.ts); a
   * person clicking through the web interface makes a few a second at most.
   */
  RATE_LIMIT_PER_MINUTE: perMinute.default(600),
  /** Requests a minute from one client address without a valid token (dev tokens, /docs…). */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: perMinute.default(60),
  /**
   * Alert streams (`GET /v1/alerts/stream`) one person may hold open in one API process: a
   * dashboard or two, a few tabs. Past it, 429.
   */
  ALERT_STREAMS_PER_USER: positiveInt.default(5),
  /** Serves `/metrics` on this port only (not on API_PORT) when set; 0 picks a free one (tests). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Where the separate metrics port listens: loopback unless the scraper needs more. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Alert delivery (activities/delivery): e-mail is off without SMTP_HOST; webhooks need nothing here.
  /**
   * Lets webhooks target private addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10) and
   * loopback: for an agency network whose receivers are not on the internet. Off, only public
   * addresses are accepted (activities/delivery/target-guard.ts); link-local (the cloud metadata
   * service) is refused either way.
   */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.optional(),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).default('Glappfri <no-reply@localhost>'),
  /**
   * When the digest of open alerts goes out: a cron line (Swedish time unless it starts with
   * CRON_TZ=…), an ISO duration counted from the Unix epoch (P1D: 00:00 UTC; PT5S), or `off`.
   * By default every morning at 07:00 Swedish time, before the working day.
   */
  DIGEST_INTERVAL: z
    .string()
    .refine((v) => v === 'off' || (isValidDuration(v) && durationToMs(v) >= 1000) || CRON_LINE.test(v.trim()), {
      message: 'an ISO 8601 duration of at least PT1S such as P1D, a cron line such as "0 7 * * *", or off',
    })
    .default('0 7 * * *'),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/**
 * The variables `schema` (envSchema or a part of it) names, parsed; an empty value counts as
 * unset. The error names each offending variable and never echoes its value.
 */
export function parseEnvWith<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Parses the environment; the error names each offending variable and never echoes its value. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = parseEnvWith(envSchema, source);
  const problems = jwksSettingProblems(env);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return env;
}
