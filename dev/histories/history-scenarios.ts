import type { Pool } from 'pg';
import type { Command } from '../../domain/schemas/commands';
import type { Person } from '../../domain/schemas/actor';
import { agenciesNeeded } from '../../domain/agencies-needed';
import type { CaseState } from '../../domain/case-state';
import { defaultPolicyBody } from '../../domain/schemas/policy';
import type { CommandOutcome } from '../../api/case-after-command';
import { caseWorkflowId, type CommandRequest } from '../../workflows/messages';
import { eventually, sleepUntil } from '../eventually';
import { coordinator, directory, fastPolicy, inSeconds, openCommand, probation, request, social, supervisorOf } from '../fixtures';
import { appendWaiting, holdAppends } from '../hold-appends';
import { decide } from '../../domain/decide';
import { appendToStream } from '../../store/event-store';
import { projectEvents } from '../../store/projections';
import { commandUpdate, forecastUpdate, stateQuery } from '../../workflows/messages';
import type { TestStack } from '../stack';

/**
 * Representative cases, played against a real stack, whose Temporal histories are kept as
 * replay fixtures (scripts/record-histories.ts writes them, journey-replay.test.ts replays them).
 * Plain code, no jest: the recorder runs it with `npx tsx`. All data is made up: the client is
 * known only by a municipality code, officials by made-up ids.
 */
export interface RecordedCase {
  /** File name stem under test/fixtures/histories/. */
  name: string;
  workflowId: string;
}

export interface Scenario {
  name: string;
  /** What the case goes through, for the reader of the fixture folder. */
  story: string;
  /**
   * Why its fixture stands for code that no longer exists: played now it would record today's
   * code under the old name, so the recorder refuses it.
   */
  frozen?: string;
  /** Plays the case to its end. `caseId` defaults to a fixed id, so re-recording writes the same ids. */
  play(stack: TestStack, caseId?: string): Promise<RecordedCase>;
}

function scenario(name: string, story: string, play: (stack: TestStack, caseId: string) => Promise<void>, opts: { frozen?: string } = {}): Scenario {
  return {
    name,
    story,
    ...opts,
    async play(stack, caseId = `fixture-${name}`) {
      await play(stack, caseId);
      await stack.client.workflow.getHandle(caseWorkflowId(caseId)).result();
      return { name, workflowId: caseWorkflowId(caseId) };
    },
  };
}

function driver(stack: TestStack, caseId: string) {
  return (command: Command, actor: Person = coordinator): Promise<CommandOutcome> =>
    stack.journeys.send(caseId, request(command, actor));
}

async function alertIds(pool: Pool, caseId: string, where: string): Promise<{ alert_id: string; level: number; status: string }[]> {
  const res = await pool.query(`SELECT alert_id, level, status FROM alerts WHERE case_id = $1 AND ${where} ORDER BY level, alert_id`, [caseId]);
  return res.rows;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`not yet: ${what}`);
}

/** Opened → planned → overdue (level 1, level 2) → completed → released → followed up → closed. */
export const fullCase = scenario(
  'full-case',
  'opened, planned, housing overdue (level 1 and 2, acknowledged), completed, released, one follow-up done, one missed then done late, closed',
  async (stack, caseId) => {
    // Housing is due 20 s before release: 3 s from now; the reminder 4 s before that (at once).
    const policy = fastPolicy({ followUps: { high: ['PT2S', 'PT4S'], medium: ['PT3S'], low: ['PT5S'] } });
    const open = openCommand({ caseId, releaseInSeconds: 23, riskLevel: 'high', policy });
    const send = driver(stack, caseId);
    await stack.journeys.open(caseId, request(open));
    await send({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' });
    await send({ type: 'record_meeting', agencyIds: ['sot-1480', 'frv-gbg'] });
    await send({ type: 'adopt_plan' });
    const overdue = await eventually(async () => {
      const rows = await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`);
      check(rows.length === 2, 'level 1 and level 2 raised');
      return rows;
    }, 20_000);
    await send({ type: 'acknowledge_alert', alertId: overdue[0]!.alert_id }, supervisorOf('sot-1480'));
    await send({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet ordnad' }, social);
    await send({ type: 'change_phase', to: 'frigiven' });
    await send({ type: 'complete_follow_up', followUpId: 'f1' }, probation);
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'follow_up_missed'`)).length === 1, 'f2 missed'), 20_000);
    await send({ type: 'complete_follow_up', followUpId: 'f2', note: 'gjord i efterhand' }, probation);
    await send({ type: 'change_phase', to: 'avslutad', reason: 'prövotiden har löpt ut' });
  },
);

/**
 * Every kind of transition: a revoked measure, release with housing still open (level 3 alerts
 * at once), a new remand and closing. Starts in häkte without a release date: no timer at all.
 */
export const wholePath = scenario(
  'whole-path',
  'häkte (no timer), anstalt, utslussning, revoked to anstalt, released with a gap (level 3), new remand, avslutad',
  async (stack, caseId) => {
    const { expectedReleaseAt: _unknown, ...base } = openCommand({ caseId, riskLevel: 'low', policy: fastPolicy({ followUps: { high: ['PT60S'], medium: ['PT60S'], low: ['PT60S'] } }) });
    const send = driver(stack, caseId);
    await stack.journeys.open(caseId, request({ ...base, phase: 'hakte', responsibility: { successorAgencyId: 'frv-gbg' } }));
    await send({ type: 'change_phase', to: 'anstalt' });
    await send({ type: 'set_release_date', expectedReleaseAt: inSeconds(3600), reason: 'dom har vunnit laga kraft' });
    await send({ type: 'change_phase', to: 'utslussning', measure: 'frigang' });
    await send({ type: 'change_phase', to: 'anstalt', reason: 'frigången återkallad' });
    await send({ type: 'change_phase', to: 'frigiven' });
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'released_with_gap'`)).length === 2, 'level 3 alerts'), 20_000);
    await send({ type: 'change_phase', to: 'hakte', reason: 'nytt häktningsbeslut' });
    await send({ type: 'change_phase', to: 'avslutad', reason: 'överförd till annan samordnare' });
  },
);

/** A case that continues as new every few commands (memo threshold), with a timer across runs. */
export const continuedAsNew = scenario(
  'continue-as-new',
  'history threshold 40 (memo): several runs; an overdue alert raised in one run, resolved in a later one; closed',
  async (stack, caseId) => {
    const send = driver(stack, caseId);
    const open = openCommand({ caseId, releaseInSeconds: 3600, policy: fastPolicy({ reminders: [] }) });
    await stack.journeys.open(caseId, request({ ...open, responsibility: { successorAgencyId: 'frv-gbg' } }), { continueAsNewAfter: 40 });
    await send({ type: 'record_meeting', agencyIds: ['sot-1480'] });
    await send({ type: 'set_release_date', expectedReleaseAt: inSeconds(22), reason: 'ny beräkning' });
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`)).length === 2, 'overdue alerts'), 20_000);
    await send({ type: 'complete_intervention', interventionId: 'i1' }, social);
    await send({ type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' });
  },
);

/**
 * A schedule step that is still being recorded when a deadline passes: the reminder's append is
 * held back (the event log's lock taken from outside) from before housing falls due until after.
 * Recorded first from the code before the `schedule-never-skips` patch, where the case then slept
 * past the due moment until a command woke it (issue 13); keeps that patch honest.
 */
export const sleptPastDeadline = scenario(
  'slept-past-deadline',
  'reminder at +2 s recorded only at +8 s (event log held), housing due at +6 s passed meanwhile; a meeting wakes the case, housing completed, closed',
  async (stack, caseId) => {
    const send = driver(stack, caseId);
    const t0 = Date.now();
    // Housing due at +6 s (20 s before release), its reminder 4 s before (+2 s), level 2 far off.
    const open = openCommand({ caseId, releaseInSeconds: 26, policy: fastPolicy({ escalation: { level2After: 'PT30S' } }) });
    await stack.journeys.open(caseId, request({ ...open, responsibility: { successorAgencyId: 'frv-gbg' } }));
    await sleepUntil(t0 + 1_000);
    const held = await holdAppends(stack.pool);
    try {
      await eventually(async () => check(await appendWaiting(stack.pool), 'the reminder is being recorded'), 5_000, 50);
      await sleepUntil(t0 + 8_000);
    } finally {
      await held.release();
    }
    await sleepUntil(t0 + 10_000);
    await send({ type: 'record_meeting', agencyIds: ['sot-1480'] });
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`)).length === 1, 'level 1 raised'), 10_000);
    await send({ type: 'complete_intervention', interventionId: 'i1' }, social);
    await send({ type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' });
  },
);

/**
 * The access rules in a case's own decisions (`access-follows-relationship`): an overdue alert to
 * socialtjänsten ends when its consent is withdrawn, frivården stops taking over when its consent
 * goes, the case is handed over to frivården's coordinator and closed by it.
 */
export const accessChanges = scenario(
  'access-changes',
  'housing overdue (level 1 to sot-1480), consent for sot-1480 and af withdrawn (alert resolved, consent withdrawn), successor reg-vg named, transferred to frv-gbg, closed by its coordinator',
  async (stack, caseId) => {
    const send = driver(stack, caseId);
    const open = openCommand({ caseId, releaseInSeconds: 22, policy: fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' } }) });
    await stack.journeys.open(caseId, request({ ...open, responsibility: { successorAgencyId: 'frv-gbg' } }));
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`)).length === 1, 'level 1 raised'), 20_000);
    await send({ type: 'set_consent', agencyIds: ['reg-vg', 'frv-gbg'] });
    await send({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'reg-vg' });
    await send({ type: 'transfer_case', toAgencyId: 'frv-gbg', reason: 'klienten har flyttat' });
    await send({ type: 'change_phase', to: 'avslutad', reason: 'överförd' }, { sub: 'frv-coord', role: 'coordinator', agencyId: 'frv-gbg' });
  },
);

/**
 * The log ahead of its workflow (`reconcile-with-log`): a meeting's append committed, but its
 * answer never reached the workflow (written here the way the append activity writes it). Housing
 * then falls due: the schedule's append conflicts, the case reads the meeting back and raises the
 * alert; the meeting's request, sent again, is answered as applied; housing completed, closed.
 */
export const logAhead = scenario(
  'log-ahead',
  'a meeting recorded in the log behind the workflow (an append whose answer was lost); housing due at +6 s conflicts, is reconciled and raises level 1; the meeting sent again is a duplicate; housing completed, closed',
  async (stack, caseId) => {
    const send = driver(stack, caseId);
    const t0 = Date.now();
    const open = openCommand({ caseId, releaseInSeconds: 26, policy: fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' } }) });
    await stack.journeys.open(caseId, request({ ...open, responsibility: { successorAgencyId: 'frv-gbg' } }));
    const state = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(stateQuery);
    const meeting = request({ type: 'record_meeting', agencyIds: ['sot-1480'] });
    const decision = decide(state!, meeting.command, { now: new Date().toISOString(), actor: meeting.actor, directory });
    if (!decision.ok) throw new Error(decision.rejection.message);
    await appendToStream(
      stack.pool,
      {
        streamId: caseId,
        expectedVersion: state!.version,
        events: decision.events.map((e) => ({
          type: e.type, data: e.data, occurredAt: e.occurredAt,
          metadata: { actor: meeting.actor, requestId: meeting.requestId, workflowRunId: 'lost-answer' },
        })),
      },
      (tx, appended) => projectEvents(tx, appended),
    );
    await sleepUntil(t0 + 6_000);
    await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`)).length > 0, 'level 1 raised'), 15_000);
    const again = await stack.journeys.send(caseId, meeting);
    check(again.duplicate, 'the meeting sent again is answered as applied');
    await send({ type: 'complete_intervention', interventionId: 'i1' }, social);
    await send({ type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' });
  },
);

type BuildRequest = (state: CaseState | undefined, command: Command, actor: Person) => CommandRequest;

/**
 * Commands of most kinds on one case under the default policy, released months ahead of its date
 * so nothing falls due but what a command makes due. `build` makes each request as the API of
 * the time did.
 */
async function commandsOfEveryKind(stack: TestStack, caseId: string, build: BuildRequest): Promise<void> {
  let state: CaseState | undefined;
  const send = async (command: Command, actor: Person = coordinator) => {
    const req = build(state, command, actor);
    state = (command.type === 'open_case' ? await stack.journeys.open(caseId, req) : await stack.journeys.send(caseId, req)).state;
  };
  const open = openCommand({ caseId, releaseInSeconds: 120 * 86_400, needs: ['boende', 'missbruk'] });
  await send({ ...open, policy: { policyId: 'default', version: 1, body: defaultPolicyBody }, responsibility: { successorAgencyId: 'frv-gbg' } });
  await send({ type: 'set_needs', needs: ['boende', 'missbruk', 'forsorjning'] });
  await send({ type: 'record_meeting', agencyIds: ['sot-1480', 'reg-vg'] });
  await send({ type: 'adopt_plan' });
  await send({ type: 'accept_intervention', interventionId: 'i1' }, social);
  await send({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet ordnad' }, social);
  await send({ type: 'set_risk_level', riskLevel: 'medium', reason: 'ny riskbedömning' });
  await send({ type: 'add_intervention', area: 'natverk', title: 'Mentor', agencyId: 'af', requiredBeforeRelease: false });
  await send({ type: 'record_client_view', text: 'vill bo kvar i Göteborg' });
  await send({ type: 'change_phase', to: 'frigiven' });
  await send({ type: 'complete_follow_up', followUpId: 'f1' }, probation);
  await send({ type: 'change_phase', to: 'avslutad', reason: 'prövotiden har löpt ut' });
}

const STORY = 'default policy: opened, needs added (plan follows), meeting, plan adopted, housing accepted and completed, risk lowered, an intervention added, client view, released with gaps (level 3), a follow-up done, closed';

/**
 * The story of {@link slimUpdates} as recorded from the code **before** the `slim-command-result`
 * patch, through the API of the time: every update carries the whole agency directory and answers
 * with the whole case state. Frozen: the code it stands for is gone, so it is never re-recorded.
 */
export const beforeSlimUpdates = scenario(
  'before-slim-updates',
  `${STORY}; whole directory in, whole state out`,
  (stack, caseId) => commandsOfEveryKind(stack, caseId, (_state, command, actor) => request(command, actor)),
  { frozen: 'recorded before the slim-command-result patch' },
);

/** The same story since updates carry less: only the agencies each command needs in, the version out. */
export const slimUpdates = scenario(
  'slim-updates',
  `${STORY}; only the agencies each command needs in, the version out`,
  (stack, caseId) => commandsOfEveryKind(stack, caseId, (state, command, actor) => ({
    ...request(command, actor),
    directory: agenciesNeeded(state, command, actor, directory),
  })),
);

/**
 * What the case rules of December 2026 change (`case-rules-2`): a release without a successor and
 * with housing open, a required intervention added after release, the successor named late,
 * housing completed, a new remand, back to prison with a release date, work that no agency holds
 * (level 1), closed with that alert unacknowledged. Under the new rules the closed case waits for
 * the acknowledgement (`acknowledgeAfterClose`); under the old ones it has already ended.
 */
async function releaseRemandAndClose(stack: TestStack, caseId: string, acknowledgeAfterClose: boolean): Promise<void> {
  const send = driver(stack, caseId);
  const policy = fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['PT1H'], medium: ['PT1H'], low: ['PT1H'] } });
  const open = openCommand({ caseId, releaseInSeconds: 3600, riskLevel: 'low', policy });
  await stack.journeys.open(caseId, request(open));
  await send({ type: 'record_meeting', agencyIds: ['sot-1480'] });
  await send({ type: 'change_phase', to: 'frigiven' });
  await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'released_with_gap'`)).length === 2, 'level 3 for housing'), 20_000);
  await send({ type: 'add_intervention', area: 'sysselsattning', title: 'Praktikplats', agencyId: 'af', requiredBeforeRelease: true });
  await new Promise((r) => setTimeout(r, 1_500));
  await send({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' });
  await send({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet ordnad' }, social);
  await send({ type: 'change_phase', to: 'hakte', reason: 'nytt häktningsbeslut' });
  await send({ type: 'change_phase', to: 'anstalt' });
  await send({ type: 'set_release_date', expectedReleaseAt: inSeconds(3600), reason: 'ny dom' });
  await send({ type: 'add_intervention', area: 'annat', title: 'Ordna id-kort', requiredBeforeRelease: false });
  const unassigned = await eventually(async () => {
    const rows = await alertIds(stack.pool, caseId, `kind = 'intervention_unassigned' AND status = 'open'`);
    check(rows.length === 1, 'level 1 for the work no agency holds');
    return rows;
  }, 20_000);
  await send({ type: 'change_phase', to: 'avslutad', reason: 'överförd till annan samordnare' });
  if (acknowledgeAfterClose) {
    await send({ type: 'acknowledge_alert', alertId: unassigned[0]!.alert_id }, supervisorOf('kvv-gbg'));
  }
}

/** {@link releaseRemandAndClose} recorded before `case-rules-2`: frozen, it stands for the old rules. */
export const beforeCaseRules2 = scenario(
  'before-case-rules-2',
  'released without successor, housing open (level 3), required work added after release (level 3 too), successor named late, housing done, new remand (earlier work still counts), anstalt, unassigned work (level 1), closed (alert resolved, case ends)',
  (stack, caseId) => releaseRemandAndClose(stack, caseId, false),
  { frozen: 'recorded before the case-rules-2 patch' },
);

/** The same story under the rules of December 2026. */
export const caseRules2 = scenario(
  'case-rules-2',
  'rules adopted at opening; released without successor (level 3 for housing and for the missing successor), work added after release (no level 3), successor named late (handed over), housing done, new remand (new period: planned again, responsibility back), anstalt, unassigned work (level 1), closed (the alert waits), acknowledged, ends',
  (stack, caseId) => releaseRemandAndClose(stack, caseId, true),
);

/**
 * What a command costs in history, on the path every command of a current case takes (rules 2,
 * commands parsed at the edge, only the agencies each command needs in, the version out): commands
 * that change no search attribute (a meeting, the client's view), a schedule step that raises an
 * alert, a retried request answered as applied, a command that changes the gaps, closed. Short on
 * purpose: it is recorded twice, before and since the workflow's traffic was slimmed (issue 20).
 */
async function quietCommandsPlayed(stack: TestStack, caseId: string, releaseInSeconds = 22): Promise<void> {
  let state: CaseState | undefined;
  const send = async (command: Command, actor: Person = coordinator, req = request(command, actor)) => {
    const slim = { ...req, directory: agenciesNeeded(state, command, actor, directory) };
    const outcome = command.type === 'open_case' ? await stack.journeys.open(caseId, slim) : await stack.journeys.send(caseId, slim);
    state = outcome.state;
    return outcome;
  };
  const policy = fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['PT1H'], medium: ['PT1H'], low: ['PT1H'] } });
  await send({ ...openCommand({ caseId, releaseInSeconds, policy }), responsibility: { successorAgencyId: 'frv-gbg' } });
  await send({ type: 'record_meeting', agencyIds: ['sot-1480'] });
  const view = request({ type: 'record_client_view', text: 'vill bo nära familjen' });
  await send(view.command, coordinator, view);
  await eventually(async () => check((await alertIds(stack.pool, caseId, `kind = 'intervention_overdue'`)).length === 1, 'level 1 raised'), 20_000);
  // Sent again under a fresh update id, as JourneyClient does after a 503 (Temporal itself answers
  // a retry under the same id): the case recognises the request and answers it as applied.
  const again = await stack.client.workflow.getHandle(caseWorkflowId(caseId))
    .executeUpdate(commandUpdate, { args: [{ ...view, directory: agenciesNeeded(state, view.command, coordinator, directory) }], updateId: `${view.requestId}.again` });
  check(again.duplicate === true, 'the client view sent again is answered as applied');
  await send({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet ordnad' }, social);
  await send({ type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' });
}

const QUIET_STORY = 'rules adopted at opening; a meeting and the client view (no search attribute changes), housing overdue (level 1, a schedule step), the client view sent again (a duplicate), housing completed, closed';

/** {@link quietCommandsPlayed} recorded from the code before issue 20 slimmed the workflow's traffic: every command as it runs in production at that time. */
export const beforeQuietCommands = scenario(
  'before-quiet-commands',
  `${QUIET_STORY}; every command upserts the search attributes, appends through an activity`,
  quietCommandsPlayed,
  { frozen: 'recorded before the search-attributes-when-changed patch' },
);

/** The same story since the search attributes are upserted only when one of them changes. */
export const quietCommands = scenario(
  'quiet-commands',
  `${QUIET_STORY}; search attributes upserted only when one of them changes`,
  quietCommandsPlayed,
);

/**
 * {@link quietCommandsPlayed} recorded from the code before the case kept its timer across
 * commands: every command as it ran in production until then (each one cancels the case's timer
 * and starts it again; a deadline is armed from the task that learns of it).
 */
export const beforeKeptTimer = scenario(
  'before-kept-timer',
  `${QUIET_STORY}; the timer cancelled and started again at every command`,
  quietCommandsPlayed,
  { frozen: 'recorded before the kept-timer patch' },
);

/**
 * The same story since the case keeps its timer: housing due 6 s after the opening, the timer
 * set at the opening is kept through the meeting and the client view and raises level 1; the
 * completion moves the next moment (a new timer, the old one cancelled).
 */
export const keptTimer = scenario(
  'kept-timer',
  `${QUIET_STORY}; housing due 6 s after opening: the opening's timer kept through the meeting and the client view`,
  (stack, caseId) => quietCommandsPlayed(stack, caseId, 26),
);

/**
 * A forecast on the case (issue 19, the `forecast` update): housing predicted late, the same
 * forecast again (nothing recorded), a lower chance (recorded again), the work done (withdrawn
 * in the completion's own append), closed.
 */
export const predictedGap = scenario(
  'predicted-gap',
  'housing predicted late by the forecast (GapPredicted), the same forecast again (nothing recorded), the chance lower (recorded again), housing completed (PredictedGapWithdrawn in the same append), closed',
  async (stack, caseId) => {
    const send = (command: Command, actor: Person = coordinator) => stack.journeys.send(caseId, request(command, actor));
    const policy = fastPolicy({ reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['PT1H'], medium: ['PT1H'], low: ['PT1H'] } });
    const opened = await stack.journeys.open(caseId, request({ ...openCommand({ caseId, releaseInSeconds: 600, policy }), responsibility: { successorAgencyId: 'frv-gbg' } }));
    const housing = opened.state.interventions.find((i) => i.area === 'boende')!;
    const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
    const forecast = (probability: number) => handle.executeUpdate(forecastUpdate, {
      args: [{ asOf: new Date().toISOString(), predicted: [{ interventionId: housing.interventionId, agencyId: housing.agencyId!, dueAt: housing.dueAt!, probability, basis: 'observed', observations: 24, medianDays: 31 }] }],
    });
    check((await forecast(0.3)).recorded === 1, 'the prediction is recorded');
    check((await forecast(0.32)).recorded === 0, 'the same forecast again records nothing');
    check((await forecast(0.1)).recorded === 1, 'a chance lower by 0.1 or more is recorded again');
    await send({ type: 'complete_intervention', interventionId: housing.interventionId }, social);
    const after = await handle.query(stateQuery);
    check(after?.predictedGaps?.length === 0, 'completing the work withdraws the prediction');
    await send({ type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' });
  },
);

export const scenarios: Scenario[] = [
  fullCase, wholePath, continuedAsNew, sleptPastDeadline, accessChanges, beforeSlimUpdates, slimUpdates, logAhead, beforeCaseRules2, caseRules2,
  beforeQuietCommands, quietCommands, predictedGap, beforeKeptTimer, keptTimer,
];
