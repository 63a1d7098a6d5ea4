import { readdirSync } from 'node:fs';
import type { Pool } from 'pg';
import { APPEND_LOCK_KEY } from '../../store/event-store';
import { MIGRATIONS_DIR, migrate } from '../../store/migrate';
import { createTestDatabase } from '../../dev/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});
afterAll(() => db.drop());

async function tables(): Promise<string[]> {
  const res = await pool.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return res.rows.map((r) => r.t);
}

describe('migrate', () => {
  it('creates the tables, and two concurrent callers plus a third later are harmless', async () => {
    await Promise.all([migrate(db.url), migrate(db.url)]);
    await migrate(db.url);
    expect(await tables()).toEqual(expect.arrayContaining(['audit_reads', 'events', 'idempotency_keys', 'pgmigrations']));
    // Every file applied exactly once, in name order.
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''))
      .sort();
    const applied = await pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
    expect(applied.rows.map((r) => r.name)).toEqual(files);
    expect(files.slice(0, 2)).toEqual(['001_event-log', '002_audit-and-idempotency']);
  });

  it('uses the same append lock key in the trigger as in event-store.ts', async () => {
    const res = await pool.query<{ src: string }>(
      "SELECT prosrc AS src FROM pg_proc WHERE proname = 'serialize_event_appends'",
    );
    expect(res.rows[0]?.src).toContain(`pg_advisory_xact_lock_shared(${APPEND_LOCK_KEY})`);
  });
});

describe('events is append-only in the database', () => {
  beforeAll(async () => {
    await migrate(db.url);
  });

  const insertOne = (streamId: string) =>
    pool.query(
      `INSERT INTO events (stream_id, version, type, data, metadata, occurred_at)
       VALUES ($1, 1, 'CaseOpened', '{}', '{"actor":{"system":"test"}}', now())`,
      [streamId],
    );

  const changes = [
    ['UPDATE', "UPDATE events SET type = 'Tampered'"],
    ['UPDATE', "UPDATE events SET data = '{}' WHERE version = 1"],
    ['DELETE', 'DELETE FROM events'],
    ['DELETE', 'DELETE FROM events WHERE version = 1'],
    ['TRUNCATE', 'TRUNCATE events'],
    ['TRUNCATE', 'TRUNCATE events CASCADE'],
  ] as const;

  it('UPDATE, DELETE and TRUNCATE fail on the empty table', async () => {
    for (const [op, sql] of changes) {
      await expect(pool.query(sql)).rejects.toThrow(`${op} on events is not allowed`);
    }
  });

  it('UPDATE, DELETE and TRUNCATE fail with rows present, and the rows stay as they were', async () => {
    await insertOne('append-only');
    for (const [op, sql] of changes) {
      await expect(pool.query(sql)).rejects.toThrow(`${op} on events is not allowed`);
    }
    const after = await pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1', ['append-only']);
    expect(after.rows).toEqual([{ type: 'CaseOpened' }]);
  });

  it('an UPDATE of an audit record fails too', async () => {
    await pool.query(
      "INSERT INTO audit_reads (user_id, role, route, method, status) VALUES ('u', 'r', '/x', 'GET', 200)",
    );
    await expect(pool.query("UPDATE audit_reads SET user_id = 'someone else'")).rejects.toThrow(/not allowed/);
  });
});
