import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Person } from '../domain/schemas/actor';
import type { Command } from '../domain/schemas/commands';
import type { CommandRequest } from '../workflows/messages';
import type { PhaseProfile, ProfileTargets } from './profile';
import { benchDirectory } from './directory';
import type { BenchStack, WorkerChild } from './stack';

/** What every phase gets: the stack, the workers, the run's size, and a place for notes. */
export interface BenchContext {
  stack: BenchStack;
  quick: boolean;
  journeyWorker: WorkerChild;
  baselineWorker: WorkerChild;
  /** Worker processes on each of the stack's queues (the profile's; a phase's own queue gets as many to compare like with like). */
  workersPerQueue: number;
  /** Processes to attribute CPU time to (workers come and go). */
  profileTargets(): ProfileTargets;
  /** Free text per phase, printed under the table and kept in the JSON `notes`. */
  note(phase: string, text: string): void;
  /** Extra figures per phase, kept in the JSON `notes.details`. */
  detail(phase: string, values: Record<string, unknown>): void;
  profile(phase: string, p: PhaseProfile): void;
}

export const coordinatorActor: Person = { sub: 'bench-coordinator', role: 'coordinator', agencyId: 'kvv-gbg' };
export const officerOf = (agencyId: string): Person => ({ sub: `bench-officer-${agencyId}`, role: 'agency', agencyId });

/** A command request as the API would send it, with the bench's agency directory. */
export function commandRequest(command: Command, actor: Person = coordinatorActor): CommandRequest {
  return { requestId: randomUUID(), command, actor, directory: benchDirectory };
}

export const isoIn = (ms: number, from = Date.now()) => new Date(from + ms).toISOString();
export const DAY = 86_400_000;

/**
 * For set-up steps that open many cases (not for timed throughput): retries a failed call up to
 * `attempts` times, 1 s apart, describing the first failure in full (a multi-operation failure
 * carries the reason per operation in its details). A retried opening with the same request id
 * is idempotent. Counts retries in `counter` so the phase can report them.
 */
export async function retried<T>(label: string, fn: () => Promise<T>, counter: { retries: number; firstError?: string }, attempts = 3): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await fn();
    } catch (err) {
      if (k >= attempts) throw err;
      counter.retries += 1;
      if (counter.firstError === undefined) {
        counter.firstError = `${describeGrpcDetails(err)}${inspect(err, { depth: 8, breakLength: Infinity }).slice(0, 3000)}`;
        process.stderr.write(`[bench] ${label} failed, retrying (reported once): ${counter.firstError}\n`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * The readable text inside a gRPC error's `grpc-status-details-bin` (a google.rpc.Status whose
 * details, for Update-with-Start, hold one status per operation with its own message), without
 * decoding the protobuf: the messages are plain strings in it.
 */
function describeGrpcDetails(err: unknown): string {
  const md = (err as { metadata?: { get?: (key: string) => unknown[] } } | null)?.metadata;
  const bin = md?.get?.('grpc-status-details-bin')?.[0];
  if (!Buffer.isBuffer(bin)) return '';
  const strings = bin.toString('latin1').match(/[\x20-\x7e]{6,}/g) ?? [];
  return `[status details: ${strings.join(' | ')}] `;
}
