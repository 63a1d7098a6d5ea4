import type { Pool } from 'pg';
import { migrate } from '../../store/migrate';
import { compareCursors, parseCursor } from '../../store/log-order';
import {
  compareWithLive,
  READ_MODEL_TABLES,
  REBUILD_CHECKPOINT,
  REBUILD_SCHEMA,
  RebuildInProgressError,
  rebuildProjections,
  type RebuildResult,
} from '../../store/rebuild-projections';
import { createTestDatabase } from '../../dev/database';
import { generateLog, type GeneratedLog } from '../support/generate-log';

/*
 * One realistic log of 4,000 events, written through the real domain, appendToStream and the
 * live projector; every test below rebuilds from it and holds the result against what the live
 * projector produced. The tests share the log and run in order.
 */

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let log: GeneratedLog;
let original: Snapshot;
let originalEvents: string;
const rates: string[] = [];
const LOG_EVENTS = 4_000;

type Snapshot = Record<(typeof READ_MODEL_TABLES)[number], Record<string, unknown>[]>;

const ORDER: Record<(typeof READ_MODEL_TABLES)[number], string> = {
  case_states: 'case_id',
  case_summaries: 'case_id',
  tasks: 'task_id',
  case_gaps: 'case_id, kind, subject',
  alerts: 'alert_id',
  alert_changes: 'seq',
  reminders: 'case_id, reminder_id',
};

async function snapshot(): Promise<Snapshot> {
  const out = {} as Snapshot;
  for (const table of READ_MODEL_TABLES) {
    out[table] = (await pool.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`)).rows;
  }
  return out;
}

/** Every event row, including the transaction that wrote it: any rewrite would change this. */
async function eventsFingerprint(): Promise<string> {
  const r = await pool.query<{ n: string; fp: string }>(
    `SELECT count(*) AS n, md5(string_agg(xmin::text || ' ' || e::text, E'\\n' ORDER BY position)) AS fp FROM events e`,
  );
  return `${r.rows[0]!.n}:${r.rows[0]!.fp}`;
}

/** The last event in the log's order, as "tx.position". */
async function head(): Promise<string> {
  const r = await pool.query<{ c: string }>(`SELECT tx::text || '.' || position::text AS c FROM events ORDER BY tx DESC, position DESC LIMIT 1`);
  return r.rows[0]?.c ?? '0.0';
}

async function checkpoint(name: string): Promise<string | undefined> {
  return (await pool.query<{ c: string }>(`SELECT tx::text || '.' || position::text AS c FROM projection_checkpoints WHERE name = $1`, [name])).rows[0]?.c;
}

/** Events up to and including `cursor` in the log's order. */
async function eventsUpTo(cursor: string): Promise<number> {
  const c = parseCursor(cursor)!;
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE (tx, position) <= ($1::xid8, $2::bigint)', [c.tx, c.n])).rows[0]!.n);
}

async function shadowExists(): Promise<boolean> {
  return (await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [REBUILD_SCHEMA])).rowCount === 1;
}

function noteRate(label: string, r: Pick<RebuildResult, 'events' | 'seconds' | 'eventsPerSecond'>) {
  rates.push(`${label}: ${r.events} events in ${r.seconds.toFixed(2)} s = ${Math.round(r.eventsPerSecond)} events/s`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  // Durability is not under test: without a flush per commit the appends go faster.
  pool.on('connect', (client) => {
    client.query('SET synchronous_commit = off').catch(() => undefined);
  });
  await migrate(db.url);
  // 4,000 events hold every event type and phase the checks need; the full-size rebuild rate is
  // the benchmark's (`npm run bench -- --only rebuild`), not this test's.
  log = await generateLog(pool, { targetEvents: LOG_EVENTS, seed: 20250106 });
  original = await snapshot();
  originalEvents = await eventsFingerprint();
}, 240_000);

afterAll(async () => {
  if (log) rates.unshift(`generateLog: ${log.events} events in ${log.appends} appends, ${(log.elapsedMs / 1000).toFixed(1)} s`);
  if (rates.length > 0) console.log(`Rebuild rates on the ${log?.events}-event log:\n  ${rates.join('\n  ')}`);
  await db?.drop();
});

describe('the generated log', () => {
  it('has 4,000 events from the real domain, with alerts raised, acknowledged and resolved', async () => {
    expect(log.events).toBeGreaterThanOrEqual(LOG_EVENTS);
    expect(log.events).toBeLessThan(LOG_EVENTS + 20);
    expect(log.rejected).toBe(0);
    expect(Object.keys(log.byType)).toEqual(expect.arrayContaining([
      'CaseOpened', 'InterventionAccepted', 'InterventionCompleted', 'InterventionDeclined', 'PhaseChanged',
      'FollowUpScheduled', 'FollowUpCompleted', 'FollowUpMissed', 'ReminderSent', 'AlertRaised', 'AlertAcknowledged',
      'AlertResolved',
    ]));
    const phases = new Set(original.case_summaries.map((s) => s.phase));
    expect([...phases]).toEqual(expect.arrayContaining(['anstalt', 'utslussning', 'frigiven', 'avslutad']));
    const statuses = new Set(original.alerts.map((a) => a.status));
    expect([...statuses]).toEqual(expect.arrayContaining(['open', 'acknowledged', 'resolved']));
    expect(original.alert_changes.length).toBeGreaterThan(original.alerts.length);
    expect(original.tasks.length).toBeGreaterThan(500);
  });
});

describe('compareWithLive', () => {
  it('finds the live read models equal to the ones the log implies', async () => {
    const r = await compareWithLive(pool);
    expect(r.differences).toEqual([]);
    expect(r.equal).toBe(true);
    expect(r.events).toBe(log.events);
    expect(r.position).toBe(await head());
    noteRate('compareWithLive', r);
    expect(await snapshot()).toEqual(original);
  });
});

describe('rebuildProjections', () => {
  it('rebuilds exactly the live read models, and leaves the events alone', async () => {
    const progress: [number, number][] = [];
    const r = await rebuildProjections(pool, { onProgress: (done, total) => progress.push([done, total]) });
    noteRate('rebuild', r);
    expect(r).toMatchObject({ events: log.events, position: await head(), resumedFrom: null });
    expect(r.alertChanges).toEqual({ kept: original.alert_changes.length, renumbered: 0 });
    expect(progress[progress.length - 1]).toEqual([log.events, log.events]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));

    const after = await snapshot();
    // Table by table first, for a readable failure; then everything, alert_changes.seq included.
    for (const table of ['case_summaries', 'tasks', 'alerts'] as const) expect({ table, rows: after[table] }).toEqual({ table, rows: original[table] });
    expect(after).toEqual(original);
    expect(await eventsFingerprint()).toBe(originalEvents);
    expect(await checkpoint(REBUILD_CHECKPOINT)).toBe(await head());
    expect(await shadowExists()).toBe(false);
  });

  it('is harmless to run again: identical tables, events untouched', async () => {
    const r = await rebuildProjections(pool, { batchSize: 20_000 });
    noteRate('rebuild again, batchSize 20000', r);
    expect(r.events).toBe(log.events);
    expect(await snapshot()).toEqual(original);
    expect(await eventsFingerprint()).toBe(originalEvents);
  });

  it('restores deleted and altered read-model rows; alerts whose feed changed get fresh seq numbers', async () => {
    const victims = (await pool.query<{ alert_id: string }>(
      `SELECT alert_id FROM alert_changes GROUP BY alert_id HAVING count(*) > 1 ORDER BY alert_id LIMIT 5`,
    )).rows.map((r) => r.alert_id);
    expect(victims).toHaveLength(5);
    await pool.query(`DELETE FROM tasks WHERE task_id IN (SELECT task_id FROM tasks ORDER BY task_id LIMIT 50)`);
    await pool.query(`DELETE FROM alerts WHERE alert_id IN (SELECT alert_id FROM alerts ORDER BY alert_id DESC LIMIT 30)`);
    await pool.query(`DELETE FROM case_summaries WHERE case_id IN (SELECT case_id FROM case_summaries ORDER BY case_id LIMIT 20)`);
    await pool.query(`DELETE FROM case_gaps`);
    await pool.query(`DELETE FROM reminders WHERE reminder_id IN (SELECT reminder_id FROM reminders ORDER BY reminder_id LIMIT 10)`);
    await pool.query(`UPDATE case_states SET updated_at = updated_at + interval '1 day' WHERE case_id IN (SELECT case_id FROM case_states ORDER BY case_id LIMIT 3)`);
    await pool.query(`DELETE FROM alert_changes WHERE seq IN (SELECT max(seq) FROM alert_changes WHERE alert_id = ANY($1) GROUP BY alert_id)`, [victims]);
    await pool.query(`INSERT INTO alert_changes (alert_id, agency_id, status, at) VALUES ('nonexistent', 'af', 'open', now())`);
    const maxSeqBefore = Number((await pool.query<{ m: string }>('SELECT max(seq) AS m FROM alert_changes')).rows[0]!.m);

    const check = await compareWithLive(pool, { sampleSize: 2 });
    expect(check.equal).toBe(false);
    const found = Object.fromEntries(check.differences.map((d) => [d.table, [d.missingInLive, d.unexpectedInLive]]));
    expect(found).toEqual({
      case_states: [3, 3],
      case_summaries: [20, 0],
      tasks: [50, 0],
      case_gaps: [original.case_gaps.length, 0],
      alerts: [30, 0],
      alert_changes: [5, 1],
      reminders: [10, 0],
    });
    expect(check.differences.find((d) => d.table === 'alert_changes')!.samples.unexpectedInLive).toEqual([
      expect.objectContaining({ alert_id: 'nonexistent' }),
    ]);

    const r = await rebuildProjections(pool);
    const victimRows = original.alert_changes.filter((c) => victims.includes(c.alert_id as string));
    expect(r.alertChanges).toEqual({ kept: original.alert_changes.length - victimRows.length, renumbered: victimRows.length });

    const after = await snapshot();
    const { alert_changes: changes, ...rest } = after;
    const { alert_changes: originalChanges, ...originalRest } = original;
    expect(rest).toEqual(originalRest);
    const withoutSeq = (rows: Record<string, unknown>[]) => rows.map(({ seq: _seq, tx: _tx, ...row }) => row);
    const bySeq = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
    // The other alerts keep their numbers; the repaired ones come again, above every old number, in order.
    const untouched = (rows: Record<string, unknown>[]) => rows.filter((c) => !victims.includes(c.alert_id as string));
    expect(untouched(changes)).toEqual(untouched(originalChanges));
    const repaired = changes.filter((c) => victims.includes(c.alert_id as string));
    expect(repaired.every((c) => Number(c.seq) > maxSeqBefore)).toBe(true);
    expect(withoutSeq(repaired).sort(byKey)).toEqual(withoutSeq(victimRows).sort(byKey));
    for (const id of victims) {
      const mine = bySeq(repaired.filter((c) => c.alert_id === id)).map((c) => c.status);
      expect(mine[0]).toBe('open');
    }
    // The identity continues above them: the next live change gets a higher number still.
    const next = await pool.query<{ seq: string }>(
      `INSERT INTO alert_changes (alert_id, agency_id, status, at) VALUES ('probe', 'af', 'open', now()) RETURNING seq`,
    );
    expect(Number(next.rows[0]!.seq)).toBeGreaterThan(Math.max(...changes.map((c) => Number(c.seq))));
    await pool.query(`DELETE FROM alert_changes WHERE alert_id = 'probe'`);
    original = await snapshot();

    expect(await eventsFingerprint()).toBe(originalEvents);
  });

  it('resumes an interrupted rebuild from its checkpoint, or restarts it cleanly', async () => {
    const stopAfter = (n: number) => (done: number) => {
      if (done >= n) throw new Error('interrupted');
    };
    await expect(rebuildProjections(pool, { batchSize: 1000, onProgress: stopAfter(3000) })).rejects.toThrow('interrupted');
    const reached = (await checkpoint(REBUILD_CHECKPOINT))!;
    expect(await eventsUpTo(reached)).toBeGreaterThan(0);
    expect(await eventsUpTo(reached)).toBeLessThan(log.events);
    expect(await shadowExists()).toBe(true);
    // Nothing live has changed yet.
    expect(await snapshot()).toEqual(original);

    const resumed = await rebuildProjections(pool, { batchSize: 1000 });
    expect(resumed.resumedFrom).toBe(reached);
    const before = await eventsUpTo(reached);
    expect(resumed.events).toBe(log.events - before);
    expect(await snapshot()).toEqual(original);
    expect(await shadowExists()).toBe(false);

    await expect(rebuildProjections(pool, { batchSize: 1000, onProgress: stopAfter(2000) })).rejects.toThrow('interrupted');
    const restarted = await rebuildProjections(pool, { restart: true });
    expect(restarted.resumedFrom).toBeNull();
    expect(restarted.events).toBe(log.events);
    expect(await snapshot()).toEqual(original);
    expect(await eventsFingerprint()).toBe(originalEvents);
  });

  it('stays correct while cases keep appending, and runs one at a time', async () => {
    const headBefore = await head();
    // New cases start appending once the rebuild is under way (after its first batch).
    let appending: Promise<GeneratedLog> | undefined;
    const startAppending = () => {
      appending ??= generateLog(pool, { prefix: 'during-rebuild', seed: 7, cases: 30, targetEvents: 300 });
    };
    const [a, b] = await Promise.allSettled([
      rebuildProjections(pool, { batchSize: 1000, onProgress: startAppending }),
      rebuildProjections(pool, { batchSize: 1000, onProgress: startAppending }),
    ]);
    const more = await appending!;
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const failed = [a, b].find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(RebuildInProgressError);
    const done = ([a, b].find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<RebuildResult>).value;
    // It took in events appended while it ran.
    expect(compareCursors(parseCursor(done.position)!, parseCursor(headBefore)!)).toBe(1);

    const check = await compareWithLive(pool);
    expect(check.differences).toEqual([]);
    expect(check.events).toBe(log.events + more.events);
  });
});

function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const k = (r: Record<string, unknown>) => `${String(r.alert_id)}|${String(r.status)}`;
  return k(a).localeCompare(k(b));
}
