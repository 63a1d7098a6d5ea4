/* Dates and numbers as a Swedish reader expects them, always in Swedish time. */

export const TIME_ZONE = 'Europe/Stockholm';

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const preciseFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const longDateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'long' });
const relativeFormat = new Intl.RelativeTimeFormat('sv', { numeric: 'auto' });
const numberFormat = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });
const percentFormat = new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 0 });

const valid = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** `2027-03-01` */
export const formatDate = (iso: string | null | undefined): string => {
  const d = valid(iso);
  return d ? dateFormat.format(d) : '–';
};

/** `2027-03-01 09:00` */
export const formatDateTime = (iso: string | null | undefined): string => {
  const d = valid(iso);
  return d ? dateTimeFormat.format(d) : '–';
};

/** `2027-03-01 09:00:15`, for an audit trail where seconds matter. */
export const formatPrecise = (iso: string | null | undefined): string => {
  const d = valid(iso);
  return d ? preciseFormat.format(d) : '–';
};

/** `1 mars 2027` */
export const formatLongDate = (iso: string | null | undefined): string => {
  const d = valid(iso);
  return d ? longDateFormat.format(d) : '–';
};

/** `om 3 dagar`, `i går`, `om 40 sekunder`. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  const d = valid(iso);
  if (!d) return '';
  const seconds = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relativeFormat.format(seconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86_400 * 60) return relativeFormat.format(Math.round(seconds / 86_400), 'day');
  return relativeFormat.format(Math.round(seconds / (86_400 * 7)), 'week');
}

export const formatNumber = (n: number | null | undefined): string => (n == null ? '–' : numberFormat.format(n));
export const formatShare = (n: number | null | undefined): string => (n == null ? '–' : percentFormat.format(n));

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});

/** How far Swedish time is ahead of UTC at the instant `t` (1 or 2 hours), in ms. */
function stockholmOffsetMs(t: number): number {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * A date picked in a form (`2027-03-01`), at a Swedish wall-clock time, as an ISO instant.
 * `undefined` for an empty or malformed date, so the schema reports it as missing.
 */
export function stockholmDateToIso(date: string, time = '00:00'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || !t) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall)) return undefined;
  let instant = wall - stockholmOffsetMs(wall);
  const corrected = wall - stockholmOffsetMs(instant);
  if (corrected !== instant) instant = corrected;
  return new Date(instant).toISOString();
}

/** The Swedish calendar date of an instant, as a date input's value (`2027-03-01`). */
export const isoToStockholmDate = (iso: string | null | undefined): string => {
  const d = valid(iso);
  return d ? dateFormat.format(d) : '';
};

/** Today's date in Sweden, plus `days`, as a date input's value. */
export const stockholmDatePlus = (days: number, now = Date.now()): string => dateFormat.format(new Date(now + days * 86_400_000));

/** `3 dagar`, `5 timmar`, `under en minut`: how long something has lasted, without a direction. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  if (minutes < 1) return 'under en minut';
  if (minutes < 60) return n(minutes, 'minut', 'minuter');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return n(hours, 'timme', 'timmar');
  return n(Math.floor(hours / 24), 'dag', 'dagar');
}
