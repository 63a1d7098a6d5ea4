import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import { APPEND_LOCK_KEY, cursorOf, readAll } from './event-store';
import { CaseKeys } from './case-keys';
import { formatCursor, LOG_START, type LogCursor } from './log-order';
import { projectEvents } from './projections';
import { openEvents } from './sealed-events';

/**
 * Rebuilds every read model from the event log, with the same `projectEvents` the appends use.
 *
 * Replay, swap, compare:
 * - Replay goes into shadow tables: schema `projection_rebuild` holds an empty copy
 *   (`LIKE … INCLUDING ALL`) of each read-model table. The projection code is not changed; its
 *   unqualified table names are pointed at the shadow by a transaction-local `search_path` that
 *   names only the shadow schema, so a table the projection writes that is not in
 *   READ_MODEL_TABLES fails loudly ("relation does not exist") instead of touching a live table.
 *   It reads with `readAll`, `batchSize` events per transaction, without blocking appends, and
 *   projects each batch in one call: `projectEvents` gives the same rows however the events
 *   are grouped. Each batch commits with the checkpoint `projection_checkpoints.rebuild`, so an
 *   interrupted rebuild resumes where it stopped (or starts over with `restart: true`).
 * - Swap: one transaction takes the append lock exclusively (appends hold it shared, so none
 *   is in flight and none starts), replays the few events appended meanwhile, and replaces the
 *   live rows with the shadow's (DELETE + INSERT, not TRUNCATE or a rename: readers keep seeing
 *   the old rows until COMMIT and never wait). Appends wait only for this step (`lockedMs`).
 * - Compare (`compareWithLive`) replays into temporary tables and diffs them with the live ones.
 *
 * `alert_changes.seq` (part of the SSE feed's Last-Event-ID): preserved, never reused
 * A rebuilt change that the live feed holds too (same alert, agency, status and time) keeps the
 * live `seq` and `tx`. The changes of an alert that has any change the live feed lacks are all
 * numbered anew above the highest `seq` ever handed out, in order, with the rebuild's own
 * transaction as `tx`, so they come after every place a client can hold; live rows the log does
 * not imply are dropped. So a rebuild that agrees with the live feed leaves every id as it was,
 * and after a repair a client resuming with any old Last-Event-ID misses nothing: it receives
 * exactly the repaired alerts' changes again, each alert's in order (at-least-once, never a
 * silent gap).
 *
 * Not rebuilt (they are not derived from events): events, client_identities, agencies,
 * policies, idempotency_keys, audit_reads, case_keys.
 */

/** Every table `projectEvents` writes. */
export const READ_MODEL_TABLES = [
  'case_states', 'case_summaries', 'tasks', 'case_gaps', 'alerts', 'alert_changes', 'reminders',
] as const;
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

export const REBUILD_CHECKPOINT = 'rebuild';
export const REBUILD_SCHEMA = 'projection_rebuild';
/** Session advisory lock held by a running rebuild, so two never run at once. */
export const REBUILD_LOCK_KEY = '4848200250596150598';
export const DEFAULT_BATCH_SIZE = 5000;

export interface RebuildOptions {
  /**
   * Events read per transaction (default 5000). Larger batches merge more appends per case into
   * one projection call (fewer round trips) and hold more in memory.
   */
  batchSize?: number;
  /** Called after every batch: events projected so far (including a resumed part) and the log's size. */
  onProgress?: (done: number, total: number) => void;
  /** Discard the shadow of an interrupted rebuild instead of resuming it. */
  restart?: boolean;
  /** Opens the sealed texts of the events (MASTER_KEYS of this process when not given). */
  keys?: CaseKeys;
}

export interface RebuildResult {
  /** Events replayed by this run (a resumed run does not count what was done before). */
  events: number;
  /** Last place in the log now reflected in the read models ("tx.position"; "0.0" for an empty log). */
  position: string;
  /** Checkpoint this run resumed from ("tx.position"), or null when it started from the beginning. */
  resumedFrom: string | null;
  seconds: number;
  eventsPerSecond: number;
  /** How long appends waited for the final catch-up and the swap. */
  lockedMs: number;
  /** alert_changes rows that kept their live `seq`, and rows numbered anew above every old one. */
  alertChanges: { kept: number; renumbered: number };
}

export interface CompareOptions {
  batchSize?: number;
  keys?: CaseKeys;
  onProgress?: (done: number, total: number) => void;
  /** Rows to show per table and side (default 5). */
  sampleSize?: number;
}

export interface TableDifference {
  table: ReadModelTable;
  /** Rows the log implies that the live table lacks (or holds with other values). */
  missingInLive: number;
  /** Rows the live table holds that the log does not imply. */
  unexpectedInLive: number;
  samples: { missingInLive: Record<string, unknown>[]; unexpectedInLive: Record<string, unknown>[] };
}

export interface CompareResult {
  equal: boolean;
  /** One entry per table that differs; `alert_changes` is compared without its `seq` and `tx`. */
  differences: TableDifference[];
  /** Events replayed, and the place in the log ("tx.position") the comparison was made at. */
  events: number;
  position: string;
  seconds: number;
  eventsPerSecond: number;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor() {
    super('Another projection rebuild is running on this database');
  }
}

/**
 * Rebuilds every read model from the log (see the module comment) and returns what it did.
 * Resumes an interrupted rebuild unless `restart`. Throws RebuildInProgressError when another
 * rebuild holds the rebuild lock.
 */
export async function rebuildProjections(pool: Pool, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = performance.now();
  const batchSize = checkBatchSize(options.batchSize);
  const client = await pool.connect();
  let broken: Error | undefined;
  let holdsRebuildLock = false;
  try {
    const got = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${REBUILD_LOCK_KEY}) AS ok`);
    if (!got.rows[0]?.ok) throw new RebuildInProgressError();
    holdsRebuildLock = true;

    const session = await describeSession(client);
    const resumedFrom = await prepareShadow(client, session, options.restart ?? false);
    const counts = await client.query<{ total: string; before: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE (tx, position) <= ($1::xid8, $2::bigint)) AS before FROM ${q(session.live, 'events')}`,
      [(resumedFrom ?? LOG_START).tx, (resumedFrom ?? LOG_START).n],
    );
    let total = Number(counts.rows[0]?.total ?? 0);
    const before = Number(counts.rows[0]?.before ?? 0);
    const replay = new Replayer(client, session, options.keys ?? CaseKeys.fromEnv(), ident(REBUILD_SCHEMA), resumedFrom ?? LOG_START, batchSize, REBUILD_CHECKPOINT);
    const progress = () => {
      total = Math.max(total, before + replay.events);
      options.onProgress?.(before + replay.events, total);
    };
    progress();

    // Catch up without blocking appends, one committed batch (and checkpoint) at a time.
    for (let more = true; more; ) {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      more = await replay.step();
      await commit(client);
      progress();
    }

    // The last stretch and the swap, with appends held off.
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const lockedAt = performance.now();
    await client.query(`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
    while (await replay.step({ complete: true })) progress();
    const alertChanges = await swapIntoLive(client, session);
    await writeCheckpoint(client, session, REBUILD_CHECKPOINT, replay.projected);
    await client.query(`DROP SCHEMA ${ident(REBUILD_SCHEMA)} CASCADE`);
    await commit(client);
    const lockedMs = performance.now() - lockedAt;
    progress();

    const seconds = (performance.now() - started) / 1000;
    return {
      events: replay.events,
      position: formatCursor(replay.projected),
      resumedFrom: resumedFrom ? formatCursor(resumedFrom) : null,
      seconds,
      eventsPerSecond: seconds > 0 ? replay.events / seconds : 0,
      lockedMs,
      alertChanges,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    if (holdsRebuildLock && !broken) {
      await client.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK_KEY})`).catch((e: Error) => {
        broken = e;
      });
    }
    client.release(broken);
  }
}

/**
 * Replays the whole log into temporary copies of the read models and diffs them with the live
 * tables, row set against row set (as multisets; `alert_changes` without `seq` and `tx`).
 * Changes nothing: everything happens in one transaction that is rolled back. The diff itself
 * runs with appends held off, so the live tables and the replay stand at the same place;
 * appends wait only for the last few events and the diff.
 */
export async function compareWithLive(pool: Pool, options: CompareOptions = {}): Promise<CompareResult> {
  const started = performance.now();
  const batchSize = checkBatchSize(options.batchSize);
  const sampleSize = options.sampleSize ?? 5;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const session = await describeSession(client);
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    for (const table of READ_MODEL_TABLES) {
      await client.query(`CREATE TEMP TABLE ${ident(table)} (LIKE ${q(session.live, table)} INCLUDING ALL) ON COMMIT DROP`);
    }
    const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(session.live, 'events')}`);
    let total = Number(counted.rows[0]?.n ?? 0);
    const replay = new Replayer(client, session, options.keys ?? CaseKeys.fromEnv(), 'pg_temp', LOG_START, batchSize);
    const progress = () => {
      total = Math.max(total, replay.events);
      options.onProgress?.(replay.events, total);
    };
    progress();
    while (await replay.step()) progress();
    await client.query(`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
    while (await replay.step({ complete: true })) progress();
    progress();

    const differences: TableDifference[] = [];
    for (const table of READ_MODEL_TABLES) {
      const diff = await diffTable(client, session, table, sampleSize);
      if (diff) differences.push(diff);
    }
    await client.query('ROLLBACK');
    const seconds = (performance.now() - started) / 1000;
    return {
      equal: differences.length === 0,
      differences,
      events: replay.events,
      position: formatCursor(replay.projected),
      seconds,
      eventsPerSecond: seconds > 0 ? replay.events / seconds : 0,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

// ---------------------------------------------------------------------------------------------

interface Session {
  /** Schema of the live tables (where `events` resolves). */
  live: string;
  /** The session's search_path, restored after each stretch of projection. */
  searchPath: string;
}

/**
 * Reads the log batch by batch and projects it into the tables that `target` (a search_path)
 * names. Call `step` inside a transaction.
 */
class Replayer {
  /** The last event projected. */
  projected: LogCursor;
  events = 0;

  constructor(
    private readonly client: PoolClient,
    private readonly session: Session,
    private readonly keys: CaseKeys,
    private readonly target: string,
    from: LogCursor,
    private readonly batchSize: number,
    private readonly checkpoint?: string,
  ) {
    this.projected = from;
  }

  /** Projects one batch; false once the log's (final) end has been reached and projected. */
  async step(read: { complete?: boolean } = {}): Promise<boolean> {
    const batch = await readAll(this.client, this.projected, this.batchSize, read);
    if (batch.length === 0) return false;
    // Texts are opened under the session's search path (case_keys is not a read model); an
    // erased case's texts come back as erased, so a rebuild after an erasure still agrees.
    const opened = await openEvents(this.client, this.keys, batch);
    await setSearchPath(this.client, this.target);
    try {
      await projectEvents(this.client, opened);
    } catch (err) {
      throw new Error(
        `rebuild: projecting positions ${batch[0]!.position}–${batch[batch.length - 1]!.position} failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
    await setSearchPath(this.client, this.session.searchPath);
    this.projected = cursorOf(batch[batch.length - 1]!);
    this.events += batch.length;
    if (this.checkpoint) await writeCheckpoint(this.client, this.session, this.checkpoint, this.projected);
    return batch.length === this.batchSize;
  }
}

async function describeSession(client: PoolClient): Promise<Session> {
  const res = await client.query<{ live: string | null; search_path: string }>(
    `SELECT (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.oid = to_regclass('events')) AS live,
            current_setting('search_path') AS search_path`,
  );
  const row = res.rows[0];
  if (!row?.live) throw new Error('rebuild: no events table on the search_path; run the migrations first');
  const present = await tableShapes(client, row.live, [...READ_MODEL_TABLES, 'projection_checkpoints']);
  const missing = [...READ_MODEL_TABLES, 'projection_checkpoints'].filter((t) => !present.has(t));
  if (missing.length > 0) throw new Error(`rebuild: read-model tables missing in schema ${row.live}: ${missing.join(', ')}; run the migrations first`);
  return { live: row.live, searchPath: row.search_path };
}

/** Column lists (name, type, nullability) of `tables` (the read models unless given) in `schema`. */
async function tableShapes(client: PoolClient, schema: string, tables: readonly string[] = READ_MODEL_TABLES): Promise<Map<string, string>> {
  const res = await client.query<{ table: string; shape: string }>(
    `SELECT c.relname AS table,
            string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                       ', ' ORDER BY a.attnum) AS shape
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2)
      GROUP BY c.relname`,
    [schema, tables],
  );
  return new Map(res.rows.map((r) => [r.table, r.shape]));
}

/**
 * Resumes the shadow of an interrupted rebuild when there is one whose tables still match the
 * live ones (returns its checkpoint); otherwise creates an empty shadow and returns null.
 */
async function prepareShadow(client: PoolClient, session: Session, restart: boolean): Promise<LogCursor | null> {
  if (!restart) {
    const cp = await client.query<{ tx: string; position: string }>(
      `SELECT tx::text, position::text FROM ${q(session.live, 'projection_checkpoints')} WHERE name = $1`,
      [REBUILD_CHECKPOINT],
    );
    const live = await tableShapes(client, session.live);
    const shadow = await tableShapes(client, REBUILD_SCHEMA);
    const same = [...live].every(([table, shape]) => shadow.get(table) === shape) && shadow.size === live.size;
    const at = cp.rows[0];
    if (at !== undefined && same) return { tx: at.tx, n: at.position };
  }
  await client.query('BEGIN');
  await client.query(`DROP SCHEMA IF EXISTS ${ident(REBUILD_SCHEMA)} CASCADE`);
  await client.query(`CREATE SCHEMA ${ident(REBUILD_SCHEMA)}`);
  for (const table of READ_MODEL_TABLES) {
    await client.query(`CREATE TABLE ${q(REBUILD_SCHEMA, table)} (LIKE ${q(session.live, table)} INCLUDING ALL)`);
  }
  await writeCheckpoint(client, session, REBUILD_CHECKPOINT, LOG_START);
  await commit(client);
  return null;
}

/** Under the append lock: the live read models become the shadow's. */
async function swapIntoLive(client: PoolClient, session: Session): Promise<RebuildResult['alertChanges']> {
  for (const table of READ_MODEL_TABLES) {
    if (table === 'alert_changes') continue;
    const cols = (await insertableColumns(client, session.live, table)).map(ident).join(', ');
    await client.query(`DELETE FROM ${q(session.live, table)}`);
    await client.query(`INSERT INTO ${q(session.live, table)} (${cols}) SELECT ${cols} FROM ${q(REBUILD_SCHEMA, table)}`);
  }
  return swapAlertChanges(client, session);
}

/** See "alert_changes.seq" in the module comment. */
async function swapAlertChanges(client: PoolClient, session: Session): Promise<RebuildResult['alertChanges']> {
  const live = q(session.live, 'alert_changes');
  const shadow = q(REBUILD_SCHEMA, 'alert_changes');
  const cols = (await insertableColumns(client, session.live, 'alert_changes')).filter((c) => !ORDER_COLUMNS.has(c)).map(ident);
  const list = cols.join(', ');
  // Match rebuilt rows to live rows by content (a multiset match: the n-th copy of a row to the
  // n-th copy). Every column is NOT NULL, so plain equality (hashable) is right.
  await client.query(
    `CREATE TEMP TABLE rebuilt_alert_changes ON COMMIT DROP AS
     WITH l AS (SELECT seq, tx, ${list}, row_number() OVER (PARTITION BY ${list} ORDER BY tx, seq) AS copy FROM ${live}),
          r AS (SELECT seq, tx, ${list}, row_number() OVER (PARTITION BY ${list} ORDER BY tx, seq) AS copy FROM ${shadow})
     SELECT r.tx AS rebuilt_tx, r.seq AS rebuilt_seq, l.seq AS live_seq, l.tx AS live_tx, ${cols.map((c) => `r.${c}`).join(', ')}
       FROM r LEFT JOIN l ON l.copy = r.copy AND ${cols.map((c) => `l.${c} = r.${c}`).join(' AND ')}`,
  );
  const seqName = `pg_get_serial_sequence('${live.replace(/'/g, "''")}', 'seq')::regclass`;
  const plan = await client.query<{ base: string }>(
    `SELECT GREATEST((SELECT coalesce(max(seq), 0) FROM ${live}), coalesce(pg_sequence_last_value(${seqName}), 0))::text AS base`,
  );
  const base = plan.rows[0]?.base ?? '0';
  await client.query(`DELETE FROM ${live}`);
  // An alert with any change the live feed lacks gets all its changes renumbered, so that its
  // changes stay in order (a client must never see "resolved" before "open").
  const inserted = await client.query<{ kept: string; renumbered: string; top: string | null }>(
    `WITH redo AS (SELECT DISTINCT alert_id FROM rebuilt_alert_changes WHERE live_seq IS NULL),
          numbered AS (
            SELECT CASE WHEN redo.alert_id IS NULL THEN c.live_seq
                        ELSE $1::bigint + row_number() OVER (PARTITION BY redo.alert_id IS NULL ORDER BY c.rebuilt_tx, c.rebuilt_seq) END AS seq,
                   CASE WHEN redo.alert_id IS NULL THEN c.live_tx ELSE pg_current_xact_id() END AS tx,
                   ${cols.map((c) => `c.${c}`).join(', ')}
              FROM rebuilt_alert_changes c LEFT JOIN redo ON redo.alert_id = c.alert_id),
          ins AS (INSERT INTO ${live} (seq, tx, ${list}) OVERRIDING SYSTEM VALUE SELECT seq, tx, ${list} FROM numbered ORDER BY seq RETURNING seq)
     SELECT count(*) FILTER (WHERE seq <= $1::bigint)::text AS kept, count(*) FILTER (WHERE seq > $1::bigint)::text AS renumbered,
            max(seq)::text AS top FROM ins`,
    [base],
  );
  const row = inserted.rows[0];
  const top = BigInt(row?.top ?? '0') > BigInt(base) ? BigInt(row?.top ?? '0') : BigInt(base);
  // Never move the identity backwards: a seq once handed to a client is never handed out again.
  if (top > 0n) await client.query(`SELECT setval(${seqName}, GREATEST($1::bigint, coalesce(pg_sequence_last_value(${seqName}), 0)))`, [top.toString()]);
  return { kept: Number(row?.kept ?? 0), renumbered: Number(row?.renumbered ?? 0) };
}

async function diffTable(client: PoolClient, session: Session, table: ReadModelTable, sampleSize: number): Promise<TableDifference | null> {
  const cols = (await insertableColumns(client, session.live, table)).filter((c) => !(table === 'alert_changes' && ORDER_COLUMNS.has(c)));
  const list = cols.map(ident).join(', ');
  const res = await client.query<{
    missing: number; unexpected: number; missing_sample: Record<string, unknown>[]; unexpected_sample: Record<string, unknown>[];
  }>(
    `WITH r AS (SELECT ${list} FROM pg_temp.${ident(table)}),
          l AS (SELECT ${list} FROM ${q(session.live, table)}),
          m AS (SELECT * FROM r EXCEPT ALL SELECT * FROM l),
          u AS (SELECT * FROM l EXCEPT ALL SELECT * FROM r)
     SELECT (SELECT count(*) FROM m)::int AS missing, (SELECT count(*) FROM u)::int AS unexpected,
            (SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT * FROM m ORDER BY 1 LIMIT $1) x) AS missing_sample,
            (SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT * FROM u ORDER BY 1 LIMIT $1) x) AS unexpected_sample`,
    [sampleSize],
  );
  const row = res.rows[0]!;
  if (row.missing === 0 && row.unexpected === 0) return null;
  return {
    table,
    missingInLive: row.missing,
    unexpectedInLive: row.unexpected,
    samples: { missingInLive: row.missing_sample, unexpectedInLive: row.unexpected_sample },
  };
}

/** Columns in table order, without generated ones (which cannot be inserted). */
async function insertableColumns(client: PoolClient, schema: string, table: string): Promise<string[]> {
  const res = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [q(schema, table)],
  );
  return res.rows.map((r) => r.name);
}

/** `alert_changes` columns that say where a change stands in the feed, not what it is. */
const ORDER_COLUMNS = new Set(['seq', 'tx']);

async function writeCheckpoint(client: PoolClient, session: Session, name: string, at: LogCursor): Promise<void> {
  const table = q(session.live, 'projection_checkpoints');
  await client.query(
    `INSERT INTO ${table} (name, tx, position) VALUES ($1, $2::xid8, $3::bigint)
     ON CONFLICT (name) DO UPDATE SET tx = EXCLUDED.tx, position = EXCLUDED.position`,
    [name, at.tx, at.n],
  );
}

async function setSearchPath(client: PoolClient, path: string): Promise<void> {
  await client.query(`SELECT set_config('search_path', $1, true)`, [path]);
}

/** COMMIT that reports a transaction PostgreSQL rolled back instead (a failed statement in it). */
async function commit(client: PoolClient): Promise<void> {
  const done = await client.query('COMMIT');
  if (done.command !== 'COMMIT') throw new Error('rebuild: the transaction was rolled back');
}

function checkBatchSize(n: number | undefined): number {
  const size = n ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new TypeError(`batchSize must be a positive integer, got ${String(n)}`);
  return size;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function q(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}
