import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { CaseKeys } from '../store/case-keys';
import { eraseCaseData, markHistoryDeleted, recordErasureRequest, type ErasureRequest } from '../store/erase-case-data';
import { caseHistoryGone, deleteCaseHistory } from './case-history';

export interface ErasureDeps {
  pool: Pool;
  keys: CaseKeys;
  temporal: Client;
}

/**
 * Erases a client (GDPR art. 17), the same way for a case opened in error and for one whose
 * retention ran out: the intent is recorded first; then the workflow is terminated and every run
 * of it deleted from Temporal, and the PostgreSQL part done in one transaction
 * (store/erase-case-data.ts). Temporal deletes closed runs asynchronously: the erasure counts as
 * finished once none is left, which the housekeeping schedule checks and asks for again. Each
 * step is safe to repeat, so a failure after the first one delays the erasure, never loses it.
 */
export async function eraseCase(deps: ErasureDeps, caseId: string, req: ErasureRequest): Promise<boolean> {
  await recordErasureRequest(deps.pool, caseId, req);
  return finishErasure(deps, caseId, req);
}

/** Returns whether Temporal already holds nothing of the case (else the schedule looks again). */
export async function finishErasure(deps: ErasureDeps, caseId: string, req: ErasureRequest): Promise<boolean> {
  await deleteCaseHistory(deps.temporal, caseId);
  await eraseCaseData(deps.pool, deps.keys, caseId, req);
  if (!(await caseHistoryGone(deps.temporal, caseId))) return false;
  await markHistoryDeleted(deps.pool, caseId);
  return true;
}
