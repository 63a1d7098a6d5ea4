import fc from 'fast-check';
import type { CaseState } from '../../domain/case-state';
import { decide } from '../../domain/decide';
import type { DomainEvent } from '../../domain/schemas/events';
import { evolve } from '../../domain/evolve';
import { afterStep, dueActions, scheduleMoments } from '../../domain/schedule';
import { caseArb, intentArb, simulate, stepArb, toCommand } from './random-case';
import { ctx, iso } from './support';

/**
 * Issue 13: the workflow looks at the schedule (`dueActions` at `evaluatedAt`), records what it
 * found (which takes time: an append queued behind others, a worker or server restart), then
 * asks how long it may sleep. Whatever fell due while it was recording must not be skipped.
 * These properties play the workflow's loop with the pure functions it calls, with arbitrary
 * recording times (including long jumps) and people acting at arbitrary moments in between.
 */
const FC_RUNS = Number(process.env.FC_RUNS ?? 150);

/** How long one recording takes, in the case's unit (days or seconds): mostly short, sometimes very long. */
const recordingArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 400 }) },
);
/** A person's command arriving some time after the case went to sleep, or nobody. */
const visitArb = fc.option(fc.record({ intent: intentArb, after: fc.integer({ min: 0, max: 30 }) }), { freq: 2 });

/** The identity of each thing the schedule does once: an alert per gap occurrence, a reminder, a missed follow-up. */
function doneOnce(e: DomainEvent): string | undefined {
  if (e.type === 'AlertRaised') return `alert ${e.data.key}@${e.data.since}`;
  if (e.type === 'ReminderSent') return `reminder ${e.data.reminderId}`;
  if (e.type === 'FollowUpMissed') return `missed ${e.data.followUpId}`;
  return undefined;
}

describe('the schedule never skips a moment', () => {
  it('after a step that took any time, the case wakes no later than the first moment it has not looked at, and everything is done once', () => {
    fc.assert(
      fc.property(
        caseArb, fc.array(stepArb, { maxLength: 20 }), fc.array(recordingArb, { minLength: 60, maxLength: 60 }), fc.array(visitArb, { minLength: 60, maxLength: 60 }),
        (spec, history, recordings, visits) => {
          const sim = simulate(spec, history);
          let s: CaseState = sim.state;
          let clock = Date.parse(sim.now);
          const done = new Set<string>();
          for (const e of sim.events) {
            const id = doneOnce(e);
            if (id) done.add(id);
          }
          for (let n = 0; n < 60; n += 1) {
            // The step: look at the schedule now and apply what is due.
            const evaluatedAt = clock;
            const due = dueActions(s, iso(evaluatedAt));
            for (const e of due) {
              const id = doneOnce(e);
              if (id) {
                expect(done.has(id)).toBe(false);
                done.add(id);
              }
              s = evolve(s, e);
            }
            // Everything due by the moment looked at is handled by that step.
            expect(dueActions(s, iso(evaluatedAt))).toEqual([]);
            // Recording it takes time; deadlines may pass meanwhile.
            const recorded = evaluatedAt + (due.length > 0 ? recordings[n]! * sim.unit : 0);
            const next = afterStep(s, iso(evaluatedAt), iso(recorded));
            const wakeAt = next.kind === 'now' ? recorded : next.kind === 'sleep' ? Date.parse(next.until) : Infinity;
            if (next.kind === 'sleep') expect(next.ms).toBe(wakeAt - recorded);
            expect(wakeAt).toBeGreaterThanOrEqual(recorded);
            // The first moment not yet looked at is never slept past.
            const unseen = scheduleMoments(s).filter((m) => m > evaluatedAt);
            if (unseen.length > 0) expect(wakeAt).toBeLessThanOrEqual(Math.max(Math.min(...unseen), recorded));
            else expect(next.kind).toBe('idle');

            // A person may act before the case wakes by itself; their command wakes it.
            const visit = visits[n];
            const visitAt = visit ? recorded + visit.after * sim.unit : Infinity;
            if (visit && visitAt < wakeAt) {
              const c = toCommand(s, visit.intent, iso(visitAt), sim.unit);
              if (c && c !== 'tick') {
                const d = decide(s, c[0], ctx(c[1], iso(visitAt)));
                if (d.ok) for (const e of d.events) s = evolve(s, e);
              }
              clock = visitAt;
            } else if (Number.isFinite(wakeAt)) {
              clock = wakeAt;
            } else {
              break;
            }
          }
        },
      ),
      { numRuns: FC_RUNS },
    );
  });

  it('a step that finishes recording after a deadline wakes at once, and the next step raises that alert', () => {
    fc.assert(
      fc.property(caseArb, fc.array(stepArb, { maxLength: 20 }), fc.integer({ min: 1, max: 400 }), (spec, history, jump) => {
        const sim = simulate(spec, history);
        let s = sim.state;
        const e0 = Date.parse(sim.now);
        for (const e of dueActions(s, sim.now)) s = evolve(s, e);
        const recorded = e0 + jump * sim.unit;
        const passed = scheduleMoments(s).filter((m) => m > e0 && m <= recorded);
        const next = afterStep(s, sim.now, iso(recorded));
        // Something fell due while recording exactly when the case is told to look again at once.
        expect(next.kind === 'now').toBe(passed.length > 0);
        // Looking again then does what a case that never paused would have done by `recorded`
        // (the moments passed; reminders only the latest, as for any late wake-up).
        const late = dueActions(s, iso(recorded)).reduce<CaseState>((acc, e) => evolve(acc, e), s);
        expect(dueActions(late, iso(recorded))).toEqual([]);
      }),
      { numRuns: FC_RUNS },
    );
  });
});
