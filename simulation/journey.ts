import type { Person } from '../domain/schemas/actor';
import type { CaseState } from '../domain/case-state';
import type { Command } from '../domain/schemas/commands';
import { decide } from '../domain/decide';
import { DAY_MS as A_DAY, addDuration, formatIso } from '../domain/duration';
import type { DomainEvent } from '../domain/schemas/events';
import { fold } from '../domain/evolve';
import { isOpen } from '../domain/gaps';
import { OPEN_FOLLOW_UP_STATUSES } from '../domain/open-statuses';
import type { PinnedPolicy } from '../domain/schemas/policy';
import { CURRENT_RULES } from '../domain/rules';
import { afterStep, dueStep } from '../domain/schedule';
import { SCHEDULE } from '../domain/system-actor';
import type { Client } from './cohort';
import { sampleLeadTime } from './measured';
import { chance, logNormal, substream, uniform, type Random } from './random';
import { leadTimeOf, type World } from './world';

// A step and the command before it are mostly at one instant: formatted once.
let lastMs = NaN;
let lastIso = '';
const iso = (ms: number) => (ms === lastMs ? lastIso : (lastIso = formatIso((lastMs = ms))));

/** A command someone in the simulated world sends at a moment, or a note to self (an agency starting on a task). */
type Unqueued =
  | { kind: 'command'; at: number; command: Command; actor: Person }
  | { kind: 'start'; at: number; interventionId: string };
type Pending = Unqueued & { seq: number };

export interface SentCommand { at: string; command: Command; actor: Person }

export interface CaseRun {
  caseId: string;
  events: DomainEvent[];
  /** Every command sent, in order, accepted or not: what a fidelity run replays against the workflow. */
  sent: SentCommand[];
  refused: number;
  final: CaseState;
  /** The loop stopped at its step limit: a bug in the rules or in the world, never expected. */
  runaway: boolean;
}

const MAX_STEPS = 20_000;

/**
 * Keyed draws: the answer an agency gives to one client's task is the same under every policy,
 * so a what-if compares the policies and not two draws of chance (common random numbers).
 */
const PURPOSE = { lead: 1, waits: 2, decline: 3, ack: 4, followUp: 5, coordinator: 6 } as const;

/**
 * One client's case in compressed time, run the way workflows/client-journey.ts runs it: every
 * command decided by `decide` on the state so far (a refusal records nothing and wakes nothing),
 * a new case recording `RulesAdopted` after its opening, and after every command and at every
 * moment `afterStep` names, a schedule step recording `dueActions` (as `dueStep`). Recording takes no time here,
 * so a step is evaluated and finished at the same instant. A command and a timer at the same
 * moment: the timer first.
 */
export function runCase(client: Client, policy: PinnedPolicy, world: World, seed: number): CaseRun {
  // The world's day: a day, or a second in a compressed run (World.dayMs).
  const DAY_MS = world.dayMs ?? A_DAY;
  const grid = world.answerGrid;
  const caseId = `sim-${client.index}`;
  const coordinator: Person = { sub: 'sim-samordnare', role: 'coordinator', agencyId: world.coordinatorAgencyId };
  const officer = (agencyId: string): Person => ({ sub: `sim-handlaggare-${agencyId}`, role: 'agency', agencyId });
  const supervisor = (agencyId: string): Person => ({ sub: `sim-chef-${agencyId}`, role: 'supervisor', agencyId });
  const draw = (purpose: number, key: number): Random => substream(seed, 2, client.index, purpose, key);
  const keyOf = (id: string) => Number(id.replace(/\D+/g, '')) || 0;

  const queue: Pending[] = [];
  let seq = 0;
  const push = (p: Unqueued) => {
    // Every `p` is a literal made for this call: numbered in place, not copied.
    const item = p as Pending;
    item.seq = seq++;
    if (grid) item.at = grid.atMs + Math.ceil((item.at - grid.atMs) / grid.everyMs) * grid.everyMs;
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = queue[mid]!;
      if (q.at < item.at || (q.at === item.at && q.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    if (!Number.isFinite(item.at)) throw new Error(`not a time: ${JSON.stringify(item)}`);
    queue.splice(lo, 0, item);
  };
  const send = (at: number, command: Command, actor: Person = coordinator) => push({ kind: 'command', at, command, actor });

  let state: CaseState | undefined;
  const events: DomainEvent[] = [];
  const sent: SentCommand[] = [];
  let refused = 0;
  const waiting = new Set<string>();

  const planCoordinator = () => {
    const r = draw(PURPOSE.coordinator, 0);
    const { admittedAt: a, releaseAt: rel } = client;
    const notBefore = (t: number) => Math.max(a + DAY_MS, t);
    const adopt = a + (chance(r, 0.08) ? uniform(r, 30, 50) : uniform(r, 2, 12)) * DAY_MS;
    if (adopt < rel) {
      send(adopt, { type: 'adopt_plan' });
      for (let t = adopt + uniform(r, 90, 120) * DAY_MS; t < rel; t += uniform(r, 90, 120) * DAY_MS) send(t, { type: 'review_plan' });
    }
    if (!chance(r, 0.05)) send(notBefore(rel - uniform(r, 15, 45) * DAY_MS), { type: 'record_meeting', agencyIds: client.consent.slice(0, 3) });
    const successor = client.consent.find((id) => world.directory.find((d) => d.agencyId === id)?.type === 'frivarden');
    if (successor) {
      const at = chance(r, 0.06) ? rel - uniform(r, 0, 25) * DAY_MS : rel - uniform(r, 31, 70) * DAY_MS;
      send(notBefore(at), { type: 'set_responsibility', holderAgencyId: world.coordinatorAgencyId, successorAgencyId: successor });
    }
    send(rel, { type: 'change_phase', to: 'frigiven' });
    const lastFollowUp = Math.max(rel, ...policy.body.followUps[client.riskLevel].map((o) => addDuration(rel, o)));
    send(lastFollowUp + 7 * DAY_MS, { type: 'change_phase', to: 'avslutad', reason: 'Uppföljningen är klar' });
  };

  /** The world answers what was recorded: agencies take on tasks, supervisors read alerts. */
  const react = (recorded: DomainEvent[], now: number) => {
    for (const e of recorded) {
      if (e.type === 'InterventionPlanned' || e.type === 'InterventionAssigned') {
        const i = state!.interventions.find((x) => x.interventionId === e.data.interventionId)!;
        if (!i.agencyId) {
          const r = draw(PURPOSE.decline, keyOf(i.interventionId));
          // Nobody may be asked without the client's consent: the coordinator records that the client declined.
          send(now + uniform(r, 1, 7) * DAY_MS, { type: 'decline_intervention', interventionId: i.interventionId, reason: 'Klienten har inte samtyckt till att huvudmannen får uppgifterna.' });
          continue;
        }
        const b = world.behaviour[i.agencyId];
        if (!b) continue;
        // A measured lead time runs from assignment, as the log measures it: any wait for a
        // reminder is already in it, so the world's `startsWhenReminded` is not added on top.
        if (b.measured?.[i.area]) {
          start(i.interventionId, now);
        } else if (chance(draw(PURPOSE.waits, keyOf(i.interventionId)), b.startsWhenReminded)) {
          waiting.add(i.interventionId);
          // Without a reminder ahead, the task is started when it falls due.
          push({ kind: 'start', at: i.dueAt ? Math.max(now, Date.parse(i.dueAt)) : now + 30 * DAY_MS, interventionId: i.interventionId });
        } else {
          start(i.interventionId, now);
        }
      } else if (e.type === 'ReminderSent' && waiting.has(e.data.interventionId)) {
        start(e.data.interventionId, now);
      } else if (e.type === 'AlertRaised') {
        const r = draw(PURPOSE.ack, keyOf(e.data.alertId.slice(caseId.length)));
        send(now + logNormal(r, world.acknowledgeMedianDays, 0.6) * DAY_MS, { type: 'acknowledge_alert', alertId: e.data.alertId }, supervisor(e.data.agencyId));
      } else if (e.type === 'FollowUpScheduled' && e.data.agencyId) {
        const r = draw(PURPOSE.followUp, keyOf(e.data.followUpId));
        const due = Date.parse(e.data.dueAt);
        const at = chance(r, world.followUpsOnTime)
          ? Math.max(now, due - uniform(r, 0, Math.min(2, (due - now) / DAY_MS)) * DAY_MS)
          : due + uniform(r, 1, 7) * DAY_MS;
        send(at, { type: 'complete_follow_up', followUpId: e.data.followUpId }, officer(e.data.agencyId));
      }
    }
  };

  const started = new Set<string>();
  const start = (interventionId: string, now: number) => {
    waiting.delete(interventionId);
    if (started.has(interventionId)) return;
    started.add(interventionId);
    const i = state!.interventions.find((x) => x.interventionId === interventionId)!;
    const b = world.behaviour[i.agencyId!]!;
    const lead = leadTimeOf(b, i.area);
    const measured = b.measured?.[i.area];
    const r = draw(PURPOSE.lead, keyOf(interventionId));
    const days = measured ? sampleLeadTime(r, measured, lead) : logNormal(r, lead.medianDays, lead.sigma);
    send(now + days * DAY_MS, { type: 'complete_intervention', interventionId }, officer(i.agencyId!));
  };

  const record = (recorded: DomainEvent[], now: number, after?: CaseState) => {
    if (after) {
      // The schedule step has already folded its events: the same state, and its plan with it.
      state = after;
      events.push(...recorded);
    } else {
      state = fold(recorded, state);
      events.push(...recorded);
    }
    react(recorded, now);
  };

  /** Still worth sending: a person does not complete what is no longer theirs, nor acknowledge what has ended. */
  const stillRelevant = (c: Command): boolean => {
    const s = state!;
    if (c.type === 'complete_intervention') {
      const i = s.interventions.find((x) => x.interventionId === c.interventionId);
      return !!i && isOpen(i);
    }
    if (c.type === 'decline_intervention') return s.interventions.some((x) => x.interventionId === c.interventionId && x.status === 'unassigned');
    if (c.type === 'acknowledge_alert') return s.alerts.some((a) => a.alertId === c.alertId && a.status === 'open');
    if (c.type === 'complete_follow_up') return s.followUps.some((f) => f.followUpId === c.followUpId && OPEN_FOLLOW_UP_STATUSES.includes(f.status));
    if (c.type === 'change_phase' && c.to === 'avslutad') return s.phase !== 'avslutad';
    return true;
  };

  /** Decides and records one command, as the workflow's update handler does; false: refused. */
  const command = (at: number, c: Command, actor: Person): boolean => {
    const now = iso(at);
    sent.push({ at: now, command: c, actor });
    const decision = decide(state, c, { now, actor, directory: world.directory });
    if (!decision.ok) {
      refused += 1;
      return false;
    }
    const opening = state === undefined && c.type === 'open_case';
    const recorded = opening
      ? [...decision.events, { type: 'RulesAdopted', data: { rules: CURRENT_RULES }, occurredAt: now, actor: SCHEDULE } as DomainEvent]
      : decision.events;
    if (recorded.length > 0) record(recorded, at);
    return true;
  };

  command(client.admittedAt, {
    type: 'open_case', caseId, client: { municipality: client.municipality }, phase: 'anstalt',
    admittedAt: iso(client.admittedAt), expectedReleaseAt: iso(client.releaseAt), riskLevel: client.riskLevel,
    needs: client.needs, consent: { agencyIds: client.consent }, policy,
  }, coordinator);
  if (!state) throw new Error(`the simulated case ${caseId} could not be opened`);
  planCoordinator();

  let now = client.admittedAt;
  let wake = -Infinity; // the workflow looks at the schedule right after opening
  let steps = 0;
  for (; steps < MAX_STEPS; steps++) {
    const next = queue[0];
    if (next && next.at < wake) {
      queue.shift();
      now = Math.max(now, next.at);
      if (next.kind === 'start') {
        if (waiting.has(next.interventionId) && state.interventions.some((i) => i.interventionId === next.interventionId && isOpen(i))) start(next.interventionId, now);
        continue;
      }
      if (!stillRelevant(next.command)) continue;
      if (!command(now, next.command, next.actor)) continue;
    } else if (wake === Infinity) {
      break;
    } else {
      now = Math.max(now, wake);
    }
    // The schedule step, as in the workflow's loop.
    const evaluatedAt = iso(now);
    const due = dueStep(state, evaluatedAt);
    if (due.events.length > 0) record(due.events, now, due.state);
    if (state.phase === 'avslutad' && state.alerts.every((a) => a.status === 'resolved')) break;
    const after = afterStep(state, evaluatedAt, evaluatedAt);
    wake = after.kind === 'sleep' ? Date.parse(after.until) : after.kind === 'now' ? now : Infinity;
    if (wake === Infinity && queue.length === 0) break;
  }
  return { caseId, events, sent, refused, final: state, runaway: steps >= MAX_STEPS };
}
