import { forecastPolicyOf, defaultForecastPolicy } from '../../domain/forecast';
import { evolve } from '../../domain/evolve';
import { decide } from '../../domain/decide';
import { forecastEvents, predictedGaps, withdrawnPredictions, type PredictedGap } from '../../domain/predicted-gaps';
import { FORECAST } from '../../domain/system-actor';
import type { CaseState } from '../../domain/case-state';
import type { DomainEvent } from '../../domain/schemas/events';
import { policyBodySchema } from '../../domain/schemas/policy';
import { DAY, FULL_CONSENT, NOW, apply, coordinator, ctx, officer, opened, plusDays, stateOf } from './support';

/*
 * Issue 19: a predicted gap is recorded on the case (an event with the chance and what it rests
 * on), recorded again only when the chance moves, and withdrawn when the work is done, when it
 * ends otherwise, when a later forecast gives it a good chance, or when its due time passes.
 */

const s0 = stateOf(opened({ needs: [], consent: { agencyIds: [...FULL_CONSENT, 'sot-1401'] } }));
const housing = s0.interventions.find((i) => i.area === 'boende')!;
const due = Date.parse(housing.dueAt!);
const asOf = new Date(due - 10 * DAY).toISOString();
const prediction = (probability: number, over: Partial<PredictedGap> = {}): PredictedGap => ({
  interventionId: housing.interventionId, agencyId: 'sot-1480', dueAt: housing.dueAt!, probability, basis: 'observed', observations: 30, medianDays: 24, ...over,
});
/** The forecast's events applied, as the workflow records them. */
function recorded(s: CaseState, predicted: PredictedGap[], at = asOf): { state: CaseState; events: DomainEvent[] } {
  const events = forecastEvents(s, predicted, at).map((d) => ({ ...d, occurredAt: at, actor: FORECAST }) as DomainEvent);
  return { state: events.reduce<CaseState>((st, e) => evolve(st, e), s), events };
}

describe('a forecast on the case', () => {
  it('records a new prediction with its chance, its basis and when it was made', () => {
    const { state, events } = recorded(s0, [prediction(0.3)]);
    expect(events).toEqual([{
      type: 'GapPredicted', occurredAt: asOf, actor: { system: 'forecast' },
      data: { interventionId: housing.interventionId, agencyId: 'sot-1480', dueAt: housing.dueAt, probability: 0.3, basis: 'observed', observations: 30, medianDays: 24, asOf },
    }]);
    expect(state.predictedGaps).toEqual([{ interventionId: housing.interventionId, agencyId: 'sot-1480', dueAt: housing.dueAt, probability: 0.3, basis: 'observed', observations: 30, medianDays: 24, predictedAt: asOf }]);
  });

  it('records nothing when the same forecast comes again, and again only when the chance moved by 0.1 or the basis changed', () => {
    const { state } = recorded(s0, [prediction(0.3)]);
    expect(forecastEvents(state, [prediction(0.3)], asOf)).toEqual([]);
    expect(forecastEvents(state, [prediction(0.35)], asOf)).toEqual([]);
    expect(forecastEvents(state, [prediction(0.19)], asOf)).toMatchObject([{ type: 'GapPredicted', data: { probability: 0.19 } }]);
    expect(forecastEvents(state, [prediction(0.3, { basis: 'prior' })], asOf)).toMatchObject([{ type: 'GapPredicted', data: { basis: 'prior' } }]);
  });

  it('withdraws a prediction a later forecast no longer makes: on track before the due time, overdue after it', () => {
    const { state } = recorded(s0, [prediction(0.3)]);
    expect(forecastEvents(state, [], asOf)).toEqual([{ type: 'PredictedGapWithdrawn', data: { interventionId: housing.interventionId, reason: 'on_track' } }]);
    const after = new Date(due + 1000).toISOString();
    expect(forecastEvents(state, [], after)).toEqual([{ type: 'PredictedGapWithdrawn', data: { interventionId: housing.interventionId, reason: 'overdue' } }]);
  });

  it('does not predict work that the case has finished since the read model was read, nor work past due', () => {
    const done = apply(s0, { type: 'complete_intervention', interventionId: housing.interventionId }, ctx(officer('sot-1480')));
    expect(forecastEvents(done, [prediction(0.3)], asOf)).toEqual([]);
    expect(forecastEvents(s0, [prediction(0.3)], new Date(due).toISOString())).toEqual([]);
    // …nor for another agency than the one that has the work now.
    expect(forecastEvents(s0, [prediction(0.3, { agencyId: 'sot-0180' })], asOf)).toEqual([]);
  });
});

describe('a command that ends the work withdraws its prediction in the same append', () => {
  const { state: marked } = recorded(s0, [prediction(0.3)]);

  it('completed: the agency finishes it', () => {
    const d = decide(marked, { type: 'complete_intervention', interventionId: housing.interventionId }, ctx(officer('sot-1480'), plusDays(NOW, 1)));
    expect(d.ok && d.events.map((e) => [e.type, e.data])).toEqual([
      ['InterventionCompleted', { interventionId: housing.interventionId }],
      ['PredictedGapWithdrawn', { interventionId: housing.interventionId, reason: 'completed' }],
    ]);
    const after = d.ok ? d.events.reduce<CaseState>((st, e) => evolve(st, e), marked) : marked;
    expect(after.predictedGaps).toEqual([]);
  });

  it('changed: moved to another agency, waived, or the client released', () => {
    const reassigned = decide(marked, { type: 'reassign_intervention', interventionId: housing.interventionId, agencyId: 'sot-1401' }, ctx(coordinator, plusDays(NOW, 1)));
    expect(reassigned).toMatchObject({ ok: true });
    expect(reassigned.ok && reassigned.events.at(-1)).toMatchObject({ type: 'PredictedGapWithdrawn', data: { reason: 'changed' } });
    const waived = decide(marked, { type: 'waive_intervention', interventionId: housing.interventionId, reason: 'Har bostad' }, ctx(coordinator, plusDays(NOW, 1)));
    expect(waived.ok && waived.events.at(-1)).toMatchObject({ type: 'PredictedGapWithdrawn', data: { reason: 'changed' } });
    expect(withdrawnPredictions(marked, { ...marked, phase: 'frigiven' })).toEqual([{ type: 'PredictedGapWithdrawn', data: { interventionId: housing.interventionId, reason: 'changed' } }]);
  });

  it('leaves a command that does not touch the work as it was, and a case without predictions pays nothing', () => {
    const note = decide(marked, { type: 'record_client_view', text: 'Vill bo nära sin dotter' }, ctx());
    expect(note.ok && note.events.map((e) => e.type)).toEqual(['ClientViewRecorded']);
    const plain = decide(s0, { type: 'complete_intervention', interventionId: housing.interventionId }, ctx(officer('sot-1480')));
    expect(plain.ok && plain.events.map((e) => e.type)).toEqual(['InterventionCompleted']);
  });
});

describe("the policy's forecast section", () => {
  it('is optional, so policies saved before it keep their body; absent, the product default applies', () => {
    const body = policyBodySchema.parse({ requirements: [], followUps: { high: [], medium: [], low: [] } });
    expect('forecast' in body).toBe(false);
    expect(forecastPolicyOf(body.forecast)).toBe(defaultForecastPolicy);
  });

  it('reads its durations in days, so a compressed policy forecasts in seconds', () => {
    const body = policyBodySchema.parse({ requirements: [], followUps: { high: [], medium: [], low: [] }, forecast: { warnBelow: 0.4, minObservations: 5, window: 'P90D', priorMedian: 'PT30S' } });
    expect(forecastPolicyOf(body.forecast)).toEqual({ warnBelow: 0.4, minObservations: 5, windowDays: 90, priorMedianDays: 30 / 86_400 });
    expect(policyBodySchema.safeParse({ requirements: [], followUps: { high: [], medium: [], low: [] }, forecast: { warnBelow: 1.5, minObservations: 5 } }).error?.issues[0]?.path)
      .toEqual(['forecast', 'warnBelow']);
  });

  it('with a prior of 30 seconds, work due in 10 seconds is predicted late and work due in an hour is not', () => {
    const p = forecastPolicyOf({ warnBelow: 0.5, minObservations: 5, priorMedian: 'PT30S' });
    const assigned = Date.parse(housing.assignedAt!);
    const s = { ...s0, interventions: s0.interventions.map((i) => (i === housing ? { ...i, dueAt: new Date(assigned + 10_000).toISOString() } : i)) };
    expect(predictedGaps(s, [], assigned, p)).toMatchObject([{ interventionId: housing.interventionId, basis: 'prior', probability: expect.closeTo(1 - Math.pow(0.5, 10 / 30), 9) }]);
    const later = { ...s0, interventions: s0.interventions.map((i) => (i === housing ? { ...i, dueAt: new Date(assigned + 3_600_000).toISOString() } : i)) };
    expect(predictedGaps(later, [], assigned, p).map((g) => g.interventionId)).not.toContain(housing.interventionId);
  });
});
