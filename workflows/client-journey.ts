import {
  ActivityFailure, ApplicationFailure, CancellationScope, allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities,
  setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { JourneyActivities, Notification } from '../activities/types';
import { decide } from '../domain/decide';
import type { CaseState } from '../domain/case-state';
import type { Command } from '../domain/schemas/commands';
import type { DomainEvent } from '../domain/schemas/events';
import { fold } from '../domain/evolve';
import { CURRENT_RULES, rulesOf } from '../domain/rules';
import { FORECAST, SCHEDULE } from '../domain/system-actor';
import { forecastEvents } from '../domain/predicted-gaps';
import { gapsAt } from '../domain/gaps';
import { afterStep, dueActions, nextWakeUp } from '../domain/schedule';
import {
  REJECTED, STORE_UNAVAILABLE, commandUpdate, forecastUpdate, stateQuery, wakeSignal,
  type CommandRequest, type CommandResult, type ForecastApplied, type ForecastRequest, type JourneyInput, type ProcessedRequest,
} from './messages';
import { legacyCommandSchema } from './legacy-command-schema';
import { expectedReleaseKey, openGapCountKey, phaseKey, policyIdKey } from './search-attributes';

/** A person is waiting on these: fail fast into a 503 rather than hang, and change nothing. */
const forCommands = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 5 },
});
/** Nobody waits on the schedule: keep trying until the log is back, never drop an alert. */
const forSchedule = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const forDelivery = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** Enough to recognise a retried request for hours of traffic on one case. */
const PROCESSED_KEPT = 500;
/**
 * A run that ends (continue-as-new, or done) abandons the activities it still has open, so a
 * run ends only once its notifications are delivered. Histories recorded before this rule replay
 * without it (test/fixtures/histories/continue-as-new-before-delivery-wait.json).
 */
const DELIVER_BEFORE_RUN_ENDS = 'deliver-before-run-ends';
/**
 * Commands reach the workflow already parsed and normalised by commandSchema (the API and
 * JourneyClient parse them), so the workflow does not load zod (legacy-command-schema.ts says
 * why). Runs begun before this parsed each command themselves and go on doing so
 * (test/fixtures/histories replay through that path).
 */
const COMMANDS_PARSED_AT_EDGE = 'commands-parsed-at-edge';
/**
 * A schedule step takes time to record (an append queued behind others, or a restart of the
 * worker or the server mid-step). Before this patch the wake-up was then computed from the later
 * time, so a moment that fell due meanwhile was never handled and the case could go silent
 * (issue 13). Decided at each step, so a running case takes the fix at its first step after
 * deployment; histories recorded before it replay the old way
 * (test/fixtures/histories/slept-past-deadline-before-fix.json).
 */
const SCHEDULE_NEVER_SKIPS = 'schedule-never-skips';
/**
 * Access follows the case's relationship for every role (coordinating agency, responsibility,
 * consent), and consent withdrawal ends the agency's alerts and role at once. Decided once per
 * run: runs begun before it keep their rules, so their recorded commands decide as they did
 * (the API applies the new rules to every case before a command reaches any run).
 */
const ACCESS_FOLLOWS_RELATIONSHIP = 'access-follows-relationship';
/**
 * A command's update answers with the case's version, not its whole state: Temporal keeps the
 * answer in history with every command, and the API reads the case from its read model instead.
 * Decided at each command rather than once per run: a case lives for months in one run, the
 * answer feeds none of the case's own decisions, and the API takes either shape, so a running
 * case can answer the new way from its next command on. Histories recorded before it replay the
 * old way (test/fixtures/histories/before-slim-updates.json).
 */
const SLIM_COMMAND_RESULT = 'slim-command-result';
/**
 * An append whose outcome was unknown (committed, but the answer lost after its retries) left the
 * log ahead of the workflow; its next append then conflicted, and before this patch that failed
 * the command for good, and a schedule step failed the whole workflow. Now the workflow reads the
 * missing events back (the log is the truth), treats the requests they recorded as applied, and
 * decides again on the case as the log has it. Decided where it is first needed, so histories
 * in which a conflict failed the run replay the old way.
 */
const RECONCILE_WITH_LOG = 'reconcile-with-log';
/**
 * The case rules of December 2026 (domain/rules.ts: what a release leaves open, the handover of
 * responsibility, a new remand's new period, alerts of a closed case, a release date passed).
 * A case takes them by recording `RulesAdopted` in its log, so its decisions, its schedule and
 * every read model agree on them from that event on: a new case with its opening, a running one
 * at its first command or schedule step after deployment. Histories recorded before replay the
 * old rules (test/fixtures/histories/before-case-rules-2.json).
 */
const CASE_RULES_2 = 'case-rules-2';
/**
 * Search attributes are upserted only when one of them differs from what this run last published
 * (issue 20): most commands change none of phase, release date, open gaps or policy, and each
 * upsert is an event in history. Decided where an upsert is first left out, so histories recorded
 * before it replay with an upsert at every command and schedule step
 * (test/fixtures/histories/before-quiet-commands.json).
 */
const SEARCH_ATTRIBUTES_WHEN_CHANGED = 'search-attributes-when-changed';
/**
 * The case's timer is kept across commands that leave its next moment where it was: before this
 * patch every command cancelled it and started it again, two history events and two commands per
 * command (issue 20). Decided at each sleep, so a running case takes it at its next one; histories
 * recorded before replay the old way (test/fixtures/histories/before-kept-timer.json).
 */
const KEPT_TIMER = 'kept-timer';
/** Conflicts one step reconciles before it gives up (each one means the log moved again). */
const MAX_RECONCILIATIONS = 5;
/** A case that is never opened (its opening was refused at the edge) does not linger. */
const UNOPENED_LIFETIME = '1 hour';
const nowIso = () => new Date().toISOString();

function invalidCommand(message: string, path?: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REJECTED, message: 'invalid command', details: [{ kind: 'invalid_input', message, path }], nonRetryable: true });
}

/** The case's decision on a command; a refusal (or a command its rules cannot apply) is thrown. */
function decideOrRefuse(state: CaseState | undefined, command: Command, req: CommandRequest, legacyAccess: boolean) {
  let decision: ReturnType<typeof decide>;
  try {
    decision = decide(state, command, { now: nowIso(), actor: req.actor, directory: req.directory, ...(legacyAccess ? { legacyAccess } : {}) });
  } catch (err) {
    // Only a command that did not come through commandSchema gets here (a client other than the
    // API or JourneyClient).
    throw invalidCommand(`the command could not be applied: ${(err as Error).message}`);
  }
  if (!decision.ok) {
    throw ApplicationFailure.create({ type: REJECTED, message: decision.rejection.message, details: [decision.rejection], nonRetryable: true });
  }
  return decision;
}

/** The log held other events at the version an append expected: it is ahead of the workflow. */
function isLogAhead(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ConcurrencyConflict';
}

/**
 * The command could not be recorded for now. It may still have been (an answer lost after the
 * append committed): the caller retries with the same Idempotency-Key, and is then told it was.
 */
function unavailable(cause: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: STORE_UNAVAILABLE, message: 'the event log could not be written', nonRetryable: true, cause: cause instanceof Error ? cause : undefined,
  });
}

function isCommandShaped(raw: unknown): raw is Command {
  return typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string';
}

function notificationsOf(events: DomainEvent[]): Notification[] {
  return events.flatMap((e): Notification[] => {
    if (e.type === 'AlertRaised') {
      const d = e.data;
      return [{ kind: 'alert', caseId: '', agencyId: d.agencyId, id: d.alertId, level: d.level, alertKind: d.kind, message: d.message }];
    }
    if (e.type === 'ReminderSent') {
      const d = e.data;
      return [{ kind: 'reminder', caseId: '', agencyId: d.agencyId, id: d.reminderId, dueAt: d.dueAt, message: `Påminnelse: insatsen ska vara klar ${d.dueAt.slice(0, 10)}.` }];
    }
    return [];
  });
}

/**
 * One client's path from häkte to follow-up: the single writer of the case. Every command is
 * an Update, validated by the pure decider before it may enter history; every deadline is a
 * timer computed from the case itself.
 */
export async function clientJourney(input: JourneyInput): Promise<void> {
  let state: CaseState | undefined = input.carried?.state;
  let processed: ProcessedRequest[] = input.carried?.processed ?? [];
  let changed = false;
  const deliverBeforeEnd = patched(DELIVER_BEFORE_RUN_ENDS);
  const parsedAtEdge = patched(COMMANDS_PARSED_AT_EDGE);
  const legacyAccess = !patched(ACCESS_FOLLOWS_RELATIONSHIP);
  /** The command as decide takes it, or what is wrong with it. */
  const checkCommand = (raw: unknown): { ok: true; command: Command } | { ok: false; message: string; path?: string } => {
    if (parsedAtEdge) {
      return isCommandShaped(raw) ? { ok: true, command: raw } : { ok: false, message: 'a command is an object with a type', path: 'type' };
    }
    const parsed = legacyCommandSchema().safeParse(raw);
    if (parsed.success) return { ok: true, command: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, message: issue?.message ?? 'invalid', path: issue?.path.join('.') };
  };
  let deliveries = 0;
  const delivered = () => !deliverBeforeEnd || deliveries === 0;
  // Updates interleave at every await; this chain applies them strictly one after another.
  let tail: Promise<unknown> = Promise.resolve();
  /** Commands and schedule steps queued or running; while any is, `state` may lag the event log. */
  let inFlight = 0;
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    // A branch of its own, so the chain itself (and the order in which its steps issue commands,
    // which replay depends on) is exactly what it was before this count existed.
    const settled = () => {
      inFlight -= 1;
    };
    void run.then(settled, settled);
    return run;
  };

  /** What this run last upserted, as JSON; a run starts without, so its first publish upserts. */
  let published: string | undefined;
  const publish = () => {
    if (!state) return;
    const values = [state.phase, state.expectedReleaseAt ?? null, gapsAt(state, nowIso()).length, state.policy.policyId] as const;
    const json = JSON.stringify(values);
    if (json === published && patched(SEARCH_ATTRIBUTES_WHEN_CHANGED)) return;
    published = json;
    const [phase, expectedReleaseAt, openGaps, policyId] = values;
    upsertSearchAttributes([
      { key: phaseKey, value: phase },
      { key: expectedReleaseKey, value: expectedReleaseAt ? new Date(expectedReleaseAt) : null },
      { key: openGapCountKey, value: openGaps },
      { key: policyIdKey, value: policyId },
    ]);
  };

  const caseIdOf = (events: DomainEvent[]) =>
    state?.caseId ?? (events[0]?.type === 'CaseOpened' ? events[0].data.caseId : input.caseId);

  const notify = (events: DomainEvent[], caseId: string) => {
    const notes = notificationsOf(events).map((n) => ({ ...n, caseId }));
    if (notes.length > 0) {
      deliveries += 1;
      void forDelivery
        .deliverNotifications(notes)
        .catch((err) => log.warn('delivery failed', { caseId, err: String(err) }))
        .finally(() => {
          deliveries -= 1;
        });
    }
  };

  const record = async (events: DomainEvent[], requestId: string | undefined, acts: JourneyActivities) => {
    const before = state;
    const expectedVersion = before?.version ?? 0;
    const caseId = caseIdOf(events);
    await acts.appendEvents({ caseId, expectedVersion, events, requestId, workflowRunId: workflowInfo().runId });
    state = fold(events, before);
    notify(events, caseId);
  };

  const rulesAdopted = (): DomainEvent => ({ type: 'RulesAdopted', data: { rules: CURRENT_RULES }, occurredAt: nowIso(), actor: SCHEDULE });
  /** Called before a step decides; patched() only while the case has not taken the rules. */
  const needsRules = () => state !== undefined && rulesOf(state) < CURRENT_RULES && patched(CASE_RULES_2);

  /** The log may hold events this run has not applied: an append's answer was lost. */
  let logMayBeAhead = false;
  /**
   * Applies what the log holds beyond `state`, and notes the requests it recorded as processed.
   * Returns how many events it applied. Their alerts are delivered now: the run that wrote them
   * never learnt that it had.
   */
  const reconcile = async (acts: JourneyActivities): Promise<number> => {
    const caseId = state?.caseId ?? input.caseId;
    const missed = await acts.eventsAfter({ caseId, afterVersion: state?.version ?? 0 });
    logMayBeAhead = false;
    if (missed.events.length === 0) return 0;
    state = fold(missed.events, state);
    const version = state!.version;
    processed = [...processed, ...missed.requestIds.map((requestId) => ({ requestId, version }))].slice(-PROCESSED_KEPT);
    changed = true;
    notify(missed.events, caseId);
    publish();
    return missed.events.length;
  };
  /** Before a step decides: catch up with the log if an earlier append may have landed unseen. */
  const reconcileIfBehind = async (acts: JourneyActivities) => {
    if (logMayBeAhead && patched(RECONCILE_WITH_LOG)) await reconcile(acts);
  };
  /** After a conflict: true when the log was ahead and the step should decide again. */
  const reconciledAfter = async (err: unknown, acts: JourneyActivities, attempt: number): Promise<boolean> => {
    if (!isLogAhead(err) || attempt >= MAX_RECONCILIATIONS || !patched(RECONCILE_WITH_LOG)) return false;
    return (await reconcile(acts)) > 0;
  };

  setHandler(stateQuery, () => state ?? null);
  // Makes the case look at its schedule again: cases that went silent before the
  // schedule-never-skips patch are woken this way once (npm run cases:wake).
  setHandler(wakeSignal, () => {
    changed = true;
  });

  /** `reconcileIfBehind` for a request someone waits on: a log that cannot be read is a 503. */
  const catchUpForRequest = async () => {
    try {
      await reconcileIfBehind(forCommands);
    } catch (err) {
      throw unavailable(err);
    }
  };

  const answer = (s: CaseState, duplicate: boolean, version = s.version): CommandResult =>
    patched(SLIM_COMMAND_RESULT) ? { version, duplicate } : { state: s, duplicate };

  setHandler(
    commandUpdate,
    (req: CommandRequest): Promise<CommandResult> =>
      serially(async () => {
        for (let attempt = 0; ; attempt++) {
          await catchUpForRequest();
          const seen = processed.find((p) => p.requestId === req.requestId);
          // A retry names the version its first answer named, not the case's latest.
          if (seen && state) return answer(state, true, seen.version);
          const command = parsedAtEdge ? (req.command as Command) : legacyCommandSchema().parse(req.command);
          if (needsRules()) {
            try {
              await record([rulesAdopted()], undefined, forCommands);
            } catch (err) {
              if (await reconciledAfter(err, forCommands, attempt).catch(() => false)) continue;
              logMayBeAhead = true;
              throw unavailable(err);
            }
          }
          const decision = decideOrRefuse(state, command, req, legacyAccess);
          // A new case follows the current rules from its first event on.
          const events = !state && command.type === 'open_case' && patched(CASE_RULES_2)
            ? [...decision.events, rulesAdopted()]
            : decision.events;
          if (events.length > 0) {
            try {
              await record(events, req.requestId, forCommands);
            } catch (err) {
              try {
                if (await reconciledAfter(err, forCommands, attempt)) continue;
              } catch (readErr) {
                throw unavailable(readErr);
              }
              // Retries ran out: the append may still have landed (a lost answer). The next step
              // reads the log first; a retry of this request is then answered as applied.
              logMayBeAhead = true;
              throw unavailable(err);
            }
          }
          processed = [...processed, { requestId: req.requestId, version: state!.version }].slice(-PROCESSED_KEPT);
          changed = true;
          publish();
          return answer(state!, false);
        }
      }),
    {
      validator: (req: CommandRequest) => {
        if (processed.some((p) => p.requestId === req.requestId)) return;
        const checked = checkCommand(req.command);
        if (!checked.ok) throw invalidCommand(checked.message, checked.path);
        // An earlier command or a schedule step is still being recorded: `state` is older than
        // what the caller may already see in the read models (an alert raised a moment ago).
        // The handler decides once those are done, and refuses there if it must.
        if (inFlight > 0) return;
        decideOrRefuse(state, checked.command, req, legacyAccess);
      },
    },
  );

  // A forecast is a handler of its own, not a command: no person sends it, and it changes nothing
  // the schedule or the rules look at, so runs recorded before it replay as they did.
  setHandler(
    forecastUpdate,
    (req: ForecastRequest): Promise<ForecastApplied> =>
      serially(async () => {
        for (let attempt = 0; ; attempt++) {
          await catchUpForRequest();
          if (!state) return { version: 0, recorded: 0 };
          const at = nowIso();
          const events = forecastEvents(state, req.predicted, req.asOf)
            .map((d) => ({ type: d.type, data: d.data, occurredAt: at, actor: FORECAST }) as DomainEvent);
          if (events.length === 0) return { version: state.version, recorded: 0 };
          try {
            await record(events, undefined, forCommands);
          } catch (err) {
            if (await reconciledAfter(err, forCommands, attempt).catch(() => false)) continue;
            logMayBeAhead = true;
            throw unavailable(err);
          }
          return { version: state!.version, recorded: events.length };
        }
      }),
  );

  if (!state && !(await condition(() => state !== undefined, UNOPENED_LIFETIME))) return;
  publish();

  /** The timer the case sleeps on (kept-timer): the moment it fires at, and whether it has. */
  let timer: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  const stopTimer = () => {
    timer?.scope.cancel();
    timer = undefined;
  };
  /** A timer for the moment `wake` (epoch ms): the one running if it is for that moment, or a new one. */
  const timerFor = (wake: number) => {
    if (timer && !timer.fired && timer.at === wake) return;
    stopTimer();
    const scope = new CancellationScope();
    const t = { at: wake, fired: false, scope };
    timer = t;
    scope.run(() => sleep(Math.max(1, wake - Date.now()))).then(
      () => {
        t.fired = true;
      },
      // Cancelled: a command moved the moment, or there is none any more.
      () => undefined,
    );
  };

  for (;;) {
    let evaluatedAt = nowIso();
    await serially(async () => {
      for (let attempt = 0; ; attempt++) {
        await reconcileIfBehind(forSchedule);
        if (needsRules()) {
          try {
            await record([rulesAdopted()], undefined, forSchedule);
          } catch (err) {
            if (await reconciledAfter(err, forSchedule, attempt)) continue;
            throw err;
          }
        }
        evaluatedAt = nowIso();
        const due = dueActions(state!, evaluatedAt);
        if (due.length > 0) {
          try {
            await record(due, undefined, forSchedule);
          } catch (err) {
            if (await reconciledAfter(err, forSchedule, attempt)) continue;
            throw err;
          }
          publish();
        }
        return;
      }
    });
    const s = state!;
    if (s.phase === 'avslutad' && s.alerts.every((a) => a.status === 'resolved')) break;
    const startAfresh = workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > continueAsNewThreshold();
    if (startAfresh && delivered()) {
      await condition(() => allHandlersFinished() && delivered());
      await continueAsNew<typeof clientJourney>({ caseId: s.caseId, carried: { state: state!, processed } });
    }
    changed = false;
    let delay: number | undefined;
    // Also wakes, to start afresh, once the deliveries that held that back are done.
    const woken = () => changed || (startAfresh && delivered());
    if (patched(SCHEDULE_NEVER_SKIPS)) {
      const next = afterStep(s, evaluatedAt, nowIso());
      // Something fell due while this step was being recorded: handle it before any sleep.
      if (next.kind === 'now') continue;
      if (patched(KEPT_TIMER)) {
        if (next.kind === 'sleep') timerFor(Date.parse(next.until));
        else stopTimer();
        await condition(() => woken() || timer?.fired === true);
        if (timer?.fired) timer = undefined;
        continue;
      }
      delay = next.kind === 'sleep' ? next.ms : undefined;
    } else {
      const wake = nextWakeUp(s, nowIso());
      delay = wake ? Math.max(0, Date.parse(wake) - Date.now()) : undefined;
    }
    await (delay === undefined ? condition(woken) : condition(woken, delay));
  }
  await condition(() => allHandlersFinished() && delivered());
}

/**
 * History length at which to start afresh even if the server has not suggested it yet. The
 * memo lets tests lower it for one case without a special path in the code.
 */
function continueAsNewThreshold(): number {
  const memo = workflowInfo().memo as { continueAsNewAfter?: number } | undefined;
  return memo?.continueAsNewAfter ?? 10_000;
}
