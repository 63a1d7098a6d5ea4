import fc from 'fast-check';
import type { Person } from '../../domain/schemas/actor';
import type { Agency } from '../../domain/schemas/agency';
import { agenciesNeeded } from '../../domain/agencies-needed';
import type { CaseState } from '../../domain/case-state';
import type { Command } from '../../domain/schemas/commands';
import { decide, type Decision } from '../../domain/decide';
import { evolve } from '../../domain/evolve';
import { defaultPolicyBody } from '../../domain/schemas/policy';
import { dueActions } from '../../domain/schedule';
import { agencyTypeSchema } from '../../domain/schemas/vocabulary';
import { AGENCIES, caseArb, secondsPolicy, start, stepArb, toCommand, type CaseSpec } from './random-case';
import { NOW, coordinator, directory, iso, officer, openCase, policy, stateOf, history, opened } from './support';

/**
 * An update carries only the agencies its command needs (domain/agencies-needed.ts). The proof:
 * for random directories, random cases in random municipalities and every command of a random
 * life, `decide` with that part of the directory decides exactly as with the whole of it.
 */
const BASE_RUNS = Number(process.env.FC_RUNS ?? 150);
const RUNS = { numRuns: BASE_RUNS };

/** Ids the commands name: the random cases' agencies, units of other places, ids nobody registered. */
const IDS = [...new Set([...AGENCIES, ...directory.map((a) => a.agencyId), 'x-1', 'x-2', 'x-3'])];
const MUNICIPALITIES = ['1480', '1401', '0180', '1490'];

/** A directory: some of the fixed units, in any order, and random units (some sharing a type and place, so resolution is ambiguous). */
const directoryArb = fc
  .tuple(
    fc.shuffledSubarray(directory),
    fc.array(fc.record({
      agencyId: fc.constantFrom(...IDS),
      type: fc.constantFrom(...agencyTypeSchema.options),
      name: fc.constant('Slumpad enhet'),
      municipalities: fc.subarray([...MUNICIPALITIES, '*']),
    }), { maxLength: 8 }),
  )
  .map(([fixed, extra]) => {
    const byId = new Map<string, Agency>();
    for (const a of [...extra, ...fixed]) if (!byId.has(a.agencyId)) byId.set(a.agencyId, a);
    return [...byId.values()];
  });

/** Commands that name agencies, which the random lives of random-case.ts send rarely or never. */
const namingArb = fc.oneof(
  fc.record({ type: fc.constant('transfer_case' as const), toAgencyId: fc.constantFrom(...IDS), reason: fc.constant('flytt') }),
  fc.record({ type: fc.constant('record_meeting' as const), agencyIds: fc.subarray(IDS, { maxLength: 4 }) }),
  fc.record({
    type: fc.constant('set_responsibility' as const),
    holderAgencyId: fc.option(fc.constantFrom(...IDS), { nil: null }),
    successorAgencyId: fc.option(fc.constantFrom(...IDS), { nil: null }),
  }),
  fc.record({ type: fc.constant('set_consent' as const), agencyIds: fc.subarray(IDS, { maxLength: 6 }) }),
  fc.record({ type: fc.constant('change_phase' as const), to: fc.constant('frigiven' as const) }),
);
const lifeStepArb = fc.oneof({ arbitrary: stepArb, weight: 4 }, { arbitrary: fc.record({ naming: namingArb, advance: fc.integer({ min: 0, max: 5 }) }), weight: 1 });

/**
 * A life that surely plans (a need added), names an unknown agency, and releases with a
 * probation office elsewhere as successor: one run of the property that covers each.
 */
type LifeStep = typeof lifeStepArb extends fc.Arbitrary<infer T> ? T : never;
const lifeWithEverything: [CaseSpec, LifeStep[], Agency[], string, boolean] = [
  { scale: 'days', phase: 'anstalt', admittedAgo: 10, releaseIn: 100, riskLevel: 'high', needs: [], consent: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'], successor: undefined },
  [
    { intent: { kind: 'needs', needs: ['missbruk'] }, advance: 1 },
    { naming: { type: 'record_meeting', agencyIds: ['af', 'x-1'] }, advance: 1 },
    { naming: { type: 'set_consent', agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-boras'] }, advance: 1 },
    { naming: { type: 'set_responsibility', holderAgencyId: null, successorAgencyId: 'frv-boras' }, advance: 1 },
    { intent: { kind: 'release' }, advance: 1 },
  ],
  directory, '1480', false,
];

/** What the runs looked at, so that a green property is known not to be vacuous. */
const seen = { decisions: 0, planned: 0, followUps: 0, unknownAgency: 0, successorFollowUps: 0 };

/** `decide` with the needed agencies only equals `decide` with the whole directory; returns the decision. */
function decidesAlike(state: CaseState | undefined, command: Command, actor: Person, now: string, dir: Agency[], legacyAccess: boolean): Decision {
  const ctx = { now, actor, ...(legacyAccess ? { legacyAccess } : {}) };
  const whole = decide(state, command, { ...ctx, directory: dir });
  const needed = agenciesNeeded(state, command, actor, dir);
  expect(needed.every((a) => dir.includes(a))).toBe(true);
  expect(decide(state, command, { ...ctx, directory: needed })).toEqual(whole);
  seen.decisions += 1;
  if (whole.ok) {
    seen.planned += whole.events.filter((e) => e.type === 'InterventionPlanned' && e.data.agencyId !== null).length;
    const followUps = whole.events.filter((e) => e.type === 'FollowUpScheduled');
    seen.followUps += followUps.length;
    seen.successorFollowUps += followUps.filter((e) => e.data.agencyId !== null && e.data.agencyId === state?.responsibility.successorAgencyId).length;
  } else if (whole.rejection.message === 'unknown agency') {
    seen.unknownAgency += 1;
  }
  return whole;
}

const applied = (s: CaseState, d: Decision): CaseState => (d.ok ? d.events.reduce<CaseState>((acc, e) => evolve(acc, e), s) : s);

describe('agenciesNeeded', () => {
  afterAll(() => {
    // Both properties together made planning, follow-ups (also to a successor) and unknown
    // agencies happen (the examples below make sure of each, the random runs add many more).
    expect(seen.decisions).toBeGreaterThan(2 * BASE_RUNS);
    for (const n of [seen.planned, seen.followUps, seen.successorFollowUps, seen.unknownAgency]) expect(n).toBeGreaterThan(0);
  });

  it('opening a case: the same decision with the needed agencies as with the whole directory', () => {
    fc.assert(fc.property(
      directoryArb,
      fc.record({
        municipality: fc.constantFrom(...MUNICIPALITIES),
        consent: fc.subarray(IDS, { maxLength: 6 }),
        holder: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
        successor: fc.option(fc.option(fc.constantFrom(...IDS), { nil: null }), { nil: undefined }),
        actorAgency: fc.option(fc.constantFrom(...IDS), { nil: null }),
        risk: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
        needs: fc.subarray(['missbruk', 'psykisk_halsa', 'forsorjning', 'skulder'] as const),
        seconds: fc.boolean(),
      }),
      fc.boolean(),
      (dir, o, legacy) => {
        const responsibility = o.holder === undefined && o.successor === undefined ? {} : {
          responsibility: { ...(o.holder !== undefined ? { holderAgencyId: o.holder } : {}), ...(o.successor !== undefined ? { successorAgencyId: o.successor } : {}) },
        };
        const command = openCase({
          client: { municipality: o.municipality }, consent: { agencyIds: o.consent }, riskLevel: o.risk, needs: [...o.needs],
          policy: policy(o.seconds ? secondsPolicy : defaultPolicyBody), ...responsibility,
        });
        decidesAlike(undefined, command, { sub: 'c', role: 'coordinator', agencyId: o.actorAgency }, NOW, dir, legacy);
      },
    ), RUNS);
  });

  it('every command of a random life: the same decision or the same rejection', () => {
    fc.assert(fc.property(
      caseArb, fc.array(lifeStepArb, { maxLength: 30 }), directoryArb, fc.constantFrom(...MUNICIPALITIES), fc.boolean(),
      (spec, steps, dir, municipality, legacy) => {
        const begun = start(spec);
        const unit = begun.unit;
        // The case as if opened elsewhere: which units serve it changes, the rest stays valid.
        let state: CaseState = { ...begun.state, client: { municipality } };
        let t = Date.parse(NOW);
        for (const step of steps) {
          t += step.advance * unit;
          const now = iso(t);
          if ('naming' in step) {
            state = applied(state, decidesAlike(state, step.naming, coordinator, now, dir, legacy));
            continue;
          }
          const c = toCommand(state, step.intent, now, unit);
          if (c === 'tick') state = dueActions(state, now).reduce<CaseState>((acc, e) => evolve(acc, e), state);
          else if (c) state = applied(state, decidesAlike(state, c[0], c[1], now, dir, legacy));
        }
      },
    ), { ...RUNS, examples: [lifeWithEverything] });
  });

  it('names only what the command can look at', () => {
    const ids = (s: CaseState | undefined, c: Command, actor: Person = coordinator) => agenciesNeeded(s, c, actor, directory).map((a) => a.agencyId);
    // Opening: the coordinator's agency and the consented ones (planning picks only among those).
    expect(ids(undefined, openCase({ consent: { agencyIds: ['ngo', 'af', 'unknown'] } }))).toEqual(['kvv', 'af', 'ngo']);
    expect(ids(undefined, openCase({ responsibility: { successorAgencyId: 'frv-boras' } }))).toEqual(expect.arrayContaining(['frv-boras']));
    const s = stateOf(history(opened(), { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }));
    expect(ids(s, { type: 'complete_intervention', interventionId: 'i1' }, officer('sot-1480'))).toEqual([]);
    expect(ids(s, { type: 'record_meeting', agencyIds: ['af', 'unknown'] })).toEqual(['af']);
    // Planning under the case's consent: the units of the policy's types that serve Göteborg.
    expect(ids(s, { type: 'set_needs', needs: ['missbruk'] })).toEqual(['sot-1480', 'reg-vg', 'af', 'kfm']);
    expect(ids(s, { type: 'set_consent', agencyIds: ['reg-vg'] })).toEqual(['reg-vg']);
    // Every probation office, wherever it serves: the successor may have changed since the caller read the case.
    expect(ids(s, { type: 'change_phase', to: 'frigiven' })).toEqual(['frv-gbg', 'frv-boras']);
    // A new remand plans the required interventions again (rules 2), as needs do.
    expect(ids(s, { type: 'change_phase', to: 'hakte' })).toEqual(['sot-1480', 'reg-vg', 'af', 'kfm']);
    expect(ids(s, { type: 'change_phase', to: 'anstalt' })).toEqual([]);
    expect(ids(undefined, { type: 'adopt_plan' })).toEqual([]);
  });
});
