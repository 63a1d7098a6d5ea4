import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadEnv } from '../config/env';
import { dataConverterFor } from '../config/payload-codec';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { estimateLeadTimes } from '../domain/forecast';
import { leadTimeKey, observationsAt } from '../domain/lead-times';
import { quantile } from '../domain/survival';
import { leadTimeRecordsFrom } from '../store/lead-times';
import { productForecastPolicy } from '../store/policies';
import { createPool } from '../store/pool';
import type { forecastRefresh } from '../workflows/forecast-refresh';
import { localPayloadKeys } from './local-payload-keys';
import { runMain } from './run-main';
import { PROJECT_ROOT } from './temporal-cli';

/**
 * `npm run forecast`: every agency's lead times per need area as the log has them now (what
 * `GET /v1/forecast/lead-times` gives a coordinator), from DATABASE_URL (else `npm start`'s).
 * `npm run forecast -- --refresh`: also forecasts every case now, as the hourly schedule does,
 * through the running workers (TEMPORAL_ADDRESS), and prints what the cases recorded.
 * Aggregates and counts only: nothing here names a client.
 */
export interface LeadTimeRow {
  agencyId: string;
  area: string;
  observations: number;
  completed: number;
  basis: 'observed' | 'prior';
  medianDays: number | null;
  p90Days: number | null;
}

export async function leadTimeTable(pool: Pool, now = Date.now()): Promise<LeadTimeRow[]> {
  const [records, policy] = await Promise.all([leadTimeRecordsFrom(pool), productForecastPolicy(pool)]);
  const observed = observationsAt(records, now, policy.windowDays);
  return estimateLeadTimes(records, now, policy).map((e) => {
    const obs = observed.get(leadTimeKey(e.agencyId, e.area)) ?? [];
    return {
      agencyId: e.agencyId, area: e.area, observations: obs.length, completed: obs.filter((o) => o.completed).length, basis: e.basis,
      medianDays: e.medianDays, p90Days: e.basis === 'observed' ? quantile(e.curve, 0.9) : null,
    };
  });
}

/** Runs one forecast of every case now, on the workers of `taskQueue`, and waits for it. */
export async function refreshNow(client: Client, taskQueue: string): Promise<Awaited<ReturnType<typeof forecastRefresh>>> {
  return client.workflow.execute<typeof forecastRefresh>('forecastRefresh', {
    taskQueue, workflowId: `forecast-now-${taskQueue}-${Date.now()}`, args: [],
  });
}

const LOCAL_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5433/glappfri';
const days = (d: number | null) => (d === null ? '–' : d.toFixed(1));

async function main(): Promise<void> {
  // Against `npm start`'s stack unless told otherwise: its database (below) and, for --refresh,
  // the payload keys it made in DATA_DIR (never new ones: those would read nothing).
  const dataDir = path.resolve(PROJECT_ROOT, process.env.DATA_DIR ?? '.data');
  const localKeys = path.join(dataDir, 'payload-keys');
  const payloadKeys = process.env.PAYLOAD_KEYS ?? (existsSync(localKeys) ? localPayloadKeys(dataDir, () => undefined) : undefined);
  const env = loadEnv({ AUTH_MODE: 'dev', ...process.env, ...(payloadKeys ? { PAYLOAD_KEYS: payloadKeys } : {}) });
  // The local stack's own (npm start) unless told otherwise, as TEMPORAL_ADDRESS is its dev server's.
  const url = process.env.DATABASE_URL ?? LOCAL_DATABASE_URL;
  if (process.argv.includes('--refresh')) {
    const connection = await Connection.connect(temporalConnectionOptions(env));
    try {
      const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
      const r = await refreshNow(client, env.TEMPORAL_TASK_QUEUE);
      console.log(`forecast: ${r.cases} case(s) looked at, ${r.told} told, ${r.recorded} event(s) recorded, ${r.failed} to try again`);
    } finally {
      await connection.close();
    }
  }
  const pool = createPool(url, { applicationName: 'glappfri-forecast', max: 2 });
  try {
    const rows = await leadTimeTable(pool);
    console.log(['agency', 'area', 'observations', 'completed', 'basis', 'median days', 'p90 days'].join('\t'));
    for (const r of rows) console.log([r.agencyId, r.area, r.observations, r.completed, r.basis, days(r.medianDays), days(r.p90Days)].join('\t'));
    if (rows.length === 0) console.log('(no assigned interventions in the log yet)');
  } finally {
    await pool.end();
  }
}

if (require.main === module) runMain(main);
