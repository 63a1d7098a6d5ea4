import { policyBodySchema, type PinnedPolicy } from '../../domain/schemas/policy';
import { bråShape, generateCohort, type Client } from '../../simulation/cohort';
import { defaultWorld, type World } from '../../simulation/world';

/**
 * A small cohort in compressed time, for the fidelity test (not a test file itself): a world day
 * lasts 2 s, and the policy's durations are seconds.
 *
 * The timing is laid out so that jitter in a real run cannot reorder what competes. Every moment
 * the schedule acts on lies on a 6 s grid (multiples of 6 s since the epoch), every command lies
 * halfway between (3 s past a grid point), so a command and a deadline, reminder, escalation or
 * follow-up due time are always 3 s apart (a 4 s grid, 2 s apart, was not enough on the shared
 * 2-core machine: commands answered up to 3.5 s after their moment under load):
 * - admissions and expected releases are on the grid, and so are the policy's durations from them
 *   (due dates, reminders before them, escalation after them, plan, meeting and successor
 *   deadlines): whole grid steps;
 * - every answer of the world (World.answerGrid) is moved to the first moment half a step past a
 *   grid point, the release included, so whatever is measured from a command (follow-ups from the
 *   release) is an odd number of half steps: back on the grid. After the release nothing is due but
 *   what is measured from it, so the release's own lag shifts all of it alike.
 * The one command on the grid is each case's opening. What is due at that moment or before (a
 * reminder, housing already due at a short stay's admission, work without an agency) both runs
 * handle in the step right after it: the opening always comes first.
 */
export const GRID_MS = 6000;
export const HALF_GRID_MS = GRID_MS / 2;
/** `steps` grid steps (or half steps) as an ISO duration. */
const steps = (n: number) => `PT${(n * GRID_MS) / 1000}S`;

export const compressedPolicy: PinnedPolicy = {
  policyId: 'fidelity',
  version: 1,
  // The default policy (domain/schemas/policy.ts) compressed onto the grid.
  body: policyBodySchema.parse({
    requirements: [
      { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: steps(8), title: 'Bostad ordnad' },
      { area: 'missbruk', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: steps(4), title: 'Beroendevård fortsätter efter frigivning' },
      { area: 'psykisk_halsa', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: steps(4), title: 'Psykiatrisk vård fortsätter efter frigivning' },
      { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: steps(4), title: 'Kontakt med Arbetsförmedlingen' },
      { area: 'forsorjning', appliesWhen: 'need', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: steps(2), title: 'Försörjning första tiden ordnad' },
      { area: 'skulder', appliesWhen: 'need', agencyType: 'kronofogden', requiredBeforeRelease: false, dueBeforeRelease: steps(2), title: 'Skuldrådgivning' },
    ],
    reminders: [steps(2), steps(1)],
    escalation: { level2After: steps(1) },
    // From the release, which is half a step off the grid: odd numbers of half steps.
    followUps: { high: [steps(0.5), steps(1.5), steps(2.5)], medium: [steps(1.5), steps(2.5)], low: [steps(1.5)] },
    milestones: {
      planAdoptedWithin: steps(3),
      planAdoptedWithinShortStay: steps(2),
      shortStayRemaining: 'PT0S',
      // Beyond every release (the longest stay is 13 steps). A review falls due from the plan's
      // adoption, a command, so in a real run it lands as late after its grid point as that command
      // was answered, and a reminder due at the same grid point could come before it or after:
      // within one step in the simulator, in two in a real run (seen in this test's first runs).
      planReviewEvery: 'PT5M',
      successorNamedBeforeRelease: steps(7),
      meetingBeforeRelease: steps(4),
      releaseRecordedWithin: steps(2),
    },
  }),
};

/** The simulator's world with a day become 2 s and every answer half a step past a grid point. */
export const compressedWorld: World = { ...defaultWorld, dayMs: 2000, answerGrid: { everyMs: GRID_MS, atMs: HALF_GRID_MS } };

/**
 * `n` clients (needs, risk, municipality, consent as the simulator's cohort draws them), admitted
 * from `startMs` on, a grid step or two apart, and released 8–13 steps (48–78 s) after admission.
 */
export function compressedCohort(n: number, startMs: number, seed: number): Client[] {
  if (startMs % GRID_MS !== 0) throw new Error('the cohort starts on the grid');
  return generateCohort({ ...bråShape, releases: n }, compressedWorld, seed).map((c, k) => {
    const admittedAt = startMs + (k % 3) * GRID_MS;
    return { ...c, admittedAt, releaseAt: admittedAt + (8 + (k % 6)) * GRID_MS };
  });
}
