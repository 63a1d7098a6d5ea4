import type { Pool } from 'pg';
import { seedOpenCases } from './seed';

/**
 * For the figures phase: N released cases' rows in the read models, written directly with SQL
 * (the figures read nothing else). Each case's `case_states` row is a copy of a real case's state
 * (opened and planned through the domain, bench/seed.ts), with its own id and outcomes, so the
 * rows are as large as the product's; the summaries, tasks (5 interventions, 2 follow-ups),
 * gaps and alerts are spread so that every figure has something to count.
 */
export async function seedReleasedCases(pool: Pool, n: number, prefix = 'released'): Promise<{ cases: number; seconds: number }> {
  const started = performance.now();
  await seedOpenCases(pool, 1, { prefix: `${prefix}-template`, quiet: true });
  const template = await pool.query<{ state: unknown }>('SELECT state FROM case_states WHERE case_id = $1', [`${prefix}-template-1`]);
  const state = JSON.stringify(template.rows[0]!.state);
  const chunk = 2000;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const params = [prefix, from + 1, to, state];
    // k: the case's number; released 1–700 days ago; one in five back in custody within a year.
    const cases = `SELECT k, $1 || '-' || k AS id, now() - make_interval(days => 1 + (k * 37) % 700) AS released FROM generate_series($2::int, $3::int) AS k`;
    await pool.query(
      `INSERT INTO case_summaries (case_id, version, phase, municipality, risk_level, coordinator_agency_id, consent_agency_ids,
         admitted_at, expected_release_at, released_at, open_gap_count, meeting_count, policy_id, opened_at, updated_at, release_outcomes)
       SELECT id, 12, CASE WHEN k % 3 = 0 THEN 'avslutad' ELSE 'frigiven' END, '1480', (ARRAY['low', 'medium', 'high'])[1 + k % 3],
              'kvv-gbg', ARRAY['sot-1480', 'reg-vg', 'af', 'frv-gbg'], released - interval '200 days', released, released,
              k % 3, k % 4, 'bench-seed', released - interval '200 days', released,
              jsonb_build_array(jsonb_build_object('released', released,
                'remand', CASE WHEN k % 5 = 0 THEN released + make_interval(days => 10 + k % 300) END))
         FROM (${cases}) c`, params.slice(0, 3));
    await pool.query(
      `INSERT INTO case_states (case_id, version, state, updated_at)
       SELECT id, 12, jsonb_set(jsonb_set($4::jsonb, '{caseId}', to_jsonb(id)), '{outcomes}',
                CASE WHEN k % 5 = 0
                  THEN jsonb_build_array(jsonb_build_object('kind', 'released', 'at', released),
                                         jsonb_build_object('kind', 'new_remand', 'at', released + make_interval(days => 10 + k % 300)))
                  ELSE jsonb_build_array(jsonb_build_object('kind', 'released', 'at', released)) END),
              released
         FROM (${cases}) c`, params);
    await pool.query(
      `INSERT INTO tasks (task_id, case_id, kind, intervention_id, follow_up_id, agency_id, area, title, required, due_at, status,
         created_at, assigned_at, completed_at)
       SELECT id || ':' || t.tid, id, t.kind, CASE WHEN t.kind = 'intervention' THEN t.tid END, CASE WHEN t.kind = 'follow_up' THEN t.tid END,
              t.agency, t.area, 'Uppgift', true, released + t.due, CASE WHEN (k + t.n) % 4 = 0 THEN 'declined' ELSE 'completed' END,
              released - interval '200 days', released - interval '190 days',
              CASE WHEN (k + t.n) % 4 = 0 THEN NULL ELSE released + t.due - make_interval(days => (k + t.n) % 9 - 3) END
         FROM (${cases}) c,
              (VALUES (1, 'i1', 'intervention', 'sot-1480', 'boende', interval '-21 days'),
                      (2, 'i2', 'intervention', 'af', 'sysselsattning', interval '-10 days'),
                      (3, 'i3', 'intervention', 'reg-vg', 'missbruk', interval '-14 days'),
                      (4, 'i4', 'intervention', 'reg-vg', 'psykisk_halsa', interval '-14 days'),
                      (5, 'i5', 'intervention', 'sot-1480', 'forsorjning', interval '-7 days'),
                      (6, 'f1', 'follow_up', 'frv-gbg', NULL, interval '7 days'),
                      (7, 'f2', 'follow_up', 'frv-gbg', NULL, interval '30 days')) AS t(n, tid, kind, agency, area, due)`, params.slice(0, 3));
    await pool.query(
      `INSERT INTO case_gaps (case_id, kind, subject, agency_id, area, since)
       SELECT id, 'follow_up_missed', 'f' || g, 'frv-gbg', NULL, released FROM (${cases}) c, generate_series(1, k % 3) AS g`, params.slice(0, 3));
    await pool.query(
      `INSERT INTO alerts (alert_id, case_id, kind, level, agency_id, since, raised_at, status, message)
       SELECT id || ':released_with_gap', id, 'released_with_gap', 2, 'kvv-gbg', released, released, 'resolved', 'Frigiven med glapp'
         FROM (${cases}) c WHERE k % 4 = 0`, params.slice(0, 3));
  }
  await pool.query('ANALYZE');
  return { cases: n, seconds: (performance.now() - started) / 1000 };
}
