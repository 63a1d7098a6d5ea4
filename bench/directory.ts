import { directory } from '../dev/fixtures';

/*
 * The bench's agencies: apart from bench/stack.ts, so that the seeding (bench/seed.ts) can be
 * used without pulling in the stack's process management (tests seed with it too).
 */

/** One more agency, with an inbox of its own, for the projection-lag probe. */
export const PROBE_AGENCY = { agencyId: 'bench-probe', type: 'kronofogden' as const, name: 'Bench probe', municipalities: ['*'] };
export const benchDirectory = [...directory, PROBE_AGENCY];
