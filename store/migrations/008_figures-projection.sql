-- Up Migration

-- The figures (store/metrics-summary.ts) must cost little at 10,000 released cases. Their
-- reoffence count read every case's whole state and, for each release, scanned every outcome of
-- every case (15.5 s at 10,000 released cases, bench figures). Each case's releases and the
-- first new remand after each are kept on its summary row instead (store/release-outcomes.ts),
-- written with the rest of the row.
ALTER TABLE case_summaries ADD COLUMN release_outcomes jsonb NOT NULL DEFAULT '[]';
UPDATE case_summaries s SET release_outcomes = coalesce((
    SELECT jsonb_agg(jsonb_build_object('released', r->>'at', 'remand', (
             SELECT n->>'at' FROM jsonb_array_elements(st.state->'outcomes') n
              WHERE n->>'kind' = 'new_remand' AND (n->>'at')::timestamptz > (r->>'at')::timestamptz
              ORDER BY (n->>'at')::timestamptz LIMIT 1)))
      FROM jsonb_array_elements(st.state->'outcomes') r WHERE r->>'kind' = 'released'), '[]')
  FROM case_states st WHERE st.case_id = s.case_id;

-- Down Migration
ALTER TABLE case_summaries DROP COLUMN release_outcomes;
