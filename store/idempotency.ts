import type { Pool } from 'pg';
import type { Queryable } from './event-store';

/*
 * Stored responses to POSTs with an `Idempotency-Key` header, per user, so a retried request
 * gets the first response again instead of a second effect. The HTTP side (api/idempotency.ts)
 * looks the key up; on a hit with the same request hash it replays it, with a different hash it
 * answers 409 (the key was reused for another request); on a miss it runs the command and saves
 * the response. Kept apart from it so that the housekeeping worker purges keys without loading
 * fastify, and so the HTTP rules are tested over the memory store without a database.
 */

export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  response: unknown;
}

/** {@link pgIdempotencyStore} in production; {@link createMemoryIdempotencyStore} for tests. */
export interface IdempotencyStore {
  find(key: string, userId: string): Promise<IdempotencyRecord | null>;
  /** `caseId`: the case the response is about, so that erasing the client deletes the row. */
  save(key: string, userId: string, requestHash: string, status: number, response: unknown, caseId?: string): Promise<void>;
}

export interface IdempotentResponse {
  key: string;
  userId: string;
  /** A hash of method, route and body, to tell a retry from a reuse of the key. */
  requestHash: string;
  status: number;
  response: unknown;
  createdAt: string;
}

interface Row {
  key: string;
  user_id: string;
  request_hash: string;
  status: number;
  response: unknown;
  created_at: Date | string;
}

const COLUMNS = 'key, user_id, request_hash, status, response, created_at';

/** The saved response for (key, userId), or null. */
export async function findIdempotentResponse(
  db: Queryable,
  key: string,
  userId: string,
): Promise<IdempotentResponse | null> {
  const res = await db.query<Row>(`SELECT ${COLUMNS} FROM idempotency_keys WHERE key = $1 AND user_id = $2`, [key, userId]);
  const row = res.rows[0];
  return row ? fromRow(row) : null;
}

/**
 * Saves a response unless one is already saved for (key, userId). Returns the response that is
 * stored after the call, and whether it is the one given here (`saved: true`) or an earlier
 * one written by a concurrent request with the same key (`saved: false`): the caller should
 * then answer with the stored one, so both requests see the same result.
 */
export async function saveIdempotentResponse(
  db: Queryable,
  entry: { key: string; userId: string; requestHash: string; status: number; response: unknown; caseId?: string },
): Promise<{ saved: boolean; stored: IdempotentResponse }> {
  const inserted = await db.query<Row>(
    `INSERT INTO idempotency_keys (key, user_id, request_hash, status, response, case_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (key, user_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [entry.key, entry.userId, entry.requestHash, entry.status, JSON.stringify(entry.response ?? null), entry.caseId ?? null],
  );
  const row = inserted.rows[0];
  if (row) return { saved: true, stored: fromRow(row) };
  const existing = await findIdempotentResponse(db, entry.key, entry.userId);
  if (!existing) throw new Error(`Idempotency key ${entry.key} conflicted but is no longer stored`);
  return { saved: false, stored: existing };
}

/** Deletes keys older than `olderThan` (ISO 8601); returns how many. For a periodic purge. */
export async function purgeIdempotencyKeys(db: Queryable, olderThan: string): Promise<number> {
  const res = await db.query('DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz', [olderThan]);
  return res.rowCount ?? 0;
}

function fromRow(row: Row): IdempotentResponse {
  return {
    key: row.key,
    userId: row.user_id,
    requestHash: row.request_hash,
    status: row.status,
    response: row.response,
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : new Date(row.created_at).toISOString(),
  };
}

/** Idempotency-Key responses kept in PostgreSQL, so a retry reaching another API process replays too. */
export function pgIdempotencyStore(pool: Pool): IdempotencyStore {
  return {
    find: (key, userId) => findIdempotentResponse(pool, key, userId),
    async save(key, userId, requestHash, status, response, caseId) {
      await saveIdempotentResponse(pool, { key, userId, requestHash, status, response, caseId });
    },
  };
}

/** A process-local store (bounded, oldest first out): tests, and a fallback when none is given. */
export function createMemoryIdempotencyStore(maxEntries = 10_000): IdempotencyStore & { size(): number } {
  const records = new Map<string, IdempotencyRecord>();
  const id = (key: string, userId: string) => JSON.stringify([userId, key]);
  return {
    async find(key, userId) {
      const r = records.get(id(key, userId));
      return r ? structuredClone(r) : null;
    },
    async save(key, userId, requestHash, status, response) {
      const k = id(key, userId);
      if (records.has(k)) return; // first response wins
      records.set(k, structuredClone({ requestHash, status, response }));
      while (records.size > maxEntries) {
        const oldest = records.keys().next().value;
        if (oldest === undefined) break;
        records.delete(oldest);
      }
    },
    size: () => records.size,
  };
}
