/**
 * The version of the case rules a case follows, recorded in its log (`RulesAdopted`), so that its
 * decisions, its schedule and every read model built from its events agree on it, and so that a
 * running case changes rules at one visible moment instead of having its past judged anew.
 *
 * 1 (no `RulesAdopted` yet): the rules before December 2026.
 * 2: a release notes what was open at that moment, and only that is "released with a gap"
 *    (level 3); overall responsibility passes to the successor at release, and a release without
 *    one is a level-3 gap of its own; a new remand starts a new period (earlier work, meetings
 *    and follow-ups no longer count, the required interventions are planned again, the holder
 *    returns to the coordinating agency and the successor is to be named again); a closed case
 *    keeps each alert nobody has acknowledged until someone does; an expected release date that
 *    passes while the client is still in prison is a gap.
 */
export const CURRENT_RULES = 2;

export function rulesOf(s: { rules?: number }): number {
  return s.rules ?? 1;
}
