-- Up Migration

-- Access follows the case's relationship (domain/access.ts): coordinators list the cases their
-- agency coordinates, holds or takes over; supervisors those it coordinates or is consented to.
ALTER TABLE case_summaries ADD COLUMN holder_agency_id text, ADD COLUMN successor_agency_id text;
UPDATE case_summaries s SET holder_agency_id = st.state->'responsibility'->>'holderAgencyId',
                            successor_agency_id = st.state->'responsibility'->>'successorAgencyId'
  FROM case_states st WHERE st.case_id = s.case_id;
CREATE INDEX case_summaries_coordinator ON case_summaries (coordinator_agency_id);
CREATE INDEX case_summaries_holder ON case_summaries (holder_agency_id) WHERE holder_agency_id IS NOT NULL;
CREATE INDEX case_summaries_successor ON case_summaries (successor_agency_id) WHERE successor_agency_id IS NOT NULL;
CREATE INDEX case_summaries_consent ON case_summaries USING gin (consent_agency_ids);

-- An alert that ended because its addressee lost access (consent withdrawn), not because its gap closed.
ALTER TABLE alerts ADD COLUMN resolved_reason text;

-- What a read showed (case, events, case-list, tasks, …): the client's access log names it.
ALTER TABLE audit_reads ADD COLUMN what text;
CREATE INDEX audit_reads_case_newest ON audit_reads (case_id, at DESC, id DESC) WHERE case_id IS NOT NULL;
DROP INDEX audit_reads_case_at;

-- Down Migration
CREATE INDEX audit_reads_case_at ON audit_reads (case_id, at) WHERE case_id IS NOT NULL;
DROP INDEX audit_reads_case_newest;
ALTER TABLE audit_reads DROP COLUMN what;
ALTER TABLE alerts DROP COLUMN resolved_reason;
DROP INDEX case_summaries_consent;
DROP INDEX case_summaries_successor;
DROP INDEX case_summaries_holder;
DROP INDEX case_summaries_coordinator;
ALTER TABLE case_summaries DROP COLUMN successor_agency_id, DROP COLUMN holder_agency_id;
