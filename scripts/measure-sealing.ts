import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { newKeyRing } from '../config/key-ring';
import type { DomainEvent } from '../domain/schemas/events';
import { CaseKeys } from '../store/case-keys';
import { appendToStream } from '../store/event-store';
import { SEALED_V1, sealData } from '../store/sealed-events';
import { startStandaloneStack } from '../dev/standalone-stack';
import { runMain } from './run-main';

/**
 * What sealing the texts of events costs an append, side by side in one run on one fresh
 * embedded PostgreSQL: the same typical events (an intervention accepted or completed, with a
 * note) appended one per append by one writer, through
 *   plain    appendToStream with the events as they are (the path before sealing)
 *   sealed   what the worker's appendEvents activity does first (the case key fetched and
 *            unwrapped, the texts sealed), then the same appendToStream
 * Neither projects read models, so the difference is the sealing alone. Alternating rounds.
 *
 *   npx tsx scripts/measure-sealing.ts [appendsPerRound=300] [rounds=3]
 */
const PER_ROUND = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 3);
const NOTE = 'Klienten har fått ett förstahandskontrakt och flyttar in den första, kontakt med hyresvärden tagen';

function event(i: number): DomainEvent {
  const at = new Date().toISOString();
  const actor = { sub: 'measure', role: 'agency' as const, agencyId: 'sot-1480' };
  return i % 2 === 0
    ? { type: 'InterventionAccepted', data: { interventionId: `i${i}`, note: NOTE }, occurredAt: at, actor }
    : { type: 'InterventionCompleted', data: { interventionId: `i${i}`, note: NOTE }, occurredAt: at, actor };
}

async function plain(pool: Pool): Promise<number> {
  const streamId = `plain-${randomUUID()}`;
  const t0 = performance.now();
  for (let v = 0; v < PER_ROUND; v += 1) {
    const e = event(v);
    await appendToStream(pool, { streamId, expectedVersion: v, events: [{ type: e.type, data: e.data, occurredAt: e.occurredAt, metadata: { actor: e.actor } }] });
  }
  return (performance.now() - t0) / PER_ROUND;
}

/** What activities/journey-activities.ts appendEvents adds before the same append. */
async function sealed(pool: Pool, keys: CaseKeys): Promise<number> {
  const streamId = `sealed-${randomUUID()}`;
  const t0 = performance.now();
  for (let v = 0; v < PER_ROUND; v += 1) {
    const e = event(v);
    const dataKey = await keys.forWriting(pool, streamId);
    await appendToStream(pool, {
      streamId, expectedVersion: v,
      events: [{ type: e.type, data: sealData(dataKey, e.type, e.data), occurredAt: e.occurredAt, metadata: { actor: e.actor, sealed: SEALED_V1 } }],
    });
  }
  return (performance.now() - t0) / PER_ROUND;
}

runMain(async () => {
  const stack = await startStandaloneStack();
  const keys = CaseKeys.of(newKeyRing('measure'));
  try {
    const rows: [number, number][] = [];
    for (let r = 0; r < ROUNDS; r += 1) rows.push([await plain(stack.pool), await sealed(stack.pool, keys)]);
    const mean = (k: 0 | 1) => rows.reduce((a, row) => a + row[k], 0) / rows.length;
    console.log(`appends of one event with a note, ${PER_ROUND} per round, ${ROUNDS} rounds (ms per append, mean)`);
    console.log(`plain   ${mean(0).toFixed(3)} ms`);
    console.log(`sealed  ${mean(1).toFixed(3)} ms  (${(((mean(1) - mean(0)) / mean(0)) * 100).toFixed(1)} % more)`);
  } finally {
    await stack.close();
  }
});
