import type { z } from 'zod';
import type { accessLogEntrySchema, alertSchema, caseSummarySchema, caseViewSchema, eventViewSchema, taskSchema } from '../../api/schemas/views';

/* The API's response shapes, taken from the very zod schemas that serialise them (type-only:
 * nothing of the server is bundled), so a change of the contract fails the UI's type-check. */

export type CaseView = z.infer<typeof caseViewSchema>;
export type CaseSummary = z.infer<typeof caseSummarySchema>;
export type Intervention = CaseView['interventions'][number];
export type FollowUp = CaseView['followUps'][number];
export type Gap = CaseView['gaps'][number];
export type EventView = z.infer<typeof eventViewSchema>;
export type Task = z.infer<typeof taskSchema>;
export type Alert = z.infer<typeof alertSchema>;
export type AccessLogEntry = z.infer<typeof accessLogEntrySchema>;

type Counts = Record<string, number | null>;
interface Ratio {
  released: number;
  newRemand: number;
  share: number | null;
}

/** GET /v1/metrics/summary (api/routes/metrics-summary.ts). */
export interface MetricsSummary {
  casesByPhase: Counts;
  releasesWithin12Weeks: number;
  releasesWithin12WeeksWithoutGap: number;
  releasesWithin12WeeksInPlace?: { boende: number; behandling: number; sysselsattning: number };
  releasesWithin24Weeks?: number;
  releasesWithin24WeeksWithoutGap?: number;
  openGapsByAgency: Counts;
  openGapsByArea: Counts;
  medianDaysToCompleteByAgency: Counts;
  shareOfReleasesWithoutGap?: number | null;
  shareReleasedWithoutExternalContact?: number | null;
  coordinationMeetingsPerOpenCase?: number | null;
  followUpsOnTime?: { due: number; onTime: number; share: number | null };
  reoffence?: { within100Days: Ratio; within1Year: Ratio };
}
