import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { CaseKeys } from '../store/case-keys';
import { eraseCaseData, markHistoryDeleted, recordErasureRequest, type ErasureRequest } from '../store/erase-case-data';
import { deleteCaseHistory, endCaseWorkflow } from './case-history';

export interface ErasureDeps {
  pool: Pool;
  keys: CaseKeys;
  temporal: Client;
}

/**
 * Erases a client (GDPR art. 17), the same way for a case opened in error and for one whose
 * retention ran out: the intent is recorded first; then the workflow is ended, the PostgreSQL
 * part done in one transaction (store/erase-case-data.ts) and every run's Temporal history
 * deleted. Each step is safe to repeat, and an erasure cut short by an outage is finished by the
 * housekeeping schedule, so a failure after the first step delays the erasure, never loses it.
 */
export async function eraseCase(deps: ErasureDeps, caseId: string, req: ErasureRequest): Promise<void> {
  await recordErasureRequest(deps.pool, caseId, req);
  await finishErasure(deps, caseId, req);
}

export async function finishErasure(deps: ErasureDeps, caseId: string, req: ErasureRequest): Promise<void> {
  await endCaseWorkflow(deps.temporal, caseId);
  await eraseCaseData(deps.pool, deps.keys, caseId, req);
  await deleteCaseHistory(deps.temporal, caseId);
  await markHistoryDeleted(deps.pool, caseId);
}
