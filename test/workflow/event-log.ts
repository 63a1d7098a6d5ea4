import type { Pool } from 'pg';
import { CaseKeys } from '../../store/case-keys';
import { readStream, type StoredEvent } from '../../store/event-store';
import { openEvents } from '../../store/sealed-events';

/**
 * What the workflow tests read back from PostgreSQL: the case's stream and its read models.
 * Not a test file (no `.test.ts`): shared by the workflow tests.
 */

/** The stream's events after `version` (all of them for 0), in version order, their texts opened. */
export const eventsAfter = async (pool: Pool, caseId: string, version = 0): Promise<StoredEvent[]> =>
  openEvents(pool, CaseKeys.fromEnv(), await readStream(pool, caseId, version + 1));

export const typesOf = (events: readonly StoredEvent[]): string[] => events.map((e) => e.type);

/** Versions 1..n with no hole and no repeat: nothing lost, nothing written twice. */
export function expectContiguous(events: readonly StoredEvent[]): void {
  expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
}

/** Every AlertRaised names a distinct key (one alert per gap, level and addressee). */
export function expectNoDuplicateAlerts(events: readonly StoredEvent[]): void {
  const keys = events.filter((e) => e.type === 'AlertRaised').map((e) => (e.data as { key: string }).key);
  expect(keys).toEqual([...new Set(keys)]);
}

export interface SummaryRow {
  version: number;
  phase: string;
  measure: string | null;
  expected_release_at: Date | null;
  released_at: Date | null;
  closed_at: Date | null;
  open_gap_count: number;
  meeting_count: number;
}

export async function summaryOf(pool: Pool, caseId: string): Promise<SummaryRow | undefined> {
  const res = await pool.query<SummaryRow>(
    `SELECT version, phase, measure, expected_release_at, released_at, closed_at, open_gap_count, meeting_count
       FROM case_summaries WHERE case_id = $1`,
    [caseId],
  );
  return res.rows[0];
}

export interface AlertRow {
  alert_id: string;
  kind: string;
  level: number;
  agency_id: string;
  intervention_id: string | null;
  follow_up_id: string | null;
  status: string;
  since: Date;
  raised_at: Date;
}

export async function alertsOf(pool: Pool, caseId: string): Promise<AlertRow[]> {
  const res = await pool.query<AlertRow>(
    `SELECT alert_id, kind, level, agency_id, intervention_id, follow_up_id, status, since, raised_at
       FROM alerts WHERE case_id = $1 ORDER BY raised_at, level, alert_id`,
    [caseId],
  );
  return res.rows;
}
