import { CaseKeys } from '../store/case-keys';
import { sealPlainIdentityNumbers } from '../store/client-identities';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Env } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { ensureDefaultPolicy } from '../store/policies';
import { orUnavailable } from './case-service';
import { readCaseFrom } from './case-after-command';
import { JourneyClient } from './journey-client';
import { pgIdempotencyStore } from '../store/idempotency';
import { isProblemError, safeErrorForLog } from './problem';
import { registerDomainRoutes } from './routes';
import { buildServer, type ApiApp } from './server';
import { webUiRoutes } from '../ui/serve-ui';

export interface RunningApi {
  app: ApiApp;
  url: string;
  /** Where `/metrics` is served: on the API's port, or on METRICS_PORT. */
  metricsUrl: string;
  journeys: JourneyClient;
  close(): Promise<void>;
}

const DEFAULT_POLICY_RETRY_MS = 2_000;

/** Builds and starts the API on API_HOST:API_PORT (port 0 picks a free one, for tests). */
export async function startApi(env: Env, opts: { pool: Pool; temporalAddress?: string }): Promise<RunningApi> {
  const { pool } = opts;
  // "A policy `default` always exists". With PostgreSQL down the API still starts (readyz and
  // commands answer 503, as with Temporal down) and publishes the default once it can.
  let defaultPolicyPending = false;
  const keys = CaseKeys.of(env.MASTER_KEYS);
  // Identity numbers stored before they were sealed are sealed now (a no-op once done).
  const prepare = async () => {
    await ensureDefaultPolicy(pool);
    await sealPlainIdentityNumbers(pool, keys);
  };
  try {
    await orUnavailable(prepare);
  } catch (err) {
    if (!(isProblemError(err) && err.status === 503)) throw err;
    defaultPolicyPending = true;
  }
  // Lazy: the API starts, and answers 503, while Temporal is still on its way up.
  const connection = Connection.lazy(temporalConnectionOptions(env, opts.temporalAddress));
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
  const journeys = new JourneyClient(client, env.TEMPORAL_TASK_QUEUE, readCaseFrom(pool));
  const app = await buildServer({
    env,
    pool,
    temporal: client,
    idempotency: pgIdempotencyStore(pool),
    checks: {
      temporal: async () => {
        await connection.workflowService.getSystemInfo({});
      },
      postgres: async () => {
        await pool.query('SELECT 1');
      },
    },
    registerRoutes: (app) => registerDomainRoutes(app, { pool, journeys, keys }),
  });
  // The web interface (ui/dist) at `/`; it never shadows the API's own paths.
  await app.register(webUiRoutes);
  let retry: NodeJS.Timeout | undefined;
  const ensureLater = () => {
    retry = setTimeout(() => {
      prepare().then(
        () => app.log.info('default policy ensured'),
        (err: unknown) => {
          app.log.warn({ err: safeErrorForLog(err) }, 'default policy not ensured yet; retrying');
          ensureLater();
        },
      );
    }, DEFAULT_POLICY_RETRY_MS);
    retry.unref();
  };
  if (defaultPolicyPending) {
    app.log.warn('PostgreSQL unreachable at start-up: the default policy is ensured once it answers');
    ensureLater();
  }
  await app.listen({ host: env.API_HOST, port: env.API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.API_PORT;
  let metricsUrl = `http://${env.API_HOST}:${port}`;
  if (app.metricsServer) {
    try {
      metricsUrl = await app.metricsServer.listen({ host: env.METRICS_HOST, port: env.METRICS_PORT ?? 0 });
    } catch (err) {
      // E.g. the port is taken: no API half started.
      clearTimeout(retry);
      await app.close();
      await connection.close();
      throw err;
    }
  }
  return {
    app,
    url: `http://${env.API_HOST}:${port}`,
    metricsUrl: `${metricsUrl}/metrics`,
    journeys,
    async close() {
      clearTimeout(retry);
      await app.close();
      await connection.close();
    },
  };
}
