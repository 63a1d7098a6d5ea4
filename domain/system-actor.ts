import type { Actor } from './schemas/actor';

/** The case's own schedule as the actor of what it decides (a zod-free module: the workflow loads it). */
export const SCHEDULE: Actor = { system: 'schedule' };
/** The forecast refresh as the actor of the predicted gaps it records (activities/forecast). */
export const FORECAST: Actor = { system: 'forecast' };
