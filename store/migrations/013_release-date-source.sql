-- Up Migration

-- Whose date a case's working release date is (issue 18's leftover): `estimate` while it is the
-- estimate from the sentence, `kriminalvarden` once Kriminalvården's own is set, NULL for a case
-- without a sentence. The case list and the inboxes show it next to the date, so nobody plans
-- on an estimate as if it were the decision. Filled from the cases' exact states.
ALTER TABLE case_summaries ADD COLUMN release_date_source text;
UPDATE case_summaries s SET release_date_source = c.state->>'releaseDateSource'
  FROM case_states c WHERE c.case_id = s.case_id AND c.state ? 'releaseDateSource';

-- Down Migration
ALTER TABLE case_summaries DROP COLUMN release_date_source;
