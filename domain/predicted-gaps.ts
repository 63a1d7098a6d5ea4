import type { CaseState, Intervention, PredictedGapMark } from './case-state';
import { foresee, leadTimeLookup, type ForecastPolicy, type LeadTimeEstimate } from './forecast';
import { isOpen } from './gaps';
import type { LeadTimeRecord } from './lead-times';
import type { DomainEvent, EventData } from './schemas/events';
import type { Area } from './schemas/vocabulary';

// Without zod on purpose: forecasts run beside the rules, wherever they run (see workflows/legacy-command-schema.ts).

/** A required intervention likely to be late, with the chance and what that chance rests on. */
export interface PredictedGap {
  interventionId: string;
  agencyId: string;
  dueAt: string;
  probability: number;
  basis: LeadTimeEstimate['basis'];
  observations: number;
  medianDays: number | null;
}

type Draft = Omit<DomainEvent, 'occurredAt' | 'actor'>;
type WithdrawReason = EventData<'PredictedGapWithdrawn'>['reason'];

/**
 * A later forecast records the intervention again only when its chance moved by this much:
 * hourly refreshes would otherwise write an event for every wobble of the second decimal.
 */
export const PROBABILITY_STEP = 0.1;

/** Whether a prediction about this intervention can stand: open, required, assigned, before release. */
function predictable(s: CaseState, i: Intervention | undefined): i is Intervention & { agencyId: string; assignedAt: string; dueAt: string } {
  return s.phase !== 'avslutad' && s.phase !== 'frigiven'
    && i !== undefined && isOpen(i) && i.requiredBeforeRelease && !!i.agencyId && !!i.assignedAt && !!i.dueAt;
}

/**
 * The case's open required interventions whose chance of being done by their due time is below
 * the policy's `warnBelow`, at `now`. `estimates`: the log's records (from every case), or a
 * lookup built from them once for many cases (`leadTimeLookup`). Work already past its due time
 * is a gap, not a prediction, and unassigned work has nobody to forecast.
 */
export function predictedGaps(
  s: CaseState,
  estimates: readonly LeadTimeRecord[] | ((agencyId: string, area: Area) => LeadTimeEstimate),
  now: number,
  policy: ForecastPolicy,
): PredictedGap[] {
  if (s.phase === 'avslutad' || s.phase === 'frigiven') return [];
  const estimateOf = typeof estimates === 'function' ? estimates : leadTimeLookup(estimates, now, policy);
  const out: PredictedGap[] = [];
  for (const i of s.interventions) {
    if (!predictable(s, i)) continue;
    const estimate = estimateOf(i.agencyId, i.area);
    const f = foresee(estimate, Date.parse(i.assignedAt), Date.parse(i.dueAt), now, policy);
    if (f.kind !== 'predicted_gap') continue;
    out.push({
      interventionId: i.interventionId, agencyId: i.agencyId, dueAt: i.dueAt, probability: f.probability, basis: f.basis,
      observations: f.observations, medianDays: estimate.medianDays,
    });
  }
  return out;
}

function worthRecordingAgain(mark: PredictedGapMark, p: PredictedGap): boolean {
  return Math.abs(mark.probability - p.probability) >= PROBABILITY_STEP || mark.basis !== p.basis
    || mark.agencyId !== p.agencyId || mark.dueAt !== p.dueAt;
}

/**
 * What a forecast made at `asOf` changes on the case: the interventions newly likely to be late
 * (or whose chance moved by `PROBABILITY_STEP`), and the predictions it no longer makes. The
 * forecast was made from the read model, so each prediction is checked against the case itself:
 * work finished meanwhile is not predicted late.
 */
export function forecastEvents(s: CaseState, predicted: readonly PredictedGap[], asOf: string): Draft[] {
  const marks = s.predictedGaps ?? [];
  const out: Draft[] = [];
  const kept = new Set<string>();
  for (const p of predicted) {
    const i = s.interventions.find((x) => x.interventionId === p.interventionId);
    if (!predictable(s, i) || i.agencyId !== p.agencyId || Date.parse(i.dueAt) <= Date.parse(asOf)) continue;
    kept.add(p.interventionId);
    const mark = marks.find((m) => m.interventionId === p.interventionId);
    if (mark && !worthRecordingAgain(mark, p)) continue;
    out.push({ type: 'GapPredicted', data: { ...p, dueAt: i.dueAt, asOf } });
  }
  for (const m of marks) {
    if (kept.has(m.interventionId)) continue;
    const i = s.interventions.find((x) => x.interventionId === m.interventionId);
    const reason: WithdrawReason = !predictable(s, i) ? endingOf(i) : Date.parse(i.dueAt) <= Date.parse(asOf) ? 'overdue' : 'on_track';
    out.push({ type: 'PredictedGapWithdrawn', data: { interventionId: m.interventionId, reason } });
  }
  return out;
}

function endingOf(i: Intervention | undefined): WithdrawReason {
  return i?.status === 'completed' ? 'completed' : 'changed';
}

/**
 * The predictions that a command's events end (`before` → `after`): the work was done, ended
 * otherwise, moved to another agency, or the client was released. Withdrawn in the same append as
 * the command, so no inbox shows "likely late" beside work that is done.
 */
export function withdrawnPredictions(before: CaseState, after: CaseState): Draft[] {
  const out: Draft[] = [];
  for (const m of before.predictedGaps ?? []) {
    const i = after.interventions.find((x) => x.interventionId === m.interventionId);
    if (predictable(after, i) && i.agencyId === m.agencyId) continue;
    out.push({ type: 'PredictedGapWithdrawn', data: { interventionId: m.interventionId, reason: endingOf(i) } });
  }
  return out;
}
