import type { z } from 'zod';
import type { metricsSummarySchema } from '../../api/schemas/figures';
import type { leadTimesSchema, simulationRequestSchema, simulationResultSchema } from '../../api/schemas/foresight';
import type { accessLogEntrySchema, alertSchema, caseSummarySchema, caseViewSchema, eventViewSchema, policySummarySchema, taskSchema } from '../../api/schemas/views';

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
export type PolicySummary = z.infer<typeof policySummarySchema>;

/** GET /v1/metrics/summary (api/schemas/figures.ts). */
export type MetricsSummary = z.infer<typeof metricsSummarySchema>;
/** One row of its per agency / per area table, without the row's name. */
export type CompletionRow = Omit<MetricsSummary['completion']['byArea'][number], 'area'>;

/** POST /v1/simulations: the body as sent, and the answer (api/schemas/foresight.ts). */
export type SimulationRequest = z.input<typeof simulationRequestSchema>;
export type SimulationResult = z.infer<typeof simulationResultSchema>;
export type PolicyReport = SimulationResult['reports'][number];

/** GET /v1/forecast/lead-times. */
export type LeadTimes = z.infer<typeof leadTimesSchema>;
export type LeadTime = LeadTimes['items'][number];
