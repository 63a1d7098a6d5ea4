import { rebuildProjections } from '../store/rebuild-projections';
import { createPool } from '../store/pool';
import type { BenchContext } from './context';
import { startProfile } from './profile';
import { progress } from './progress';
import { round } from './stats';

/**
 * Phase 6, rebuilding every read model from the whole log the run has written (cases of every
 * phase plus the seeded ones), with store/rebuild-projections.ts `rebuildProjections`: the same
 * `projectEvents` the appends use, replayed into shadow tables and swapped in.
 */

export interface RebuildResult { events: number; eventsPerSecond: number }

export async function rebuildPhase(ctx: BenchContext): Promise<RebuildResult> {
  const pool = createPool(ctx.stack.databaseUrl, { applicationName: 'bench-rebuild', max: 2, statementTimeoutMs: 30 * 60_000 });
  try {
    const count = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const bar = progress('rebuild', count.rows[0]!.n);
    const profile = startProfile(ctx.profileTargets());
    const r = await rebuildProjections(pool, { restart: true, onProgress: (done, total) => {
      bar.set(done);
      void total;
    } });
    bar.done();
    ctx.profile('rebuild', await profile.stop());
    ctx.detail('rebuild', { ...r, seconds: round(r.seconds, 2), eventsPerSecond: round(r.eventsPerSecond, 1), lockedMs: round(r.lockedMs, 1) });
    ctx.note('rebuild', `${r.events.toLocaleString('en')} events replayed by rebuildProjections in ` +
      `${r.seconds.toFixed(1)} s; appends were held off for the final swap only (${r.lockedMs.toFixed(0)} ms).`);
    return { events: r.events, eventsPerSecond: round(r.eventsPerSecond, 1) };
  } finally {
    await pool.end();
  }
}
