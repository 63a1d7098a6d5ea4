import type { Pool } from 'pg';
import { webhookTargetRules } from '../../activities/delivery/target-guard';
import { CaseKeys } from '../../store/case-keys';
import type { ApiApp } from '../server';
import type { JourneyClient } from '../journey-client';
import { replayGuard } from '../case-service';
import { FiguresGate } from '../figures-gate';
import { keptResponses } from '../kept-responses';
import { installReadAudit } from '../read-audit';
import { installTextGuard } from '../text-guard';
import { adminRoutes } from './admin';
import { alertRoutes } from './alerts';
import { casePrivacyRoutes } from './case-privacy';
import { caseRoutes } from './cases';
import { codecRoutes } from './codec';
import { foresightRoutes } from './foresight';
import { metricsSummaryRoutes } from './metrics-summary';
import { subscriptionRoutes } from './subscriptions';
import { taskRoutes } from './tasks';

/** The contract's routes (docs/api.md) on top of the framework. */
export async function registerDomainRoutes(app: ApiApp, given: { pool: Pool; journeys: JourneyClient; keys?: CaseKeys }): Promise<void> {
  const deps = { ...given, keys: given.keys ?? CaseKeys.of(app.deps.env.MASTER_KEYS) };
  installReadAudit(app, deps.pool);
  app.decorate('replayGuard', replayGuard(deps.pool));
  app.decorate('responseStorage', keptResponses(deps));
  installTextGuard(app);
  await app.register(adminRoutes, { pool: deps.pool });
  await app.register(caseRoutes, deps);
  await app.register(casePrivacyRoutes, { pool: deps.pool, keys: deps.keys, temporal: deps.journeys.temporal });
  await app.register(taskRoutes, { pool: deps.pool, keys: deps.keys });
  await app.register(alertRoutes, { ...deps, streamsPerUser: app.deps.env.ALERT_STREAMS_PER_USER });
  const figures = FiguresGate.beside(deps.pool);
  app.addHook('onClose', () => figures.close());
  await app.register(metricsSummaryRoutes, { figures });
  await app.register(foresightRoutes, { pool: deps.pool });
  await app.register(subscriptionRoutes, { pool: deps.pool, webhookTargets: webhookTargetRules(app.deps.env) });
  await app.register(codecRoutes, { pool: deps.pool, payloadKeys: app.deps.env.PAYLOAD_KEYS, corsOrigins: app.deps.env.CODEC_CORS_ORIGINS });
}
