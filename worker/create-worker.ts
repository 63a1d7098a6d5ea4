import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from '../activities/journey-activities';
import { createDelivery } from '../activities/delivery/delivery-activities';
import { ensureDigestSchedule } from '../activities/delivery/schedule';
import { deliverySettingsFromEnv, type DeliverySettings } from '../activities/delivery/settings';
import { createForecasting } from '../activities/forecast/forecast-activities';
import { ensureForecastSchedule } from '../activities/forecast/schedule';
import { createHousekeeping } from '../activities/housekeeping/housekeeping-activities';
import { ensureHousekeepingSchedule } from '../activities/housekeeping/schedule';
import { housekeepingSettingsFromEnv, type HousekeepingSettings } from '../activities/housekeeping/settings';
import { CaseKeys } from '../store/case-keys';
import { envSchema, parseEnvWith } from '../config/env';

const forecastIntervalFromEnv = () => parseEnvWith(envSchema.pick({ FORECAST_INTERVAL: true }), process.env).FORECAST_INTERVAL;

export interface WorkerConfig {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** Encrypts what Temporal stores (config/payload-codec.ts dataConverterFor); the same as the clients'. */
  dataConverter: DataConverter;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxCachedWorkflows?: number;
  deliver?: ActivityDeps['deliver'];
  /** Seals the texts of each case's events; from MASTER_KEYS when not given. */
  keys?: CaseKeys;
  /** A prebuilt bundle saves the seconds webpack needs per worker (tests build it once). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Which patches this worker may switch on for work it runs live (SDK option, experimental):
   * lets a rolling upgrade hold a patch back until every worker knows it. Tests use it to run
   * the code as it behaved before a patch. All patches are on when not given.
   */
  patchActivationCallback?: WorkerOptions['patchActivationCallback'];
  /** Webhooks, e-mail and the digest schedule; read from the environment (SMTP_*, DIGEST_INTERVAL, PUBLIC_BASE_URL) when not given. */
  delivery?: DeliverySettings;
  /** Retention and purge (CASE_RETENTION, IDEMPOTENCY_RETENTION, HOUSEKEEPING_INTERVAL); from the environment when not given. */
  housekeeping?: HousekeepingSettings;
  /** FORECAST_INTERVAL: how often predicted gaps are refreshed, or `off`; from the environment when not given. */
  forecastInterval?: string;
}

let warnedNoSmtp = false;

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createWorker(cfg: WorkerConfig): Promise<Worker> {
  const settings = cfg.delivery ?? deliverySettingsFromEnv();
  const delivery = createDelivery({ pool: cfg.pool, settings });
  const keys = cfg.keys ?? CaseKeys.fromEnv();
  const upkeep = cfg.housekeeping ?? housekeepingSettingsFromEnv();
  if (!delivery.emailEnabled && !warnedNoSmtp) {
    warnedNoSmtp = true;
    Runtime.instance().logger.warn('SMTP_HOST is not set: e-mail subscriptions are not delivered (webhooks are)');
  }
  const worker = await Worker.create({
    connection: cfg.connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    dataConverter: cfg.dataConverter,
    ...(cfg.workflowBundle ? { workflowBundle: cfg.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: { ...createActivities({ pool: cfg.pool, keys, deliver: cfg.deliver, dispatch: delivery.dispatch }),
      ...delivery.activities,
      ...createHousekeeping({ pool: cfg.pool, keys, settings: upkeep }),
      ...createForecasting({ pool: cfg.pool }),
    },
    maxConcurrentWorkflowTaskExecutions: cfg.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions: cfg.maxConcurrentActivityTaskExecutions,
    maxCachedWorkflows: cfg.maxCachedWorkflows,
    ...(cfg.patchActivationCallback ? { patchActivationCallback: cfg.patchActivationCallback } : {}),
    shutdownGraceTime: '10 seconds',
  });
  try {
    // Idempotent: every worker start brings the digest schedule to DIGEST_INTERVAL.
    if (worker.client) await ensureDigestSchedule(worker.client, { taskQueue: cfg.taskQueue, interval: settings.digestInterval });
  } catch (err) {
    // Alerts matter more than the digest: the worker runs on, and says so.
    Runtime.instance().logger.warn('the digest schedule could not be created or updated', { error: String(err) });
  }
  try {
    if (worker.client) await ensureHousekeepingSchedule(worker.client, { taskQueue: cfg.taskQueue, interval: upkeep.interval });
  } catch (err) {
    // Erasures wait for the next start or run; cases' deadlines do not.
    Runtime.instance().logger.warn('the housekeeping schedule could not be created or updated', { error: String(err) });
  }
  try {
    const interval = cfg.forecastInterval ?? forecastIntervalFromEnv();
    if (worker.client) await ensureForecastSchedule(worker.client, { taskQueue: cfg.taskQueue, interval });
  } catch (err) {
    // Predictions wait for the next start; the deadlines themselves do not depend on them.
    Runtime.instance().logger.warn('the forecast schedule could not be created or updated', { error: String(err) });
  }
  return worker;
}
