/**
 * The period the per agency and per area table of the figures covers: whole calendar days in
 * Swedish time, both ends included, as a quarterly review names them ("2026-01-01 – 2026-03-31").
 * Without one, the last 90 days up to and including today (the length of a quarter, so the
 * default table is the one a quarterly review would show, moving with the day).
 */
export interface FiguresPeriod {
  /** First day, YYYY-MM-DD (Europe/Stockholm). */
  from: string;
  /** Last day, YYYY-MM-DD (Europe/Stockholm), included. */
  to: string;
}

export const DEFAULT_PERIOD_DAYS = 90;
export const FIGURES_TIME_ZONE = 'Europe/Stockholm';

const DAY_MS = 86_400_000;

/** The calendar day of `at` in Swedish time, YYYY-MM-DD. */
export function swedishDay(at: Date): string {
  // sv-SE formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('sv-SE', { timeZone: FIGURES_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `day` moved by `days` calendar days (pure date arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The period asked for, each missing end filled from the default (the last 90 days up to today). */
export function figuresPeriod(asked: Partial<FiguresPeriod>, now: Date): FiguresPeriod {
  const to = asked.to ?? (asked.from ? maxDay(asked.from, swedishDay(now)) : swedishDay(now));
  const from = asked.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  return { from, to };
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
