import type { Alert } from './types';

/*
 * The supervisor's view of many alerts: narrowed by level, kind and how long they have been
 * open, and grouped by case, so twelve alerts from four cases read as four cases.
 */

export interface AlertFilter {
  /** '' or a level, '1'–'3'. */
  level: string;
  /** '' or a gap kind. */
  kind: string;
  /** '' or the least number of days open. */
  minDays: string;
}

/** The filter's names in the address (`/larm?niva=3&typ=intervention_overdue&oppet=7`), so a view can be shared. */
const PARAMS: Record<keyof AlertFilter, string> = { level: 'niva', kind: 'typ', minDays: 'oppet' };

/** The filter an address asks for; a value this page does not offer is left out. */
export function filterFromQuery(query: URLSearchParams, kinds: readonly string[]): AlertFilter {
  const level = query.get(PARAMS.level) ?? '';
  const kind = query.get(PARAMS.kind) ?? '';
  const minDays = query.get(PARAMS.minDays) ?? '';
  return {
    level: ['1', '2', '3'].includes(level) ? level : '',
    kind: kinds.includes(kind) ? kind : '',
    minDays: minDays in AGES ? minDays : '',
  };
}

/** The address of the alerts page with this filter, `/larm` when nothing is chosen. */
export function filterPath(f: AlertFilter): string {
  const q = new URLSearchParams();
  for (const k of ['level', 'kind', 'minDays'] as const) if (f[k]) q.set(PARAMS[k], f[k]);
  return q.size ? `/larm?${q}` : '/larm';
}

export const AGES: Record<string, string> = { '1': 'minst 1 dygn', '3': 'minst 3 dygn', '7': 'minst en vecka', '30': 'minst 30 dygn' };

/** How long the alert has been open: since it was raised (an acknowledged one is still open until its gap closes). */
export const openFor = (a: Alert, now: number): number => now - Date.parse(a.raisedAt);

export function matches(a: Alert, f: AlertFilter, now: number): boolean {
  if (f.level && a.level !== Number(f.level)) return false;
  if (f.kind && a.kind !== f.kind) return false;
  if (f.minDays && openFor(a, now) < Number(f.minDays) * 86_400_000) return false;
  return true;
}

export interface CaseGroup {
  caseId: string;
  alerts: Alert[];
  /** The most serious level among them. */
  level: number;
}

/** By case: the case with the most serious alert first, then the one open longest; within, the same order. */
export function groupByCase(alerts: readonly Alert[]): CaseGroup[] {
  const order = (x: Alert, y: Alert) => y.level - x.level || Date.parse(x.raisedAt) - Date.parse(y.raisedAt);
  const groups = new Map<string, Alert[]>();
  for (const a of [...alerts].sort(order)) groups.set(a.caseId, [...(groups.get(a.caseId) ?? []), a]);
  return [...groups.entries()]
    .map(([caseId, list]) => ({ caseId, alerts: list, level: list[0]!.level }))
    .sort((x, y) => order(x.alerts[0]!, y.alerts[0]!));
}
