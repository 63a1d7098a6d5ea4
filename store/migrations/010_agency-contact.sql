-- Up Migration

-- How partners reach an agency (issue 21: an inbox names the coordinating agency and its
-- contact): the agency's own phone and e-mail, `{ "phone": …, "email": … }`, NULL when not given.
ALTER TABLE agencies ADD COLUMN contact jsonb;

-- Down Migration
ALTER TABLE agencies DROP COLUMN contact;
