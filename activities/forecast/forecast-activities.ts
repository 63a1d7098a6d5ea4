import { Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { forecastPolicyOf, leadTimeLookup, type ForecastPolicy } from '../../domain/forecast';
import { forecastEvents, predictedGaps } from '../../domain/predicted-gaps';
import { forecastCandidates } from '../../store/forecast-candidates';
import { leadTimeRecordsFrom } from '../../store/lead-times';
import { caseWorkflowId, forecastUpdate } from '../../workflows/messages';

export interface ForecastActivities {
  /**
   * Measures every agency's lead times per area from the log, forecasts each case's open
   * required work under its pinned policy's `forecast`, and tells the cases whose predictions
   * change. `cases`: looked at; `told`: sent a forecast; `recorded`: events the cases recorded;
   * `failed`: cases that could not be told now (the next run tries again).
   */
  refreshForecasts(): Promise<{ cases: number; told: number; recorded: number; failed: number }>;
}

const BATCH = 200;

export function createForecasting(deps: { pool: Pool }): ForecastActivities {
  return {
    async refreshForecasts() {
      const temporal = Context.current().client;
      const now = Date.now();
      const asOf = new Date(now).toISOString();
      const records = await leadTimeRecordsFrom(deps.pool);
      // Policies rarely differ in their forecast section: one lookup per distinct section.
      const lookups = new Map<string, ReturnType<typeof leadTimeLookup>>();
      const lookupFor = (policy: ForecastPolicy) => {
        const key = JSON.stringify(policy);
        let l = lookups.get(key);
        if (!l) lookups.set(key, (l = leadTimeLookup(records, now, policy)));
        return l;
      };
      let cases = 0, told = 0, recorded = 0, failed = 0;
      for (let after = ''; ;) {
        const batch = await forecastCandidates(deps.pool, after, BATCH);
        if (batch.length === 0) break;
        after = batch[batch.length - 1]!.caseId;
        for (const s of batch) {
          cases += 1;
          const policy = forecastPolicyOf(s.policy.body.forecast);
          const predicted = predictedGaps(s, lookupFor(policy), now, policy);
          // The same check the case makes: most cases have nothing new to hear.
          if (forecastEvents(s, predicted, asOf).length === 0) continue;
          try {
            const r = await temporal.workflow.getHandle(caseWorkflowId(s.caseId)).executeUpdate(forecastUpdate, { args: [{ asOf, predicted }] });
            told += 1;
            recorded += r.recorded;
          } catch (err) {
            // A case whose workflow has ended has nothing left to forecast.
            if (!(err instanceof WorkflowNotFoundError)) failed += 1;
          }
        }
        Context.current().heartbeat(cases);
      }
      // Counts only: never which client.
      log.info('forecast refreshed', { cases, told, recorded, failed, records: records.length });
      return { cases, told, recorded, failed };
    },
  };
}
