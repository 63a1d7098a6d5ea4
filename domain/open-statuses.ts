import type { FollowUpStatus, InterventionStatus } from './schemas/vocabulary';

// Without zod on purpose: the workflow loads this module (see workflows/legacy-command-schema.ts).

/** Statuses in which an intervention still needs someone to act. */
export const OPEN_INTERVENTION_STATUSES: readonly InterventionStatus[] = ['unassigned', 'planned', 'accepted'];

/** Statuses in which a follow-up still needs someone to act: a missed one is still to be held. */
export const OPEN_FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['open', 'missed'];

/**
 * The open statuses a task in an agency's inbox can have: an unassigned intervention is in no
 * agency's inbox, so it is left out, and the list must equal the predicate of the partial index
 * tasks_open_by_due (migration 005) or the planner cannot use it.
 */
export const OPEN_INBOX_TASK_STATUSES: readonly (InterventionStatus | FollowUpStatus)[] = ['planned', 'accepted', 'open', 'missed'];
