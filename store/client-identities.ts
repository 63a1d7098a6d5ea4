import { birthDateOf } from '../domain/personal-identity-number';
import type { CaseKeys } from './case-keys';
import type { Queryable } from './event-store';
import { openText, sealText, textKey } from './sealed-text';

export interface ClientIdentity {
  name: string;
  personalIdentityNumber: string | null;
}

const PIN_FIELD = 'personalIdentityNumber';

/**
 * First write wins: a retried "open case" must not overwrite what the first one stored. The
 * personal identity number is sealed with the case's own key (gone at erasure) and kept with a
 * keyed hash for lookups; the name stays readable here, the one erasable place it lives in.
 */
export async function saveClientIdentity(db: Queryable, keys: CaseKeys, caseId: string, id: ClientIdentity): Promise<void> {
  const pin = id.personalIdentityNumber;
  // Also what refuses (CaseErasedError) to bring back an erased case under its old id.
  const key = textKey(await keys.forWriting(db, caseId));
  const sealed = pin ? sealText(key, PIN_FIELD, pin) : null;
  await db.query(
    `INSERT INTO client_identities (case_id, name, personal_identity_number_sealed, personal_identity_number_hash)
     VALUES ($1, $2, $3, $4) ON CONFLICT (case_id) DO NOTHING`,
    [caseId, id.name, sealed, pin ? keys.lookupHashes(pin)[0] : null],
  );
}

interface Row {
  case_id: string;
  name: string;
  personal_identity_number: string | null;
  personal_identity_number_sealed: string | null;
}

export async function clientIdentity(db: Queryable, keys: CaseKeys, caseId: string): Promise<ClientIdentity | null> {
  const r = await db.query<Row>(
    'SELECT case_id, name, personal_identity_number, personal_identity_number_sealed FROM client_identities WHERE case_id = $1',
    [caseId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const sealed = row.personal_identity_number_sealed;
  if (!sealed) return { name: row.name, personalIdentityNumber: row.personal_identity_number };
  const key = (await keys.forReading(db, [caseId])).get(caseId);
  return { name: row.name, personalIdentityNumber: key ? openText(textKey(key), PIN_FIELD, sealed) : null };
}

/**
 * The clients' birth dates (YYYY-MM-DD) for a list of cases, from their sealed numbers: only the
 * date leaves here. A case without a number, or whose key is gone (erased), is absent.
 */
export async function birthDatesOf(db: Queryable, keys: CaseKeys, caseIds: readonly string[]): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  if (caseIds.length === 0) return dates;
  const r = await db.query<Row>(
    `SELECT case_id, name, personal_identity_number, personal_identity_number_sealed FROM client_identities
      WHERE case_id = ANY($1) AND (personal_identity_number IS NOT NULL OR personal_identity_number_sealed IS NOT NULL)`,
    [[...new Set(caseIds)]],
  );
  const caseKeys = await keys.forReading(db, r.rows.filter((row) => row.personal_identity_number_sealed).map((row) => row.case_id));
  for (const row of r.rows) {
    const key = caseKeys.get(row.case_id);
    const sealed = row.personal_identity_number_sealed;
    const pin = sealed ? (key ? openText(textKey(key), PIN_FIELD, sealed) : null) : row.personal_identity_number;
    const date = pin ? birthDateOf(pin) : null;
    if (date) dates.set(row.case_id, date);
  }
  return dates;
}

/**
 * Identities stored before numbers were sealed (plain `personal_identity_number`) are sealed
 * and the plain column emptied; run at every API start, a no-op once done. Returns how many.
 */
export async function sealPlainIdentityNumbers(db: Queryable, keys: CaseKeys): Promise<number> {
  const r = await db.query<{ case_id: string; personal_identity_number: string }>(
    'SELECT case_id, personal_identity_number FROM client_identities WHERE personal_identity_number IS NOT NULL',
  );
  for (const row of r.rows) {
    const pin = row.personal_identity_number;
    const sealed = sealText(textKey(await keys.forWriting(db, row.case_id)), PIN_FIELD, pin);
    await db.query(
      `UPDATE client_identities SET personal_identity_number_sealed = $2, personal_identity_number_hash = $3,
              personal_identity_number = NULL WHERE case_id = $1`,
      [row.case_id, sealed, keys.lookupHashes(pin)[0]],
    );
  }
  return r.rows.length;
}

/** Open, not erased cases of the person whose number has one of these lookup hashes. */
export async function openCasesOfNumber(db: Queryable, hashes: readonly string[]): Promise<string[]> {
  const r = await db.query<{ case_id: string }>(
    `SELECT ci.case_id FROM client_identities ci JOIN case_summaries s ON s.case_id = ci.case_id
      WHERE ci.personal_identity_number_hash = ANY($1) AND s.phase <> 'avslutad' AND s.erased_at IS NULL
      ORDER BY s.opened_at`,
    [hashes],
  );
  return r.rows.map((row) => row.case_id);
}

/**
 * Undoes {@link saveClientIdentity} for an opening that failed (Temporal down, refused): the
 * identity and its key go unless the case's log has begun, which happens when an earlier
 * attempt with the same case id (a retry) did open it.
 */
export async function forgetUnopenedClientIdentity(db: Queryable, caseId: string): Promise<void> {
  await db.query(
    `WITH unopened AS (SELECT $1::text AS case_id WHERE NOT EXISTS (SELECT 1 FROM events WHERE stream_id = $1)),
          gone AS (DELETE FROM client_identities WHERE case_id IN (SELECT case_id FROM unopened))
     DELETE FROM case_keys WHERE case_id IN (SELECT case_id FROM unopened)`,
    [caseId],
  );
}
