import type { Pool } from 'pg';
import {
  appendToStream,
  ConcurrencyConflict,
  cursorOf,
  readAll,
  readStream,
  streamVersion,
  type NewEvent,
  type StoredEvent,
} from '../../store/event-store';
import { LOG_START, type LogCursor } from '../../store/log-order';
import { createPool } from '../../store/pool';
import { holdAppends } from '../../dev/hold-appends';
import { createTestDatabase } from '../../dev/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  pool = db.pool;
});
afterAll(() => db.drop());

let streamCounter = 0;
const newStream = (label: string) => `case-${label}-${++streamCounter}`;

function ev(type: string, data: unknown, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    type,
    data,
    occurredAt: '2025-03-01T09:30:00.123Z',
    metadata: {
      actor: { sub: 'user-1', role: 'caseworker', agencyId: 'kriminalvarden-1' },
      requestId: 'req-1',
      correlationId: 'corr-1',
      workflowRunId: 'run-1',
    },
    ...extra,
  };
}

async function countRows(streamId?: string): Promise<number> {
  const res = streamId
    ? await pool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [streamId])
    : await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(res.rows[0]?.n);
}

describe('appendToStream / readStream', () => {
  it('appends events at consecutive versions and reads them back in order, with all fields', async () => {
    const s = newStream('basic');
    const first = await appendToStream(pool, {
      streamId: s,
      expectedVersion: 0,
      events: [ev('CaseOpened', { caseId: s, nested: { list: [1, 2, 3] } }), ev('NeedAssessed', { need: 'housing' })],
    });
    expect(first.duplicate).toBe(false);
    expect(first.version).toBe(2);
    expect(first.appended.map((e) => e.version)).toEqual([1, 2]);

    const second = await appendToStream(pool, {
      streamId: s,
      expectedVersion: 2,
      events: [ev('HousingArranged', { address: 'Storgatan 1' }, { schemaVersion: 3, occurredAt: '2025-03-02T10:00:00+01:00' })],
    });
    expect(second.version).toBe(3);

    const read = await readStream(pool, s);
    expect(read.map((e) => [e.version, e.type])).toEqual([
      [1, 'CaseOpened'],
      [2, 'NeedAssessed'],
      [3, 'HousingArranged'],
    ]);
    const [e1, , e3] = read as [StoredEvent, StoredEvent, StoredEvent];
    expect(e1).toEqual({
      position: expect.stringMatching(/^\d+$/),
      tx: expect.stringMatching(/^\d+$/),
      streamId: s,
      version: 1,
      type: 'CaseOpened',
      schemaVersion: 1,
      data: { caseId: s, nested: { list: [1, 2, 3] } },
      metadata: ev('x', null).metadata,
      occurredAt: '2025-03-01T09:30:00.123Z',
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(e3.schemaVersion).toBe(3);
    expect(e3.occurredAt).toBe('2025-03-02T09:00:00.000Z');
    expect(read).toEqual([...first.appended, ...second.appended]);
    expect(BigInt(read[0]!.position) < BigInt(read[1]!.position)).toBe(true);
    expect(BigInt(read[1]!.position) < BigInt(read[2]!.position)).toBe(true);

    expect((await readStream(pool, s, 2)).map((e) => e.version)).toEqual([2, 3]);
    expect(await readStream(pool, newStream('never-written'))).toEqual([]);
    expect(await streamVersion(pool, s)).toBe(3);
    expect(await streamVersion(pool, newStream('never-written'))).toBe(0);
  });

  it('treats a retried identical append as a no-op: duplicate, same stored events, no rows, no projection', async () => {
    const s = newStream('retry');
    const events = [ev('CaseOpened', { a: 1, b: { c: [true, null] } }), ev('NeedAssessed', { need: 'work' })];
    const project = jest.fn(async () => undefined);
    const first = await appendToStream(pool, { streamId: s, expectedVersion: 0, events }, project);
    expect(project).toHaveBeenCalledTimes(1);

    // Same events, keys in a different order: jsonb equality, not string equality.
    const retried = [ev('CaseOpened', { b: { c: [true, null] }, a: 1 }), ev('NeedAssessed', { need: 'work' })];
    const again = await appendToStream(pool, { streamId: s, expectedVersion: 0, events: retried }, project);
    expect(again).toEqual({ appended: first.appended, version: 2, duplicate: true });
    expect(project).toHaveBeenCalledTimes(1);
    expect(await countRows(s)).toBe(2);

    // Still a duplicate after the stream has moved on.
    await appendToStream(pool, { streamId: s, expectedVersion: 2, events: [ev('Released', {})] });
    const late = await appendToStream(pool, { streamId: s, expectedVersion: 0, events }, project);
    expect(late.duplicate).toBe(true);
    expect(late.version).toBe(2);
    expect(project).toHaveBeenCalledTimes(1);
    expect(await countRows(s)).toBe(3);
  });

  it('throws ConcurrencyConflict for a different event at a taken version', async () => {
    const s = newStream('conflict');
    await appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('CaseOpened', { a: 1 })] });

    const differentData = appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('CaseOpened', { a: 2 })] });
    await expect(differentData).rejects.toBeInstanceOf(ConcurrencyConflict);
    await expect(differentData).rejects.toMatchObject({ streamId: s, expectedVersion: 0, actualVersion: 1 });

    const differentType = appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('CaseClosed', { a: 1 })] });
    await expect(differentType).rejects.toBeInstanceOf(ConcurrencyConflict);

    // A batch whose first event matches but second does not is a conflict, not a duplicate.
    await appendToStream(pool, { streamId: s, expectedVersion: 1, events: [ev('A', {}), ev('B', {})] });
    await expect(
      appendToStream(pool, { streamId: s, expectedVersion: 1, events: [ev('A', {}), ev('C', {})] }),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    // So is a batch longer than what is stored after the expected version.
    await expect(
      appendToStream(pool, { streamId: s, expectedVersion: 1, events: [ev('A', {}), ev('B', {}), ev('D', {})] }),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    // And an expected version beyond the end of the stream.
    await expect(
      appendToStream(pool, { streamId: s, expectedVersion: 7, events: [ev('A', {})] }),
    ).rejects.toMatchObject({ name: 'ConcurrencyConflict', actualVersion: 3 });

    expect((await readStream(pool, s)).map((e) => e.type)).toEqual(['CaseOpened', 'A', 'B']);
  });

  it('lets exactly one of 20 concurrent appends at the same expected version win', async () => {
    const wide = createPool(db.url, { max: 20, applicationName: 'store-test-concurrency' });
    try {
      const s = newStream('race');
      await appendToStream(wide, { streamId: s, expectedVersion: 0, events: [ev('CaseOpened', {})] });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          appendToStream(wide, { streamId: s, expectedVersion: 1, events: [ev('NoteAdded', { writer: i }), ev('Y', { i })] }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyConflict);
      const stored = await readStream(pool, s);
      expect(stored.map((e) => e.version)).toEqual([1, 2, 3]);
      const winner = won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof appendToStream>>>;
      expect(stored.slice(1)).toEqual(winner.value.appended);

      // 20 concurrent retries of the same events: one append, 19 duplicates, never a pg error.
      const same = [ev('Retried', { x: 1 })];
      const retries = await Promise.all(
        Array.from({ length: 20 }, () => appendToStream(wide, { streamId: s, expectedVersion: 3, events: same })),
      );
      expect(retries.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(retries.filter((r) => r.duplicate)).toHaveLength(19);
      expect(new Set(retries.map((r) => r.appended[0]!.position)).size).toBe(1);
      expect(await countRows(s)).toBe(4);
    } finally {
      await wide.end();
    }
  });

  it('runs the projection in the append transaction: it sees the events, and its failure rolls them back', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS test_case_list (stream_id text PRIMARY KEY, last_type text, version int)');
    const s = newStream('project');
    const project = async (tx: import('pg').PoolClient, appended: StoredEvent[]) => {
      const last = appended[appended.length - 1]!;
      const seen = await tx.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [s]);
      await tx.query(
        `INSERT INTO test_case_list VALUES ($1, $2, $3)
         ON CONFLICT (stream_id) DO UPDATE SET last_type = excluded.last_type, version = excluded.version`,
        [s, last.type, Number(seen.rows[0]?.n)],
      );
    };
    await appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('CaseOpened', {}), ev('B', {})] }, project);
    expect((await pool.query('SELECT last_type, version FROM test_case_list WHERE stream_id = $1', [s])).rows).toEqual([
      { last_type: 'B', version: 2 },
    ]);

    const failing = appendToStream(pool, { streamId: s, expectedVersion: 2, events: [ev('C', {})] }, async (tx, appended) => {
      await project(tx, appended);
      throw new Error('read model is broken');
    });
    await expect(failing).rejects.toThrow('read model is broken');
    expect(await streamVersion(pool, s)).toBe(2);
    expect((await pool.query('SELECT last_type FROM test_case_list WHERE stream_id = $1', [s])).rows).toEqual([
      { last_type: 'B' },
    ]);

    // A projection that swallows a failed statement must not be reported as committed.
    const swallowing = appendToStream(pool, { streamId: s, expectedVersion: 2, events: [ev('C', {})] }, async (tx) => {
      await tx.query('SELECT 1/0').catch(() => undefined);
    });
    await expect(swallowing).rejects.toThrow(/rolled back/);
    expect(await streamVersion(pool, s)).toBe(2);

    // The stream is usable afterwards, and the pool still has healthy clients.
    const ok = await appendToStream(pool, { streamId: s, expectedVersion: 2, events: [ev('C', {})] }, project);
    expect(ok.version).toBe(3);
  });

  it('rejects malformed input before touching the database', async () => {
    const s = newStream('invalid');
    const bad: Array<[string, Parameters<typeof appendToStream>[1]]> = [
      ['no events', { streamId: s, expectedVersion: 0, events: [] }],
      ['negative version', { streamId: s, expectedVersion: -1, events: [ev('A', {})] }],
      ['empty stream id', { streamId: '', expectedVersion: 0, events: [ev('A', {})] }],
      ['undefined data', { streamId: s, expectedVersion: 0, events: [ev('A', undefined)] }],
      ['zoneless time', { streamId: s, expectedVersion: 0, events: [ev('A', {}, { occurredAt: '2025-03-01T10:00:00' })] }],
      ['not a time', { streamId: s, expectedVersion: 0, events: [ev('A', {}, { occurredAt: 'yesterday' })] }],
    ];
    for (const [, input] of bad) await expect(appendToStream(pool, input)).rejects.toBeInstanceOf(TypeError);
    expect(await countRows(s)).toBe(0);
  });
});

/** Where a reader that has read everything so far stands: the last event in the log's order. */
async function head(): Promise<LogCursor> {
  const r = await pool.query<{ tx: string; n: string }>('SELECT tx::text AS tx, position::text AS n FROM events e ORDER BY e.tx DESC, e.position DESC LIMIT 1');
  return r.rows[0] ?? LOG_START;
}

/** An append whose transaction stays open (inserted, projected, not committed) until `commit()`. */
function appendHeldOpen(streamId: string, type: string) {
  let commit!: () => void;
  const gate = new Promise<void>((r) => (commit = r));
  let inserted!: () => void;
  const insertedYet = new Promise<void>((r) => (inserted = r));
  const done = appendToStream(pool, { streamId, expectedVersion: 0, events: [ev(type, {})] }, async () => {
    inserted();
    await gate;
  });
  return { insertedYet, commit, done };
}

describe('readAll', () => {
  it('pages through all events in the log order', async () => {
    const start = await head();
    const a = newStream('all-a');
    const b = newStream('all-b');
    await appendToStream(pool, { streamId: a, expectedVersion: 0, events: [ev('A1', {}), ev('A2', {})] });
    await appendToStream(pool, { streamId: b, expectedVersion: 0, events: [ev('B1', {})] });
    await appendToStream(pool, { streamId: a, expectedVersion: 2, events: [ev('A3', {}), ev('A4', {})] });
    await appendToStream(pool, { streamId: b, expectedVersion: 1, events: [ev('B2', {})] });

    const pages: string[][] = [];
    let after = start;
    for (;;) {
      const page = await readAll(pool, after, 2);
      if (page.length === 0) break;
      pages.push(page.map((e) => e.type));
      after = cursorOf(page[page.length - 1]!);
    }
    expect(pages).toEqual([['A1', 'A2'], ['B1', 'A3'], ['A4', 'B2']]);
    expect(await readAll(pool, after, 10)).toEqual([]);
    await expect(readAll(pool, { tx: 'x', n: '0' }, 1)).rejects.toBeInstanceOf(TypeError);
    await expect(readAll(pool, LOG_START, 0)).rejects.toBeInstanceOf(TypeError);
  });

  it('appends to different streams do not wait for one another', async () => {
    // Each append's transaction waits, inside, until the other one has inserted too: under one
    // global append lock the second could never insert, and both would time out.
    let arrived = 0;
    let bothIn!: () => void;
    const together = new Promise<void>((r) => (bothIn = r));
    const meet = async () => {
      arrived += 1;
      if (arrived === 2) bothIn();
      await Promise.race([together, new Promise((_, no) => setTimeout(() => no(new Error('the other append never got in')), 5000))]);
    };
    const results = await Promise.all(
      ['x', 'y'].map((l) => appendToStream(pool, { streamId: newStream(`parallel-${l}`), expectedVersion: 0, events: [ev('P', {})] }, meet)),
    );
    expect(results.map((r) => r.version)).toEqual([1, 1]);
  });

  it('does not pass an append that committed late: it waits for it, then gives both in order', async () => {
    const start = await head();
    const slow = appendHeldOpen(newStream('late'), 'Late');
    await slow.insertedYet; // holds the lower position, not committed
    const quick = newStream('early');
    await appendToStream(pool, { streamId: quick, expectedVersion: 0, events: [ev('Early', {})] });
    const stored = await pool.query<{ type: string; position: string }>(
      "SELECT type, position::text FROM events WHERE stream_id = $1", [quick]);
    expect(stored.rows[0]?.type).toBe('Early'); // committed and visible to plain readers

    // A reader by position would now return Early and move past Late's position for good.
    expect(await readAll(pool, start, 10)).toEqual([]);

    slow.commit();
    await slow.done;
    expect((await readAll(pool, start, 10)).map((e) => e.type)).toEqual(['Late', 'Early']);
  });

  it('holds every append off while someone holds the append lock exclusively (a rebuild swap)', async () => {
    const held = await holdAppends(pool);
    let landed = false;
    const append = appendToStream(pool, { streamId: newStream('held'), expectedVersion: 0, events: [ev('H', {})] }).then(() => (landed = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(landed).toBe(false);
    await held.release();
    await append;
    expect(landed).toBe(true);
  });

  it('two appends to one stream at the same version: one lands, the other is told it lost', async () => {
    const s = newStream('same-stream');
    const outcomes = await Promise.allSettled([
      appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('First', { by: 1 })] }),
      appendToStream(pool, { streamId: s, expectedVersion: 0, events: [ev('First', { by: 2 })] }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConcurrencyConflict);
    expect(await streamVersion(pool, s)).toBe(1);
  });

  it('never lets a checkpointed reader skip or repeat an event while appends to many streams commit concurrently', async () => {
    const writers = createPool(db.url, { max: 12, applicationName: 'store-test-writers' });
    try {
      const start = await head();
      let writing = true;
      const seen: string[] = [];
      let checkpoint = start;
      const reader = (async () => {
        for (;;) {
          const done = !writing; // read once more after the writers have finished
          const page = await readAll(pool, checkpoint, 50);
          for (const e of page) seen.push(e.position);
          if (page.length > 0) checkpoint = cursorOf(page[page.length - 1]!);
          else if (done) return;
        }
      })();
      // A random pause inside the transaction (after the insert, before commit) makes
      // commits out of position order likely.
      const jitter = () => new Promise<void>((r) => setTimeout(r, Math.random() * 4));
      await Promise.all(
        Array.from({ length: 10 }, async (_, w) => {
          const s = newStream(`order-${w}`);
          for (let v = 0; v < 20; v++) {
            await appendToStream(writers, { streamId: s, expectedVersion: v, events: [ev('Tick', { w, v })] }, jitter);
          }
        }),
      );
      writing = false;
      await reader;
      const all = await pool.query<{ p: string }>(
        'SELECT position::text AS p FROM events WHERE (tx, position) > ($1::xid8, $2::bigint) ORDER BY tx, position',
        [start.tx, start.n],
      );
      expect(all.rows).toHaveLength(200);
      expect(seen).toEqual(all.rows.map((r) => r.p));
      // Each writer's events came in version order.
      const byWriter = new Map<string, number[]>();
      for (const e of await readAll(pool, start, 500)) {
        const d = e.data as { w: number; v: number };
        byWriter.set(String(d.w), [...(byWriter.get(String(d.w)) ?? []), d.v]);
      }
      for (const vs of byWriter.values()) expect(vs).toEqual([...vs].sort((x, y) => x - y));
    } finally {
      await writers.end();
    }
  });
});
