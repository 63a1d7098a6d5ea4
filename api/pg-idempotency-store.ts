import type { Pool } from 'pg';
import { findIdempotentResponse, saveIdempotentResponse } from '../store/idempotency';
import type { IdempotencyStore } from './idempotency';

/** Idempotency-Key responses kept in PostgreSQL, so a retry reaching another API process replays too. */
export function pgIdempotencyStore(pool: Pool): IdempotencyStore {
  return {
    find: (key, userId) => findIdempotentResponse(pool, key, userId),
    async save(key, userId, requestHash, status, response, caseId) {
      await saveIdempotentResponse(pool, { key, userId, requestHash, status, response, caseId });
    },
  };
}
