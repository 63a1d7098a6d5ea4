import type { Queryable } from './event-store';
import { alertAsChanged, type AlertView } from './read-models';

export interface AlertChange {
  seq: number;
  /** The agency the alert is addressed to. */
  agencyId: string;
  /** Whether that agency still sees the client (coordinates the case, or consent covers it). */
  visible: boolean;
  alert: AlertView;
}

/**
 * Every agency's alert changes after `afterSeq`, in order, each with whether its addressee may
 * still see the client: what one shared poller needs to feed every open stream of the process.
 * The visibility test is SUPERVISOR_SEES_CASE of ./read-models.ts with the change's own agency,
 * and must agree with canSeeCase (domain/access.ts).
 */
export async function alertChangesOfEveryAgency(db: Queryable, afterSeq: number, limit = 500): Promise<AlertChange[]> {
  const r = await db.query(
    `SELECT c.seq, c.agency_id AS change_agency_id, a.*, c.status AS change_status,
            EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = a.case_id AND s.erased_at IS NULL
                      AND (s.coordinator_agency_id = c.agency_id OR c.agency_id = ANY(s.consent_agency_ids))) AS visible
       FROM alert_changes c JOIN alerts a ON a.alert_id = c.alert_id
      WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
    [afterSeq, limit],
  );
  return r.rows.map((row) => ({
    seq: Number(row.seq),
    agencyId: row.change_agency_id as string,
    visible: row.visible as boolean,
    alert: alertAsChanged(row),
  }));
}

/** The newest change's number (0 when there is none): where a fresh subscriber starts. */
export async function latestAlertChange(db: Queryable): Promise<number> {
  const r = await db.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM alert_changes');
  return Number(r.rows[0]?.seq ?? 0);
}
