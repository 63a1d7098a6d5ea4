import type { Pool, PoolClient } from 'pg';
import { afterCursorSql, type LogCursor } from './log-order';

/**
 * The event log: one stream per client case, every decision an immutable event.
 *
 * Guarantees
 * - Within a stream, versions are 1, 2, 3, … without gaps; an append states the version it
 *   expects the stream to be at (optimistic concurrency).
 * - Appends are idempotent on (stream, version): re-sending the same events at the same
 *   expectedVersion (a retried activity) changes nothing and reports `duplicate: true`.
 * - A reader that follows the whole log with `readAll` and stores the cursor of the last event it
 *   handled never skips an event, even while appends commit out of position order: see
 *   ./log-order.ts (the order is (transaction, position), read up to the oldest transaction
 *   still in flight). Positions may have holes (a rolled-back append consumes its identity
 *   values) and are not the order of commits.
 * - Appends to different streams run in parallel. Each takes the append lock SHARED (so a
 *   rebuild's swap, which takes it exclusively, holds every append off) and a lock of its own
 *   stream, so two appends to one stream take turns instead of failing on the unique key.
 *   Keep `project` short all the same: it runs inside the append's transaction.
 */

export interface EventMetadata {
  actor: { sub: string; role: string; agencyId?: string | null } | { system: string };
  requestId?: string;
  correlationId?: string;
  causationId?: string;
  workflowRunId?: string;
  /** Its free-text fields are sealed with the case's key (store/sealed-events.ts). */
  sealed?: number;
}

export interface NewEvent {
  type: string;
  /** Version of this event type's `data` shape; 1 unless given. */
  schemaVersion?: number;
  data: unknown;
  /** ISO 8601 with a zone (`Z` or `±hh:mm`): when the decision was taken. */
  occurredAt: string;
  metadata: EventMetadata;
}

export interface StoredEvent extends Required<Omit<NewEvent, 'schemaVersion'>> {
  schemaVersion: number;
  /** The appending transaction's id (xid8, decimal): the first key of the log's order. */
  tx: string;
  /** Global position, a bigint as a decimal string. */
  position: string;
  streamId: string;
  /** 1-based version within the stream. */
  version: number;
  /** When the row was written (ISO 8601, UTC). */
  recordedAt: string;
}

export type Queryable = Pool | PoolClient;

/**
 * The stream was not at `expectedVersion` and the events at the requested versions are not the
 * ones being appended: someone else decided first. Reload the stream and decide again.
 */
export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    /** The stream's version when the conflict was detected. */
    readonly actualVersion: number,
  ) {
    super(
      `Concurrency conflict on stream ${streamId}: expected version ${expectedVersion}, ` +
        `stream is at ${actualVersion} with different events`,
    );
  }
}

/** Must equal the key in the `serialize_event_appends()` trigger function (011_appends-in-parallel.sql). */
export const APPEND_LOCK_KEY = '4848200250596150597';
/** The first key of every stream's own lock (pg_advisory_xact_lock(int, int)); the second is the stream's hash. */
const STREAM_LOCK_CLASS = 48482002;

const COLUMNS = 'position, tx::text AS tx, stream_id, version, type, schema_version, data, metadata, occurred_at, recorded_at';

interface EventRow {
  position: string;
  tx: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date | string;
  recorded_at: Date | string;
}

/**
 * Appends `events` to `streamId` at versions expectedVersion+1 … expectedVersion+n, in one
 * transaction; `project` runs in that transaction after the insert, so read models commit (or
 * roll back) together with the events.
 *
 * - Stream at `expectedVersion`: appended; `duplicate: false`.
 * - Those versions already hold events with the same types and equal `data` (a retry): nothing
 *   is written, `project` is not called; the stored events are returned, `duplicate: true`.
 * - Otherwise: throws ConcurrencyConflict.
 * `version` is the stream version right after these events (expectedVersion + n) in both cases.
 */
export async function appendToStream(
  pool: Pool,
  input: { streamId: string; expectedVersion: number; events: NewEvent[] },
  project?: (tx: PoolClient, appended: StoredEvent[]) => Promise<void>,
): Promise<{ appended: StoredEvent[]; version: number; duplicate: boolean }> {
  const { streamId, expectedVersion, events } = input;
  validateAppend(streamId, expectedVersion, events);
  const payload = JSON.stringify(
    events.map((e) => ({
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      metadata: e.metadata,
      occurredAt: e.occurredAt,
    })),
  );
  const nextVersion = expectedVersion + events.length;

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    let inserted: EventRow[];
    try {
      // READ COMMITTED explicitly: each statement below must see what was committed before
      // this transaction got the lock (a REPEATABLE READ default would freeze an older view).
      // Both locks before the first write: the transaction's id, assigned at that write, is then
      // larger than that of every earlier append to the stream, so the log's order keeps each
      // stream's versions in order (./log-order.ts).
      await client.query(
        `BEGIN ISOLATION LEVEL READ COMMITTED;
         SELECT pg_advisory_xact_lock_shared(${APPEND_LOCK_KEY}), pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, ${streamLockKey(streamId)})`,
      );
      // The version check and the insert are one statement, run while holding the stream's lock.
      const res = await client.query<EventRow>(
        `INSERT INTO events (stream_id, version, type, schema_version, data, metadata, occurred_at)
         SELECT $1, $2::int + c.i::int, c.ev->>'type', (c.ev->>'schemaVersion')::int,
                c.ev->'data', c.ev->'metadata', (c.ev->>'occurredAt')::timestamptz
           FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS c(ev, i)
          WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) = $2::int
          ORDER BY c.i
         RETURNING ${COLUMNS}`,
        [streamId, expectedVersion, payload],
      );
      inserted = res.rows;
      if (inserted.length > 0) {
        const appended = inserted.map(toStoredEvent).sort((a, b) => a.version - b.version);
        if (project) await project(client, appended);
        const done = await client.query('COMMIT');
        // COMMIT of a transaction in which a statement failed (say, an error that `project`
        // caught and swallowed) rolls back without raising; it must not look like success.
        if (done.command !== 'COMMIT') {
          throw new Error(`Append to ${streamId} was rolled back: a statement in the transaction failed`);
        }
        return { appended, version: nextVersion, duplicate: false };
      }
      await client.query('ROLLBACK');
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      // Unreachable while every insert takes its stream's lock, kept for safety: a writer that
      // lost a race on (stream_id, version) gets the same answer as one that came second.
      if (!isStreamVersionTaken(err)) throw err;
    }
    return await resolveTakenVersions(client, streamId, expectedVersion, payload);
  } finally {
    client.release(broken);
  }
}

/**
 * The stream was not at `expectedVersion`: a retry of events already stored (duplicate) or a
 * conflict. Compares type and data (jsonb equality: key order and formatting do not matter).
 */
async function resolveTakenVersions(
  db: Queryable,
  streamId: string,
  expectedVersion: number,
  payload: string,
): Promise<{ appended: StoredEvent[]; version: number; duplicate: boolean }> {
  const res = await db.query<EventRow & { same: boolean | null; current: number }>(
    `SELECT e.position, e.tx::text AS tx, e.stream_id, e.version, e.type, e.schema_version, e.data, e.metadata,
            e.occurred_at, e.recorded_at,
            (e.type = c.ev->>'type' AND e.data = c.ev->'data') AS same,
            (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) AS current
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS c(ev, i)
       LEFT JOIN events e ON e.stream_id = $1 AND e.version = $2::int + c.i::int
      ORDER BY c.i`,
    [streamId, expectedVersion, payload],
  );
  const rows = res.rows;
  if (rows.length > 0 && rows.every((r) => r.same === true)) {
    return { appended: rows.map(toStoredEvent), version: expectedVersion + rows.length, duplicate: true };
  }
  throw new ConcurrencyConflict(streamId, expectedVersion, rows[0]?.current ?? 0);
}

/** The events of a stream from `fromVersion` on (at most `limit` of them, if given), in version order. */
export async function readStream(db: Queryable, streamId: string, fromVersion = 1, limit?: number): Promise<StoredEvent[]> {
  const res = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
    [streamId, fromVersion, limit ?? null],
  );
  return res.rows.map(toStoredEvent);
}

/** The stream's current version; 0 when it has no events. */
export async function streamVersion(db: Queryable, streamId: string): Promise<number> {
  const res = await db.query<{ v: number }>(
    'SELECT coalesce(max(version), 0) AS v FROM events WHERE stream_id = $1',
    [streamId],
  );
  return res.rows[0]?.v ?? 0;
}

/**
 * Up to `limit` events after `after` in the log's order (see ./log-order.ts), each of which is
 * final: no event can later appear before it. Page on with `cursorOf(lastEvent)`.
 * `complete`: the caller holds the append lock exclusively, so every append has ended and
 * the watermark is not needed (it would hold back events of transactions newer than the
 * caller's own).
 */
export async function readAll(db: Queryable, after: LogCursor, limit: number, options: { complete?: boolean } = {}): Promise<StoredEvent[]> {
  if (!/^\d+$/.test(after.tx) || !/^\d+$/.test(after.n)) throw new TypeError(`after must be a log cursor of decimal integers, got ${JSON.stringify(after)}`);
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`limit must be a positive integer, got ${limit}`);
  // Qualified in ORDER BY: a bare `tx` would be the output's text column, ordered as text.
  const res = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE ${afterCursorSql('events.tx', 'events.position', 1, 2, options.complete)}
      ORDER BY events.tx, events.position LIMIT $3`,
    [after.tx, after.n, limit],
  );
  return res.rows.map(toStoredEvent);
}

/** Where a reader that has handled `e` continues. */
export function cursorOf(e: Pick<StoredEvent, 'tx' | 'position'>): LogCursor {
  return { tx: e.tx, n: e.position };
}

/** A 32-bit hash of the stream id (FNV-1a), the second key of the stream's advisory lock. */
function streamLockKey(streamId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    h ^= streamId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: String(row.position),
    tx: String(row.tx),
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: toIso(row.occurred_at),
    recordedAt: toIso(row.recorded_at),
  };
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function isStreamVersionTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'events_stream_version_key';
}

const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function validateAppend(streamId: string, expectedVersion: number, events: NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId === '') throw new TypeError('streamId must be a non-empty string');
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
    throw new TypeError(`expectedVersion must be an integer ≥ 0, got ${expectedVersion}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new TypeError('events must be a non-empty array');
  events.forEach((e, i) => {
    const where = `events[${i}]`;
    if (typeof e.type !== 'string' || e.type === '') throw new TypeError(`${where}.type must be a non-empty string`);
    if (e.data === undefined) throw new TypeError(`${where}.data is missing`);
    if (e.schemaVersion !== undefined && (!Number.isInteger(e.schemaVersion) || e.schemaVersion < 1)) {
      throw new TypeError(`${where}.schemaVersion must be an integer ≥ 1`);
    }
    if (typeof e.occurredAt !== 'string' || !ZONED_ISO.test(e.occurredAt) || Number.isNaN(Date.parse(e.occurredAt))) {
      throw new TypeError(`${where}.occurredAt must be an ISO 8601 timestamp with a zone, got ${String(e.occurredAt)}`);
    }
    if (typeof e.metadata !== 'object' || e.metadata === null || typeof e.metadata.actor !== 'object' || e.metadata.actor === null) {
      throw new TypeError(`${where}.metadata.actor is missing`);
    }
  });
}
