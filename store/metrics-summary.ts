import { FIGURES_TIME_ZONE, type FiguresPeriod } from '../domain/figures-period';
import type { Queryable } from './event-store';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface MetricsOptions {
  /** The moment the figures are taken at (windows such as "within 12 weeks" count from it). */
  now: Date;
  /** The days the per agency and per area table covers (domain/figures-period.ts). */
  period: FiguresPeriod;
}

/** Treatment in place: addiction or psychiatric care (the policy's two treatment areas). */
const TREATMENT = `('missbruk', 'psykisk_halsa')`;

/**
 * The figures leaders follow (Brå: "synliggör resultaten"), each one query over the read
 * models, none of them visiting more than a case's own rows per case. Shares are 0–1, or null
 * while there is nothing to divide by. What each figure counts is said in its schema
 * (api/schemas/figures.ts), and test/store/metrics-summary.test.ts checks every one against a
 * plain reading of the event log.
 */
export async function metricsSummary(db: Queryable, { now, period }: MetricsOptions) {
  const at = now.toISOString();
  const [phases, releases, gapsByAgency, gapsByArea, median, released, followUps, reoffence, meetings, byAgency, byArea] = await Promise.all([
    db.query(`SELECT phase, count(*)::int AS n FROM case_summaries GROUP BY phase`),
    db.query(`
      WITH upcoming AS (
        SELECT s.open_gap_count = 0 AS no_gap, s.expected_release_at <= $1::timestamptz + interval '84 days' AS in12,
               coalesce(p.housing, false) AS housing, coalesce(p.treatment, false) AS treatment, coalesce(p.work, false) AS work
          FROM case_summaries s
          LEFT JOIN LATERAL (
            SELECT bool_or(t.area = 'boende') AS housing, bool_or(t.area IN ${TREATMENT}) AS treatment, bool_or(t.area = 'sysselsattning') AS work
              FROM tasks t WHERE t.case_id = s.case_id AND t.kind = 'intervention' AND t.status = 'completed') p ON true
         WHERE s.phase IN ('hakte', 'anstalt', 'utslussning')
           AND s.expected_release_at >= $1::timestamptz AND s.expected_release_at <= $1::timestamptz + interval '168 days')
      SELECT count(*) FILTER (WHERE in12)::int AS in12,
             count(*) FILTER (WHERE in12 AND no_gap)::int AS in12_no_gap,
             count(*)::int AS in24,
             count(*) FILTER (WHERE no_gap)::int AS in24_no_gap,
             count(*) FILTER (WHERE in12 AND housing)::int AS housing12,
             count(*) FILTER (WHERE in12 AND treatment)::int AS treatment12,
             count(*) FILTER (WHERE in12 AND work)::int AS work12,
             count(*) FILTER (WHERE housing)::int AS housing24,
             count(*) FILTER (WHERE treatment)::int AS treatment24,
             count(*) FILTER (WHERE work)::int AS work24
        FROM upcoming`, [at]),
    db.query(`SELECT coalesce(agency_id, 'unassigned') AS k, count(*)::int AS n FROM case_gaps GROUP BY 1`),
    db.query(`SELECT coalesce(area, 'case') AS k, count(*)::int AS n FROM case_gaps GROUP BY 1`),
    db.query(`SELECT agency_id AS k, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - assigned_at) / 86400) AS n
                FROM tasks WHERE kind = 'intervention' AND status = 'completed' AND agency_id IS NOT NULL AND assigned_at IS NOT NULL
               GROUP BY agency_id`),
    // Per case, its latest release. A gap of any kind open at that moment, as the projection
    // counted it (gaps_at_release, migration 009); contact is a meeting held, or an intervention
    // completed, at or before the release; meetings after it count for neither.
    db.query(`SELECT count(*)::int AS released,
                     count(*) FILTER (WHERE coalesce(s.gaps_at_release, 0) = 0)::int AS no_gap,
                     count(*) FILTER (WHERE coalesce(s.meetings_before_release, 0) = 0 AND NOT EXISTS (
                       SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.kind = 'intervention' AND t.status = 'completed'
                          AND t.completed_at <= s.released_at))::int AS no_contact,
                     avg(coalesce(s.meetings_before_release, 0))::float AS meetings_before
                FROM case_summaries s WHERE s.released_at IS NOT NULL`),
    // A follow-up counts once it is due or done (an early completion of one not yet due counts
    // on both sides), so the on-time count is part of the base and the share never exceeds 1.
    db.query(`SELECT count(*)::int AS due,
                     count(*) FILTER (WHERE status = 'completed' AND completed_at <= due_at)::int AS on_time
                FROM tasks WHERE kind = 'follow_up' AND status <> 'cancelled' AND (due_at <= $1::timestamptz OR status = 'completed')`, [at]),
    // Off the summary rows' precomputed releases (migration 008): one small value per case.
    db.query(`
      WITH rel AS (
        SELECT (r->>'released')::timestamptz AS at, (r->>'remand')::timestamptz AS remand
          FROM case_summaries s, jsonb_array_elements(s.release_outcomes) r)
      SELECT count(*) FILTER (WHERE at <= $1::timestamptz - interval '100 days')::int AS base100,
             count(*) FILTER (WHERE at <= $1::timestamptz - interval '100 days' AND remand <= at + interval '100 days')::int AS re100,
             count(*) FILTER (WHERE at <= $1::timestamptz - interval '1 year')::int AS base365,
             count(*) FILTER (WHERE at <= $1::timestamptz - interval '1 year' AND remand <= at + interval '1 year')::int AS re365
        FROM rel`, [at]),
    db.query(`SELECT avg(meeting_count) FILTER (WHERE phase <> 'avslutad')::float AS open,
                     avg(meeting_count) FILTER (WHERE phase IN ('hakte', 'anstalt', 'utslussning'))::float AS not_released
                FROM case_summaries`),
    completionTable(db, 'agency_id', period, at),
    completionTable(db, 'area', period, at),
  ]);
  const byKey = (rows: { k: string; n: unknown }[]) => Object.fromEntries(rows.map((r) => [r.k, num(r.n)]));
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  const rel = releases.rows[0];
  const re = reoffence.rows[0];
  const fu = followUps.rows[0];
  const done = released.rows[0];
  const m = meetings.rows[0];
  return {
    casesByPhase: Object.fromEntries(phases.rows.map((r) => [r.phase, r.n])),
    releasesWithin12Weeks: rel.in12 as number,
    releasesWithin12WeeksWithoutGap: rel.in12_no_gap as number,
    releasesWithin12WeeksInPlace: { boende: rel.housing12 as number, behandling: rel.treatment12 as number, sysselsattning: rel.work12 as number },
    releasesWithin24Weeks: rel.in24 as number,
    releasesWithin24WeeksWithoutGap: rel.in24_no_gap as number,
    releasesWithin24WeeksInPlace: { boende: rel.housing24 as number, behandling: rel.treatment24 as number, sysselsattning: rel.work24 as number },
    openGapsByAgency: byKey(gapsByAgency.rows),
    openGapsByArea: byKey(gapsByArea.rows),
    medianDaysToCompleteByAgency: byKey(median.rows),
    shareOfReleasesWithoutGap: share(done.no_gap, done.released),
    shareReleasedWithoutExternalContact: share(done.no_contact, done.released),
    coordinationMeetingsPerOpenCase: num(m?.open),
    coordinationMeetingsBeforeReleasePerReleasedClient: done.released > 0 ? num(done.meetings_before) : null,
    coordinationMeetingsPerCaseNotYetReleased: num(m?.not_released),
    followUpsOnTime: { due: fu.due as number, onTime: fu.on_time as number, share: share(fu.on_time, fu.due) },
    reoffence: {
      within100Days: { released: re.base100 as number, newRemand: re.re100 as number, share: share(re.re100, re.base100) },
      within1Year: { released: re.base365 as number, newRemand: re.re365 as number, share: share(re.re365, re.base365) },
    },
    completion: {
      period,
      byAgency: byAgency.map(({ key, ...row }) => ({ agencyId: key, ...row })),
      byArea: byArea.map(({ key, ...row }) => ({ area: key, ...row })),
    },
  };
}
export type MetricsSummary = Awaited<ReturnType<typeof metricsSummary>>;

export interface CompletionRow {
  key: string;
  /** Interventions completed within the period (those with an assignment time are timed). */
  completed: number;
  medianDays: number | null;
  p90Days: number | null;
  /** Interventions due within the period, not declined, waived or cancelled, that are due by now or completed. */
  due: number;
  /** Of those, completed at or before their due time. */
  onTime: number;
  onTimeShare: number | null;
}

/**
 * The quarterly review's table, per agency or per need area: how long the work completed in
 * the period took from assignment to completion (median, 90th percentile), and how much of the
 * work due in the period was completed by its due time. Two groups of interventions, because
 * each question has its own: a slow completion is counted when it is done, a missed deadline
 * when it falls due (waiting for a completion that never comes would hide it). Declined, waived
 * and cancelled interventions are no one's lateness and are left out; work not yet due counts
 * once it is done, as for the follow-ups. Read off the partial indexes of migration 009.
 */
async function completionTable(db: Queryable, column: 'agency_id' | 'area', period: FiguresPeriod, at: string): Promise<CompletionRow[]> {
  const r = await db.query<{ k: string; completed: number; median: number | null; p90: number | null; due: number; on_time: number }>(`
    WITH bounds AS (
      SELECT ($1::date)::timestamp AT TIME ZONE '${FIGURES_TIME_ZONE}' AS lo,
             ($2::date + 1)::timestamp AT TIME ZONE '${FIGURES_TIME_ZONE}' AS hi),
    done AS (
      SELECT t.${column} AS k, count(*)::int AS completed,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.assigned_at) / 86400) AS median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.assigned_at) / 86400) AS p90
        FROM tasks t, bounds b
       WHERE t.kind = 'intervention' AND t.status = 'completed' AND t.${column} IS NOT NULL
         AND t.completed_at >= b.lo AND t.completed_at < b.hi
       GROUP BY 1),
    due AS (
      SELECT t.${column} AS k, count(*)::int AS due,
             count(*) FILTER (WHERE t.status = 'completed' AND t.completed_at <= t.due_at)::int AS on_time
        FROM tasks t, bounds b
       WHERE t.kind = 'intervention' AND t.${column} IS NOT NULL AND t.due_at >= b.lo AND t.due_at < b.hi
         AND t.status NOT IN ('declined', 'waived', 'cancelled') AND (t.due_at <= $3::timestamptz OR t.status = 'completed')
       GROUP BY 1)
    SELECT k, coalesce(done.completed, 0) AS completed, done.median, done.p90, coalesce(due.due, 0) AS due, coalesce(due.on_time, 0) AS on_time
      FROM done FULL JOIN due USING (k)
     ORDER BY k`, [period.from, period.to, at]);
  return r.rows.map((row) => ({
    key: row.k,
    completed: row.completed,
    medianDays: num(row.median),
    p90Days: num(row.p90),
    due: row.due,
    onTime: row.on_time,
    onTimeShare: row.due > 0 ? row.on_time / row.due : null,
  }));
}
