import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { appendToStream, type NewEvent } from '../store/event-store';
import { startStandaloneStack } from '../test/support/standalone-stack';
import { runMain } from './run-main';

/**
 * Appends per second to the event log, on a fresh embedded PostgreSQL (as the tests start it):
 *   single   one event per append, one writer
 *   single×W one event per append, W concurrent writers on their own streams (the global append
 *            lock serialises them: this shows its cost)
 *   batched  B events per append, one writer
 * Each phase runs for SECONDS. Raw store appends, without read-model projection.
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

async function phase(pool: Pool, label: string, writers: number, perAppend: number): Promise<void> {
  const started = Date.now();
  const counts = await Promise.all(Array.from({ length: writers }, () => writer(pool, perAppend, started + SECONDS * 1000)));
  const seconds = (Date.now() - started) / 1000;
  const events = counts.reduce((a, b) => a + b, 0);
  const appends = events / perAppend;
  console.log(`${label.padEnd(12)} ${Math.round(appends / seconds).toString().padStart(7)} appends/s  ${Math.round(events / seconds).toString().padStart(7)} events/s`);
}

async function main(): Promise<void> {
  const stack = await startStandaloneStack();
  try {
    await phase(stack.pool, 'single', 1, 1);
    await phase(stack.pool, `single×${WRITERS}`, WRITERS, 1);
    await phase(stack.pool, `batched×${BATCH}`, 1, BATCH);
  } finally {
    await stack.close();
  }
}

runMain(main);
