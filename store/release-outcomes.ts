import type { CaseState } from '../domain/case-state';
import { gapsAt, gapSubject } from '../domain/gaps';

/**
 * Each release of a case with the first new remand after it (null while none): what the
 * reoffence figures count, kept on the case's summary row (`release_outcomes`, migration 008) so
 * the figures read one small value per case instead of every case's whole state.
 */
export interface ReleaseOutcome { released: string; remand: string | null }

export function releaseOutcomes(s: Pick<CaseState, 'outcomes'>): ReleaseOutcome[] {
  const remands = s.outcomes.filter((o) => o.kind === 'new_remand').map((o) => o.at);
  return s.outcomes.filter((o) => o.kind === 'released').map((r) => {
    const after = remands.filter((at) => Date.parse(at) > Date.parse(r.at)).sort((a, b) => Date.parse(a) - Date.parse(b));
    return { released: r.at, remand: after[0] ?? null };
  });
}

/**
 * Coordination meetings held at or before the case's (latest) release, null while it has never
 * been released (`meetings_before_release`, migration 009): the figures count contact before
 * release, and a meeting held after it is not one.
 */
export function meetingsBeforeRelease(s: Pick<CaseState, 'meetings' | 'releasedAt'>): number | null {
  if (!s.releasedAt) return null;
  const release = Date.parse(s.releasedAt);
  return s.meetings.filter((m) => Date.parse(m.at) <= release).length;
}

/**
 * The gaps open at the moment of a release, of any kind (DOMAIN.md "Gaps and alerts"): those of
 * the case just before the release event (overdue or unassigned interventions, no successor, no
 * meeting, plan not adopted or reviewed) and those the release itself opens (a required
 * intervention still open: "released with a gap"), each counted once, at the release's own time.
 */
export function gapsAtRelease(before: CaseState, after: CaseState, releasedAt: string): number {
  const keys = new Set([...gapsAt(before, releasedAt), ...gapsAt(after, releasedAt)].map((g) => `${g.kind}:${gapSubject(g)}`));
  return keys.size;
}
