import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { appendToStream, type NewEvent } from '../store/event-store';
import { startStandaloneStack } from '../test/support/standalone-stack';
import { runMain } from './run-main';

/**
 * Appends per second to the event log, on a fresh embedded PostgreSQL (as the tests start it):
 *   single   one event per append, one writer
 *   single×W one event per append, W concurrent writers on their own streams
 *   batched  B events per append, one writer
 * Each phase runs for SECONDS. Raw store appends, without read-model projection.
 * The baseline, in the same run and database: the same phases with one exclusive lock per
 * append held from its insert to its commit, as every append took before issue 20 (a trigger
 * installed for the baseline only; `appendToStream` itself is unchanged between the two).
 *
 *   npx tsx scripts/measure-appends.ts [seconds=5] [writers=8] [batch=100]
 */
const SECONDS = Number(process.argv[2] ?? 5);
const WRITERS = Number(process.argv[3] ?? 8);
const BATCH = Number(process.argv[4] ?? 100);

function event(i: number): NewEvent {
  return {
    type: 'measure.appended',
    data: { i, note: 'a payload of roughly the size of a typical case event' },
    occurredAt: new Date().toISOString(),
    metadata: { actor: { system: 'measure-appends' }, requestId: randomUUID() },
  };
}

/** One writer appending `perAppend` events at a time to its own stream until the time is up. */
async function writer(pool: Pool, perAppend: number, until: number): Promise<number> {
  const streamId = `measure-${randomUUID()}`;
  let version = 0;
  while (Date.now() < until) {
    const events = Array.from({ length: perAppend }, (_, k) => event(version + k));
    await appendToStream(pool, { streamId, expectedVersion: version, events });
    version += perAppend;
  }
  return version;
}

async function phase(pool: Pool, label: string, writers: number, perAppend: number): Promise<number> {
  const started = Date.now();
  const counts = await Promise.all(Array.from({ length: writers }, () => writer(pool, perAppend, started + SECONDS * 1000)));
  const seconds = (Date.now() - started) / 1000;
  const events = counts.reduce((a, b) => a + b, 0);
  const appends = events / perAppend;
  console.log(`${label.padEnd(22)} ${Math.round(appends / seconds).toString().padStart(7)} appends/s  ${Math.round(events / seconds).toString().padStart(7)} events/s`);
  return appends / seconds;
}

/** Key of the baseline's lock; not APPEND_LOCK_KEY, which appends already hold shared. */
const BASELINE_LOCK_KEY = '4848200250596150599';

async function withGlobalLock(pool: Pool, on: boolean): Promise<void> {
  if (!on) {
    await pool.query('DROP TRIGGER IF EXISTS measure_global_append_lock ON events');
    return;
  }
  await pool.query(`CREATE OR REPLACE FUNCTION measure_global_append_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${BASELINE_LOCK_KEY}); RETURN NULL; END; $$`);
  await pool.query(`CREATE TRIGGER measure_global_append_lock BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION measure_global_append_lock()`);
}

async function main(): Promise<void> {
  const stack = await startStandaloneStack();
  try {
    const rates: Record<string, number> = {};
    for (const [label, locked] of [['baseline (global lock)', true], ['now', false]] as const) {
      console.log(label);
      await withGlobalLock(stack.pool, locked);
      const one = await phase(stack.pool, '  single', 1, 1);
      const many = await phase(stack.pool, `  single×${WRITERS}`, WRITERS, 1);
      await phase(stack.pool, `  batched×${BATCH}`, 1, BATCH);
      rates[label] = many / one;
    }
    await withGlobalLock(stack.pool, false);
    for (const [label, ratio] of Object.entries(rates)) console.log(`${label}: ${WRITERS} writers append ${ratio.toFixed(2)}× as fast as one`);
  } finally {
    await stack.close();
  }
}

runMain(main);
