import type { InterventionStatus } from './vocabulary';

// Without zod on purpose: the workflow loads this module (see workflows/legacy-command-schema.ts).

/** Statuses in which an intervention still needs someone to act. */
export const OPEN_INTERVENTION_STATUSES: readonly InterventionStatus[] = ['unassigned', 'planned', 'accepted'];
