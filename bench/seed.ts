import type { Pool } from 'pg';
import { isPerson } from '../domain/actor';
import type { CaseState } from '../domain/case-state';
import type { Command } from '../domain/schemas/commands';
import { decide } from '../domain/decide';
import { EVENT_SCHEMA_VERSION, type DomainEvent } from '../domain/schemas/events';
import { evolve } from '../domain/evolve';
import { policyBodySchema } from '../domain/schemas/policy';
import { dueActions } from '../domain/schedule';
import { appendToStream, type NewEvent } from '../store/event-store';
import { projectEvents } from '../store/projections';
import { coordinatorActor, DAY } from './context';
import { progress } from './progress';
import { benchDirectory } from './directory';
import { inPool } from './stats';

/**
 * Seeds open cases straight into the event log and read models, without Temporal: every event
 * comes from the real domain (`decide` for the opening and the coordinator's planning,
 * `dueActions` for what the clock has made due by now: reminders and alerts), and is written
 * with `appendToStream` + `projectEvents`, one append per command, exactly as the workflow's
 * activity writes it. Only the workflows are missing (these cases have none), which a read of
 * the read models cannot tell. Five interventions per case, so N cases make 5·N tasks.
 */

export const SEED_POLICY = policyBodySchema.parse({
  requirements: [
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P21D', title: 'Bostad ordnad' },
    { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'P10D', title: 'Kontakt med Arbetsförmedlingen' },
    { area: 'missbruk', appliesWhen: 'always', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Beroendevård fortsätter' },
    { area: 'psykisk_halsa', appliesWhen: 'always', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Psykiatrisk vård fortsätter' },
    { area: 'forsorjning', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P7D', title: 'Försörjning ordnad' },
  ],
  reminders: ['P7D', 'P1D'],
  escalation: { level2After: 'P3D' },
  followUps: { high: ['P1D', 'P7D', 'P14D', 'P30D'], medium: ['P7D', 'P30D'], low: ['P30D'] },
});
export const TASKS_PER_SEEDED_CASE = SEED_POLICY.requirements.length;

function toNewEvent(e: DomainEvent): NewEvent {
  return {
    type: e.type,
    schemaVersion: EVENT_SCHEMA_VERSION,
    data: e.data,
    occurredAt: e.occurredAt,
    metadata: {
      actor: isPerson(e.actor) ? { sub: e.actor.sub, role: e.actor.role, agencyId: e.actor.agencyId } : e.actor,
      workflowRunId: 'bench-seed',
    },
  };
}

export interface SeedResult { cases: number; tasks: number; events: number; appends: number; seconds: number }

/** `quiet`: no progress bar (tests seed a few cases at a time). */
export async function seedOpenCases(pool: Pool, n: number, opts: { concurrency?: number; prefix?: string; quiet?: boolean } = {}): Promise<SeedResult> {
  const prefix = opts.prefix ?? 'seed';
  const started = performance.now();
  let events = 0;
  let appends = 0;
  const bar = opts.quiet ? { tick: () => undefined, done: () => undefined } : progress('apiLatency: seed', n);

  const append = async (caseId: string, state: CaseState | undefined, evs: DomainEvent[]): Promise<CaseState> => {
    await appendToStream(pool, { streamId: caseId, expectedVersion: state?.version ?? 0, events: evs.map(toNewEvent) }, projectEvents);
    events += evs.length;
    appends += 1;
    return evs.reduce<CaseState | undefined>((s, e) => evolve(s, e), state)!;
  };
  const command = (state: CaseState | undefined, c: Command): DomainEvent[] => {
    const d = decide(state, c, { now: new Date().toISOString(), actor: coordinatorActor, directory: benchDirectory });
    if (!d.ok) throw new Error(`seed: ${c.type} refused: ${d.rejection.message}`);
    return d.events;
  };

  await inPool(Array.from({ length: n }, (_, k) => k), opts.concurrency ?? 6, async (k) => {
    const caseId = `${prefix}-${k + 1}`;
    const now = Date.now();
    // Spread over a realistic range: admitted 1–11 months ago, release from 20 days ago to 8 months ahead.
    const admittedAt = now - (30 + (k % 300)) * DAY;
    const releaseAt = now + ((((k * 7919) % 260) - 20) * DAY) + (k % 24) * 3600_000;
    let state = await append(caseId, undefined, command(undefined, {
      type: 'open_case', caseId, client: { municipality: '1480' }, phase: 'anstalt',
      admittedAt: new Date(admittedAt).toISOString(), expectedReleaseAt: new Date(releaseAt).toISOString(),
      riskLevel: (['low', 'medium', 'high'] as const)[k % 3]!, needs: [],
      consent: { agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'] },
      ...(k % 5 !== 0 ? { responsibility: { successorAgencyId: 'frv-gbg' } } : {}),
      policy: { policyId: 'bench-seed', version: 1, body: SEED_POLICY },
    }));
    if (k % 2 === 0) state = await append(caseId, state, command(state, { type: 'adopt_plan' }));
    const due = dueActions(state, new Date().toISOString());
    if (due.length > 0) await append(caseId, state, due);
    bar.tick();
  });
  bar.done();

  // Names for the inbox's join; identities live apart from the log, as in production.
  for (let from = 0; from < n; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, n - from) }, (_, j) => `${prefix}-${from + j + 1}`);
    await pool.query(
      `INSERT INTO client_identities (case_id, name) SELECT id, 'Klient ' || id FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
      [ids],
    );
  }
  return { cases: n, tasks: n * TASKS_PER_SEEDED_CASE, events, appends, seconds: (performance.now() - started) / 1000 };
}
