/**
 * ISO 8601 durations as used in policy data (`P30D`, `P1M`, and `PT20S` so that tests and
 * simulations can compress time). Only non-negative durations exist here: "before" is expressed
 * by the caller with `sign = -1`, never by a minus sign inside the policy.
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  /** The only component that may carry a fraction (`PT7.5S`), so sub-second tests stay possible. */
  seconds: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
/** Days are exact 24 h: all arithmetic is UTC, so there is no daylight-saving day of 23 or 25 h. */
export const DAY_MS = 24 * HOUR_MS;

// Weeks may be combined with other units (ISO 8601-1:2019 allows it; older texts did not).
// A comma is the ISO-preferred decimal sign, so both are accepted for seconds.
const DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

function component(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const value = Number(raw.replace(',', '.'));
  // Huge integers lose precision silently; refuse them rather than compute a wrong date.
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) throw new RangeError('duration component too large');
  return value;
}

/**
 * The rules place the same few policy durations and the same instants on the calendar at every
 * schedule step, and a simulated year takes hundreds of thousands of steps (issue 19): parsed
 * once, they cost a lookup. Bounded, so a long-running process does not grow without end.
 */
const CACHE_LIMIT = 20_000;
const durations = new Map<string, Readonly<Duration>>();
const instants = new Map<string, number>();
function remember<K, T>(cache: Map<K, T>, key: K, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Parses an ISO 8601 duration; throws a RangeError for anything that is not one. */
export function parseDuration(s: string): Duration {
  return { ...parsedDuration(s) };
}

function parsedDuration(s: string): Readonly<Duration> {
  return durations.get(s) ?? remember(durations, s, parseFresh(s));
}

function parseFresh(s: string): Duration {
  const m = DURATION_RE.exec(s);
  // `P` and `PT` alone match the pattern but state no amount at all.
  if (!m || s === 'P' || s.endsWith('T')) {
    throw new RangeError(`not an ISO 8601 duration: ${JSON.stringify(s)}`);
  }
  return {
    years: component(m[1]),
    months: component(m[2]),
    weeks: component(m[3]),
    days: component(m[4]),
    hours: component(m[5]),
    minutes: component(m[6]),
    seconds: component(m[7]),
  };
}

export function isValidDuration(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    parseDuration(s);
    return true;
  } catch {
    return false;
  }
}

/** The exact (non-calendar) part in ms; rounded to whole ms so `PT0.1S` style floats stay exact. */
function exactMs(d: Duration): number {
  return (
    (d.weeks * 7 + d.days) * DAY_MS +
    d.hours * HOUR_MS +
    d.minutes * MINUTE_MS +
    Math.round(d.seconds * SECOND_MS)
  );
}

/**
 * Only for ordering and comparing policy durations (e.g. "which reminder comes first"): months
 * count as 30 days and years as 365, which is wrong for any concrete date. Use `addDuration` to
 * place a duration on the calendar.
 */
export function durationToMs(s: string | Duration): number {
  const d = typeof s === 'string' ? parsedDuration(s) : s;
  return (d.years * 365 + d.months * 30) * DAY_MS + exactMs(d);
}

// Date-only values are midnight UTC; date-times must carry `Z` or an offset (and, as RFC 3339
// wants with one, seconds), because a local time would make the result depend on the machine's
// time zone. Without zod on purpose: this module is part of the workflow bundle, where every
// case would otherwise load a copy of zod (see workflows/legacy-command-schema.ts).
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** A real calendar day: rejects 2025-02-30 and 2025-13-01, which Date.parse would roll over or refuse. */
function isCalendarDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const probe = new Date(0);
  probe.setUTCFullYear(Number(year), m, 0);
  return d <= probe.getUTCDate();
}

function isIsoInstant(s: string): boolean {
  const m = ISO_DATE.exec(s) ?? ISO_DATE_TIME.exec(s);
  return m !== null && isCalendarDate(m[1]!, m[2]!, m[3]!);
}

/** Epoch ms of an ISO date / date-time string or of an epoch-ms number; throws on anything else. */
export function toEpochMs(isoOrMs: string | number | Date): number {
  let ms: number;
  if (typeof isoOrMs === 'number') ms = isoOrMs;
  else if (isoOrMs instanceof Date) ms = isoOrMs.getTime();
  else {
    const known = instants.get(isoOrMs);
    if (known !== undefined) return known;
    if (isIsoInstant(isoOrMs)) ms = Date.parse(isoOrMs);
    else throw new RangeError(`not an ISO 8601 date or date-time with offset: ${JSON.stringify(isoOrMs)}`);
  }
  if (!isTimeValue(ms)) throw new RangeError('instant out of range');
  return typeof isoOrMs === 'string' ? remember(instants, isoOrMs, ms) : ms;
}

/** What `!Number.isNaN(new Date(ms).getTime())` says, without making a Date: ECMAScript's TimeClip bound. */
function isTimeValue(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS;
}
const MAX_TIME_MS = 8.64e15;

function daysInMonthUtc(year: number, monthIndex: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex + 1, 0);
  return d.getUTCDate();
}

function addMonthsUtc(ms: number, months: number): number {
  if (months === 0) return ms;
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  // Clamp rather than roll over: one month after 31 January is the end of February, not March.
  const day = Math.min(d.getUTCDate(), daysInMonthUtc(year, month));
  // setUTCFullYear, not Date.UTC, because Date.UTC maps years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month, day);
  return d.getTime();
}

/**
 * `isoOrMs` moved by `duration` (times `sign`), as epoch ms. Years and months follow the UTC
 * calendar with the day of month clamped; weeks, days and time are exact. The calendar part is
 * applied first for both signs (as Temporal does), so `P1M1D` after 31 Jan is 1 Mar (non-leap).
 * Calendar steps do not always invert (31 Jan + P1M − P1M = 28 Jan); exact steps do.
 */
export function addDuration(isoOrMs: string | number | Date, duration: string | Duration, sign: 1 | -1 = 1): number {
  const d = typeof duration === 'string' ? parsedDuration(duration) : duration;
  const start = toEpochMs(isoOrMs);
  const calendar = addMonthsUtc(start, sign * (d.years * 12 + d.months));
  const result = calendar + sign * exactMs(d);
  if (!isTimeValue(result)) {
    throw new RangeError('result is outside the representable date range');
  }
  return result;
}

/** One duration after another, component by component (`P1M` + `P14D` = `P1M14D`). */
export function sumDurations(a: string, b: string): string {
  const x = parseDuration(a);
  const y = parseDuration(b);
  const n = (k: keyof Duration) => x[k] + y[k];
  // Seconds may carry a fraction: keep it exact to the millisecond, as exactMs does.
  const seconds = Math.round(n('seconds') * SECOND_MS) / SECOND_MS;
  const date = `${n('years') ? `${n('years')}Y` : ''}${n('months') ? `${n('months')}M` : ''}${n('weeks') ? `${n('weeks')}W` : ''}${n('days') ? `${n('days')}D` : ''}`;
  const time = `${n('hours') ? `${n('hours')}H` : ''}${n('minutes') ? `${n('minutes')}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return date || time ? `P${date}${time ? `T${time}` : ''}` : 'PT0S';
}

// Years 0000–9999, the only ones `toISOString` writes without a sign.
const LAST_PLAIN_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, byte for byte, a fifth of its cost: the date part
 * (`2013-04-05T`) is written once per day, the time by arithmetic. Outside years 0000–9999
 * (and for NaN, which throws) it is `toISOString` itself.
 */
export function formatIso(ms: number): string {
  if (!(ms >= 0 && ms < LAST_PLAIN_MS)) return new Date(ms).toISOString();
  const t = Math.floor(ms); // a Date truncates its time value, and for ms ≥ 0 that is floor
  const day = Math.floor(t / DAY_MS);
  const prefix = dayPrefixes.get(day) ?? remember(dayPrefixes, day, new Date(day * DAY_MS).toISOString().slice(0, 11));
  let rest = t - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  return `${prefix}${TWO[(rest - minutes) / 60]!}:${TWO[minutes]!}:${TWO[seconds]!}.${THREE[millis]!}Z`;
}

const formatted = new Map<number, string>();
const parsed = new Map<string, number>();

/**
 * `new Date(ms).toISOString()`, remembered: the rules format the same few deadlines at every
 * schedule step, and formatting was a fifth of a simulated year's time (issue 19).
 */
export function isoAt(ms: number): string {
  return formatted.get(ms) ?? remember(formatted, ms, formatIso(ms));
}

/** `Date.parse`, remembered, NaN and all: unlike `toEpochMs` it neither validates nor throws. */
export function instantOf(s: string): number {
  return parsed.get(s) ?? remember(parsed, s, Date.parse(s));
}
