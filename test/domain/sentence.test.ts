import { openCaseFieldsSchema } from '../../domain/schemas/commands';
import { caseView } from '../../domain/case-view';
import { evolve } from '../../domain/evolve';
import {
  coordinator, ctx, customPolicy, ev, given, history, officer, openCase, opened, plusDays, policy, stateOf, type OpenCase,
} from './support';

/*
 * The sentence instead of a date (issue 18). Worked examples under the default policy's rules:
 *
 * Old rules (judgment final before 2026-01-01): two thirds, at least one month served, at least
 * one year of probation. 2 years 6 months from 2025-03-01, judgment final 2025-02-10:
 *   sentence end   2025-03-01 + P2Y6M                    = 2027-09-01
 *   length         730 days (to 2027-03-01) + 184 (Mar–Aug) = 914 days
 *   served         914 × 2/3 = 609.3 → 610 days (rounded up)
 *   release        2025-03-01 + 610 days                  = 2026-11-01
 *   probation      rest of sentence (to 2027-09-01, 304 days) < one year → 2026-11-01 + P1Y = 2027-11-01
 *
 * Reform (final on or after 2026-01-01): three quarters, at least two years of probation.
 * 2 years 6 months from 2026-03-01, judgment final 2026-02-10:
 *   sentence end   2026-03-01 + P2Y6M                    = 2028-09-01
 *   length         365 + 366 (Feb 2028 is a leap month) + 184 = 915 days
 *   served         915 × 3/4 = 686.25 → 687 days
 *   release        2026-03-01 + 687 days                  = 2028-01-17 (365 to 2027-03-01, 306 to 2028-01-01, 16 more)
 *   probation      rest (to 2028-09-01) < two years → 2028-01-17 + P2Y = 2030-01-17
 */
const day = (d: string) => `${d}T00:00:00.000Z`;

const OLD = { length: 'P2Y6M', startsAt: '2025-03-01', judgmentAt: '2025-02-10' };
const OLD_ESTIMATE = {
  estimatedReleaseAt: day('2026-11-01'), sentenceEndsAt: day('2027-09-01'), probationEndsAt: day('2027-11-01'), conditionalRelease: true,
};
const REFORM = { length: 'P2Y6M', startsAt: '2026-03-01', judgmentAt: '2026-02-10' };
const REFORM_ESTIMATE = {
  estimatedReleaseAt: day('2028-01-17'), sentenceEndsAt: day('2028-09-01'), probationEndsAt: day('2030-01-17'), conditionalRelease: true,
};

/** Admitted to prison on the sentence's first day, no date of Kriminalvården's yet. */
function withSentence(sentence: typeof OLD, overrides: Partial<OpenCase> = {}): OpenCase {
  const { expectedReleaseAt: _none, ...cmd } = openCase({ admittedAt: day(sentence.startsAt), sentence, ...overrides });
  return cmd;
}
const openNow = (sentence: typeof OLD) => ctx(coordinator, plusDays(day(sentence.startsAt), 5));

describe('open_case with a sentence', () => {
  it('old rules: the estimate is the working release date, and the deadlines hang on it', () => {
    const events = given().when(withSentence(OLD), openNow(OLD)).events();
    expect(events[0]!.data).toMatchObject({ sentence: OLD, releaseEstimate: OLD_ESTIMATE });
    expect(events[0]!.data).not.toHaveProperty('expectedReleaseAt');
    const s = stateOf(events);
    expect(s.expectedReleaseAt).toBe(day('2026-11-01'));
    expect(s.releaseDateSource).toBe('estimate');
    // Housing P30D and work P14D before release.
    expect(s.interventions.map((i) => i.dueAt)).toEqual([day('2026-10-02'), day('2026-10-18')]);
    const view = caseView(s, plusDays(day('2025-03-01'), 5));
    expect(view).toMatchObject({ expectedReleaseAt: day('2026-11-01'), releaseDateSource: 'estimate', releaseEstimate: OLD_ESTIMATE, sentence: OLD });
  });

  it('the reform: three quarters and at least two years of probation', () => {
    const s = stateOf(given().when(withSentence(REFORM), openNow(REFORM)).events());
    expect(s.releaseEstimate).toEqual(REFORM_ESTIMATE);
    expect(s.expectedReleaseAt).toBe(day('2028-01-17'));
  });

  it("Kriminalvården's date stays the working date; the estimate stands beside it", () => {
    const given_ = openCase({ admittedAt: day('2025-03-01'), expectedReleaseAt: day('2026-10-15'), sentence: OLD });
    const s = stateOf(given().when(given_, openNow(OLD)).events());
    expect(s.expectedReleaseAt).toBe(day('2026-10-15'));
    expect(s.releaseDateSource).toBe('kriminalvarden');
    expect(s.releaseEstimate).toEqual(OLD_ESTIMATE);
  });

  it('a sentence no longer than the minimum served: release at its end, no probation', () => {
    // P1M from 2026-03-01 is exactly the month that must be served: 2026-04-01, nothing conditional.
    const short = { length: 'P1M', startsAt: '2026-03-01', judgmentAt: '2026-02-10' };
    const s = stateOf(given().when(withSentence(short), openNow(short)).events());
    expect(s.releaseEstimate).toEqual({
      estimatedReleaseAt: day('2026-04-01'), sentenceEndsAt: day('2026-04-01'), probationEndsAt: null, conditionalRelease: false,
    });
  });

  it('in häkte too the sentence gives the date', () => {
    const s = stateOf(given().when(withSentence(OLD, { phase: 'hakte' }), openNow(OLD)).events());
    expect(s.expectedReleaseAt).toBe(day('2026-11-01'));
  });

  it('a case without a sentence shows none of it', () => {
    const view = caseView(stateOf(opened()), plusDays(day('2027-01-01'), 5));
    for (const k of ['sentence', 'releaseEstimate', 'releaseDateSource', 'probationEndsAt']) expect(view).not.toHaveProperty(k);
  });

  it('an agency officer sees the estimate, not the sentence', () => {
    const s = stateOf(given().when(withSentence(OLD), openNow(OLD)).events());
    const view = caseView(s, plusDays(day('2025-03-01'), 5), officer('sot-1480'));
    expect(view).toMatchObject({ releaseDateSource: 'estimate', releaseEstimate: OLD_ESTIMATE });
    expect(view).not.toHaveProperty('sentence');
  });

  it('invalid_input sentence.judgmentAt when no regime of the pinned policy covers the judgment', () => {
    const reformOnly = customPolicy({
      releaseRules: [{ judgmentFinalFrom: '2026-01-01', fraction: { numerator: 3, denominator: 4 }, minimumServed: 'P1M', minimumProbation: 'P2Y' }],
    });
    given().when(withSentence(OLD, { policy: policy(reformOnly) }), openNow(OLD)).then('invalid_input', 'sentence.judgmentAt');
  });

  it('invalid_input sentence.startsAt when the estimate is not after admission', () => {
    // Served long before this custody began: 2026-11-01 is before admission on 2027-01-01.
    given().when(withSentence(OLD, { admittedAt: day('2027-01-01') }), openNow(OLD)).then('invalid_input', 'sentence.startsAt');
  });

  it("invalid_input sentence.startsAt when the sentence starts after Kriminalvården's release date", () => {
    const cmd = openCase({ admittedAt: day('2025-01-01'), expectedReleaseAt: day('2025-02-01'), sentence: OLD });
    given().when(cmd, openNow(OLD)).then('invalid_input', 'sentence.startsAt');
  });

  it('outside häkte, neither date nor sentence: expectedReleaseAt is still required', () => {
    const { expectedReleaseAt: _none, ...cmd } = openCase();
    given().when(cmd).then('invalid_input', 'expectedReleaseAt');
  });
});

describe('set_sentence', () => {
  const at = openNow(OLD);
  const estimated = history([], [withSentence(OLD), at]);

  it('while only the estimate exists, a corrected sentence moves the release date and every deadline on it', () => {
    // One year from 2025-03-01: 365 × 2/3 = 243.3 → 244 days = 2025-10-31; probation P1Y → 2026-10-31.
    const shorter = { length: 'P1Y', startsAt: '2025-03-01', judgmentAt: '2025-02-10' };
    const estimate = {
      estimatedReleaseAt: day('2025-10-31'), sentenceEndsAt: day('2026-03-01'), probationEndsAt: day('2026-10-31'), conditionalRelease: true,
    };
    const s = given(estimated).when({ type: 'set_sentence', ...shorter, reason: 'Hovrättens dom' }, at).then([
      ev('SentenceRecorded', { sentence: shorter, releaseEstimate: estimate, previous: OLD, usedAsReleaseDate: true, reason: 'Hovrättens dom' }),
    ]);
    expect(s.expectedReleaseAt).toBe(day('2025-10-31'));
    expect(s.interventions.map((i) => i.dueAt)).toEqual([day('2025-10-01'), day('2025-10-17')]);
  });

  it("once Kriminalvården's date is set it is authoritative: a new sentence changes only the estimate", () => {
    const dated = history(estimated, [{ type: 'set_release_date', expectedReleaseAt: day('2026-10-20'), reason: 'Strafftidsbeslut' }, at]);
    expect(stateOf(dated).releaseDateSource).toBe('kriminalvarden');
    const s = given(dated).when({ type: 'set_sentence', ...REFORM, startsAt: '2025-03-01' }, at).after();
    expect(s.expectedReleaseAt).toBe(day('2026-10-20'));
    expect(s.releaseDateSource).toBe('kriminalvarden');
    expect(s.sentence).toEqual({ ...REFORM, startsAt: '2025-03-01' });
    expect(s.interventions[0]!.dueAt).toBe(day('2026-09-20'));
  });

  it("a case with Kriminalvården's date and no sentence keeps its date when the sentence comes", () => {
    const s = given(opened()).when({ type: 'set_sentence', length: 'P1Y', startsAt: '2026-12-01', judgmentAt: '2026-11-20' }).then([
      // 365 × 3/4 = 273.75 → 274 days from 2026-12-01 = 2027-09-01; probation 2 years → 2029-09-01.
      ev('SentenceRecorded', {
        sentence: { length: 'P1Y', startsAt: '2026-12-01', judgmentAt: '2026-11-20' },
        releaseEstimate: { estimatedReleaseAt: day('2027-09-01'), sentenceEndsAt: day('2027-12-01'), probationEndsAt: day('2029-09-01'), conditionalRelease: true },
        previous: null,
        usedAsReleaseDate: false,
      }),
    ]);
    expect(s.expectedReleaseAt).toBe(day('2027-06-01'));
  });

  it("Kriminalvården confirming the estimate's very date is recorded, and makes it authoritative", () => {
    const s = given(estimated).when({ type: 'set_release_date', expectedReleaseAt: day('2026-11-01'), reason: 'Strafftidsbeslut' }, at).then([
      ev('ReleaseDateChanged', { expectedReleaseAt: day('2026-11-01'), previous: day('2026-11-01'), reason: 'Strafftidsbeslut' }),
    ]);
    expect(s.releaseDateSource).toBe('kriminalvarden');
  });

  it('the same sentence again records nothing', () => {
    given(estimated).when({ type: 'set_sentence', ...OLD }, at).then([]);
  });

  it('invalid_input judgmentAt (the body has no sentence wrapper) when no regime covers it', () => {
    const reformOnly = customPolicy({
      releaseRules: [{ judgmentFinalFrom: '2026-01-01', fraction: { numerator: 3, denominator: 4 }, minimumServed: 'P1M', minimumProbation: 'P2Y' }],
    });
    const h = history([], [withSentence(REFORM, { policy: policy(reformOnly) }), openNow(REFORM)]);
    given(h).when({ type: 'set_sentence', ...REFORM, judgmentAt: '2025-12-31' }, openNow(REFORM)).then('invalid_input', 'judgmentAt');
  });

  it('invalid_transition once the client is released; forbidden to an agency officer', () => {
    const released = history(estimated, [{ type: 'change_phase', to: 'frigiven', at: day('2025-03-10') }, ctx(coordinator, day('2025-03-10'))]);
    given(released).when({ type: 'set_sentence', ...OLD, length: 'P2Y' }, ctx(coordinator, day('2025-03-10'))).then('invalid_transition');
    given(estimated).when({ type: 'set_sentence', ...OLD, length: 'P2Y' }, ctx(officer('sot-1480'), at.now)).then('forbidden');
  });
});

describe('probation at release', () => {
  const estimated = history([], [withSentence(OLD), openNow(OLD)]);
  const release = (at: string) =>
    given(estimated).when({ type: 'change_phase', to: 'frigiven', at: day(at) }, ctx(coordinator, day(at))).events()[0]!;

  it.each([
    // On the estimate: rest of sentence 304 days < P1Y, so 2026-11-01 + P1Y.
    ['2026-11-01', day('2027-11-01')],
    // Kriminalvården released earlier (credited custody): 2026-08-01 + P1Y = 2027-08-01 < end 2027-09-01, so the end.
    ['2026-08-01', day('2027-09-01')],
    // Later than the estimate: 2027-06-01 + P1Y = 2028-06-01.
    ['2027-06-01', day('2028-06-01')],
  ])('released %s: probation ends %s', (at, end) => {
    const e = release(at);
    expect(e.data).toMatchObject({ to: 'frigiven', probationEndsAt: end });
    const s = evolve(stateOf(estimated), e);
    expect(s.probationEndsAt).toBe(end);
    expect(caseView(s, day(at))).toMatchObject({ probationEndsAt: end, releasedAt: day(at) });
  });

  it('served to its end: no probation', () => {
    expect(release('2027-09-01').data).not.toHaveProperty('probationEndsAt');
  });

  it('a case without a sentence releases exactly as before', () => {
    const e = given(opened()).when({ type: 'change_phase', to: 'frigiven' }).events()[0]!;
    expect(e.data).toEqual({ from: 'anstalt', to: 'frigiven', at: ctx().now });
    expect(evolve(stateOf(opened()), e)).not.toHaveProperty('probationEndsAt');
  });

  it('a new remand forgets the old sentence with the old release date', () => {
    const released = history(estimated, [{ type: 'change_phase', to: 'frigiven', at: day('2026-11-01') }, ctx(coordinator, day('2026-11-01'))]);
    const s = given(released).when({ type: 'change_phase', to: 'hakte', at: day('2027-02-01') }, ctx(coordinator, day('2027-02-01'))).after();
    for (const k of ['sentence', 'releaseEstimate', 'releaseDateSource', 'expectedReleaseAt']) expect(s).not.toHaveProperty(k);
    // The probation of the release still runs.
    expect(s.probationEndsAt).toBe(day('2027-11-01'));
  });
});

describe('the sentence as input', () => {
  const parse = (sentence: unknown) => openCaseFieldsSchema.safeParse({
    phase: 'anstalt', admittedAt: day('2025-03-01'), riskLevel: 'low', consent: { agencyIds: [] }, sentence,
  });
  const pathOf = (sentence: unknown) => {
    const r = parse(sentence);
    return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
  };

  it.each([
    ['not a duration', { ...OLD, length: '2,5 år' }, 'sentence.length'],
    ['nothing', { ...OLD, length: 'P0D' }, 'sentence.length'],
    ['longer than 50 years', { ...OLD, length: 'P51Y' }, 'sentence.length'],
    ['no such day', { ...OLD, startsAt: '2025-02-30' }, 'sentence.startsAt'],
    ['a time without offset', { ...OLD, startsAt: '2025-03-01T08:00:00' }, 'sentence.startsAt'],
    ['not a date', { ...OLD, judgmentAt: 'i våras' }, 'sentence.judgmentAt'],
    ['before 1900', { ...OLD, judgmentAt: '1899-12-31' }, 'sentence.judgmentAt'],
  ])('%s: refused naming its field', (_label, sentence, path) => {
    expect(pathOf(sentence)).toEqual([path]);
  });

  it('dates stay dates; times are normalised to UTC', () => {
    const r = parse({ ...OLD, startsAt: '2025-03-01T08:00:00+01:00' });
    expect(r.success && r.data.sentence).toEqual({ ...OLD, startsAt: '2025-03-01T07:00:00.000Z' });
  });
});
