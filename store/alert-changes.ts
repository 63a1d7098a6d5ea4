import type { Queryable } from './event-store';
import { afterCursorSql, type LogCursor } from './log-order';
import { alertAsChanged, type AlertView } from './read-models';

export interface AlertChange {
  /** Where the change stands in the feed (./log-order.ts): its SSE id. */
  cursor: LogCursor;
  /** The agency the alert is addressed to. */
  agencyId: string;
  /** Whether that agency still sees the client (coordinates the case, or consent covers it). */
  visible: boolean;
  alert: AlertView;
}

/**
 * Every agency's alert changes after `after`, in the feed's order (and only those that are
 * final: no change can later appear before them), each with whether its addressee may
 * still see the client: what one shared poller needs to feed every open stream of the process.
 * The visibility test is SUPERVISOR_SEES_CASE of ./read-models.ts with the change's own agency,
 * and must agree with canSeeCase (domain/access.ts).
 */
export async function alertChangesOfEveryAgency(db: Queryable, after: LogCursor, limit = 500): Promise<AlertChange[]> {
  const r = await db.query(
    `SELECT c.seq::text AS change_seq, c.tx::text AS change_tx, c.agency_id AS change_agency_id, a.*, c.status AS change_status,
            EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = a.case_id AND s.erased_at IS NULL
                      AND (s.coordinator_agency_id = c.agency_id OR c.agency_id = ANY(s.consent_agency_ids))) AS visible
       FROM alert_changes c JOIN alerts a ON a.alert_id = c.alert_id
      WHERE ${afterCursorSql('c.tx', 'c.seq', 1, 2)} ORDER BY c.tx, c.seq LIMIT $3`,
    [after.tx, after.n, limit],
  );
  return r.rows.map((row) => ({
    cursor: { tx: row.change_tx as string, n: row.change_seq as string },
    agencyId: row.change_agency_id as string,
    visible: row.visible as boolean,
    alert: alertAsChanged(row),
  }));
}

/**
 * Where a fresh subscriber starts: just before the oldest transaction still in flight. Every
 * change committed after this call comes after it; so may a few committed just before (sent
 * again, harmless), never one that is missed.
 */
export async function alertFeedHead(db: Queryable): Promise<LogCursor> {
  const r = await db.query<{ tx: string }>('SELECT log_watermark()::text AS tx');
  return { tx: r.rows[0]!.tx, n: '0' };
}
