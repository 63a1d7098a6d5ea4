import type { CaseState } from '../domain/case-state';
import type { Queryable } from '../store/event-store';
import { caseState } from '../store/read-models';
import type { CommandResult } from '../workflows/messages';

/** The case as the read model holds it (store/read-models.ts `caseState`). */
export type ReadCase = (caseId: string) => Promise<CaseState | null>;

/** A command the case applied, and the case as it is since: at `version` or later. */
export interface CommandOutcome {
  version: number;
  /** True when this request id had already been applied (a retry). */
  duplicate: boolean;
  state: CaseState;
}

/**
 * The command was applied, but the case could not be read back at its version. Not "nothing
 * changed": a retry with the same request id is recognised as a duplicate and reads it again.
 */
export class CaseNotReadBack extends Error {}

/**
 * The case after a command. Runs begun before `slim-command-result` answer with the whole case;
 * later ones with its version, and the case comes from the read model. `case_states` is written
 * in the transaction that appends the events, before the workflow answers, so it is at that
 * version or later (read your writes). Older means something is wrong (a projection rebuild
 * under way, a lagging replica): refuse rather than show a case without the change just made.
 */
export async function caseAfterCommand(caseId: string, result: CommandResult, readCase: ReadCase): Promise<CommandOutcome> {
  if ('state' in result) return { version: result.state.version, duplicate: result.duplicate, state: result.state };
  let state: CaseState | null;
  try {
    state = await readCase(caseId);
  } catch (err) {
    throw new CaseNotReadBack(`case ${caseId} reached version ${result.version}, but could not be read back`, { cause: err });
  }
  if (!state || state.version < result.version) {
    throw new CaseNotReadBack(`case ${caseId} reached version ${result.version}, but its read model is at ${state?.version ?? 'none'}`);
  }
  return { version: result.version, duplicate: result.duplicate, state };
}

/** The read model in this database as a {@link ReadCase}. */
export const readCaseFrom = (db: Queryable): ReadCase => (caseId) => caseState(db, caseId);
