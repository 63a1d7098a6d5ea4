import fc from 'fast-check';
import type { CaseState } from '../../domain/case-state';
import type { DomainEvent } from '../../domain/schemas/events';
import { evolve, fold } from '../../domain/evolve';
import { defaultPolicyBody } from '../../domain/schemas/policy';
import { afterStep, dueActions, dueStep, nextWakeUp, scheduleMoments } from '../../domain/schedule';
import { bråShape, generateCohort } from '../../simulation/cohort';
import { runCase } from '../../simulation/journey';
import { defaultWorld } from '../../simulation/world';
import { caseArb, simulate, stepArb } from './random-case';
import * as reference from './reference-schedule';
import { iso } from './support';

/**
 * Issue 19 made the schedule fast (one plan per state, shared by `dueActions` and `afterStep`,
 * no alert texts for alerts not raised). Running workflows replay what it decided, so the fast
 * schedule must decide byte for byte what the straightforward one did, in every state, at every
 * moment, whichever way the state was reached.
 */
const FC_RUNS = Number(process.env.FC_RUNS ?? 30);

/** Every state the log passes through, each folded afresh (a new object, as a replay makes). */
function statesOf(events: readonly DomainEvent[]): CaseState[] {
  const states: CaseState[] = [];
  let s: CaseState | undefined;
  for (const e of events) {
    s = evolve(s, e);
    states.push(JSON.parse(JSON.stringify(s)) as CaseState);
  }
  return states;
}

/** The moments worth asking about: the state's own, each schedule moment, and a millisecond either side. */
function momentsOf(s: CaseState, at: string): number[] {
  const ms = new Set<number>([Date.parse(at)]);
  for (const m of reference.scheduleMoments(s)) for (const d of [-1, 0, 1]) ms.add(m + d);
  return [...ms].filter(Number.isFinite).sort((a, b) => a - b);
}

let compared = 0;
function agreeAt(s: CaseState, t: number, later: number) {
  const now = iso(t);
  const due = dueStep(s, now);
  const expected = reference.dueActions(s, now);
  expect(JSON.stringify(due.events)).toBe(JSON.stringify(expected));
  expect(JSON.stringify(dueActions(s, now))).toBe(JSON.stringify(expected));
  // The state the step hands on is the fold of its events, and the next step plans from it alike.
  const folded = expected.reduce(evolve, s);
  expect(JSON.stringify(due.state)).toBe(JSON.stringify(folded));
  expect(afterStep(due.state, now, iso(later))).toEqual(reference.afterStep(folded, now, iso(later)));
  expect(afterStep(folded, now, now)).toEqual(reference.afterStep(folded, now, now));
  expect(nextWakeUp(due.state, now)).toBe(reference.nextWakeUp(folded, now));
  expect(scheduleMoments(due.state)).toEqual(reference.scheduleMoments(folded));
  compared += 1;
}

describe('the fast schedule decides what the straightforward one did', () => {
  afterAll(() => expect(compared).toBeGreaterThan(1_000));

  it('in random cases, in days and in seconds, at every moment that matters', () => {
    fc.assert(
      fc.property(caseArb, fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 0, max: 400 }), (spec, history, recording) => {
        const sim = simulate(spec, history);
        const states = statesOf(sim.events);
        for (const [k, s] of states.entries()) {
          for (const t of momentsOf(s, sim.events[k]!.occurredAt)) agreeAt(s, t, t + recording * sim.unit);
        }
      }),
      { numRuns: FC_RUNS },
    );
  });

  // The plan is reused while what it is made of is the same (the same objects): in states folded
  // one from another, an event that leaves the gaps' inputs alone keeps the plan, and the plan
  // must still be this state's. Asked in order and out of it, so the one kept is never the one before.
  it('in states folded one from another, which share what an event left alone, in any order', () => {
    fc.assert(
      fc.property(caseArb, fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 0, max: 400 }), fc.infiniteStream(fc.nat()), (spec, history, recording, picks) => {
        const sim = simulate(spec, history);
        const states: CaseState[] = [];
        let s: CaseState | undefined;
        for (const e of sim.events) states.push((s = evolve(s, e)));
        const order = [...states.keys(), ...states.keys()].map((k) => (k + picks.next().value) % states.length);
        for (const k of order) {
          const st = states[k]!;
          const t = Date.parse(sim.events[k]!.occurredAt);
          for (const m of [t, ...reference.scheduleMoments(st)].filter((x) => x >= t).slice(0, 3)) agreeAt(st, m, m + recording * sim.unit);
        }
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('in the simulator\'s cases under the default policy', () => {
    const cohort = generateCohort({ ...bråShape, releases: 25 }, defaultWorld, 11);
    for (const client of cohort) {
      const run = runCase(client, { policyId: 'default', version: 1, body: defaultPolicyBody }, defaultWorld, 11);
      const states = statesOf(run.events);
      for (const [k, s] of states.entries()) {
        const e = run.events[k + 1];
        const t = Date.parse((e ?? run.events[k]!).occurredAt);
        agreeAt(s, t, t + 3_600_000);
      }
    }
  });
});

/**
 * `fold` and the schedule step copy a state once for several events and apply the rest in place
 * (issue 19). Only copies nobody else holds may be changed: every state handed in, and every
 * state reached on the way, must stay as it was, and the result must be the per-event fold's.
 */
describe('folding in place', () => {
  const deepFreeze = <T>(x: T): T => {
    if (x && typeof x === 'object' && !Object.isFrozen(x)) {
      Object.freeze(x);
      for (const v of Object.values(x)) deepFreeze(v);
    }
    return x;
  };

  it('fold gives what evolve gives event by event, and changes neither the state nor the events it is given', () => {
    fc.assert(
      fc.property(caseArb, fc.array(stepArb, { maxLength: 25 }), fc.nat(), fc.nat(), (spec, history, a, b) => {
        const { events } = simulate(spec, history);
        const cut = Math.min(a, b) % (events.length + 1);
        const before = events.slice(0, cut).reduce<CaseState | undefined>((s, e) => evolve(s, e), undefined);
        const rest = deepFreeze(JSON.parse(JSON.stringify(events.slice(cut))) as DomainEvent[]);
        const snapshot = JSON.stringify(before);
        if (before) deepFreeze(before);
        const expected = rest.reduce<CaseState | undefined>((s, e) => evolve(s, e), before);
        expect(JSON.stringify(fold(rest, before))).toBe(JSON.stringify(expected));
        expect(JSON.stringify(before)).toBe(snapshot);
        // From nothing, the whole log at once (the opening's fresh state taken in place).
        expect(JSON.stringify(fold(events))).toBe(JSON.stringify(events.reduce<CaseState | undefined>((s, e) => evolve(s, e), undefined)));
      }),
      { numRuns: FC_RUNS * 3 },
    );
  });

  it('a schedule step changes no state it is given, and hands on the per-event fold of its events', () => {
    fc.assert(
      fc.property(caseArb, fc.array(stepArb, { maxLength: 25 }), (spec, history) => {
        const sim = simulate(spec, history);
        let s: CaseState | undefined;
        for (const e of sim.events) {
          s = evolve(s, e);
          const frozen = deepFreeze(JSON.parse(JSON.stringify(s)) as CaseState);
          for (const m of reference.scheduleMoments(frozen).filter((x) => x >= Date.parse(e.occurredAt)).slice(0, 3)) {
            // A frozen state throws where it would be changed (jest runs these modules in strict mode).
            const due = dueStep(frozen, iso(m));
            expect(JSON.stringify(due.state)).toBe(JSON.stringify(due.events.reduce(evolve, frozen)));
          }
        }
      }),
      { numRuns: FC_RUNS },
    );
  });
});
