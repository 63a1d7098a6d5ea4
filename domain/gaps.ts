import { addDuration, instantOf, isoAt } from './duration';
import type { CaseState, GapKind, Intervention } from './case-state';
import { OPEN_FOLLOW_UP_STATUSES, OPEN_INTERVENTION_STATUSES } from './open-statuses';
import { rulesOf } from './rules';
import type { Phase } from './schemas/vocabulary';

export interface Gap {
  kind: GapKind;
  interventionId?: string;
  followUpId?: string;
  /** For `chain_at_risk`: the late intervention this one waits for. */
  prerequisiteId?: string;
  /** When the gap began (or begins, for a deadline still ahead). */
  since: string;
}

/**
 * Everything the gaps of a case are made of: `candidateGaps` reads nothing else (the type holds
 * it to that), so while these are the same values a case has the same candidate gaps.
 */
export type GapInputs = Pick<CaseState,
  'phase' | 'policy' | 'interventions' | 'releasedAt' | 'atRelease' | 'rules' | 'expectedReleaseAt'
  | 'responsibility' | 'meetings' | 'period' | 'prisonAdmittedAt' | 'plan' | 'followUps'>;

const BEFORE_RELEASE: readonly Phase[] = ['hakte', 'anstalt', 'utslussning'];
const IN_PRISON: readonly Phase[] = ['anstalt', 'utslussning'];

export const isOpen = (i: Intervention) => OPEN_INTERVENTION_STATUSES.includes(i.status);

/** The custody period a case is in, and so what counts towards its next release. */
export const currentPeriod = (s: Pick<CaseState, 'period'>) => s.period ?? 0;

/**
 * A required intervention still open at a release is a level-3 gap. Under rules 2 the release
 * names those (`atRelease`), so work added or reopened after release is not one; before, every
 * open required intervention counted while the client was out.
 */
function releasedWithGap(s: WorkGapInputs, i: Intervention): boolean {
  if (s.phase !== 'frigiven' || !s.releasedAt) return false;
  return s.atRelease ? s.atRelease.openInterventionIds.includes(i.interventionId) : true;
}

/** The sentence plan's deadline: 30 days from admission to prison, 14 if at most 2 months remain. */
export function planAdoptionDeadline(s: Pick<CaseState, 'prisonAdmittedAt' | 'policy' | 'expectedReleaseAt'>): string | null {
  if (!s.prisonAdmittedAt) return null;
  const m = s.policy.body.milestones;
  const short =
    s.expectedReleaseAt !== undefined &&
    addDuration(s.prisonAdmittedAt, m.shortStayRemaining) >= instantOf(s.expectedReleaseAt);
  return isoAt(addDuration(s.prisonAdmittedAt, short ? m.planAdoptedWithinShortStay : m.planAdoptedWithin));
}

/**
 * Every gap the case could have, each with the moment it opens: the schedule sleeps until the
 * earliest future one, and `gapsAt` keeps those already open. Pure in the state alone.
 */
export function candidateGaps(s: GapInputs): Gap[] {
  if (s.phase === 'avslutad') return [];
  return [...workGaps(s), ...caseGaps(s), ...followUpGaps(s)];
}

/** What the gaps of the work are made of (`workGaps` reads nothing else). */
export type WorkGapInputs = Pick<GapInputs, 'phase' | 'policy' | 'interventions' | 'releasedAt' | 'atRelease'>;

/**
 * The first part of `candidateGaps`, in its order (the case not closed): the interventions' own
 * gaps and those of their chains. Made of the work alone, so the schedule keeps it while the
 * work stays the same.
 */
export function workGaps(s: WorkGapInputs): Gap[] {
  const gaps: Gap[] = [];
  for (const i of s.interventions) {
    if (!isOpen(i)) continue;
    if (i.status === 'unassigned') gaps.push({ kind: 'intervention_unassigned', interventionId: i.interventionId, since: i.createdAt });
    if (!i.requiredBeforeRelease) continue;
    if (i.dueAt) gaps.push({ kind: 'intervention_overdue', interventionId: i.interventionId, since: i.dueAt });
    if (releasedWithGap(s, i)) gaps.push({ kind: 'released_with_gap', interventionId: i.interventionId, since: s.releasedAt! });
  }
  gaps.push(...chainsAtRisk(s));
  return gaps;
}

/** What the case's own gaps are made of (`caseGaps` reads nothing else). */
export type CaseGapInputs = Omit<GapInputs, 'interventions' | 'followUps'>;

/** The middle part of `candidateGaps`, in its order (the case not closed): the case's own gaps. */
export function caseGaps(s: CaseGapInputs): Gap[] {
  const gaps: Gap[] = [];
  const m = s.policy.body.milestones;
  const rules = rulesOf(s);
  if (BEFORE_RELEASE.includes(s.phase) && s.expectedReleaseAt) {
    if (!s.responsibility.successorAgencyId) {
      gaps.push({ kind: 'successor_missing', since: isoAt(addDuration(s.expectedReleaseAt, m.successorNamedBeforeRelease, -1)) });
    }
    const met = rules >= 2 ? s.meetings.some((x) => (x.period ?? 0) === currentPeriod(s)) : s.meetings.length > 0;
    if (!met) {
      gaps.push({ kind: 'meeting_missing', since: isoAt(addDuration(s.expectedReleaseAt, m.meetingBeforeRelease, -1)) });
    }
  }
  // Released, and nobody took over overall responsibility: a level-3 gap until someone does.
  if (s.phase === 'frigiven' && s.releasedAt && s.atRelease && !s.atRelease.handedOver) {
    gaps.push({ kind: 'successor_missing', since: s.releasedAt });
  }
  // Still in prison after the day the release was expected: either it was not recorded or the
  // date is wrong, and every deadline hanging on it is wrong with it.
  if (rules >= 2 && IN_PRISON.includes(s.phase) && s.expectedReleaseAt) {
    gaps.push({ kind: 'release_date_passed', since: isoAt(addDuration(s.expectedReleaseAt, m.releaseRecordedWithin ?? 'P1D')) });
  }
  if (IN_PRISON.includes(s.phase)) {
    const deadline = planAdoptionDeadline(s);
    if (deadline && !s.plan.adoptedAt) gaps.push({ kind: 'plan_not_adopted', since: deadline });
    const lastPlanned = s.plan.reviewedAt ?? s.plan.adoptedAt;
    if (lastPlanned) gaps.push({ kind: 'plan_review_overdue', since: isoAt(addDuration(lastPlanned, m.planReviewEvery)) });
  }
  return gaps;
}

/** The last part of `candidateGaps` (the case not closed): the follow-ups' gaps, made of them alone. */
export function followUpGaps(s: Pick<GapInputs, 'followUps'>): Gap[] {
  const gaps: Gap[] = [];
  for (const f of s.followUps) {
    if (OPEN_FOLLOW_UP_STATUSES.includes(f.status)) gaps.push({ kind: 'follow_up_missed', followUpId: f.followUpId, since: f.dueAt });
  }
  return gaps;
}

/** The gaps open at `now`. */
export function gapsAt(s: CaseState, now: string): Gap[] {
  const t = instantOf(now);
  return candidateGaps(s).filter((g) => instantOf(g.since) <= t);
}

export function gapSubject(g: { kind: GapKind; interventionId?: string; followUpId?: string }): string {
  return g.interventionId ?? g.followUpId ?? 'case';
}

/**
 * The open interventions of this period that wait for another (policy `after`), by id: those it
 * waits for, open or not. Only work planned from the policy has a place in a chain.
 */
export function prerequisitesOf(s: Pick<CaseState, 'policy' | 'interventions'>, i: Intervention): Intervention[] {
  if (i.requirementIndex === null) return [];
  const after = s.policy.body.requirements[i.requirementIndex]?.after ?? [];
  if (after.length === 0) return [];
  return s.interventions.filter((p) =>
    p.interventionId !== i.interventionId && p.requirementIndex !== null && (p.period ?? 0) === (i.period ?? 0)
    && p.status !== 'cancelled' && after.includes(p.area));
}

/**
 * An intervention whose prerequisite is late is at risk at once, not when its own deadline
 * passes: it needs its lead time after the prerequisite, and the prerequisite's due time is
 * exactly what leaves that time before its own.
 */
function chainsAtRisk(s: WorkGapInputs): Gap[] {
  const gaps: Gap[] = [];
  for (const i of s.interventions) {
    if (!isOpen(i)) continue;
    const late = prerequisitesOf(s, i)
      .filter((p) => isOpen(p) && p.dueAt)
      .sort((a, b) => instantOf(a.dueAt!) - instantOf(b.dueAt!))[0];
    if (late) gaps.push({ kind: 'chain_at_risk', interventionId: i.interventionId, prerequisiteId: late.interventionId, since: late.dueAt! });
  }
  return gaps;
}
