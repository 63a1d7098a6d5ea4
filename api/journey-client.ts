import {
  ApplicationFailure, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError,
  WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { CaseState } from '../domain/case-state';
import { commandSchema } from '../domain/schemas/commands';
import { reject, type Rejection } from '../domain/rejection';
import {
  REJECTED, STORE_UNAVAILABLE, caseWorkflowId, commandUpdate, stateQuery, type CommandRequest, type CommandResult,
} from '../workflows/messages';
import { caseAfterCommand, type CommandOutcome, type ReadCase } from './case-after-command';

/** The command was refused by the case's rules; nothing changed. */
export class CommandRejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}
/** Temporal or the event log could not be reached; a retry with the same request id applies the command at most once. */
export class DependencyUnavailable extends Error {}

function translate(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    if (failure.type === REJECTED) throw new CommandRejected((failure.details?.[0] as Rejection) ?? reject('invalid_input', failure.message));
    if (failure.type === STORE_UNAVAILABLE) throw new DependencyUnavailable(failure.message);
  }
  if (err instanceof WorkflowNotFoundError) throw new CommandRejected(reject('not_found', 'no such case'));
  if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CommandRejected(reject('conflict', 'a case with this id existed before'));
  if (isUnavailable(err)) throw new DependencyUnavailable('Temporal is unreachable');
  throw err;
}

function isUnavailable(err: unknown): boolean {
  const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''}`;
  return /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|connect|ServiceError|Connection/i.test(text);
}

/**
 * Every command is parsed, and so normalised (trimmed, defaults filled), here at the edge: the
 * workflow trusts its shape and does not load zod (workflows/legacy-command-schema.ts says why).
 * Also what keeps a malformed command from any caller out of the case's history.
 */
/**
 * The update's id. First the request id itself: Temporal answers a retry with the same id from
 * the first update's outcome (also while that update is still running), without a workflow task.
 * But it keeps a failed outcome just the same, so a retry after "the event log could not be
 * written" would get that failure forever, even once the log is back. A STORE_UNAVAILABLE that
 * comes back at once is such a kept outcome (a fresh one comes after the append's retries), so
 * it is asked once more under a fresh id: the case itself then recognises a request it already
 * applied (by request id, `processed` in workflows/client-journey.ts, after reading the log back
 * when an append's outcome was unknown) or applies it now. A fresh failure is answered as it is,
 * so a 503 never waits for the append's retries twice. The request id leads, so the update is
 * found by it in Temporal's Web UI.
 */
const KEPT_OUTCOME_MS = 2000;

async function withFreshIdAfterStoreFailure<T>(req: CommandRequest, update: (updateId: string) => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await update(req.requestId);
  } catch (err) {
    const storeFailure = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === STORE_UNAVAILABLE;
    if (!storeFailure || Date.now() - started > KEPT_OUTCOME_MS) throw err;
    return update(`${req.requestId}.${randomUUID().slice(0, 8)}`);
  }
}

function parsedAtEdge(req: CommandRequest): CommandRequest {
  const parsed = commandSchema.safeParse(req.command);
  if (parsed.success) return { ...req, command: parsed.data };
  const issue = parsed.error.issues[0];
  throw new CommandRejected(reject('invalid_input', issue?.message ?? 'invalid command', issue?.path.join('.') || undefined));
}

/**
 * How the API (and tests) talk to client-journey workflows. A command answers with the case as
 * it is after it; `readCase` reads that from the read model when the workflow answers with only
 * the version (case-after-command.ts).
 */
export class JourneyClient {
  constructor(
    /** Also what erasure uses to end and delete a case's workflow (erasure/case-history.ts). */
    readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly readCase: ReadCase,
  ) {}

  /**
   * Starts the case's workflow and opens the case in one call. A retry with the same request id
   * reaches the same workflow (deterministic id) and is recognised there: one case, one opening.
   */
  async open(caseId: string, raw: CommandRequest, memo?: Record<string, unknown>): Promise<CommandOutcome> {
    const req = parsedAtEdge(raw);
    let result: CommandResult;
    try {
      result = await withFreshIdAfterStoreFailure(req, (updateId) =>
        this.temporal.workflow.executeUpdateWithStart(commandUpdate, {
          args: [req],
          updateId,
          startWorkflowOperation: new WithStartWorkflowOperation('clientJourney', {
            workflowId: caseWorkflowId(caseId),
            taskQueue: this.taskQueue,
            args: [{ caseId }],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            ...(memo ? { memo } : {}),
          }),
        }),
      );
    } catch (err) {
      translate(err);
    }
    return caseAfterCommand(caseId, result, this.readCase);
  }

  async send(caseId: string, raw: CommandRequest): Promise<CommandOutcome> {
    const req = parsedAtEdge(raw);
    let result: CommandResult;
    try {
      const handle = this.temporal.workflow.getHandle(caseWorkflowId(caseId));
      result = await withFreshIdAfterStoreFailure(req, (updateId) => handle.executeUpdate(commandUpdate, { args: [req], updateId }));
    } catch (err) {
      translate(err);
    }
    return caseAfterCommand(caseId, result, this.readCase);
  }

  async state(caseId: string): Promise<CaseState | null> {
    try {
      return await this.temporal.workflow.getHandle(caseWorkflowId(caseId)).query(stateQuery);
    } catch (err) {
      translate(err);
    }
  }
}
