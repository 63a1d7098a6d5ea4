// First: zod's settings must be in place before any schema is used.
import './zod-settings';
export { clientJourney } from './client-journey';
export { deliverToChannel } from './delivery';
export { dailyDigest } from './daily-digest';
