-- Up Migration

-- The event log: every decision on a client case, in the order it was made. Append-only.
CREATE TABLE events (
  -- Global order. Assigned under the append lock (see below), so positions become visible to
  -- readers in increasing order; rolled-back appends leave holes, never out-of-order commits.
  position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id      text        NOT NULL CHECK (stream_id <> ''),
  -- 1-based and gap-free within a stream; the optimistic-concurrency and idempotency key.
  version        int         NOT NULL CHECK (version >= 1),
  type           text        NOT NULL CHECK (type <> ''),
  schema_version int         NOT NULL DEFAULT 1 CHECK (schema_version >= 1),
  data           jsonb       NOT NULL,
  -- actor, requestId, correlationId, causationId, workflowRunId
  metadata       jsonb       NOT NULL CHECK (jsonb_typeof(metadata) = 'object' AND metadata ? 'actor'),
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, version)
);

COMMENT ON TABLE events IS
  'Append-only event log. Write only through store/event-store.ts appendToStream; UPDATE, DELETE and TRUNCATE raise.';

-- Append-only, enforced by the database. Statement-level triggers also fire when no row
-- matches, so "DELETE FROM events" on an empty table fails as well as on a full one.
CREATE FUNCTION reject_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a compensating event instead of changing history.';
END;
$$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();

-- Commit order = position order. Every INSERT into events takes one transaction-scoped
-- advisory lock before any row (and so any identity value) is produced; the lock is held until
-- the transaction ends, and PostgreSQL makes a commit visible before it releases its locks. So a
-- later position can never become visible before an earlier one, and a reader that remembers
-- "the last position I saw" never skips an event. appendToStream takes the same lock first
-- (re-entrant within a transaction), so this trigger only matters for other writers.
-- The key must equal APPEND_LOCK_KEY in store/event-store.ts.
CREATE FUNCTION serialize_event_appends() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4848200250596150597);
  RETURN NULL;
END;
$$;

CREATE TRIGGER events_serialize_appends
  BEFORE INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION serialize_event_appends();

-- Down Migration
DROP TABLE events;
DROP FUNCTION serialize_event_appends();
DROP FUNCTION reject_append_only_change();
