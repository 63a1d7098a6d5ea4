-- Up Migration

-- Who read what: one row per read request on personal data (route-level audit trail).
CREATE TABLE audit_reads (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  user_id   text        NOT NULL,
  role      text        NOT NULL,
  agency_id text,
  case_id   text,
  route     text        NOT NULL,
  method    text        NOT NULL,
  status    int         NOT NULL
);

-- "Who has looked at this case?" and "what has this user looked at?"
CREATE INDEX audit_reads_case_at ON audit_reads (case_id, at) WHERE case_id IS NOT NULL;
CREATE INDEX audit_reads_user_at ON audit_reads (user_id, at);

-- An audit record is never rewritten. DELETE stays possible for a retention job.
CREATE TRIGGER audit_reads_no_update
  BEFORE UPDATE ON audit_reads
  FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();

-- Responses to POSTs carrying an Idempotency-Key, replayed when the client retries.
CREATE TABLE idempotency_keys (
  key          text        NOT NULL,
  user_id      text        NOT NULL,
  request_hash text        NOT NULL,
  status       int         NOT NULL,
  response     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key, user_id)
);

-- For purging expired keys.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE audit_reads;
