import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { appendToStream, type NewEvent } from '../store/event-store';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import type { BenchContext } from './context';
import { say } from './progress';
import { round } from './stats';

/**
 * Appends per second to the event log (issue 20): one writer, W writers on their own streams,
 * B events per append; raw appends without projection, each phase for a fixed time. Beside it,
 * in the same run and database, the baseline: the same phases with one exclusive lock per
 * append from its insert to its commit, as every append took before issue 20 (a trigger
 * installed for the baseline only; appendToStream is the same for both).
 * In a database of its own, so its streams never reach the other phases' read models.
 */
export interface AppendRates { single: number; concurrent: number; batchedEvents: number; speedup: number }
export interface AppendsResult { writers: number; batch: number; seconds: number; now: AppendRates; globalLock: AppendRates }

/** Key of the baseline's lock; not APPEND_LOCK_KEY, which appends already hold shared. */
const BASELINE_LOCK_KEY = '4848200250596150599';

function event(i: number): NewEvent {
  return {
    type: 'measure.appended',
    data: { i, note: 'a payload of roughly the size of a typical case event' },
    occurredAt: new Date().toISOString(),
    metadata: { actor: { system: 'measure-appends' }, requestId: randomUUID() },
  };
}

async function writer(pool: Pool, perAppend: number, until: number): Promise<number> {
  const streamId = `measure-${randomUUID()}`;
  let version = 0;
  while (Date.now() < until) {
    await appendToStream(pool, { streamId, expectedVersion: version, events: Array.from({ length: perAppend }, (_, k) => event(version + k)) });
    version += perAppend;
  }
  return version;
}

/** Appends per second (and events per second) with `writers` concurrent writers. */
async function rate(pool: Pool, seconds: number, writers: number, perAppend: number): Promise<{ appends: number; events: number }> {
  const started = Date.now();
  const counts = await Promise.all(Array.from({ length: writers }, () => writer(pool, perAppend, started + seconds * 1000)));
  const elapsed = (Date.now() - started) / 1000;
  const events = counts.reduce((a, b) => a + b, 0);
  return { appends: events / perAppend / elapsed, events: events / elapsed };
}

async function globalLock(pool: Pool, on: boolean): Promise<void> {
  if (!on) {
    await pool.query('DROP TRIGGER IF EXISTS measure_global_append_lock ON events');
    return;
  }
  await pool.query(`CREATE OR REPLACE FUNCTION measure_global_append_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${BASELINE_LOCK_KEY}); RETURN NULL; END; $$`);
  await pool.query(`CREATE TRIGGER measure_global_append_lock BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION measure_global_append_lock()`);
}

/** Measures both variants on `pool` (a migrated database whose log may be written freely). */
export async function measureAppends(pool: Pool, opts: { seconds: number; writers: number; batch: number; log?: (line: string) => void }): Promise<AppendsResult> {
  const out = {} as Pick<AppendsResult, 'now' | 'globalLock'>;
  for (const variant of ['globalLock', 'now'] as const) {
    await globalLock(pool, variant === 'globalLock');
    try {
      const single = await rate(pool, opts.seconds, 1, 1);
      const concurrent = await rate(pool, opts.seconds, opts.writers, 1);
      const batched = await rate(pool, opts.seconds, 1, opts.batch);
      out[variant] = {
        single: round(single.appends, 1), concurrent: round(concurrent.appends, 1), batchedEvents: round(batched.events, 0),
        speedup: round(concurrent.appends / single.appends, 2),
      };
      opts.log?.(`${variant === 'now' ? 'now' : 'baseline, one global lock'}: 1 writer ${Math.round(single.appends)} appends/s, ` +
        `${opts.writers} writers ${Math.round(concurrent.appends)} appends/s (×${out[variant].speedup}), ` +
        `batches of ${opts.batch} ${Math.round(batched.events)} events/s`);
    } finally {
      await globalLock(pool, false);
    }
  }
  return { writers: opts.writers, batch: opts.batch, seconds: opts.seconds, ...out };
}

export async function appendsPhase(ctx: BenchContext): Promise<AppendsResult> {
  const url = new URL(ctx.stack.databaseUrl);
  const name = `bench_appends_${process.pid}`;
  const admin = new Client({ connectionString: ctx.stack.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    const pool = createPool(url.toString(), { applicationName: 'bench-appends', max: 12 });
    try {
      const r = await measureAppends(pool, { seconds: ctx.quick ? 3 : 10, writers: 8, batch: 100, log: (l) => say(`appends: ${l}`) });
      ctx.detail('appends', { ...r });
      ctx.note('appends', `Raw appends to a database of their own, ${r.seconds} s per figure; the baseline takes one exclusive lock per ` +
        `append as before issue 20. ${r.writers} writers: ×${r.now.speedup} one writer's rate now, ×${r.globalLock.speedup} with the global lock.`);
      return r;
    } finally {
      await pool.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
