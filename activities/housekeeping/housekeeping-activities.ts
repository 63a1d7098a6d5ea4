import { Context, log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { addDuration } from '../../domain/duration';
import { eraseCase, finishErasure } from '../../erasure/erase-case';
import type { CaseKeys } from '../../store/case-keys';
import { casesPastRetention, unfinishedErasures } from '../../store/erase-case-data';
import { purgeIdempotencyKeys } from '../../store/idempotency';
import type { HousekeepingSettings } from './settings';

export interface HousekeepingActivities {
  /**
   * Erases the clients of cases closed longer than CASE_RETENTION, and finishes erasures cut
   * short or whose Temporal history was still being deleted. `finished`: erasures now complete.
   */
  eraseDueCases(): Promise<{ erased: number; finished: number }>;
  /** Deletes stored Idempotency-Key responses older than IDEMPOTENCY_RETENTION. */
  purgeIdempotencyKeys(): Promise<number>;
}

const before = (retention: string) => new Date(addDuration(Date.now(), retention, -1)).toISOString();

export function createHousekeeping(deps: { pool: Pool; keys: CaseKeys; settings: HousekeepingSettings }): HousekeepingActivities {
  return {
    async eraseDueCases() {
      const temporal = Context.current().client;
      const erasure = { pool: deps.pool, keys: deps.keys, temporal };
      let finished = 0;
      for (const e of await unfinishedErasures(deps.pool)) {
        if (await finishErasure(erasure, e.caseId, e)) finished += 1;
      }
      let erased = 0;
      if (deps.settings.caseRetention !== 'off') {
        for (const caseId of await casesPastRetention(deps.pool, before(deps.settings.caseRetention))) {
          await eraseCase(erasure, caseId, { reason: 'retention', requestedBy: 'system:retention' });
          erased += 1;
          Context.current().heartbeat(erased);
        }
      }
      // Counts only: never which client.
      if (erased + finished > 0) log.info('erasures', { erased, finished });
      return { erased, finished };
    },

    async purgeIdempotencyKeys() {
      return purgeIdempotencyKeys(deps.pool, before(deps.settings.idempotencyRetention));
    },
  };
}
