import type { CaseState } from './case-state';
import { DAY_MS } from './duration';
import type { Observation } from './survival';
import type { Area } from './schemas/vocabulary';

// Without zod on purpose: forecasts run beside the rules, wherever they run (see workflows/legacy-command-schema.ts).

/** What the log tells about one assigned intervention, in epoch ms. */
export interface LeadTimeRecord {
  agencyId: string;
  area: Area;
  assignedAt: number;
  /** Completed by the agency: the only ending that is a lead time. */
  completedAt?: number;
  /**
   * Ended otherwise (declined by the client, waived): the agency had it this long without
   * finishing, which is all that is known, so it counts as censored there.
   */
  endedAt?: number;
}

export const leadTimeKey = (agencyId: string, area: Area) => `${agencyId}/${area}`;

/**
 * The records of a case's interventions. Cancelled work is left out: the state does not say when
 * it was cancelled, and cancellation (consent withdrawn, a need removed) says nothing about speed.
 * A reassignment restarts the clock, because the new agency starts from nothing.
 */
export function leadTimeRecords(s: CaseState): LeadTimeRecord[] {
  const out: LeadTimeRecord[] = [];
  for (const i of s.interventions) {
    if (!i.agencyId || !i.assignedAt || i.status === 'cancelled') continue;
    const rec: LeadTimeRecord = { agencyId: i.agencyId, area: i.area, assignedAt: Date.parse(i.assignedAt) };
    if (i.status === 'completed' && i.completedAt) rec.completedAt = Date.parse(i.completedAt);
    else if ((i.status === 'declined' || i.status === 'waived') && i.completedAt) rec.endedAt = Date.parse(i.completedAt);
    out.push(rec);
  }
  return out;
}

/**
 * The observations as they stood at `now`, by agency and area: what had been completed by then
 * is an event, what was still open is censored at its age. Nothing after `now` is looked at, so
 * a replay in time order sees only what a forecast then could have seen. `windowDays` keeps the
 * recently assigned only, so an agency that slows down is seen to, rather than averaged away.
 */
export function observationsAt(records: readonly LeadTimeRecord[], now: number, windowDays?: number): Map<string, Observation[]> {
  const from = windowDays === undefined ? -Infinity : now - windowDays * DAY_MS;
  const byKey = new Map<string, Observation[]>();
  for (const r of records) {
    if (r.assignedAt > now || r.assignedAt < from) continue;
    let obs: Observation;
    if (r.completedAt !== undefined && r.completedAt <= now) obs = { days: (r.completedAt - r.assignedAt) / DAY_MS, completed: true };
    else if (r.endedAt !== undefined && r.endedAt <= now) obs = { days: (r.endedAt - r.assignedAt) / DAY_MS, completed: false };
    else obs = { days: (now - r.assignedAt) / DAY_MS, completed: false };
    const key = leadTimeKey(r.agencyId, r.area);
    const list = byKey.get(key);
    if (list) list.push(obs);
    else byKey.set(key, [obs]);
  }
  return byKey;
}
