import type { Pool } from 'pg';
import { alertChangesOfEveryAgency, alertFeedHead } from '../../store/alert-changes';
import { LOG_START } from '../../store/log-order';
import { alertChangesSince } from '../../store/read-models';
import { createTestDatabase } from '../../dev/database';

/**
 * Appends run in parallel (issue 20), so an alert change can commit after one with a higher
 * seq. The alert stream must neither skip it (a dashboard would never see that alert) nor
 * send anything twice.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  pool = db.pool;
  await pool.query(
    `INSERT INTO case_summaries (case_id, version, phase, municipality, risk_level, coordinator_agency_id, consent_agency_ids,
       admitted_at, open_gap_count, meeting_count, policy_id, opened_at, updated_at)
     VALUES ('order-case', 1, 'anstalt', '1480', 'hog', 'kv-1', '{}', now(), 0, 0, 'p', now(), now())`,
  );
  for (const id of ['late', 'early']) {
    await pool.query(
      `INSERT INTO alerts (alert_id, case_id, kind, level, agency_id, since, raised_at, status, message)
       VALUES ($1, 'order-case', 'intervention_overdue', 1, 'kv-1', now(), now(), 'open', 'x')`,
      [id],
    );
  }
});
afterAll(() => db.drop());

const change = (alertId: string) =>
  `INSERT INTO alert_changes (alert_id, agency_id, status, at) VALUES ('${alertId}', 'kv-1', 'open', now())`;

test('a change that commits after a later-numbered one is delivered first, and nothing is skipped or repeated', async () => {
  const start = await alertFeedHead(pool);
  const slow = await pool.connect();
  try {
    await slow.query('BEGIN');
    await slow.query(change('late')); // takes the lower seq, commits last
    await pool.query(change('early'));

    // What a reader by seq alone would do: take "early" and move past "late"'s number for good.
    const bySeq = await pool.query<{ alert_id: string }>('SELECT alert_id FROM alert_changes ORDER BY seq');
    expect(bySeq.rows.map((r) => r.alert_id)).toEqual(['early']);
    // The feed waits instead, for everyone reading it.
    expect(await alertChangesOfEveryAgency(pool, start)).toEqual([]);
    expect(await alertChangesSince(pool, 'kv-1', LOG_START)).toEqual([]);

    await slow.query('COMMIT');
  } finally {
    slow.release();
  }
  const shared = await alertChangesOfEveryAgency(pool, start);
  expect(shared.map((c) => c.alert.alertId)).toEqual(['late', 'early']);
  const own = await alertChangesSince(pool, 'kv-1', LOG_START);
  expect(own.map((c) => c.alert.alertId)).toEqual(['late', 'early']);
  // Resuming from the first change gives exactly the second.
  expect((await alertChangesOfEveryAgency(pool, shared[0]!.cursor)).map((c) => c.alert.alertId)).toEqual(['early']);
  expect(await alertChangesOfEveryAgency(pool, shared[1]!.cursor)).toEqual([]);
  // A fresh subscriber starts after both.
  expect(await alertChangesOfEveryAgency(pool, await alertFeedHead(pool))).toEqual([]);
});
