import type { PinnedPolicy } from './schemas/policy';
import type { Area, FollowUpStatus, InterventionStatus, Measure, Phase, RiskLevel } from './schemas/vocabulary';

export interface Intervention {
  interventionId: string;
  area: Area;
  title: string;
  agencyId: string | null;
  status: InterventionStatus;
  requiredBeforeRelease: boolean;
  /** Absolute due time; null while the release date it hangs on is unknown. */
  dueAt: string | null;
  /** Set when the due time hangs on the release date, so moving that date moves this. */
  dueBeforeRelease: string | null;
  /** Index of the policy requirement that created it; null for one the coordinator added. */
  requirementIndex: number | null;
  /** The custody period it was planned in (`CaseState.period`); absent: the first. */
  period?: number;
  createdAt: string;
  assignedAt: string | null;
  completedAt?: string;
  reason?: string;
  note?: string;
}

export interface FollowUp {
  followUpId: string;
  agencyId: string | null;
  /** The policy's offset from release, e.g. `P7D`. */
  offset: string;
  dueAt: string;
  status: FollowUpStatus;
  completedAt?: string;
  note?: string;
}

/** The sentence as the coordinator gave it (ISO 8601 duration; dates or instants). */
export interface Sentence {
  length: string;
  startsAt: string;
  judgmentAt: string;
}

/** What the sentence suggests under the pinned policy's release rules (release-arithmetic.ts). */
export interface SentenceEstimate {
  estimatedReleaseAt: string;
  sentenceEndsAt: string;
  /** Null when the sentence is too short for conditional release, so no probation follows. */
  probationEndsAt: string | null;
  conditionalRelease: boolean;
}

export type GapKind =
  | 'intervention_overdue'
  | 'intervention_unassigned'
  | 'released_with_gap'
  | 'successor_missing'
  | 'plan_not_adopted'
  | 'plan_review_overdue'
  | 'meeting_missing'
  | 'follow_up_missed'
  | 'release_date_passed'
  | 'chain_at_risk';

/** A required intervention likely to be late, as the latest forecast recorded it (`GapPredicted`). */
export interface PredictedGapMark {
  interventionId: string;
  agencyId: string;
  dueAt: string;
  probability: number;
  basis: 'observed' | 'prior';
  observations: number;
  medianDays: number | null;
  predictedAt: string;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  alertId: string;
  /** Identifies the gap, level and addressee: the same key never has two live alerts. */
  key: string;
  kind: GapKind;
  level: 1 | 2 | 3;
  agencyId: string;
  interventionId?: string;
  followUpId?: string;
  /** When the gap began; with `key` it names one occurrence of one gap. */
  since: string;
  raisedAt: string;
  status: AlertStatus;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  /** Set when it ended for another reason than its gap closing. */
  resolvedReason?: 'consent_withdrawn' | 'case_closed';
  message: string;
}

export interface CaseState {
  caseId: string;
  version: number;
  phase: Phase;
  measure?: Measure;
  /**
   * Only what the rules need. The client's name and personal identity number live in the
   * erasable identity table, never in the event log or in Temporal's history.
   */
  client: { municipality: string };
  clientView?: string;
  riskLevel: RiskLevel;
  needs: Area[];
  /** Start of the current custody (häkte or anstalt). */
  admittedAt: string;
  /** Start of the current prison stay; the sentence plan deadline counts from here. */
  prisonAdmittedAt?: string;
  /** The working release date every deadline hangs on: Kriminalvården's, or else the estimate. */
  expectedReleaseAt?: string;
  /** Only on a case with a sentence: whose date `expectedReleaseAt` is. Absent: Kriminalvården's (or none). */
  releaseDateSource?: 'kriminalvarden' | 'estimate';
  sentence?: Sentence;
  releaseEstimate?: SentenceEstimate;
  releasedAt?: string;
  /** Set at release from the sentence and the actual release date; only for a case with a sentence. */
  probationEndsAt?: string;
  closedAt?: string;
  closeReason?: string;
  /** The client's data was erased: the case is gone for everyone, its skeleton stays for the figures. */
  erasedAt?: string;
  openedAt: string;
  openedBy: string;
  /** "The coordinator's agency", the coordinating agency: addressee of escalations; moves on transfer. */
  coordinatorAgencyId: string;
  policy: PinnedPolicy;
  /** The case rules it follows (domain/rules.ts); absent: version 1. */
  rules?: number;
  /**
   * Custody periods begun by a new remand (rules 2): 0, absent, for the first. Work, meetings and
   * follow-ups of an earlier period no longer count towards the next release.
   */
  period?: number;
  /**
   * What the latest release left behind (rules 2): the required interventions open at that
   * moment (only these are "released with a gap"), and whether overall responsibility passed to
   * a successor.
   */
  atRelease?: { openInterventionIds: string[]; handedOver: boolean };
  consent: { agencyIds: string[] };
  responsibility: { holderAgencyId: string | null; successorAgencyId: string | null };
  plan: { adoptedAt?: string; reviewedAt?: string };
  meetings: { at: string; agencyIds: string[]; period?: number }[];
  interventions: Intervention[];
  followUps: FollowUp[];
  alerts: Alert[];
  /** Interventions likely to be late (issue 19); absent on cases that never had one. */
  predictedGaps?: PredictedGapMark[];
  remindersSent: string[];
  /** Releases and new remands, for the re-offence figures. */
  outcomes: { kind: 'released' | 'new_remand' | 'closed'; at: string }[];
  seq: { intervention: number; followUp: number; alert: number };
}
