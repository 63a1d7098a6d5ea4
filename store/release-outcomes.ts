import type { CaseState } from '../domain/case-state';

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
