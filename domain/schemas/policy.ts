import { z } from 'zod';
import { durationSchema } from './duration-schema';
import { chainProblems } from '../plan-chains';
import { releaseRulesSchema, defaultReleaseRules } from './release-estimate';
import { agencyTypeSchema, areaSchema, riskLevelSchema } from './vocabulary';

export const appliesWhenSchema = z.union([
  z.literal('always'),
  z.literal('need'),
  z.object({ minRisk: riskLevelSchema }),
]);

export const requirementSchema = z.looseObject({
  area: areaSchema,
  appliesWhen: appliesWhenSchema,
  agencyType: agencyTypeSchema,
  requiredBeforeRelease: z.boolean(),
  dueBeforeRelease: durationSchema,
  title: z.string().trim().min(1).max(200),
  /** Areas whose interventions must be done before this one can start. */
  after: z.array(areaSchema).max(14).optional(),
  /** How long this one needs once those are done; they are due that much before it. */
  leadTime: durationSchema.optional(),
});
export type Requirement = z.infer<typeof requirementSchema>;

export const milestonesSchema = z.object({
  /** Verkställighetsplan adopted within this of admission to prison… */
  planAdoptedWithin: durationSchema.default('P30D'),
  /** …or within this when at most `shortStayRemaining` of the sentence remains. */
  planAdoptedWithinShortStay: durationSchema.default('P14D'),
  shortStayRemaining: durationSchema.default('P2M'),
  planReviewEvery: durationSchema.default('P4M'),
  successorNamedBeforeRelease: durationSchema.default('P30D'),
  meetingBeforeRelease: durationSchema.default('P14D'),
  /**
   * A release not recorded this long after its expected date is a gap (rules 2); `P1D` when
   * absent. Optional without a default so that policies saved before it keep their exact body.
   */
  releaseRecordedWithin: durationSchema.optional(),
});
export type Milestones = z.infer<typeof milestonesSchema>;

/**
 * When a required intervention is shown as likely to be late (issue 19, domain/forecast.ts).
 * Absent: the product's default (`defaultForecastPolicy`); `warnBelow: 0` predicts nothing.
 */
export const forecastSectionSchema = z.object({
  warnBelow: z.number().min(0).max(1)
    .meta({ description: 'A predicted gap is recorded when the chance of being done by the due time falls below this (0.5: less likely than not)' }),
  minObservations: z.number().int().min(1).max(100_000)
    .meta({ description: "Fewer measured interventions than this for an agency and need area: the prior speaks instead of the agency's own figures" }),
  window: durationSchema.optional()
    .meta({ description: 'Only interventions assigned within this before now count, so an agency that slows down is seen to; absent: all' }),
  priorMedian: durationSchema.default('P14D')
    .meta({ description: 'The median lead time assumed where there are too few observations' }),
});
export type ForecastSection = z.infer<typeof forecastSectionSchema>;

export const policyBodySchema = z.looseObject({
  /**
   * What the policy is for, in a sentence a coordinator choosing it understands. Part of the
   * body, so a changed description is a new version like any other change.
   */
  description: z.string().trim().min(1).max(500).optional(),
  requirements: z.array(requirementSchema).max(100).superRefine((reqs, ctx) => {
    for (const p of chainProblems(reqs)) ctx.addIssue({ code: 'custom', message: p.message, path: [p.index, 'after'] });
  }),
  reminders: z.array(durationSchema).max(10).default(['P7D', 'P1D']),
  escalation: z.object({ level2After: durationSchema }).default({ level2After: 'P3D' }),
  followUps: z.object({
    high: z.array(durationSchema).max(20),
    medium: z.array(durationSchema).max(20),
    low: z.array(durationSchema).max(20),
  }),
  milestones: milestonesSchema.default(milestonesSchema.parse({})),
  releaseRules: releaseRulesSchema.default(defaultReleaseRules),
  /** Optional without a default, so that policies saved before it keep their exact body. */
  forecast: forecastSectionSchema.optional(),
});
export type PolicyBody = z.infer<typeof policyBodySchema>;
export type PolicyInput = z.input<typeof policyBodySchema>;

export interface PinnedPolicy {
  policyId: string;
  version: number;
  body: PolicyBody;
}


/** Ships with the product; DOMAIN.md's "sensible default". Admins may publish new versions. */
export const defaultPolicyInput: PolicyInput = {
  requirements: [
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true,
      dueBeforeRelease: 'P30D', title: 'Bostad ordnad' },
    { area: 'missbruk', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true,
      dueBeforeRelease: 'P14D', title: 'Beroendevård fortsätter efter frigivning' },
    { area: 'psykisk_halsa', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true,
      dueBeforeRelease: 'P14D', title: 'Psykiatrisk vård fortsätter efter frigivning' },
    { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true,
      dueBeforeRelease: 'P14D', title: 'Kontakt med Arbetsförmedlingen' },
    { area: 'forsorjning', appliesWhen: 'need', agencyType: 'socialtjansten', requiredBeforeRelease: true,
      dueBeforeRelease: 'P7D', title: 'Försörjning första tiden ordnad' },
    { area: 'skulder', appliesWhen: 'need', agencyType: 'kronofogden', requiredBeforeRelease: false,
      dueBeforeRelease: 'P7D', title: 'Skuldrådgivning' },
  ],
  reminders: ['P7D', 'P1D'],
  escalation: { level2After: 'P3D' },
  followUps: {
    high: ['P1D', 'P7D', 'P14D', 'P30D', 'P60D', 'P100D'],
    medium: ['P7D', 'P30D', 'P100D'],
    low: ['P30D', 'P100D'],
  },
};
export const defaultPolicyBody: PolicyBody = policyBodySchema.parse(defaultPolicyInput);

/**
 * Published with the default policy at start-up; kept out of `defaultPolicyBody`, which
 * recorded histories and tests pin as it is.
 */
export const defaultPolicyDescription =
  'Standard för de flesta klienter: bostad, sysselsättning och de insatser behoven kräver före frigivningen, uppföljning efter risknivå.';
