-- Up Migration

-- Appends no longer wait for one another (issue 20). Until now every append took one exclusive
-- advisory lock, so positions became visible in increasing order and a reader could follow
-- "position > last seen". That lock was held 52 % of a loaded run and capped the whole system.
--
-- Now the log's global order is (tx, position): `tx` is the appending transaction's id. A
-- reader takes only rows whose transaction is older than the oldest one still in flight
-- (log_watermark() below): no row can appear behind such a row later, because every
-- transaction that could still add one has a larger id. See store/log-order.ts.
--
-- Rows written before this migration keep tx = 0: they were committed in position order.
--
-- The watermark: the oldest transaction that was still running when the reader's snapshot was
-- taken and that may write here. Transactions of other databases on the same server (Temporal's,
-- say) cannot write these tables, so they are left out when pg_stat_activity shows whose they
-- are; a transaction it does not show (ended meanwhile, or not visible to this role: grant it
-- pg_read_all_stats) counts, which can only make readers wait, never skip. STABLE: it sees the
-- snapshot of the query that calls it; call it as a scalar subquery so it runs once per query.
CREATE FUNCTION log_watermark() RETURNS xid8
LANGUAGE sql STABLE AS $$
  WITH snap AS (SELECT pg_current_snapshot() AS s),
       elsewhere AS (
         SELECT backend_xid::text::bigint AS xid32 FROM pg_stat_activity
          WHERE backend_xid IS NOT NULL
            AND datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))
  SELECT coalesce(
    (SELECT min(x) FROM snap, pg_snapshot_xip(snap.s) AS x
      WHERE (x::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM elsewhere)),
    (SELECT pg_snapshot_xmax(s) FROM snap))
$$;
ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT '0';
ALTER TABLE events ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX events_log_order ON events (tx, position);

-- The alert stream follows the same order (Last-Event-ID = "tx.seq").
ALTER TABLE alert_changes ADD COLUMN tx xid8 NOT NULL DEFAULT '0';
ALTER TABLE alert_changes ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX alert_changes_log_order ON alert_changes (tx, seq);
CREATE INDEX alert_changes_agency_log_order ON alert_changes (agency_id, tx, seq);
DROP INDEX alert_changes_agency;

-- A rebuild's checkpoint is a place in that order.
ALTER TABLE projection_checkpoints ADD COLUMN tx xid8 NOT NULL DEFAULT '0';

-- Appends share the append lock instead of queuing for it: a rebuild or a test can still hold
-- every append off (exclusively) while it swaps tables. Inserts that bypass appendToStream take
-- it through this trigger. The key must equal APPEND_LOCK_KEY in store/event-store.ts.
CREATE OR REPLACE FUNCTION serialize_event_appends() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(4848200250596150597);
  RETURN NULL;
END;
$$;

-- Down Migration
DROP FUNCTION log_watermark();
CREATE OR REPLACE FUNCTION serialize_event_appends() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4848200250596150597);
  RETURN NULL;
END;
$$;
ALTER TABLE projection_checkpoints DROP COLUMN tx;
CREATE INDEX alert_changes_agency ON alert_changes (agency_id, seq);
DROP INDEX alert_changes_agency_log_order;
DROP INDEX alert_changes_log_order;
ALTER TABLE alert_changes DROP COLUMN tx;
DROP INDEX events_log_order;
ALTER TABLE events DROP COLUMN tx;
