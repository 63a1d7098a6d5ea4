import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Agency } from '../domain/schemas/agency';
import type { Person } from '../domain/schemas/actor';
import type { CaseState } from '../domain/case-state';
import type { Command } from '../domain/schemas/commands';
import type { PredictedGap } from '../domain/predicted-gaps';

/** A command as the API sends it. `requestId` makes a retried send apply once. */
export interface CommandRequest {
  requestId: string;
  command: Command;
  actor: Person;
  /** The agencies that exist now; the case's rules resolve and check agencies against it. */
  directory: Agency[];
}

/**
 * What a command's update answers with: the version the case reached with it (for a retry, the
 * version now). Kept in history with every command, so not the case itself: the API reads that
 * from the read model, written in the same transaction as the events (api/case-after-command.ts).
 */
export interface CommandApplied {
  version: number;
  /** True when this request id had already been applied (a retry). */
  duplicate: boolean;
}

/** The answer of runs that began before `slim-command-result` (workflows/client-journey.ts): the whole case. */
export interface CommandAppliedWithState {
  state: CaseState;
  duplicate: boolean;
}

export type CommandResult = CommandApplied | CommandAppliedWithState;

export interface JourneyInput {
  caseId: string;
  /** Present after continue-as-new: the case so far and the request ids already applied. */
  carried?: { state: CaseState; processed: ProcessedRequest[] };
}

export interface ProcessedRequest {
  requestId: string;
  version: number;
}

/** The failure `type` of a refused command; its first detail is the domain's Rejection. */
export const REJECTED = 'CommandRejected';
/** The failure `type` when the event log could not be written: nothing changed, retry later. */
export const STORE_UNAVAILABLE = 'EventStoreUnavailable';

export const commandUpdate = defineUpdate<CommandResult, [CommandRequest]>('command');
/**
 * A forecast of the case's open required interventions (activities/forecast): those likely to be
 * late as of `asOf`. The case records what changed (domain/predicted-gaps.ts `forecastEvents`);
 * sending the same forecast twice records nothing the second time.
 */
export interface ForecastRequest {
  asOf: string;
  predicted: PredictedGap[];
}
export interface ForecastApplied {
  version: number;
  /** Events recorded: predictions made, changed or withdrawn. */
  recorded: number;
}
export const forecastUpdate = defineUpdate<ForecastApplied, [ForecastRequest]>('forecast');
export const stateQuery = defineQuery<CaseState | null>('state');
/** Look at the schedule again now; harmless at any time (npm run cases:wake sends it to every running case). */
export const wakeSignal = defineSignal('wake');

export const caseWorkflowId = (caseId: string) => `case-${caseId}`;
