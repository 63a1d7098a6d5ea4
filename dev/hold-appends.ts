import type { Pool } from 'pg';
import { APPEND_LOCK_KEY } from '../store/event-store';

export interface HeldAppends {
  /** Lets the queued appends through. */
  release(): Promise<void>;
}

/**
 * Makes the event log slow on purpose: takes the lock every append waits for, in a transaction
 * of the test's own, until `release()`. Appends queue behind it as they would behind a busy or
 * stalled database; nothing is lost, they go through once it is released.
 */
export async function holdAppends(pool: Pool): Promise<HeldAppends> {
  const client = await pool.connect();
  await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    },
  };
}

/** True once some session is waiting for the append lock (an append is in flight and held back). */
export async function appendWaiting(pool: Pool): Promise<boolean> {
  const res = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return Number(res.rows[0]?.n ?? 0) > 0;
}
