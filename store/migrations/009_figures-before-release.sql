-- Up Migration

-- The figures count what happened *before* a release (issue 18): "no external contact before
-- release" and "coordination meetings per released client" must not count meetings held after
-- it. Meetings live only in the case's whole state, which the figures must not read per case
-- (see 008), so each summary row keeps its count of meetings held at or before its (latest)
-- release, NULL while the case has never been released; written with the rest of the row.
ALTER TABLE case_summaries ADD COLUMN meetings_before_release int;
UPDATE case_summaries s SET meetings_before_release = (
    SELECT count(*)::int FROM jsonb_array_elements(st.state->'meetings') m
     WHERE (m->>'at')::timestamptz <= s.released_at)
  FROM case_states st WHERE st.case_id = s.case_id AND s.released_at IS NOT NULL;

-- "A release with no gap" means no gap of any kind (DOMAIN.md "Gaps and alerts") open at the
-- moment of release, not only a level-3 "released with gap" alert. The projection counts the
-- gaps open at the release as the domain defines them (gapsAt, just before and just after the
-- release event: store/release-outcomes.ts) and keeps the count of the latest release here.
-- Rows released before this migration get the nearest reading the read models allow: alerts
-- whose gap began at or before the release and that were not resolved by then (every gap kind
-- raises an alert at its start, domain/alert-plan.ts); `npm run projections:rebuild` replaces
-- that with the exact count.
ALTER TABLE case_summaries ADD COLUMN gaps_at_release int;
UPDATE case_summaries s SET gaps_at_release = (
    SELECT count(DISTINCT (a.kind, coalesce(a.intervention_id, a.follow_up_id, 'case')))::int FROM alerts a
     WHERE a.case_id = s.case_id AND a.since <= s.released_at AND (a.resolved_at IS NULL OR a.resolved_at > s.released_at))
  WHERE s.released_at IS NOT NULL;

-- The per agency and per area table reads the interventions completed, or due, within a period:
-- off these instead of the whole tasks table.
CREATE INDEX tasks_intervention_completed ON tasks (completed_at) WHERE kind = 'intervention' AND status = 'completed';
CREATE INDEX tasks_intervention_due ON tasks (due_at) WHERE kind = 'intervention';

-- Down Migration
DROP INDEX tasks_intervention_due;
DROP INDEX tasks_intervention_completed;
ALTER TABLE case_summaries DROP COLUMN gaps_at_release, DROP COLUMN meetings_before_release;
