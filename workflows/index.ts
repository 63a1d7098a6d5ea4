export { clientJourney } from './client-journey';
export { deliverToChannel } from './delivery';
export { dailyDigest } from './daily-digest';
export { housekeeping } from './housekeeping';
export { forecastRefresh } from './forecast-refresh';
