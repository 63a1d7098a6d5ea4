import { z } from 'zod';
import { DEFAULT_PERIOD_DAYS } from '../../domain/figures-period';

/* GET /v1/metrics/summary: its query and its answer, documented field by field (OpenAPI and
 * docs/api.md are generated from these; the web interface takes its types from them). */

const counts = z.record(z.string(), z.number().nullable());
const share = z.number().nullable();
const ratio = z.object({ released: z.number(), newRemand: z.number(), share });
const inPlace = z.object({ boende: z.number(), behandling: z.number(), sysselsattning: z.number() });
const day = z.iso.date().meta({ description: 'A calendar day, YYYY-MM-DD, in Swedish time' });

export const metricsQuerySchema = z.object({
  from: day.optional().meta({ description: `First day of the period of the completion table (default: ${DEFAULT_PERIOD_DAYS - 1} days before \`to\`)` }),
  to: day.optional().meta({ description: 'Last day of the period, included (default: today, Swedish time)' }),
}).superRefine((q, ctx) => {
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after "to"' });
});

const completionFields = {
  completed: z.number().int().meta({ description: 'Interventions completed within the period' }),
  medianDays: z.number().nullable().meta({ description: 'Median days from assignment to completion of those (null: none)' }),
  p90Days: z.number().nullable().meta({ description: '90th percentile of the same' }),
  due: z.number().int().meta({ description: 'Interventions due within the period that are due by now or completed (declined, waived and cancelled ones left out)' }),
  onTime: z.number().int().meta({ description: 'Of those, completed at or before their due time' }),
  onTimeShare: share.meta({ description: 'onTime / due' }),
};

export const metricsSummarySchema = z.object({
  casesByPhase: counts,
  releasesWithin12Weeks: z.number().meta({ description: 'Cases not yet released whose expected release is within 12 weeks from now' }),
  releasesWithin12WeeksWithoutGap: z.number(),
  releasesWithin12WeeksInPlace: inPlace.meta({ description: 'Of those, how many have a completed intervention for housing, treatment (addiction or psychiatric care) and work' }),
  releasesWithin24Weeks: z.number(),
  releasesWithin24WeeksWithoutGap: z.number(),
  releasesWithin24WeeksInPlace: inPlace.meta({ description: 'The same for releases within 24 weeks (those within 12 included)' }),
  openGapsByAgency: counts,
  openGapsByArea: counts,
  medianDaysToCompleteByAgency: counts.meta({ description: 'Median days from assignment to completion, all time; see `completion` for a period' }),
  shareOfReleasesWithoutGap: share.meta({ description: 'Released cases (each at its latest release) with no gap of any kind open at the moment of release' }),
  shareReleasedWithoutExternalContact: share.meta({ description: 'Released cases with neither a coordination meeting nor a completed intervention at or before the release' }),
  coordinationMeetingsPerOpenCase: z.number().nullable().meta({ description: 'Meetings recorded so far per case not closed, released or not, after release included (kept as it was)' }),
  coordinationMeetingsBeforeReleasePerReleasedClient: z.number().nullable().meta({ description: 'Meetings held at or before the release, per released case (the rule of thumb: 4–5)' }),
  coordinationMeetingsPerCaseNotYetReleased: z.number().nullable().meta({ description: 'Meetings so far per case in custody (häkte, anstalt, utslussning): the work under way' }),
  followUpsOnTime: z.object({ due: z.number(), onTime: z.number(), share }).meta({
    description: 'Follow-ups (not cancelled) that are due or completed, and of those the ones completed by their due time',
  }),
  reoffence: z.object({ within100Days: ratio, within1Year: ratio }),
  completion: z.object({
    period: z.object({ from: z.string(), to: z.string() }),
    byAgency: z.array(z.object({ agencyId: z.string(), ...completionFields })),
    byArea: z.array(z.object({ area: z.string(), ...completionFields })),
  }).meta({ description: 'Per agency and per need area over the period: time to complete, and share done by the due time' }),
});
