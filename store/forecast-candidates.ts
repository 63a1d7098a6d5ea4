import type { CaseState } from '../domain/case-state';
import { OPEN_INTERVENTION_STATUSES } from '../domain/open-statuses';
import type { Queryable } from './event-store';

/**
 * The next cases (after `afterCaseId`, in id order) a forecast has something to say about: those
 * not yet released with required work assigned and still due, and those with a prediction
 * standing, which may have to be withdrawn. Their exact states, from `case_states`.
 */
export async function forecastCandidates(db: Queryable, afterCaseId: string, limit: number): Promise<CaseState[]> {
  const r = await db.query<{ state: CaseState }>(
    `SELECT c.state FROM case_states c
      WHERE c.case_id > $1 AND c.case_id IN (
        SELECT t.case_id FROM tasks t JOIN case_summaries s ON s.case_id = t.case_id
         WHERE s.erased_at IS NULL AND (t.likely_late IS NOT NULL OR (
           s.phase NOT IN ('frigiven', 'avslutad') AND t.kind = 'intervention' AND t.required
           AND t.agency_id IS NOT NULL AND t.assigned_at IS NOT NULL AND t.status = ANY($2) AND t.due_at > now())))
      ORDER BY c.case_id LIMIT $3`,
    [afterCaseId, [...OPEN_INTERVENTION_STATUSES], limit],
  );
  return r.rows.map((row) => row.state);
}
