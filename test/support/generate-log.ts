import type { Pool } from 'pg';
import { isPerson } from '../../domain/actor';
import type { Person } from '../../domain/schemas/actor';
import type { Agency } from '../../domain/schemas/agency';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import { decide } from '../../domain/decide';
import { DAY_MS } from '../../domain/duration';
import { EVENT_SCHEMA_VERSION, type DomainEvent } from '../../domain/schemas/events';
import { evolve } from '../../domain/evolve';
import { policyBodySchema } from '../../domain/schemas/policy';
import { dueActions } from '../../domain/schedule';
import type { Area, Phase } from '../../domain/schemas/vocabulary';
import { appendToStream, type NewEvent } from '../../store/event-store';
import { projectEvents } from '../../store/projections';
import { coordinator, directory as fixtureDirectory, supervisorOf } from '../../dev/fixtures';

/**
 * A realistic event log, written the way production writes it: every event comes out of the
 * real domain (`decide` for what people do, `dueActions` for what the clock does), is appended
 * with `appendToStream` and projected into the live read models in the same transaction
 * (`projectEvents`), one append per command or schedule tick, exactly like the workflow.
 *
 * A simulated clock advances in steps over months. Cases are opened along the way (custody,
 * prison, half-way house), agencies accept, complete and sometimes decline their work, the
 * coordinator holds meetings (before release and after it), adopts plans, names successors and
 * moves release dates, clients are released, follow-ups are done or missed, cases close, a few
 * clients are remanded again. Because the clock runs past due dates, reminders are sent and
 * alerts are raised, escalated, acknowledged and resolved. Deterministic for a given seed.
 */

/** Göteborg (1480) from the fixtures plus a second municipality, Härryda (1401). */
export const GENERATOR_DIRECTORY: Agency[] = [
  ...fixtureDirectory,
  { agencyId: 'sot-1401', type: 'socialtjansten', name: 'Socialtjänsten Härryda', municipalities: ['1401'] },
  { agencyId: 'frv-1401', type: 'frivarden', name: 'Frivården Härryda', municipalities: ['1401'] },
  { agencyId: 'kfm', type: 'kronofogden', name: 'Kronofogden', municipalities: ['*'] },
];

const CONSENT: Record<string, string[]> = {
  '1480': ['sot-1480', 'reg-vg', 'af', 'frv-gbg', 'kfm'],
  '1401': ['sot-1401', 'reg-vg', 'af', 'frv-1401', 'kfm'],
};

/** A policy in days, as an administrator would publish it. */
export const GENERATOR_POLICY = policyBodySchema.parse({
  requirements: [
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P21D', title: 'Bostad ordnad' },
    { area: 'missbruk', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Beroendevård fortsätter efter frigivning' },
    { area: 'psykisk_halsa', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Psykiatrisk vård fortsätter efter frigivning' },
    { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'P10D', title: 'Kontakt med Arbetsförmedlingen' },
    { area: 'forsorjning', appliesWhen: 'need', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P7D', title: 'Försörjning första tiden ordnad' },
    { area: 'skulder', appliesWhen: 'need', agencyType: 'kronofogden', requiredBeforeRelease: false, dueBeforeRelease: 'P7D', title: 'Skuldrådgivning' },
  ],
  reminders: ['P7D', 'P1D'],
  escalation: { level2After: 'P3D' },
  followUps: { high: ['P1D', 'P7D', 'P14D', 'P30D'], medium: ['P7D', 'P30D'], low: ['P30D'] },
  milestones: {
    planAdoptedWithin: 'P30D', planAdoptedWithinShortStay: 'P14D', shortStayRemaining: 'P2M',
    planReviewEvery: 'P4M', successorNamedBeforeRelease: 'P21D', meetingBeforeRelease: 'P14D',
  },
});

export interface GenerateLogOptions {
  /** Cases opened over the run (default 400; the run usually stops at `targetEvents` first). */
  cases?: number;
  /** Stop once at least this many events are in the log (default 10,000). */
  targetEvents?: number;
  seed?: number;
  /** Case ids are `${prefix}-${n}`; give concurrent generators different prefixes. */
  prefix?: string;
  /** Simulated start (default 2025-01-06T08:00:00Z). */
  start?: string;
  /** New cases arrive uniformly over this many simulated days (default 150). */
  openOverDays?: number;
  /** Simulated days at most (default 400). */
  days?: number;
  /** Length of one clock step (default 12 h). */
  stepHours?: number;
}

export interface GeneratedLog {
  cases: number;
  events: number;
  appends: number;
  /** Commands the domain refused (the simulation tries things that are not always allowed). */
  rejected: number;
  byType: Record<string, number>;
  simulatedUntil: string;
  elapsedMs: number;
}

interface SimCase {
  caseId: string;
  openAt: number;
  municipality: string;
  state?: CaseState;
  finished: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;
const officer = (agencyId: string): Person => ({ sub: `officer-${agencyId}`, role: 'agency', agencyId });
const EXTRA_NEEDS: Area[] = ['missbruk', 'psykisk_halsa', 'forsorjning', 'skulder'];

/** mulberry32: small, fast, good enough to make a simulation reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateLog(pool: Pool, options: GenerateLogOptions = {}): Promise<GeneratedLog> {
  const started = Date.now();
  const caseCount = options.cases ?? 400;
  const target = options.targetEvents ?? 10_000;
  const prefix = options.prefix ?? 'gen';
  const rnd = prng(options.seed ?? 1);
  const chance = (p: number) => rnd() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const t0 = Date.parse(options.start ?? '2025-01-06T08:00:00Z');
  const step = (options.stepHours ?? 12) * HOUR_MS;
  const end = t0 + (options.days ?? 400) * DAY_MS;
  const openSpan = (options.openOverDays ?? 150) * DAY_MS;

  const cases: SimCase[] = Array.from({ length: caseCount }, (_, k) => ({
    caseId: `${prefix}-${k + 1}`,
    openAt: t0 + Math.floor((k / caseCount) * openSpan),
    municipality: k % 4 === 3 ? '1401' : '1480',
    finished: false,
  }));
  const out: GeneratedLog = { cases: 0, events: 0, appends: 0, rejected: 0, byType: {}, simulatedUntil: iso(t0), elapsedMs: 0 };
  let requests = 0;

  const append = async (c: SimCase, events: DomainEvent[], requestId?: string) => {
    const res = await appendToStream(
      pool,
      { streamId: c.caseId, expectedVersion: c.state?.version ?? 0, events: events.map((e) => toNewEvent(e, requestId)) },
      projectEvents,
    );
    if (res.duplicate) throw new Error(`unexpected duplicate append on ${c.caseId}`);
    c.state = events.reduce<CaseState | undefined>((s, e) => evolve(s, e), c.state);
    out.appends += 1;
    out.events += events.length;
    for (const e of events) out.byType[e.type] = (out.byType[e.type] ?? 0) + 1;
  };

  /** One command, the way the workflow runs it: decide, and append what was decided. */
  const run = async (c: SimCase, command: Command, actor: Person, now: number) => {
    const decision = decide(c.state, command, { now: iso(now), actor, directory: GENERATOR_DIRECTORY });
    if (!decision.ok) {
      out.rejected += 1;
      return;
    }
    if (decision.events.length > 0) await append(c, decision.events, `${prefix}-req-${++requests}`);
  };

  for (let t = t0; t <= end && out.events < target; t += step) {
    out.simulatedUntil = iso(t);
    for (const c of cases) {
      if (out.events >= target) break;
      if (c.finished || c.openAt > t) continue;
      // Things happen a few minutes apart within a step, so every event has its own time.
      let clock = t;
      const next = () => (clock += between(1, 20) * 60_000);

      if (!c.state) {
        await run(c, openCase(c, t), coordinator, next());
        out.cases += 1;
        continue;
      }
      for (const [command, actor] of peopleAct(c.state, t)) {
        if (c.state.phase === 'avslutad') break;
        await run(c, command, actor, next());
      }
      const due = dueActions(c.state, iso(next()));
      if (due.length > 0) await append(c, due);
      if (c.state.phase === 'avslutad' && c.state.alerts.every((a) => a.status === 'resolved')) c.finished = true;
    }
  }
  out.elapsedMs = Date.now() - started;
  return out;

  function openCase(c: SimCase, t: number): Command {
    const phase: Phase = chance(0.15) ? 'hakte' : chance(0.15) ? 'utslussning' : 'anstalt';
    const admittedAt = t - between(0, 90) * DAY_MS;
    const releaseAt = t + between(25, 110) * DAY_MS;
    const needs = EXTRA_NEEDS.filter(() => chance(0.35));
    // Some clients have not consented to Arbetsförmedlingen: that work starts unassigned.
    const consent = CONSENT[c.municipality]!.filter((id) => id !== 'af' || chance(0.85));
    return {
      type: 'open_case',
      caseId: c.caseId,
      client: { municipality: c.municipality },
      phase,
      ...(phase === 'utslussning' ? { measure: pick(['frigang', 'halvvagshus', 'vardvistelse'] as const) } : {}),
      admittedAt: iso(admittedAt),
      ...(phase === 'hakte' ? {} : { expectedReleaseAt: iso(releaseAt) }),
      riskLevel: pick(['low', 'medium', 'medium', 'high'] as const),
      needs,
      consent: { agencyIds: consent },
      policy: { policyId: 'standard', version: 3, body: GENERATOR_POLICY },
    };
  }

  /** What the people around one case do during one step, in the order they do it. */
  function peopleAct(s: CaseState, t: number): [Command, Person][] {
    const acts: [Command, Person][] = [];
    const coord = (command: Command) => acts.push([command, coordinator]);
    const released = s.phase === 'frigiven';
    const beforeRelease = s.phase === 'hakte' || s.phase === 'anstalt' || s.phase === 'utslussning';
    // One client in eleven meets no one before release: no agency acts and no meeting is held
    // (Riksrevisionen found about 40 % released without external contact in 2009).
    const unreached = beforeRelease && Number(s.caseId.split('-').pop()) % 11 === 5;

    for (const i of s.interventions) {
      if (!i.agencyId || unreached) continue;
      const by = officer(i.agencyId);
      if (i.status === 'planned') {
        if (chance(0.02)) acts.push([{ type: 'decline_intervention', interventionId: i.interventionId, reason: 'Ingen plats förrän nästa termin' }, by]);
        else if (chance(0.2)) acts.push([{ type: 'accept_intervention', interventionId: i.interventionId }, by]);
      } else if (i.status === 'accepted' && chance(0.12)) {
        acts.push([{ type: 'complete_intervention', interventionId: i.interventionId, note: 'Klart' }, by]);
      }
    }
    for (const i of s.interventions) {
      if (i.status === 'unassigned' && chance(0.06)) {
        if (chance(0.5)) coord({ type: 'set_consent', agencyIds: CONSENT[s.client.municipality]! });
        else coord({ type: 'waive_intervention', interventionId: i.interventionId, reason: 'Klienten avböjer' });
      }
      if (i.status === 'declined' && beforeRelease && chance(0.08) && !s.interventions.some((x) => x.title === `${i.title} (ny)`)) {
        const agencyId = i.agencyId && s.consent.agencyIds.includes(i.agencyId) ? i.agencyId : undefined;
        coord({ type: 'add_intervention', area: i.area, title: `${i.title} (ny)`, requiredBeforeRelease: i.requiredBeforeRelease, ...(agencyId ? { agencyId } : {}) });
      }
    }
    for (const a of s.alerts) {
      if (a.status === 'open' && chance(0.12)) acts.push([{ type: 'acknowledge_alert', alertId: a.alertId }, supervisorOf(a.agencyId)]);
    }

    if (beforeRelease) {
      const release = s.expectedReleaseAt ? Date.parse(s.expectedReleaseAt) : undefined;
      if (s.phase === 'hakte' && chance(0.08)) {
        coord({ type: 'change_phase', to: 'anstalt', at: iso(t) });
        if (!release) coord({ type: 'set_release_date', expectedReleaseAt: iso(t + between(30, 120) * DAY_MS), reason: 'Dom har meddelats' });
      }
      if (s.phase !== 'hakte' && !s.plan.adoptedAt && chance(0.05)) coord({ type: 'adopt_plan' });
      if (s.plan.adoptedAt && chance(0.004)) coord({ type: 'review_plan' });
      if (!s.responsibility.successorAgencyId && release && release - t < 45 * DAY_MS && chance(0.07)) {
        const frv = s.client.municipality === '1401' ? 'frv-1401' : 'frv-gbg';
        coord({ type: 'set_responsibility', holderAgencyId: s.responsibility.holderAgencyId, successorAgencyId: frv });
      }
      if (!unreached && s.meetings.length === 0 && release && release - t < 30 * DAY_MS && chance(0.07)) {
        coord({ type: 'record_meeting', agencyIds: s.consent.agencyIds.slice(0, 3) });
      }
      // Some clients get the rule of thumb's four or five meetings, most fewer.
      if (s.meetings.length > 0 && s.meetings.length < 5 && release && release - t < 60 * DAY_MS && chance(0.03)) {
        coord({ type: 'record_meeting', agencyIds: s.consent.agencyIds.slice(0, 2) });
      }
      if (chance(0.008)) {
        const need = pick(EXTRA_NEEDS);
        if (!s.needs.includes(need)) coord({ type: 'set_needs', needs: [...s.needs, need] });
      }
      if (chance(0.004)) coord({ type: 'set_risk_level', riskLevel: pick(['low', 'medium', 'high'] as const), reason: 'Ny riskbedömning' });
      if (release && release > t && chance(0.006)) {
        coord({ type: 'set_release_date', expectedReleaseAt: iso(release + between(7, 30) * DAY_MS), reason: 'Ny dom' });
      }
      if (s.phase === 'anstalt' && release && release - t < 60 * DAY_MS && chance(0.01)) {
        coord({ type: 'change_phase', to: 'utslussning', measure: 'halvvagshus', at: iso(t) });
      }
      if (release && release <= t && chance(0.6)) coord({ type: 'change_phase', to: 'frigiven', at: iso(t) });
    }

    if (released) {
      // Meetings go on after release too; the figures of contact before release must not count them.
      if (chance(0.02)) coord({ type: 'record_meeting', agencyIds: s.consent.agencyIds.slice(0, 2) });
      for (const f of s.followUps) {
        if (!f.agencyId) continue;
        const dueIn = Date.parse(f.dueAt) - t;
        // Mostly in the last days before the due time, now and then weeks ahead of it, sometimes late.
        const ahead = f.status === 'open' && dueIn < 21 * DAY_MS && chance(0.04);
        if ((f.status === 'open' && dueIn < 3 * DAY_MS && chance(0.3)) || ahead || (f.status === 'missed' && chance(0.1))) {
          acts.push([{ type: 'complete_follow_up', followUpId: f.followUpId, note: 'Uppföljningssamtal hållet' }, officer(f.agencyId)]);
        }
      }
      const settled = s.followUps.every((f) => f.status === 'completed' || f.status === 'cancelled' || f.status === 'missed');
      const longAgo = s.releasedAt !== undefined && t - Date.parse(s.releasedAt) > 45 * DAY_MS;
      if (chance(0.003)) coord({ type: 'change_phase', to: 'hakte', at: iso(t), reason: 'Häktad på nytt' });
      else if ((settled || longAgo) && chance(0.25)) coord({ type: 'change_phase', to: 'avslutad', at: iso(t), reason: 'Uppföljningen avslutad' });
    }
    return acts;
  }
}

/** What the append activity stores: only what identifies the official, never free text about the client. */
function toNewEvent(e: DomainEvent, requestId?: string): NewEvent {
  return {
    type: e.type,
    schemaVersion: EVENT_SCHEMA_VERSION,
    data: e.data,
    occurredAt: e.occurredAt,
    metadata: {
      actor: isPerson(e.actor) ? { sub: e.actor.sub, role: e.actor.role, agencyId: e.actor.agencyId } : e.actor,
      ...(requestId ? { requestId } : {}),
      workflowRunId: 'generated',
    },
  };
}
