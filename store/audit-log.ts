import type { Queryable } from './event-store';

/** One read of personal data: who, in which capacity, what, and with what outcome. */
export interface ReadAuditEntry {
  userId: string;
  role: string;
  agencyId?: string | null;
  /** The case read, when the route is about one case. */
  caseId?: string | null;
  /** The route pattern (`/cases/:caseId`), not the raw URL, so no query string leaks in. */
  route: string;
  method: string;
  /** HTTP status answered; denied reads (403, 404) are recorded too. */
  status: number;
  /** What was shown: `case`, `events`, `case-list`, `tasks`, `alerts`, `alert-stream`, `access-log`, `command`. */
  what?: string | null;
  /** Defaults to the database's now(). */
  at?: string;
}

/** Records a read in `audit_reads`. Rows are never updated (enforced by a trigger). */
export async function recordRead(db: Queryable, entry: ReadAuditEntry): Promise<void> {
  await recordReads(db, { ...entry, caseIds: [entry.caseId ?? null] });
}

/**
 * One row per case shown, in one statement: a list page of 500 cases is one INSERT. The rows
 * are written before the data leaves; a failure here means the data is not served.
 */
export async function recordReads(db: Queryable, entry: Omit<ReadAuditEntry, 'caseId'> & { caseIds: readonly (string | null)[] }): Promise<void> {
  if (entry.caseIds.length === 0) return;
  await db.query(
    `INSERT INTO audit_reads (at, user_id, role, agency_id, case_id, route, method, status, what)
     SELECT coalesce($1::timestamptz, now()), $2, $3, $4, c, $6, $7, $8, $9 FROM unnest($5::text[]) AS c`,
    [
      entry.at ?? null,
      entry.userId,
      entry.role,
      entry.agencyId ?? null,
      entry.caseIds,
      entry.route,
      entry.method.toUpperCase(),
      entry.status,
      entry.what ?? null,
    ],
  );
}

export interface AccessLogEntry {
  at: string;
  sub: string;
  role: string;
  agencyId: string | null;
  what: string;
}

/** Who read this client's data, newest first: the extract a client may ask for. */
export async function accessLog(db: Queryable, caseId: string, limit = 1000): Promise<AccessLogEntry[]> {
  const r = await db.query<{ at: Date; user_id: string; role: string; agency_id: string | null; what: string | null; route: string; method: string }>(
    `SELECT at, user_id, role, agency_id, what, route, method FROM audit_reads
      WHERE case_id = $1 AND status < 400 ORDER BY at DESC, id DESC LIMIT $2`,
    [caseId, limit],
  );
  return r.rows.map((row) => ({
    at: row.at.toISOString(),
    sub: row.user_id,
    role: row.role,
    agencyId: row.agency_id,
    what: row.what ?? `${row.method} ${row.route}`,
  }));
}

/** One reader and one case, as in a batch of {@link recordReadsOfMany}. */
export interface BatchedRead {
  userId: string;
  role: string;
  agencyId: string | null;
  caseId: string;
}

/**
 * Reads of several people at once, in one statement: one poll of the shared alert feed shows a
 * change to every open stream of the agency, and writes one row per reader and case.
 */
export async function recordReadsOfMany(
  db: Queryable,
  reads: readonly BatchedRead[],
  common: { route: string; method: string; status: number; what: string },
): Promise<void> {
  if (reads.length === 0) return;
  await db.query(
    `INSERT INTO audit_reads (at, user_id, role, agency_id, case_id, route, method, status, what)
     SELECT now(), u, r, a, c, $5, $6, $7, $8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(u, r, a, c)`,
    [
      reads.map((x) => x.userId),
      reads.map((x) => x.role),
      reads.map((x) => x.agencyId),
      reads.map((x) => x.caseId),
      common.route,
      common.method.toUpperCase(),
      common.status,
      common.what,
    ],
  );
}
