import { addDuration } from './duration';
import type { CaseState, Intervention } from './case-state';
import { isOpen, prerequisitesOf } from './gaps';

/** Where one intervention that waits for others stands, for the case page's chain drawing. */
export interface ChainOutlook {
  interventionId: string;
  /** The interventions it waits for (policy `after`). */
  waitsFor: string[];
  /** What it needs once they are done. */
  leadTime: string;
  /**
   * The earliest it can be done: its lead time after the last prerequisite is done (or, for one
   * still open, after its due time, or after now once that has passed). Null without dates.
   */
  earliestDoneAt: string | null;
  /** How much later than its own due time that is, in ms; 0 when it can still make it. */
  lateByMs: number;
  /** How much later than the expected release, in ms; 0 when it can still make it. */
  afterReleaseMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function chainOutlook(s: CaseState, now: string, shown: readonly Intervention[]): ChainOutlook[] {
  const t = Date.parse(now);
  const leadOf = (i: Intervention) => (i.requirementIndex === null ? 'PT0S' : s.policy.body.requirements[i.requirementIndex]?.leadTime ?? 'PT0S');
  /** The earliest `i` can be done after what it waits for; null when a date is missing. */
  const chainEarliest = (i: Intervention, depth: number): number | null => {
    const ready = prerequisitesOf(s, i).map((p) => readyAt(p, depth + 1));
    if (ready.some((r) => r === null)) return null;
    return addDuration(Math.max(...(ready as number[])), leadOf(i));
  };
  /** When a prerequisite will be done: done already, or by its due time unless its own chain or the clock says later. */
  const readyAt = (p: Intervention, depth: number): number | null => {
    if (!isOpen(p)) return p.completedAt ? Date.parse(p.completedAt) : t;
    if (!p.dueAt) return null;
    // A policy is refused with a cycle; the depth bound only keeps a corrupt one from looping.
    const chained = depth < 20 && prerequisitesOf(s, p).length > 0 ? chainEarliest(p, depth) : null;
    return Math.max(t, Date.parse(p.dueAt), chained ?? 0);
  };
  return shown.flatMap((i) => {
    const before = prerequisitesOf(s, i);
    if (before.length === 0) return [];
    const earliest = isOpen(i) ? chainEarliest(i, 0) : null;
    const late = (deadline: string | null | undefined) => (earliest !== null && deadline ? Math.max(0, earliest - Date.parse(deadline)) : 0);
    return [{
      interventionId: i.interventionId,
      waitsFor: before.map((p) => p.interventionId),
      leadTime: leadOf(i),
      earliestDoneAt: earliest === null ? null : iso(earliest),
      lateByMs: late(i.dueAt),
      afterReleaseMs: late(s.expectedReleaseAt),
    }];
  });
}
