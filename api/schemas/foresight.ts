import { z } from 'zod';
import { policyBodySchema } from '../../domain/schemas/policy';
import { agencyTypeSchema, areaSchema } from '../../domain/schemas/vocabulary';

/* POST /v1/simulations and GET /v1/forecast/lead-times (issue 19): their bodies and answers,
 * documented field by field (OpenAPI and docs/api.md are generated from these). */

export const MAX_SIMULATED_RELEASES = 20_000;

const policyRef = z.union([
  z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" or "-"')
    .meta({ description: "A published policy's id: its latest version is simulated" }),
  policyBodySchema.meta({ description: 'A policy body, as `PUT /v1/policies/{policyId}` takes one, not yet published' }),
]);

export const simulationRequestSchema = z.object({
  policy: policyRef.meta({ description: "The policy to simulate: a published policy's id, or a body given inline" }),
  compare: policyRef.optional().meta({ description: 'A second policy, run over the same clients with the same agency answers' }),
  releases: z.number().int().min(1).max(MAX_SIMULATED_RELEASES).default(6731)
    .meta({ description: `Releases over one year (default 6,731, as from prison in 2013; at most ${MAX_SIMULATED_RELEASES.toLocaleString('en')})` }),
  seed: z.number().int().min(0).max(2_147_483_647).default(42).meta({ description: 'The same seed gives the same cohort and the same answers' }),
  leadTimes: z.enum(['given', 'measured']).default('given').meta({
    description: "How the simulated agencies answer. `given` (default): the simulator's own log-normal lead times. `measured`: "
      + 'for each agency type and need area with at least `minObservations` interventions in the log over the forecast window, '
      + 'the Kaplan–Meier curve of days from assignment to completion pooled over the directory\'s agencies of that type '
      + '(the share the curve leaves undone drawn from the given distribution beyond its longest observed time), counted from '
      + 'assignment, so no wait for a reminder is added on top; fewer: given. '
      + '`leadTimes` in the answer says which',
  }),
});

const levels = z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int() });

export const policyReportSchema = z.object({
  label: z.string().meta({ description: 'The policy id, or `policy`/`compare` for a body given inline' }),
  cases: z.number().int(),
  releases: z.number().int(),
  releasesWithGap: z.number().int().meta({ description: 'Releases that left a required intervention open (level 3)' }),
  openAtReleaseByArea: z.record(z.string(), z.number().int()).meta({ description: 'Required interventions open at release, by need area' }),
  releasesWithoutSuccessor: z.number().int(),
  alertsByLevel: levels,
  alertsByAgency: z.record(z.string(), levels),
  alertsByKind: z.record(z.string(), z.number().int()),
  remindersSent: z.number().int(),
  followUps: z.number().int(),
  followUpsMissed: z.number().int(),
  openWork: z.object({ weekStarts: z.array(z.string()), byAgency: z.record(z.string(), z.array(z.number().int())) })
    .meta({ description: "Each agency's open interventions at the start of each week (Mondays)" }),
  events: z.number().int(),
  commands: z.number().int(),
  refused: z.number().int(),
  runaways: z.number().int().meta({ description: 'Cases that hit the step limit: anything but 0 is a bug' }),
});

export const leadTimeSourceSchema = z.object({
  agencyType: agencyTypeSchema,
  area: areaSchema,
  basis: z.enum(['measured', 'given']).meta({ description: "`measured`: every simulated agency of the type answers from the log's curve; `given`: from the simulator's own distributions" }),
  reason: z.enum(['too_few_observations']).optional().meta({ description: 'Why given although the log was read' }),
  observations: z.number().int().optional().meta({ description: 'Interventions of that type and area in the window, completed or not (absent: the log was not read)' }),
  completed: z.number().int().optional(),
  medianDays: z.number().nullable().optional().meta({ description: "The measured curve's median (null: it never falls to one half; the median then lies in the tail)" }),
});

export const simulationLeadTimesSchema = z.object({
  source: z.enum(['given', 'measured']).meta({ description: 'As asked for' }),
  asOf: z.string().optional().meta({ description: 'The moment the log was read (measured only)' }),
  minObservations: z.number().int().optional(),
  windowDays: z.number().nullable().optional(),
  unknownAgencyObservations: z.number().int().optional().meta({ description: 'Observations of agencies not in the directory: left out, their type unknown' }),
  pairs: z.array(leadTimeSourceSchema).meta({
    description: 'Every agency type and area the log has observations for, and every one the simulated policies assign work to',
  }),
});

export const simulationResultSchema = z.object({
  seed: z.number().int(),
  releases: z.number().int(),
  seconds: z.number().meta({ description: 'Wall time of the simulation itself' }),
  eventsPerSecond: z.number(),
  reports: z.array(policyReportSchema).meta({ description: 'One per policy, in the order given' }),
  leadTimes: simulationLeadTimesSchema.meta({ description: 'Where the lead times came from, per agency type and need area' }),
});

const step = z.object({
  days: z.number(), survival: z.number().meta({ description: 'Share not yet completed just after `days`' }),
  atRisk: z.number().int(), completed: z.number().int(),
});

export const leadTimeSchema = z.object({
  agencyId: z.string(),
  area: z.string(),
  basis: z.enum(['observed', 'prior']).meta({ description: '`prior`: too few observations, the policy\'s prior speaks instead' }),
  reason: z.enum(['too_few_observations']).optional(),
  observations: z.number().int().meta({ description: 'Interventions assigned in the window: completed, and still open or ended otherwise (censored)' }),
  completed: z.number().int(),
  medianDays: z.number().nullable().meta({ description: 'Median days from assignment to completion (null: the curve never falls to one half)' }),
  p90Days: z.number().nullable(),
  curve: z.array(step).meta({ description: 'The Kaplan–Meier estimate, one step per completion time; empty for the prior' }),
});

export const leadTimesSchema = z.object({
  asOf: z.string(),
  forecast: z.object({ minObservations: z.number().int(), windowDays: z.number().nullable(), priorMedianDays: z.number() }),
  items: z.array(leadTimeSchema),
});
