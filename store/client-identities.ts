import type { Queryable } from './event-store';

export interface ClientIdentity {
  name: string;
  personalIdentityNumber: string | null;
}

/** First write wins: a retried "open case" must not overwrite what the first one stored. */
export async function saveClientIdentity(db: Queryable, caseId: string, id: ClientIdentity): Promise<void> {
  await db.query(
    `INSERT INTO client_identities (case_id, name, personal_identity_number) VALUES ($1, $2, $3)
     ON CONFLICT (case_id) DO NOTHING`,
    [caseId, id.name, id.personalIdentityNumber],
  );
}

export async function clientIdentity(db: Queryable, caseId: string): Promise<ClientIdentity | null> {
  const r = await db.query<{ name: string; personal_identity_number: string | null }>(
    'SELECT name, personal_identity_number FROM client_identities WHERE case_id = $1',
    [caseId],
  );
  const row = r.rows[0];
  return row ? { name: row.name, personalIdentityNumber: row.personal_identity_number } : null;
}

/**
 * Undoes {@link saveClientIdentity} for an opening that failed (Temporal down, refused): the
 * identity goes unless the case's log has begun, which happens when an earlier attempt with the
 * same case id (a retry) did open it.
 */
export async function forgetUnopenedClientIdentity(db: Queryable, caseId: string): Promise<void> {
  await db.query(
    'DELETE FROM client_identities WHERE case_id = $1 AND NOT EXISTS (SELECT 1 FROM events WHERE stream_id = $1)',
    [caseId],
  );
}
