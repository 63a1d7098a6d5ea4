import { randomUUID } from 'node:crypto';
import { CommandRejected } from '../../api/journey-client';
import { sleepUntil } from '../../dev/eventually';
import { startTestStack, type TestStack } from '../../dev/stack';
import { fold } from '../../domain/evolve';
import { gapSubject, gapsAt } from '../../domain/gaps';
import type { Command } from '../../domain/schemas/commands';
import type { DomainEvent } from '../../domain/schemas/events';
import { runCase, type CaseRun } from '../../simulation/journey';
import { caseWorkflowId } from '../../workflows/messages';
import { eventsAfter } from '../workflow/event-log';
import { GRID_MS, HALF_GRID_MS, compressedCohort, compressedPolicy, compressedWorld } from './compressed-cohort';

/**
 * The what-if simulator's fidelity (issue 19): a cohort run through the simulator (virtual clock,
 * pure functions) and the same commands, at the same moments of real time, run through the real
 * workflows on the Temporal dev server with the real activities and PostgreSQL event log, give
 * each case the same events in the same order and the same gaps at release.
 *
 * Time is compressed: a world day lasts 2 s (so an agency "up to two days early" is up to 4 s
 * early), the policy's durations are seconds (compressed-cohort.ts).
 *
 * Jitter: a real step happens some hundreds of milliseconds after its moment, a command a little
 * after its send time. So nothing that competes is ever close: every schedule moment (due date,
 * reminder, escalation, follow-up due, plan and meeting deadlines) lies on a 6 s grid, every
 * command 3 s off it (compressed-cohort.ts says how), so a completion and a reminder, a
 * follow-up done and its due time, an acknowledgement and the alert's resolution are never
 * closer than 3 s. Commands at the same moment are sent one after another in the order the
 * simulator sent them, each once the one before has been answered. The test checks that layout
 * on the simulator's run before it compares anything. No canonical reordering is needed: the
 * events of one moment come from one command or one schedule step, whose order the code fixes.
 */

const CASES = 30;
const SEED = 7;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

interface Logged { type: string; data: unknown; occurredAt: string; actor: unknown }

/** One event as compared: its type and what it is about (ids, alert key, phase, reminder), no times and no case id. */
function describeEvent(e: Logged, caseId: string): string {
  const d = e.data as Record<string, unknown>;
  const alertId = typeof d.alertId === 'string' ? d.alertId.replace(`${caseId}-`, '') : undefined;
  const about = [d.interventionId, d.followUpId, d.key, alertId, d.to, d.before, d.toAgencyId].filter((v) => typeof v === 'string');
  return [e.type, ...about].join(' ');
}

/** The gaps open at release: the required interventions the release names, and every gap open at that moment. */
function gapsAtRelease(events: readonly Logged[]): { openAtRelease: string[]; gaps: string[] } | undefined {
  const k = events.findIndex((e) => e.type === 'PhaseChanged' && (e.data as { to: string }).to === 'frigiven');
  if (k < 0) return undefined;
  const released = fold(events.slice(0, k + 1) as DomainEvent[])!;
  return {
    openAtRelease: [...((events[k]!.data as { openAtRelease?: string[] }).openAtRelease ?? [])].sort(),
    gaps: gapsAt(released, released.releasedAt!).map((g) => `${g.kind}:${gapSubject(g)}`).sort(),
  };
}

/** The simulator's commands, for the real case: its id in place of the simulator's. */
function forRealCase(c: Command, simId: string, realId: string): Command {
  if (c.type === 'open_case') return { ...c, caseId: realId };
  if (c.type === 'acknowledge_alert') return { ...c, alertId: c.alertId.replace(`${simId}-`, `${realId}-`) };
  return c;
}

interface Replayed { refused: number; latestSendMs: number; lateness: Record<string, number> }

/** Sends one case's commands at their moments, in order, each once the one before has been answered. */
async function replay(run: CaseRun, realId: string): Promise<Replayed> {
  let refused = 0;
  let latestSendMs = 0;
  /** The most any command of a type was answered after its moment. */
  const lateness: Record<string, number> = {};
  for (const s of run.sent) {
    const at = Date.parse(s.at);
    await sleepUntil(at);
    latestSendMs = Math.max(latestSendMs, Date.now() - at);
    const command = forRealCase(s.command, run.caseId, realId);
    const req = { requestId: randomUUID(), command, actor: s.actor, directory: compressedWorld.directory };
    try {
      if (command.type === 'open_case') await stack.journeys.open(realId, req);
      else await stack.journeys.send(realId, req);
    } catch (err) {
      if (!(err instanceof CommandRejected)) throw err;
      refused += 1;
    }
    lateness[s.command.type] = Math.max(lateness[s.command.type] ?? 0, Date.now() - at);
  }
  return { refused, latestSendMs, lateness };
}

test(`${CASES} cases through the simulator and through the real workflows: the same events in the same order, the same gaps at release`, async () => {
  // A few seconds ahead, on the grid: the simulator's clock and the real one are then the same clock.
  const startMs = Math.ceil((Date.now() + 3000) / GRID_MS) * GRID_MS;
  const cohort = compressedCohort(CASES, startMs, SEED);
  const runs = cohort.map((client) => runCase(client, compressedPolicy, compressedWorld, SEED));

  // The simulated runs are what the layout above promises, and cover what the schedule does.
  const seen = new Set<string>();
  for (const run of runs) {
    expect(run.runaway).toBe(false);
    // Every case ends closed with its alerts resolved, so its real workflow ends too.
    expect(run.final.phase).toBe('avslutad');
    expect(run.final.alerts.every((a) => a.status === 'resolved')).toBe(true);
    // Every command but the opening is half a step off the grid…
    const commandTimes = new Set(run.sent.map((s) => Date.parse(s.at)));
    for (const s of run.sent.slice(1)) expect(Date.parse(s.at) % GRID_MS).toBe(HALF_GRID_MS);
    // …and the schedule acts on the grid, or right after a command (what that command opened or closed).
    for (const e of run.events) {
      const t = Date.parse(e.occurredAt);
      if ('system' in e.actor) expect(t % GRID_MS === 0 || commandTimes.has(t)).toBe(true);
      seen.add(e.type === 'AlertRaised' ? `${e.data.kind}:L${e.data.level}` : e.type);
    }
  }
  for (const kind of [
    'ReminderSent', 'intervention_overdue:L1', 'intervention_overdue:L2', 'released_with_gap:L3', 'intervention_unassigned:L1',
    'plan_not_adopted:L1', 'follow_up_missed:L1', 'FollowUpMissed', 'FollowUpCompleted', 'InterventionDeclined', 'AlertAcknowledged',
    'InterventionCompleted', 'AlertResolved', 'ResponsibilityHandedOver',
  ]) expect(seen).toContain(kind);

  // The same commands, at the same moments, through the real stack.
  const tag = randomUUID().slice(0, 8);
  const realIdOf = (run: CaseRun) => `${run.caseId}-${tag}`;
  const replayed = await Promise.all(runs.map((run) => replay(run, realIdOf(run))));
  // Each real case ends where the simulated one does (closed, every alert resolved): its workflow completes.
  const lastMoment = Math.max(...runs.flatMap((r) => r.events.map((e) => Date.parse(e.occurredAt))));
  let giveUp: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    giveUp = setTimeout(() => resolve(false), Math.max(lastMoment - Date.now(), 0) + 20_000);
  });
  const ended = await Promise.all(runs.map((run) =>
    Promise.race([stack.client.workflow.getHandle(caseWorkflowId(realIdOf(run))).result().then(() => true), late])));
  clearTimeout(giveUp);

  // Per case, what the simulator recorded and what the real event log holds.
  const summary = (caseId: string, events: readonly Logged[], refused: number, ended: boolean) => ({
    case: caseId, types: events.map((e) => e.type), events: events.map((e) => describeEvent(e, caseId)),
    atRelease: gapsAtRelease(events), refused, ended,
  });
  const simulated = runs.map((run) => summary(run.caseId, run.events, run.refused, true));
  const real = await Promise.all(runs.map(async (run, k) => {
    const events: Logged[] = (await eventsAfter(stack.pool, realIdOf(run)))
      .map((e) => ({ type: e.type, data: e.data, occurredAt: e.occurredAt, actor: e.metadata.actor }));
    return { ...summary(realIdOf(run), events, replayed[k]!.refused, ended[k]!), case: run.caseId, events: events.map((e) => describeEvent(e, realIdOf(run))), log: events };
  }));

  // How far real time lagged the simulated moments (only where the cases agree event for event).
  let latestStepMs = 0;
  const differences: string[] = [];
  for (const [k, run] of runs.entries()) {
    const { events: actual, log } = real[k]!;
    const expected = simulated[k]!.events;
    const first = expected.findIndex((d, j) => d !== actual[j]);
    if (first < 0 && expected.length === actual.length) {
      for (const [j, e] of log.entries()) latestStepMs = Math.max(latestStepMs, Date.parse(e.occurredAt) - Date.parse(run.events[j]!.occurredAt));
    } else {
      const at = first >= 0 ? first : Math.min(expected.length, actual.length);
      differences.push(`${run.caseId} from event ${at + 1}: simulated [${expected.slice(at, at + 4).join(', ')}], real [${actual.slice(at, at + 4).join(', ')}]`);
    }
  }
  const latestSendMs = Math.max(...replayed.map((r) => r.latestSendMs));
  const answered: Record<string, number> = {};
  for (const r of replayed) for (const [type, ms] of Object.entries(r.lateness)) answered[type] = Math.max(answered[type] ?? 0, ms);
  console.log(`fidelity: ${CASES} cases, ${runs.reduce((n, r) => n + r.events.length, 0)} events, ${runs.reduce((n, r) => n + r.sent.length, 0)} commands; `
    + `sends at most ${latestSendMs} ms late, answered at most ${JSON.stringify(answered)} ms after their moments, real events at most ${latestStepMs} ms after their simulated moments (in the ${CASES - differences.length} cases that agree); ${differences.length} differ`
    + (differences.length > 0 ? `\n${differences.join('\n')}` : ''));

  // Types in order first (the clearest diff), then what each event is about, the gaps at release,
  // the commands refused, and the workflow's end.
  expect(real.map((r) => ({ case: r.case, types: r.types }))).toEqual(simulated.map((r) => ({ case: r.case, types: r.types })));
  expect(real.map(({ log: _log, ...r }) => r)).toEqual(simulated);
}, 240_000);
