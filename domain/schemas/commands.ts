import { z } from 'zod';
import { agencySchema } from './agency';
import { personSchema } from './actor';
import { policyBodySchema } from './policy';
import { sentenceSchema } from './sentence-schema';
import {
  agencyIdSchema, areaSchema, instantSchema, measureSchema, municipalityCodeSchema, phaseSchema, riskLevelSchema,
} from './vocabulary';

/*
 * Bodies are what a person sends; commands are bodies plus what the edge adds (ids from the
 * path, the pinned policy). The same schemas validate HTTP input and generate the OpenAPI.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const note = z.object({ note: text(2000).optional() });
const reason = z.object({ reason: text(2000) });
const uniqueIds = z.array(agencyIdSchema).max(100).refine((a) => new Set(a).size === a.length, 'listed twice');
const uniqueAreas = z.array(areaSchema).max(14).refine((a) => new Set(a).size === a.length, 'listed twice');

export const transitionBodySchema = z.object({
  to: phaseSchema,
  at: instantSchema.optional(),
  measure: measureSchema.optional(),
  reason: text(500).optional(),
});
export const releaseDateBodySchema = z.object({ expectedReleaseAt: instantSchema, reason: text(500) });
export const sentenceBodySchema = sentenceSchema.extend({ reason: text(500).optional() });
export const needsBodySchema = z.object({ needs: uniqueAreas });
export const consentBodySchema = z.object({ agencyIds: uniqueIds });
export const responsibilityBodySchema = z.object({
  holderAgencyId: agencyIdSchema.nullable(),
  successorAgencyId: agencyIdSchema.nullable(),
});
export const riskLevelBodySchema = z.object({ riskLevel: riskLevelSchema, reason: text(500) });
export const clientViewBodySchema = z.object({ text: text(4000) });
export const addInterventionBodySchema = z.object({
  area: areaSchema,
  title: text(200),
  agencyId: agencyIdSchema.optional(),
  requiredBeforeRelease: z.boolean(),
  dueAt: instantSchema.optional(),
});
export const transferBodySchema = z.object({ toAgencyId: agencyIdSchema, reason: text(500) });
export const noteBodySchema = note;
export const reasonBodySchema = reason;
export const reassignBodySchema = z.object({ agencyId: agencyIdSchema });
export const meetingBodySchema = z.object({
  at: instantSchema.optional(),
  agencyIds: uniqueIds.default([]),
  note: text(2000).optional(),
});
export const planBodySchema = z.object({ at: instantSchema.optional() });

/** What the client's case starts with. Name and identity number stay at the edge (privacy). */
export const openCaseFieldsSchema = z.object({
  phase: phaseSchema.exclude(['avslutad']),
  measure: measureSchema.optional(),
  admittedAt: instantSchema,
  expectedReleaseAt: instantSchema.optional()
    .meta({ description: "Kriminalvården's own date; without it a `sentence` gives an estimate in its place" }),
  sentence: sentenceSchema.optional(),
  riskLevel: riskLevelSchema,
  needs: uniqueAreas.default([]),
  consent: z.object({ agencyIds: uniqueIds }),
  responsibility: responsibilityBodySchema.partial().optional(),
  clientView: text(4000).optional(),
});

const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });
const interventionRef = { interventionId: z.string().min(1) };

export const commandSchema = z.discriminatedUnion('type', [
  cmd('open_case', {
    ...openCaseFieldsSchema.shape,
    caseId: z.string().min(1),
    client: z.object({ municipality: municipalityCodeSchema }),
    policy: z.object({ policyId: z.string(), version: z.number().int(), body: policyBodySchema }),
  }),
  cmd('change_phase', transitionBodySchema.shape),
  cmd('set_release_date', releaseDateBodySchema.shape),
  cmd('set_sentence', sentenceBodySchema.shape),
  cmd('set_needs', needsBodySchema.shape),
  cmd('set_risk_level', riskLevelBodySchema.shape),
  cmd('set_consent', consentBodySchema.shape),
  cmd('set_responsibility', responsibilityBodySchema.shape),
  cmd('record_client_view', clientViewBodySchema.shape),
  cmd('add_intervention', addInterventionBodySchema.shape),
  cmd('accept_intervention', { ...interventionRef, ...note.shape }),
  cmd('complete_intervention', { ...interventionRef, ...note.shape }),
  cmd('decline_intervention', { ...interventionRef, ...reason.shape }),
  cmd('waive_intervention', { ...interventionRef, ...reason.shape }),
  cmd('reassign_intervention', { ...interventionRef, ...reassignBodySchema.shape }),
  cmd('complete_follow_up', { followUpId: z.string().min(1), ...note.shape }),
  cmd('record_meeting', meetingBodySchema.shape),
  cmd('adopt_plan', planBodySchema.shape),
  cmd('review_plan', planBodySchema.shape),
  cmd('acknowledge_alert', { alertId: z.string().min(1) }),
  cmd('transfer_case', transferBodySchema.shape),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** What the edge knows that the case does not: the time, who asks, which agencies exist. */
export const commandContextSchema = z.object({
  now: z.string(),
  actor: personSchema,
  directory: z.array(agencySchema),
  /**
   * The rules of runs begun before access followed the case relationship: role and consent
   * only, responsibility unchecked. Only a replaying workflow sets it; the API never does.
   */
  legacyAccess: z.boolean().optional(),
});
export type CommandContext = z.infer<typeof commandContextSchema>;
