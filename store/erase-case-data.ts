import type { Pool, PoolClient } from 'pg';
import type { ErasureReason } from '../domain/schemas/events';
import type { CaseState } from '../domain/case-state';
import { fold } from '../domain/evolve';
import type { CaseKeys } from './case-keys';
import { ConcurrencyConflict, appendToStream, readStream, streamVersion, type EventMetadata, type Queryable } from './event-store';
import { timelineTime, toDomainEvent, writeCase } from './projections';
import { SEALED_V1, openEvents } from './sealed-events';
import { inTransaction } from './transaction';

export interface ErasureRequest {
  reason: ErasureReason;
  /** `sub` of the coordinator, or `system:retention`. */
  requestedBy: string;
}

/**
 * Records the intent to erase a client before anything is touched, so an erasure cut short by
 * an outage is finished by the housekeeping schedule instead of being forgotten. A second
 * request for the same case keeps the first.
 */
export async function recordErasureRequest(db: Queryable, caseId: string, req: ErasureRequest): Promise<void> {
  await db.query(
    `INSERT INTO erasures (case_id, reason, requested_by) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING`,
    [caseId, req.reason, req.requestedBy],
  );
}

/** Erasures whose Temporal history is not yet deleted (the PostgreSQL part may be done or not). */
export async function unfinishedErasures(db: Queryable, limit = 100): Promise<{ caseId: string; reason: ErasureReason; requestedBy: string }[]> {
  const r = await db.query<{ case_id: string; reason: ErasureReason; requested_by: string }>(
    'SELECT case_id, reason, requested_by FROM erasures WHERE history_deleted_at IS NULL ORDER BY requested_at LIMIT $1',
    [limit],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, reason: row.reason, requestedBy: row.requested_by }));
}

export async function markHistoryDeleted(db: Queryable, caseId: string): Promise<void> {
  await db.query('UPDATE erasures SET history_deleted_at = now() WHERE case_id = $1 AND history_deleted_at IS NULL', [caseId]);
}

/** Closed cases whose retention has run out and whose erasure has not been asked for yet. */
export async function casesPastRetention(db: Queryable, closedBefore: string, limit = 100): Promise<string[]> {
  const r = await db.query<{ case_id: string }>(
    `SELECT s.case_id FROM case_summaries s
      WHERE s.closed_at < $1::timestamptz AND s.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.case_id = s.case_id)
      ORDER BY s.closed_at LIMIT $2`,
    [closedBefore, limit],
  );
  return r.rows.map((row) => row.case_id);
}

/**
 * The PostgreSQL part of erasing a client, in one transaction with the `CaseErased` event: the
 * case's key is shredded (its sealed texts in the log become noise), its identity, stored
 * Idempotency-Key responses and deliveries are deleted, and its read models are rebuilt from
 * its own log without the key, so they keep the skeleton the figures count (phases, dates,
 * agencies, statuses, gaps as of the case's last event) and every text reads as erased. The
 * access log stays: it names officials and ids, not the client. Run it only once the case's
 * workflow has ended (it is the case's only other writer). Safe to repeat.
 */
export async function eraseCaseData(pool: Pool, keys: CaseKeys, caseId: string, req: ErasureRequest): Promise<'erased' | 'already-erased' | 'no-such-case'> {
  for (let attempt = 1; ; attempt += 1) {
    const version = await streamVersion(pool, caseId);
    if (version === 0) return 'no-such-case';
    const [last] = await readStream(pool, caseId, version);
    if (last?.type === 'CaseErased') {
      // An erasure whose transaction committed: make sure nothing was written around it since.
      await inTransaction(pool, (tx) => shredAndRebuild(tx, keys, caseId));
      return 'already-erased';
    }
    const metadata: EventMetadata = { actor: req.requestedBy.startsWith('system:') ? { system: req.requestedBy.slice(7) } : { sub: req.requestedBy, role: 'coordinator' }, sealed: SEALED_V1 };
    try {
      await appendToStream(
        pool,
        { streamId: caseId, expectedVersion: version, events: [{ type: 'CaseErased', data: { reason: req.reason }, occurredAt: new Date().toISOString(), metadata }] },
        (tx) => shredAndRebuild(tx, keys, caseId),
      );
      return 'erased';
    } catch (err) {
      // The workflow's last append landed between reading the version and appending: read again.
      if (err instanceof ConcurrencyConflict && attempt < 5) continue;
      throw err;
    }
  }
}

async function shredAndRebuild(db: PoolClient, keys: CaseKeys, caseId: string): Promise<void> {
  await db.query(
    `INSERT INTO case_keys (case_id, master_key_id, wrapped, erased_at) VALUES ($1, '-', NULL, now())
     ON CONFLICT (case_id) DO UPDATE SET wrapped = NULL, erased_at = coalesce(case_keys.erased_at, now())`,
    [caseId],
  );
  await db.query('DELETE FROM client_identities WHERE case_id = $1', [caseId]);
  await db.query('DELETE FROM idempotency_keys WHERE case_id = $1', [caseId]);
  await db.query('DELETE FROM deliveries WHERE case_id = $1', [caseId]);
  const stored = await openEvents(db, keys, await readStream(db, caseId));
  const state = fold(stored.map(toDomainEvent)) as CaseState;
  const previous = await db.query<{ updated_at: Date }>('SELECT updated_at FROM case_states WHERE case_id = $1', [caseId]);
  await writeCase(db, state, timelineTime(stored, previous.rows[0]?.updated_at.toISOString()));
  await db.query(
    `UPDATE alerts a SET message = x.message FROM jsonb_to_recordset($2::jsonb) AS x(alert_id text, message text)
      WHERE a.case_id = $1 AND a.alert_id = x.alert_id`,
    [caseId, JSON.stringify(state.alerts.map((al) => ({ alert_id: al.alertId, message: al.message })))],
  );
}
