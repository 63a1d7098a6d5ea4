import { loadEnv } from '../config/env';
import { testDevSecret } from './dev-secret';
import { startApi, type RunningApi } from '../api/start-api';
import { contacts, directory } from './fixtures';
import { startTestStack, type TestStack } from './stack';

export interface ApiTestStack extends TestStack {
  api: RunningApi;
  /** A dev token for the given identity. */
  token(claims: { sub: string; role: string; agencyId?: string; name?: string }): Promise<string>;
  /** fetch against the API with a bearer token and JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response shapes field by field
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** fetch against `baseUrl` with an optional bearer token and JSON body; keeps the raw text too. */
export function caller(baseUrl: string) {
  return async (method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response shapes field by field
    return { status: res.status, body: body as any, headers: res.headers, text };
  };
}

/**
 * The suites drive one user far faster than a person does (the fuzz test: hundreds of commands a
 * minute): limits high enough never to bite, still in the path. test/api-framework tests them.
 */
export const TEST_RATE_LIMITS = { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000' };

export interface ApiTestStackOptions {
  /**
   * An administrator's token for registering the directory, for an API not in dev mode
   * (AUTH_MODE=jwks in `extraEnv`), where `token()` has no dev tokens to give.
   */
  adminToken?: () => Promise<string>;
}

/**
 * The real API on a free port, over the real worker, Temporal and PostgreSQL of startTestStack;
 * `extraEnv` adds or overrides API settings (METRICS_PORT…).
 */
export async function startApiTestStack(extraEnv: Record<string, string> = {}, opts: ApiTestStackOptions = {}): Promise<ApiTestStack> {
  const stack = await startTestStack();
  const env = loadEnv({
    AUTH_MODE: 'dev', AUTH_DEV_SECRET: testDevSecret(), API_PORT: '0', LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE: stack.taskQueue, ...TEST_RATE_LIMITS,
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS, MASTER_KEYS: process.env.MASTER_KEYS, WEBHOOK_ALLOW_PRIVATE: process.env.WEBHOOK_ALLOW_PRIVATE, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, DATABASE_URL: stack.databaseUrl,
    ...extraEnv,
  });
  const api = await startApi(env, { pool: stack.pool });
  const call = caller(api.url);
  const token: ApiTestStack['token'] = async (claims) => {
    if (env.AUTH_MODE !== 'dev') throw new Error('no dev tokens: the API is not in AUTH_MODE=dev');
    return (await call('POST', '/v1/dev/tokens', { body: claims })).body.token;
  };
  const admin = opts.adminToken ? await opts.adminToken() : await token({ sub: 'admin', role: 'admin' });
  for (const a of directory) {
    const { agencyId, ...body } = a;
    const put = await call('PUT', `/v1/agencies/${agencyId}`, { token: admin, body: { ...body, ...(contacts[agencyId] ? { contact: contacts[agencyId] } : {}) } });
    if (put.status !== 200) throw new Error(`register ${agencyId}: ${put.status} ${JSON.stringify(put.body)}`);
  }
  return {
    ...stack,
    api,
    token,
    call,
    async close() {
      await api.close();
      await stack.close();
    },
  };
}
