import type { EventData, EventType } from './schemas/events';

/**
 * What people type into a case, per event type: notes, reasons, titles, the client's own view,
 * and alert messages (which quote an intervention's title). These fields are health, addiction
 * and family information (GDPR art. 9), so the event log stores them sealed with the case's own
 * key (store/sealed-events.ts) and erasing the client makes them unreadable. Everything else in
 * an event is the skeleton the figures are made of: ids, agencies, areas, statuses, times.
 *
 * Every string field of every event is either here or in SKELETON_STRINGS below; a test walks
 * the event schema and fails on a field that is in neither, so a new text cannot slip through.
 */
type TextFields = { [T in EventType]: readonly Extract<keyof EventData<T>, string>[] };

export const FREE_TEXT_FIELDS: TextFields = {
  CaseOpened: ['clientView'],
  PhaseChanged: ['reason'],
  ReleaseDateChanged: ['reason'],
  SentenceRecorded: ['reason'],
  NeedsChanged: [],
  RiskLevelChanged: ['reason'],
  ConsentChanged: [],
  ResponsibilityChanged: [],
  ClientViewRecorded: ['text'],
  InterventionPlanned: ['title'],
  InterventionAssigned: [],
  InterventionAccepted: ['note'],
  InterventionCompleted: ['note'],
  InterventionDeclined: ['reason'],
  InterventionWaived: ['reason'],
  InterventionCancelled: [],
  FollowUpScheduled: [],
  FollowUpCompleted: ['note'],
  FollowUpMissed: [],
  FollowUpCancelled: [],
  CoordinationMeetingRecorded: ['note'],
  PlanAdopted: [],
  PlanReviewed: [],
  ReminderSent: [],
  AlertRaised: ['message'],
  AlertAcknowledged: [],
  AlertResolved: [],
  CaseTransferred: ['reason'],
  CaseErased: [],
  RulesAdopted: [],
  GapPredicted: [],
  PredictedGapWithdrawn: [],
  ResponsibilityHandedOver: [],
};

/** String fields that hold no typed text: ids, times, durations and keys. */
export const SKELETON_STRINGS = [
  'caseId', 'admittedAt', 'expectedReleaseAt', 'previous', 'at', 'interventionId', 'agencyId', 'previousAgencyId',
  'dueAt', 'dueBeforeRelease', 'followUpId', 'offset', 'reminderId', 'before', 'alertId', 'key', 'since',
  'fromAgencyId', 'toAgencyId', 'holderAgencyId', 'successorAgencyId', 'coordinatorAgencyId', 'policyId', 'agencyIds',
  'municipality', 'openAtRelease', 'length', 'startsAt', 'judgmentAt', 'estimatedReleaseAt', 'sentenceEndsAt', 'probationEndsAt',
  'asOf',
] as const;

/** What a text reads as once the client has been erased and its key is gone. */
export const ERASED_TEXT = '[raderad]';

export function freeTextFields(type: string): readonly string[] {
  return (FREE_TEXT_FIELDS as Record<string, readonly string[] | undefined>)[type] ?? [];
}
