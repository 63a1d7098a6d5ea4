import type { LeadTimeRecord } from '../domain/lead-times';
import type { Area } from '../domain/schemas/vocabulary';
import type { Queryable } from './event-store';

/**
 * The lead-time records of every assigned intervention, from the tasks read model (one row per
 * intervention, as its case's state has it): `agencyId` keeps one agency's only. Cancelled work
 * is left out, as `domain/lead-times.ts` explains; declined and waived work ended at `completed_at`.
 */
export async function leadTimeRecordsFrom(db: Queryable, agencyId?: string): Promise<LeadTimeRecord[]> {
  const r = await db.query<{ agency_id: string; area: Area; status: string; assigned_at: Date; completed_at: Date | null }>(
    `SELECT agency_id, area, status, assigned_at, completed_at FROM tasks
      WHERE kind = 'intervention' AND agency_id IS NOT NULL AND area IS NOT NULL AND assigned_at IS NOT NULL
        AND status <> 'cancelled' AND ($1::text IS NULL OR agency_id = $1)`,
    [agencyId ?? null],
  );
  return r.rows.map((row) => {
    const rec: LeadTimeRecord = { agencyId: row.agency_id, area: row.area, assignedAt: row.assigned_at.getTime() };
    if (row.completed_at && row.status === 'completed') rec.completedAt = row.completed_at.getTime();
    else if (row.completed_at && (row.status === 'declined' || row.status === 'waived')) rec.endedAt = row.completed_at.getTime();
    return rec;
  });
}
