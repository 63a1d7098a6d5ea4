import type { CaseState } from './case-state';
import { estimateLeadTime, foresee, type ForecastPolicy, type LeadTimeEstimate } from './forecast';
import { isOpen } from './gaps';
import type { LeadTimeRecord } from './lead-times';

// Without zod on purpose: forecasts run beside the rules, wherever they run (see workflows/legacy-command-schema.ts).

/** A required intervention likely to be late, with the chance and what that chance rests on. */
export interface PredictedGap {
  interventionId: string;
  agencyId: string;
  dueAt: string;
  probability: number;
  basis: LeadTimeEstimate['basis'];
  observations: number;
}

/**
 * The case's open required interventions whose chance of being done by their due time is below
 * the policy's `warnBelow`, as the log (`records`, from every case) stood at `now`. Work already
 * past its due time is a gap, not a prediction, and unassigned work has nobody to forecast.
 */
export function predictedGaps(s: CaseState, records: readonly LeadTimeRecord[], now: number, policy: ForecastPolicy): PredictedGap[] {
  if (s.phase === 'avslutad' || s.phase === 'frigiven') return [];
  const out: PredictedGap[] = [];
  for (const i of s.interventions) {
    if (!isOpen(i) || !i.requiredBeforeRelease || !i.agencyId || !i.assignedAt || !i.dueAt) continue;
    const estimate = estimateLeadTime(records, i.agencyId, i.area, now, policy);
    const f = foresee(estimate, Date.parse(i.assignedAt), Date.parse(i.dueAt), now, policy);
    if (f.kind !== 'predicted_gap') continue;
    out.push({ interventionId: i.interventionId, agencyId: i.agencyId, dueAt: i.dueAt, probability: f.probability, basis: f.basis, observations: f.observations });
  }
  return out;
}
