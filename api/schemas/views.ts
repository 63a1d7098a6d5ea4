import { z } from 'zod';
import { agencySchema } from '../../domain/schemas/agency';
import {
  areaSchema, followUpStatusSchema, interventionStatusSchema, measureSchema, phaseSchema, riskLevelSchema,
} from '../../domain/schemas/vocabulary';

/* The shapes the API returns, as zod: they serialise responses and document them in OpenAPI. */

const gapKindSchema = z.enum([
  'intervention_overdue', 'intervention_unassigned', 'released_with_gap', 'successor_missing',
  'plan_not_adopted', 'plan_review_overdue', 'meeting_missing', 'follow_up_missed', 'release_date_passed',
  'chain_at_risk',
]);

/** A forecast's standing prediction that work will be late: the chance and what it rests on. */
const likelyLateSchema = z.object({
  probability: z.number().min(0).max(1).meta({ description: 'The chance of being done by the due time, given how long it has been open' }),
  basis: z.enum(['observed', 'prior']).meta({ description: "`observed`: the agency's own measured lead times for the area; `prior`: too few of them, the policy's assumed lead time" }),
  observations: z.number().int(),
  medianDays: z.number().nullable().meta({ description: 'The median lead time the chance rests on, in days' }),
  predictedAt: z.string(),
});

const releaseDateSourceSchema = z.enum(['kriminalvarden', 'estimate']);

export const caseViewSchema = z.object({
  caseId: z.string(),
  version: z.number().int(),
  phase: phaseSchema,
  measure: measureSchema.optional(),
  client: z.object({
    name: z.string(),
    municipality: z.string(),
    personalIdentityNumber: z.string().optional().meta({ description: 'Masked: birth date only, e.g. 19850101-****' }),
  }),
  riskLevel: riskLevelSchema.optional().meta({ description: 'Left out for an agency officer that holds no follow-ups and does not take over responsibility' }),
  needs: z.array(areaSchema).meta({ description: "An agency officer sees only the needs in its own interventions' areas" }),
  admittedAt: z.string(),
  expectedReleaseAt: z.string().nullable()
    .meta({ description: 'The working release date every deadline hangs on: Kriminalvården\'s, or else the estimate from the sentence (see releaseDateSource)' }),
  releaseDateSource: releaseDateSourceSchema.optional()
    .meta({ description: "Only on a case with a sentence: whether expectedReleaseAt is Kriminalvården's own date or the estimate. Absent: Kriminalvården's (or none)" }),
  releaseEstimate: z.object({
    estimatedReleaseAt: z.string().meta({ description: 'Beräknad villkorlig frigivning (or the sentence end, without conditional release)' }),
    sentenceEndsAt: z.string(),
    probationEndsAt: z.string().nullable().meta({ description: 'Null without conditional release' }),
    conditionalRelease: z.boolean(),
  }).optional().meta({ description: "Suggested from the sentence under the pinned policy's release rules; never overrides Kriminalvården's date" }),
  sentence: z.object({ length: z.string(), startsAt: z.string(), judgmentAt: z.string() }).optional()
    .meta({ description: 'As the coordinator gave it; not shown to agency officers' }),
  releasedAt: z.string().optional(),
  probationEndsAt: z.string().optional().meta({ description: 'Set at release, from the sentence and the actual release date' }),
  closedAt: z.string().optional(),
  closeReason: z.string().nullable().optional(),
  policy: z.object({ policyId: z.string(), version: z.number().int() }),
  consent: z.object({ agencyIds: z.array(z.string()) }).optional().meta({ description: 'Not shown to agency officers' }),
  responsibility: z.object({ holderAgencyId: z.string().nullable(), successorAgencyId: z.string().nullable() }),
  coordinatorAgencyId: z.string(),
  clientView: z.string().nullable().optional(),
  plan: z.object({ adoptedAt: z.string().optional(), reviewedAt: z.string().optional() }).optional(),
  meetings: z.array(z.object({ at: z.string(), agencyIds: z.array(z.string()) })).optional(),
  interventions: z.array(z.object({
    interventionId: z.string(),
    area: areaSchema,
    title: z.string(),
    agencyId: z.string().nullable(),
    status: interventionStatusSchema,
    requiredBeforeRelease: z.boolean(),
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    likelyLate: likelyLateSchema.optional().meta({ description: 'Present while a forecast predicts it will be late (issue 19)' }),
    completedAt: z.string().optional(),
    reason: z.string().optional(),
    note: z.string().optional(),
  })),
  followUps: z.array(z.object({
    followUpId: z.string(),
    agencyId: z.string().nullable(),
    dueAt: z.string(),
    status: followUpStatusSchema,
    completedAt: z.string().optional(),
  })),
  chains: z.array(z.object({
    interventionId: z.string(),
    waitsFor: z.array(z.string()).meta({ description: 'The interventions it can only start after (policy requirement `after`)' }),
    leadTime: z.string().meta({ description: 'ISO 8601 duration it needs once those are done' }),
    earliestDoneAt: z.string().nullable().meta({ description: 'The earliest it can be done given where its prerequisites stand; null without dates' }),
    lateByMs: z.number().meta({ description: 'How much later than its own due time that is (0: it can still make it)' }),
    afterReleaseMs: z.number().meta({ description: 'How much later than the expected release (0: before release)' }),
  })).meta({ description: 'Interventions that wait for others, and whether each chain still makes the release' }),
  gaps: z.array(z.object({
    kind: gapKindSchema,
    interventionId: z.string().optional(),
    followUpId: z.string().optional(),
    since: z.string(),
  })),
});
export type CaseView = z.infer<typeof caseViewSchema>;

export const caseSummarySchema = z.object({
  caseId: z.string(),
  version: z.number().int(),
  phase: phaseSchema,
  measure: measureSchema.optional(),
  client: z.object({
    name: z.string(),
    municipality: z.string(),
    birthDate: z.string().optional().meta({ description: 'YYYY-MM-DD, from the personal identity number when one is recorded: tells two clients of the same name apart' }),
  }),
  riskLevel: riskLevelSchema,
  admittedAt: z.string(),
  expectedReleaseAt: z.string().nullable(),
  releaseDateSource: releaseDateSourceSchema.optional().meta({ description: "As in the case view: `estimate` while the date is the sentence's estimate, not Kriminalvården's" }),
  releasedAt: z.string().optional(),
  openGapCount: z.number().int(),
  coordinatorAgencyId: z.string(),
});

export const eventViewSchema = z.object({
  version: z.number().int(),
  type: z.string(),
  occurredAt: z.string(),
  actor: z.record(z.string(), z.unknown()),
  data: z.record(z.string(), z.unknown()),
});

export const taskSchema = z.object({
  taskId: z.string(),
  caseId: z.string(),
  kind: z.enum(['intervention', 'follow_up']),
  interventionId: z.string().optional(),
  followUpId: z.string().optional(),
  area: z.string().optional(),
  title: z.string(),
  dueAt: z.string().nullable(),
  status: z.string(),
  overdue: z.boolean(),
  clientName: z.string(),
  clientBirthDate: z.string().optional().meta({ description: 'YYYY-MM-DD, from the personal identity number when one is recorded' }),
  municipality: z.string().meta({ description: "The client's municipality (kommunkod)" }),
  coordinatorAgencyId: z.string().meta({ description: 'The agency that coordinates the case: whom to ask about it' }),
  expectedReleaseAt: z.string().nullable(),
  releaseDateSource: releaseDateSourceSchema.optional().meta({ description: "`estimate` while the case's release date is the sentence's estimate, not Kriminalvården's" }),
  likelyLate: likelyLateSchema.nullable()
    .meta({ description: 'Set while a forecast says this required intervention is unlikely to be done by its due time (issue 19); not an alert' }),
});

export const alertSchema = z.object({
  alertId: z.string(),
  caseId: z.string(),
  kind: gapKindSchema,
  level: z.number().int().min(1).max(3),
  interventionId: z.string().optional(),
  followUpId: z.string().optional(),
  agencyId: z.string(),
  since: z.string(),
  raisedAt: z.string(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  acknowledgedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolvedReason: z.enum(['consent_withdrawn', 'case_closed']).optional().meta({ description: 'Why it ended other than by its gap closing: its addressee lost access to the client, or the case closed after someone acknowledged it' }),
  message: z.string(),
});

export const accessLogEntrySchema = z.object({
  at: z.string(),
  sub: z.string(),
  role: z.string(),
  agencyId: z.string().nullable(),
  what: z.string().meta({ description: 'case, events, case-list, tasks, alerts, alert-stream, access-log, command' }),
});

export const agencyViewSchema = agencySchema;

/** A policy a case can be opened under: its latest version and what it is for. */
export const policySummarySchema = z.object({ policyId: z.string(), version: z.number().int(), description: z.string().optional() });
export const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
