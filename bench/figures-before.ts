import type { Queryable } from '../store/event-store';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The figures' queries as they were before issue 16 (store/metrics-summary.ts at 045eed8), kept
 * only as the bench's baseline: the figures phase times them beside today's in the same run.
 */
export async function metricsSummaryBefore(db: Queryable) {
  const [phases, releases, gapsByAgency, gapsByArea, median, released, followUps, reoffence, meetings] = await Promise.all([
    db.query(`SELECT phase, count(*)::int AS n FROM case_summaries GROUP BY phase`),
    db.query(`
      WITH upcoming AS (
        SELECT s.case_id, s.open_gap_count, s.expected_release_at <= now() + interval '84 days' AS in12
          FROM case_summaries s
         WHERE s.phase IN ('hakte', 'anstalt', 'utslussning')
           AND s.expected_release_at >= now() AND s.expected_release_at <= now() + interval '168 days')
      SELECT count(*) FILTER (WHERE in12)::int AS in12,
             count(*) FILTER (WHERE in12 AND open_gap_count = 0)::int AS in12_no_gap,
             count(*)::int AS in24,
             count(*) FILTER (WHERE open_gap_count = 0)::int AS in24_no_gap,
             count(*) FILTER (WHERE in12 AND EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = u.case_id AND t.area = 'boende' AND t.status = 'completed'))::int AS housing,
             count(*) FILTER (WHERE in12 AND EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = u.case_id AND t.area IN ('missbruk', 'psykisk_halsa') AND t.status = 'completed'))::int AS treatment,
             count(*) FILTER (WHERE in12 AND EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = u.case_id AND t.area = 'sysselsattning' AND t.status = 'completed'))::int AS work
        FROM upcoming u`),
    db.query(`SELECT coalesce(agency_id, 'unassigned') AS k, count(*)::int AS n FROM case_gaps GROUP BY 1`),
    db.query(`SELECT coalesce(area, 'case') AS k, count(*)::int AS n FROM case_gaps GROUP BY 1`),
    db.query(`SELECT agency_id AS k, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - assigned_at) / 86400) AS n
                FROM tasks WHERE kind = 'intervention' AND status = 'completed' AND agency_id IS NOT NULL AND assigned_at IS NOT NULL
               GROUP BY agency_id`),
    db.query(`SELECT count(*)::int AS released,
                     count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = s.case_id AND a.kind = 'released_with_gap'))::int AS no_gap,
                     count(*) FILTER (WHERE s.meeting_count = 0 AND NOT EXISTS (
                       SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.kind = 'intervention' AND t.status = 'completed'
                          AND t.completed_at <= s.released_at))::int AS no_contact
                FROM case_summaries s WHERE s.released_at IS NOT NULL`),
    db.query(`SELECT count(*) FILTER (WHERE due_at <= now())::int AS due,
                     count(*) FILTER (WHERE status = 'completed' AND completed_at <= due_at)::int AS on_time
                FROM tasks WHERE kind = 'follow_up' AND status <> 'cancelled'`),
    db.query(`
      WITH o AS (
        SELECT cs.case_id, (x->>'kind') AS kind, (x->>'at')::timestamptz AS at
          FROM case_states cs, jsonb_array_elements(cs.state->'outcomes') x),
      rel AS (
        SELECT r.case_id, r.at,
               (SELECT min(n.at) FROM o n WHERE n.case_id = r.case_id AND n.kind = 'new_remand' AND n.at > r.at) AS remand
          FROM o r WHERE r.kind = 'released')
      SELECT count(*) FILTER (WHERE at <= now() - interval '100 days')::int AS base100,
             count(*) FILTER (WHERE at <= now() - interval '100 days' AND remand <= at + interval '100 days')::int AS re100,
             count(*) FILTER (WHERE at <= now() - interval '1 year')::int AS base365,
             count(*) FILTER (WHERE at <= now() - interval '1 year' AND remand <= at + interval '1 year')::int AS re365
        FROM rel`),
    db.query(`SELECT avg(meeting_count)::float AS avg FROM case_summaries WHERE phase <> 'avslutad'`),
  ]);
  const byKey = (rows: { k: string; n: unknown }[]) => Object.fromEntries(rows.map((r) => [r.k, num(r.n)]));
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  const rel = releases.rows[0];
  const re = reoffence.rows[0];
  const fu = followUps.rows[0];
  const done = released.rows[0];
  return {
    casesByPhase: Object.fromEntries(phases.rows.map((r) => [r.phase, r.n])),
    releasesWithin12Weeks: rel.in12 as number,
    releasesWithin12WeeksWithoutGap: rel.in12_no_gap as number,
    releasesWithin12WeeksInPlace: { boende: rel.housing as number, behandling: rel.treatment as number, sysselsattning: rel.work as number },
    releasesWithin24Weeks: rel.in24 as number,
    releasesWithin24WeeksWithoutGap: rel.in24_no_gap as number,
    openGapsByAgency: byKey(gapsByAgency.rows),
    openGapsByArea: byKey(gapsByArea.rows),
    medianDaysToCompleteByAgency: byKey(median.rows),
    shareOfReleasesWithoutGap: share(done.no_gap, done.released),
    shareReleasedWithoutExternalContact: share(done.no_contact, done.released),
    coordinationMeetingsPerOpenCase: num(meetings.rows[0]?.avg),
    followUpsOnTime: { due: fu.due as number, onTime: fu.on_time as number, share: share(fu.on_time, fu.due) },
    reoffence: {
      within100Days: { released: re.base100 as number, newRemand: re.re100 as number, share: share(re.re100, re.base100) },
      within1Year: { released: re.base365 as number, newRemand: re.re365 as number, share: share(re.re365, re.base365) },
    },
  };
}
