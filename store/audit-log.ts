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
  /** HTTP status answered; denied reads (403) are recorded too. */
  status: number;
  /** Defaults to the database's now(). */
  at?: string;
}

/** Records a read in `audit_reads`. Rows are never updated (enforced by a trigger). */
export async function recordRead(db: Queryable, entry: ReadAuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_reads (at, user_id, role, agency_id, case_id, route, method, status)
     VALUES (coalesce($1::timestamptz, now()), $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.at ?? null,
      entry.userId,
      entry.role,
      entry.agencyId ?? null,
      entry.caseId ?? null,
      entry.route,
      entry.method.toUpperCase(),
      entry.status,
    ],
  );
}
