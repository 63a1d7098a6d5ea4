import { z } from 'zod';
import { actorSchema } from './actor';
import { policyBodySchema } from './policy';
import {
  agencyIdSchema, areaSchema, measureSchema, municipalityCodeSchema, phaseSchema, riskLevelSchema,
} from './vocabulary';

const at = z.string();
const sentence = z.object({ length: z.string(), startsAt: at, judgmentAt: at });
const releaseEstimate = z.object({
  estimatedReleaseAt: at, sentenceEndsAt: at, probationEndsAt: at.nullable(), conditionalRelease: z.boolean(),
});
const gapKindSchema = z.enum([
  'intervention_overdue', 'intervention_unassigned', 'released_with_gap', 'successor_missing',
  'plan_not_adopted', 'plan_review_overdue', 'meeting_missing', 'follow_up_missed', 'release_date_passed',
  'chain_at_risk',
]);

function event<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({ type: z.literal(type), data, occurredAt: at, actor: actorSchema });
}

/** Every fact the product records about a case. Schema version 1 throughout. */
/** Why a client's data was erased: opened in error (by the coordinator) or its retention ran out. */
export const erasureReasonSchema = z.enum(['opened_in_error', 'duplicate', 'wrong_client', 'retention']);
export type ErasureReason = z.infer<typeof erasureReasonSchema>;

export const domainEventSchema = z.discriminatedUnion('type', [
  event('CaseOpened', z.object({
    caseId: z.string(),
    client: z.object({ municipality: municipalityCodeSchema }),
    phase: phaseSchema,
    measure: measureSchema.optional(),
    admittedAt: at,
    /** Kriminalvården's own date; absent with a sentence, the estimate is the working date. */
    expectedReleaseAt: at.optional(),
    /** Both or neither; older events have neither. */
    sentence: sentence.optional(),
    releaseEstimate: releaseEstimate.optional(),
    riskLevel: riskLevelSchema,
    needs: z.array(areaSchema),
    consent: z.object({ agencyIds: z.array(agencyIdSchema) }),
    policy: z.object({ policyId: z.string(), version: z.number().int(), body: policyBodySchema }),
    coordinatorAgencyId: z.string(),
    responsibility: z.object({ holderAgencyId: z.string().nullable(), successorAgencyId: z.string().nullable() }),
    clientView: z.string().optional(),
  })),
  event('PhaseChanged', z.object({
    from: phaseSchema, to: phaseSchema, at, measure: measureSchema.optional(), reason: z.string().optional(),
    /** At a release under rules 2: the required interventions open at that moment. */
    openAtRelease: z.array(z.string()).optional(),
    /** At release of a case with a sentence: the end of probation from the actual release. */
    probationEndsAt: at.optional(),
  })),
  /** The case follows these rules from here on (domain/rules.ts). */
  event('RulesAdopted', z.object({ rules: z.number().int().positive() })),
  /** Overall responsibility passed to the successor named for after release. */
  event('ResponsibilityHandedOver', z.object({ fromAgencyId: z.string().nullable(), toAgencyId: z.string() })),
  event('ReleaseDateChanged', z.object({ expectedReleaseAt: at, previous: at.nullable(), reason: z.string() })),
  /** `usedAsReleaseDate`: the estimate became the working release date (there was no date of Kriminalvården's). */
  event('SentenceRecorded', z.object({
    sentence, releaseEstimate, previous: sentence.nullable(), usedAsReleaseDate: z.boolean(), reason: z.string().optional(),
  })),
  event('NeedsChanged', z.object({ needs: z.array(areaSchema) })),
  event('RiskLevelChanged', z.object({ riskLevel: riskLevelSchema, reason: z.string() })),
  event('ConsentChanged', z.object({ agencyIds: z.array(z.string()) })),
  event('ResponsibilityChanged', z.object({
    holderAgencyId: z.string().nullable(), successorAgencyId: z.string().nullable(),
  })),
  event('ClientViewRecorded', z.object({ text: z.string() })),
  event('InterventionPlanned', z.object({
    interventionId: z.string(),
    area: areaSchema,
    title: z.string(),
    agencyId: z.string().nullable(),
    requiredBeforeRelease: z.boolean(),
    dueAt: at.nullable(),
    dueBeforeRelease: z.string().nullable(),
    requirementIndex: z.number().int().nullable(),
  })),
  event('InterventionAssigned', z.object({
    interventionId: z.string(), agencyId: z.string(), previousAgencyId: z.string().nullable(),
  })),
  event('InterventionAccepted', z.object({ interventionId: z.string(), note: z.string().optional() })),
  event('InterventionCompleted', z.object({ interventionId: z.string(), note: z.string().optional() })),
  event('InterventionDeclined', z.object({ interventionId: z.string(), reason: z.string() })),
  event('InterventionWaived', z.object({ interventionId: z.string(), reason: z.string() })),
  event('InterventionCancelled', z.object({
    interventionId: z.string(), reason: z.enum(['consent_withdrawn', 'need_removed', 'case_closed', 'new_remand']),
  })),
  event('FollowUpScheduled', z.object({
    followUpId: z.string(), agencyId: z.string().nullable(), offset: z.string(), dueAt: at,
  })),
  event('FollowUpCompleted', z.object({ followUpId: z.string(), note: z.string().optional() })),
  event('FollowUpMissed', z.object({ followUpId: z.string() })),
  event('FollowUpCancelled', z.object({
    followUpId: z.string(), reason: z.enum(['case_closed', 'new_remand', 'consent_withdrawn']),
  })),
  event('CoordinationMeetingRecorded', z.object({
    at, agencyIds: z.array(z.string()), note: z.string().optional(),
  })),
  event('PlanAdopted', z.object({ at })),
  event('PlanReviewed', z.object({ at })),
  event('ReminderSent', z.object({
    reminderId: z.string(), interventionId: z.string(), agencyId: z.string(), dueAt: at, before: z.string(),
  })),
  event('AlertRaised', z.object({
    alertId: z.string(),
    key: z.string(),
    kind: gapKindSchema,
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    agencyId: z.string(),
    interventionId: z.string().optional(),
    followUpId: z.string().optional(),
    since: at,
    message: z.string(),
  })),
  event('AlertAcknowledged', z.object({ alertId: z.string() })),
  event('AlertResolved', z.object({
    alertId: z.string(),
    /**
     * Absent: the gap closed. `consent_withdrawn`: its addressee lost access to the client.
     * `case_closed`: the case closed and someone had acknowledged the alert (rules 2).
     */
    reason: z.enum(['consent_withdrawn', 'case_closed']).optional(),
  })),
  /**
   * A required intervention is likely to be late (issue 19): the chance that its agency finishes
   * it by its due time, from the agency's measured lead times for the area (or the policy's prior
   * when there are too few), and what that chance rests on. Not an alert: nobody is escalated to.
   */
  event('GapPredicted', z.object({
    interventionId: z.string(),
    agencyId: z.string(),
    dueAt: at,
    probability: z.number().min(0).max(1),
    basis: z.enum(['observed', 'prior']),
    observations: z.number().int().min(0),
    medianDays: z.number().nullable(),
    asOf: at,
  })),
  /**
   * The prediction no longer stands. `completed`: the work was done. `on_track`: a later forecast
   * gives it a good chance. `overdue`: its due time passed, and the alert ladder has the gap now.
   * `changed`: the work ended otherwise, moved to another agency, or the client was released.
   */
  event('PredictedGapWithdrawn', z.object({
    interventionId: z.string(),
    reason: z.enum(['completed', 'on_track', 'overdue', 'changed']),
  })),
  event('CaseTransferred', z.object({ fromAgencyId: z.string(), toAgencyId: z.string(), reason: z.string() })),
  /**
   * The client's data was erased (store/erase-case.ts): written at the edge, not by the case's
   * workflow, which has ended. Only the skeleton: no text, so it survives its own erasure.
   */
  event('CaseErased', z.object({ reason: erasureReasonSchema })),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
export type EventData<T extends EventType> = EventOf<T>['data'];
export const EVENT_SCHEMA_VERSION = 1;
