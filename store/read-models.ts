import type { CaseState } from '../domain/case-state';
import { OPEN_INBOX_TASK_STATUSES } from '../domain/open-statuses';
import type { Queryable } from './event-store';
import { keysetAfter, keyText } from './keyset';
import { afterCursorSql, type LogCursor } from './log-order';

/*
 * Queries of the read models for the API's lists, inboxes and figures. The case's own exact
 * state comes from `case_states`, written in the same transaction as its events.
 */

export async function caseState(db: Queryable, caseId: string): Promise<CaseState | null> {
  const r = await db.query<{ state: CaseState }>('SELECT state FROM case_states WHERE case_id = $1', [caseId]);
  return r.rows[0]?.state ?? null;
}

/** The standing prediction that a task will be late (issue 19), as the tasks read model keeps it. */
export interface LikelyLate {
  probability: number;
  basis: 'observed' | 'prior';
  observations: number;
  medianDays: number | null;
  predictedAt: string;
}

export type TaskFilter = 'open' | 'overdue' | 'done' | 'all';

/** `open` must equal the status list of the partial index tasks_open_by_due (migration 005). */
const TASK_STATUS: Record<TaskFilter, string[]> = {
  open: [...OPEN_INBOX_TASK_STATUSES],
  overdue: [...OPEN_INBOX_TASK_STATUSES],
  done: ['completed', 'declined', 'waived'],
  all: [...OPEN_INBOX_TASK_STATUSES, 'completed', 'declined', 'waived', 'cancelled'],
};

/**
 * Where the next page of an inbox starts: the instant the first page was read (`asOf`, so that a
 * task falling overdue while the user pages does not jump back to pages already shown), then the
 * last task's deadline and id.
 */
export interface TaskKey { asOf: string; overdue: boolean; dueAt: string | null; taskId: string }

/**
 * An agency's inbox: its own tasks, for clients whose consent covers it; overdue first, then by
 * deadline, undated last. For the open filters "overdue" is exactly "due_at <= now()", so the
 * deadline order alone puts overdue first, and the page is read off tasks_open_by_due
 * (migration 005) without sorting the agency's open tasks.
 */
export async function listTasks(db: Queryable, agencyId: string, filter: TaskFilter, limit = 500, after?: TaskKey) {
  const openOnly = filter === 'open' || filter === 'overdue';
  const params: unknown[] = [agencyId, TASK_STATUS[filter], TASK_STATUS.open, filter === 'overdue', limit, after?.asOf ?? null];
  // The order's "overdue" is as of the first page; the flag shown is as of now.
  const asOf = 'coalesce($6::timestamptz, now())';
  // Never NULL: an undated task is not overdue (a NULL would sort before `true` in DESC order).
  const overdueAt = (at: string) => `(t.status = ANY($3) AND coalesce(t.due_at <= ${at}, false))`;
  const order = openOnly ? 't.due_at ASC NULLS LAST, t.task_id' : `${overdueAt(asOf)} DESC, t.due_at ASC NULLS LAST, t.task_id`;
  const due = { sql: 't.due_at', type: 'timestamptz', nullable: true };
  const id = { sql: 't.task_id', type: 'text' };
  // For the open filters overdue is exactly "due by asOf", so the deadline order alone is the order.
  const next = !after ? 'true' : openOnly
    ? keysetAfter([due, id], [after.dueAt, after.taskId], params)
    : keysetAfter([{ sql: overdueAt(asOf), type: 'boolean', desc: true }, due, id],
      [after.overdue, after.dueAt, after.taskId], params);
  const r = await db.query(
    `SELECT t.task_id, t.case_id, t.kind, t.intervention_id, t.follow_up_id, t.area, t.title, t.due_at, t.status, t.likely_late,
            ${overdueAt('now()')} AS overdue, ${overdueAt(asOf)} AS overdue_key, ${keyText('t.due_at')} AS due_key, ${keyText(asOf)} AS as_of,
            ci.name AS client_name, s.expected_release_at, s.release_date_source, s.municipality, s.coordinator_agency_id
       FROM tasks t
       JOIN case_summaries s ON s.case_id = t.case_id
       LEFT JOIN client_identities ci ON ci.case_id = t.case_id
      WHERE t.agency_id = $1 AND t.status = ANY($2) AND $1 = ANY(s.consent_agency_ids) AND s.erased_at IS NULL
        AND ($4::boolean IS FALSE OR t.due_at <= ${asOf})
        AND ${next}
      ORDER BY ${order}
      LIMIT $5`,
    params,
  );
  return r.rows.map((t) => ({
    taskId: t.task_id as string,
    caseId: t.case_id as string,
    kind: t.kind as 'intervention' | 'follow_up',
    ...(t.intervention_id ? { interventionId: t.intervention_id as string } : {}),
    ...(t.follow_up_id ? { followUpId: t.follow_up_id as string } : {}),
    ...(t.area ? { area: t.area as string } : {}),
    title: t.title as string,
    dueAt: t.due_at ? (t.due_at as Date).toISOString() : null,
    status: t.status as string,
    overdue: t.overdue as boolean,
    clientName: (t.client_name as string | null) ?? '',
    municipality: t.municipality as string,
    coordinatorAgencyId: t.coordinator_agency_id as string,
    expectedReleaseAt: t.expected_release_at ? (t.expected_release_at as Date).toISOString() : null,
    ...(t.release_date_source ? { releaseDateSource: t.release_date_source as 'kriminalvarden' | 'estimate' } : {}),
    likelyLate: (t.likely_late as LikelyLate | null) ?? null,
    sortKey: { asOf: t.as_of as string, overdue: t.overdue_key as boolean, dueAt: t.due_key as string | null, taskId: t.task_id as string } satisfies TaskKey,
  }));
}

export type AlertFilter = 'open' | 'acknowledged' | 'resolved' | 'all';

export function alertRow(a: Record<string, unknown>) {
  const iso = (d: unknown) => (d ? (d as Date).toISOString() : undefined);
  return {
    alertId: a.alert_id as string,
    caseId: a.case_id as string,
    kind: a.kind as string,
    level: a.level as number,
    ...(a.intervention_id ? { interventionId: a.intervention_id as string } : {}),
    ...(a.follow_up_id ? { followUpId: a.follow_up_id as string } : {}),
    agencyId: a.agency_id as string,
    since: iso(a.since)!,
    raisedAt: iso(a.raised_at)!,
    status: a.status as string,
    ...(a.acknowledged_at ? { acknowledgedAt: iso(a.acknowledged_at) } : {}),
    ...(a.resolved_at ? { resolvedAt: iso(a.resolved_at) } : {}),
    ...(a.resolved_reason ? { resolvedReason: a.resolved_reason as 'consent_withdrawn' | 'case_closed' } : {}),
    message: a.message as string,
  };
}
export type AlertView = ReturnType<typeof alertRow>;

/**
 * A supervisor sees an alert only while the client is visible to the agency (domain/access.ts):
 * it coordinates the case or the client's consent covers it. Must agree with canSeeCase.
 */
const SUPERVISOR_SEES_CASE = `EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = a.case_id AND s.erased_at IS NULL
  AND (s.coordinator_agency_id = $1 OR $1 = ANY(s.consent_agency_ids)))`;

/** Where the next page of alerts starts: the last alert's level, raising time and id. */
export interface AlertKey { level: number; raisedAt: string; alertId: string }

export async function listAlerts(db: Queryable, agencyId: string, filter: AlertFilter, limit = 500, after?: AlertKey) {
  const params: unknown[] = [agencyId, filter, limit];
  const next = after
    ? keysetAfter([
      { sql: 'a.level', type: 'int', desc: true }, { sql: 'a.raised_at', type: 'timestamptz', desc: true }, { sql: 'a.alert_id', type: 'text' },
    ], [after.level, after.raisedAt, after.alertId], params)
    : 'true';
  const r = await db.query(
    `SELECT a.*, ${keyText('a.raised_at')} AS raised_key FROM alerts a
      WHERE a.agency_id = $1 AND ($2 = 'all' OR a.status = $2) AND ${SUPERVISOR_SEES_CASE} AND ${next}
      ORDER BY a.level DESC, a.raised_at DESC, a.alert_id LIMIT $3`,
    params,
  );
  return r.rows.map((row) => ({
    ...alertRow(row),
    sortKey: { level: row.level as number, raisedAt: row.raised_key as string, alertId: row.alert_id as string } satisfies AlertKey,
  }));
}

/** Every alert of one case, oldest first (the client's own extract). */
export async function alertsOfCase(db: Queryable, caseId: string): Promise<AlertView[]> {
  const r = await db.query('SELECT * FROM alerts WHERE case_id = $1 ORDER BY raised_at, alert_id', [caseId]);
  return r.rows.map(alertRow);
}

export async function findAlert(db: Queryable, alertId: string): Promise<AlertView | null> {
  const r = await db.query('SELECT * FROM alerts WHERE alert_id = $1', [alertId]);
  return r.rows[0] ? alertRow(r.rows[0]) : null;
}

/**
 * Alert changes after `after` for one agency, in the feed's order (./log-order.ts): the
 * resumable feed of the live stream. Each
 * change shows the alert as it was then (its status at that change), not as it is now, so a
 * dashboard that replays several missed changes sees open → acknowledged → resolved.
 */
export async function alertChangesSince(db: Queryable, agencyId: string, after: LogCursor, limit = 200) {
  const r = await db.query(
    `SELECT c.seq::text AS change_seq, c.tx::text AS change_tx, a.*, c.status AS change_status
       FROM alert_changes c JOIN alerts a ON a.alert_id = c.alert_id
      WHERE c.agency_id = $1 AND ${afterCursorSql('c.tx', 'c.seq', 2, 3)} AND ${SUPERVISOR_SEES_CASE}
      ORDER BY c.tx, c.seq LIMIT $4`,
    [agencyId, after.tx, after.n, limit],
  );
  return r.rows.map((row) => ({ cursor: { tx: row.change_tx as string, n: row.change_seq as string } as LogCursor, alert: alertAsChanged(row) }));
}

/** The alert as one change left it (the alerts row holds its latest state): for the stream. */
export function alertAsChanged(row: Record<string, unknown>) {
  const status = row.change_status as string;
  const { acknowledgedAt, resolvedAt, ...alert } = alertRow(row);
  return {
    ...alert,
    status,
    ...(acknowledgedAt && status !== 'open' ? { acknowledgedAt } : {}),
    ...(resolvedAt && status === 'resolved' ? { resolvedAt } : {}),
  };
}

export interface CaseListFilter {
  phase?: string;
  releaseWithinDays?: number;
  hasGaps?: boolean;
  /** Whose cases: the caller's role and agency (domain/access.ts canSeeCase, as SQL). */
  viewer: { role: 'coordinator' | 'supervisor' | 'agency'; agencyId: string };
  limit?: number;
}

/** canSeeCase (domain/access.ts) as a condition on case_summaries `s`, agency in `$5`. */
const SEES_CASE = {
  coordinator: '(s.coordinator_agency_id = $5 OR s.holder_agency_id = $5 OR s.successor_agency_id = $5)',
  // `@>` rather than `= ANY(…)`, so that the GIN index on consent_agency_ids (migration 006) serves it.
  supervisor: '(s.coordinator_agency_id = $5 OR s.consent_agency_ids @> ARRAY[$5::text])',
  agency: 's.consent_agency_ids @> ARRAY[$5::text]',
} as const;

/** Where the next page of cases starts: the last case's expected release (NULL last) and id. */
export interface CaseKey { expectedReleaseAt: string | null; caseId: string }

export async function listCases(db: Queryable, f: CaseListFilter, after?: CaseKey) {
  const params: unknown[] = [f.phase ?? null, f.releaseWithinDays ?? null, f.hasGaps ?? null, f.limit ?? 500, f.viewer.agencyId];
  const next = after
    ? keysetAfter([{ sql: 's.expected_release_at', type: 'timestamptz', nullable: true }, { sql: 's.case_id', type: 'text' }],
      [after.expectedReleaseAt, after.caseId], params)
    : 'true';
  const r = await db.query(
    `SELECT s.*, ${keyText('s.expected_release_at')} AS release_key, ci.name AS client_name FROM case_summaries s
       LEFT JOIN client_identities ci ON ci.case_id = s.case_id
      WHERE ($1::text IS NULL OR s.phase = $1)
        AND ($2::int IS NULL OR (s.expected_release_at >= now() AND s.expected_release_at <= now() + make_interval(days => $2)
             AND s.phase IN ('hakte', 'anstalt', 'utslussning')))
        AND ($3::boolean IS NULL OR (s.open_gap_count > 0) = $3)
        AND ${SEES_CASE[f.viewer.role]} AND s.erased_at IS NULL
        AND ${next}
      ORDER BY s.expected_release_at ASC NULLS LAST, s.case_id
      LIMIT $4`,
    params,
  );
  return r.rows.map((s) => ({
    caseId: s.case_id as string,
    version: s.version as number,
    phase: s.phase as string,
    ...(s.measure ? { measure: s.measure as string } : {}),
    client: { name: (s.client_name as string | null) ?? '', municipality: s.municipality as string },
    riskLevel: s.risk_level as string,
    admittedAt: (s.admitted_at as Date).toISOString(),
    expectedReleaseAt: s.expected_release_at ? (s.expected_release_at as Date).toISOString() : null,
    ...(s.release_date_source ? { releaseDateSource: s.release_date_source as 'kriminalvarden' | 'estimate' } : {}),
    ...(s.released_at ? { releasedAt: (s.released_at as Date).toISOString() } : {}),
    openGapCount: s.open_gap_count as number,
    coordinatorAgencyId: s.coordinator_agency_id as string,
    sortKey: { expectedReleaseAt: s.release_key as string | null, caseId: s.case_id as string } satisfies CaseKey,
  }));
}
