-- Up Migration

-- Each case's own data key, wrapped by a MASTER_KEYS key (store/case-keys.ts). The texts of the
-- case's events are sealed with it; erasing the client sets `wrapped` to NULL (crypto-shredding),
-- and the row stays as a tombstone so that nothing more can be sealed for an erased case.
CREATE TABLE case_keys (
  case_id       text PRIMARY KEY,
  master_key_id text NOT NULL,
  wrapped       bytea,
  created_at    timestamptz NOT NULL DEFAULT now(),
  erased_at     timestamptz,
  CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
);

-- The personal identity number sealed with the case's key, and a keyed hash to find it by.
-- The plain column is emptied by the API at start (sealPlainIdentityNumbers) and no longer written.
ALTER TABLE client_identities
  ADD COLUMN personal_identity_number_sealed text,
  ADD COLUMN personal_identity_number_hash text;
CREATE INDEX client_identities_pin_hash ON client_identities (personal_identity_number_hash)
  WHERE personal_identity_number_hash IS NOT NULL;

-- An erased case stays in the read models as a skeleton (for the figures) and is hidden everywhere.
ALTER TABLE case_summaries ADD COLUMN erased_at timestamptz;

-- Each erasure and how far it got: the PostgreSQL part is one transaction, the Temporal history
-- is deleted after it and retried by the housekeeping schedule until done. No personal data.
CREATE TABLE erasures (
  case_id            text PRIMARY KEY,
  reason             text NOT NULL,
  requested_by       text NOT NULL,
  requested_at       timestamptz NOT NULL DEFAULT now(),
  history_deleted_at timestamptz
);

-- Idempotency rows of a case are deleted with it; the response itself no longer holds client data.
ALTER TABLE idempotency_keys ADD COLUMN case_id text;
CREATE INDEX idempotency_keys_case ON idempotency_keys (case_id) WHERE case_id IS NOT NULL;

-- Down Migration
DROP INDEX idempotency_keys_case;
ALTER TABLE idempotency_keys DROP COLUMN case_id;
DROP TABLE erasures;
ALTER TABLE case_summaries DROP COLUMN erased_at;
DROP INDEX client_identities_pin_hash;
ALTER TABLE client_identities DROP COLUMN personal_identity_number_hash, DROP COLUMN personal_identity_number_sealed;
DROP TABLE case_keys;
