import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth';
import type { FiguresGate } from '../figures-gate';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';

const counts = z.record(z.string(), z.number().nullable());
const share = z.number().nullable();
const ratio = z.object({ released: z.number(), newRemand: z.number(), share });

export const metricsSummarySchema = z.object({
  casesByPhase: counts,
  releasesWithin12Weeks: z.number(),
  releasesWithin12WeeksWithoutGap: z.number(),
  releasesWithin12WeeksInPlace: z.object({ boende: z.number(), behandling: z.number(), sysselsattning: z.number() }),
  releasesWithin24Weeks: z.number(),
  releasesWithin24WeeksWithoutGap: z.number(),
  openGapsByAgency: counts,
  openGapsByArea: counts,
  medianDaysToCompleteByAgency: counts,
  shareOfReleasesWithoutGap: share,
  shareReleasedWithoutExternalContact: share,
  coordinationMeetingsPerOpenCase: z.number().nullable(),
  followUpsOnTime: z.object({ due: z.number(), onTime: z.number(), share }),
  reoffence: z.object({ within100Days: ratio, within1Year: ratio }),
});

export const metricsSummaryRoutes: FastifyPluginAsyncZod<{ figures: FiguresGate }> = async (app, { figures }) => {
  app.get('/v1/metrics/summary', {
    onRequest: requireRole('supervisor', 'coordinator', 'admin'),
    schema: { tags: ['figures'], summary: 'Figures for follow-up and evaluation',
      description: 'Computed once for all callers asking at the same moment, on a small pool of their own; 503 with Retry-After when the database cannot give them in time.',
      response: { 200: metricsSummarySchema, ...problemResponses(401, 403, 503) } },
  }, async () => orUnavailable(() => figures.summary()));
};
