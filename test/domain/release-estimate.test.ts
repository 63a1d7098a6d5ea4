import fc from 'fast-check';
import { ZodError } from 'zod';
import { addDuration } from '../../domain/duration';
import {
  defaultReleaseRules,
  estimateConditionalRelease,
  releaseRulesSchema,
  type ReleaseEstimate,
  type ReleaseRules,
} from '../../domain/schemas/release-estimate';

const at = (date: string) => `${date}T00:00:00.000Z`;

function estimate(e: ReleaseEstimate) {
  if (e.kind !== 'estimate') throw new Error(`expected an estimate, got ${e.kind}`);
  return e;
}

describe('estimateConditionalRelease with the default rules', () => {
  it.each<[string, string, string, string, { release: string; probation: string | null; end: string; regime: number }]>([
    // 365 days × 2/3 = 243.3 → 244 days; the one-year minimum probation outlasts the 121 days left.
    ['one year, old rules', '2025-01-01', 'P1Y', '2024-12-01', { release: '2025-09-02', probation: '2026-09-02', end: '2026-01-01', regime: 0 }],
    // 365 days × 3/4 = 273.75 → 274 days; at least two years of probation.
    ['one year, reform', '2026-01-01', 'P1Y', '2026-01-01', { release: '2026-10-02', probation: '2028-10-02', end: '2027-01-01', regime: 1 }],
    // Exact thirds must not round up: 90 days × 2/3 = 60 days.
    ['three months, exact thirds', '2025-01-01', 'P3M', '2024-12-01', { release: '2025-03-02', probation: '2026-03-02', end: '2025-04-01', regime: 0 }],
    // Exact quarters: 92 days × 3/4 = 69 days.
    ['three months, exact quarters', '2026-07-01', 'P3M', '2026-06-01', { release: '2026-09-08', probation: '2028-09-08', end: '2026-10-01', regime: 1 }],
    // 40 days × 2/3 = 27 days, but at least one month must be served.
    ['minimum served dominates', '2025-01-01', 'P40D', '2024-12-01', { release: '2025-02-01', probation: '2026-02-01', end: '2025-02-10', regime: 0 }],
    // Minimum month ending in a short February.
    ['minimum served clamps at month end', '2025-01-31', 'P40D', '2024-12-01', { release: '2025-02-28', probation: '2026-02-28', end: '2025-03-12', regime: 0 }],
    // Six years over two leap years: 2192 days × 2/3 → 1462 days; the 730 days left outlast P1Y.
    ['long sentence, remaining time dominates', '2020-01-01', 'P6Y', '2019-12-01', { release: '2024-01-02', probation: '2026-01-01', end: '2026-01-01', regime: 0 }],
    // Exactly one month is not longer than the minimum: no conditional release, no probation.
    ['exactly the minimum', '2025-01-01', 'P1M', '2024-12-01', { release: '2025-02-01', probation: null, end: '2025-02-01', regime: 0 }],
    ['shorter than the minimum', '2025-01-01', 'P14D', '2024-12-01', { release: '2025-01-15', probation: null, end: '2025-01-15', regime: 0 }],
    // February is shorter than 31 days, so P31D from 1 Feb is longer than P1M.
    ['31 days in February', '2025-02-01', 'P31D', '2024-12-01', { release: '2025-03-01', probation: '2026-03-01', end: '2025-03-04', regime: 0 }],
    ['30 days in January', '2025-01-01', 'P30D', '2024-12-01', { release: '2025-01-31', probation: null, end: '2025-01-31', regime: 0 }],
  ])('%s', (_label, start, length, judgment, want) => {
    const e = estimate(estimateConditionalRelease({ sentenceStart: start, sentenceLength: length, judgmentFinalAt: judgment }, defaultReleaseRules));
    expect(e).toEqual({
      kind: 'estimate',
      conditionalRelease: want.probation !== null,
      estimatedReleaseAt: at(want.release),
      sentenceEndsAt: at(want.end),
      probationEndsAt: want.probation && at(want.probation),
      regimeIndex: want.regime,
    });
  });

  it.each([
    ['2025-12-31', 0],
    ['2026-01-01', 1],
    ['1990-01-01', 0],
    ['2099-01-01', 1],
    // The calendar date as written decides, not the UTC instant.
    ['2025-12-31T23:30:00Z', 0],
    ['2026-01-01T00:30:00+01:00', 1],
  ])('judgment final %s picks regime %d', (judgmentFinalAt, regime) => {
    const e = estimate(estimateConditionalRelease({ sentenceStart: '2026-02-01', sentenceLength: 'P1Y', judgmentFinalAt }, defaultReleaseRules));
    expect(e.regimeIndex).toBe(regime);
  });

  it('keeps the time of day of a start given with an offset', () => {
    const e = estimate(
      estimateConditionalRelease({ sentenceStart: '2025-01-01T08:00:00+01:00', sentenceLength: 'P3M', judgmentFinalAt: '2024-12-01' }, defaultReleaseRules),
    );
    expect(e.estimatedReleaseAt).toBe('2025-03-02T07:00:00.000Z');
    expect(e.sentenceEndsAt).toBe('2025-04-01T07:00:00.000Z');
  });

  it('uses the default rules when none are given', () => {
    const e = estimate(estimateConditionalRelease({ sentenceStart: '2025-01-01', sentenceLength: 'P1Y', judgmentFinalAt: '2024-12-01' }));
    expect(e.estimatedReleaseAt).toBe(at('2025-09-02'));
  });

  it.each([
    { sentenceStart: '2025-02-30', sentenceLength: 'P1Y', judgmentFinalAt: '2024-12-01' },
    { sentenceStart: '2025-01-01T00:00:00', sentenceLength: 'P1Y', judgmentFinalAt: '2024-12-01' },
    { sentenceStart: '2025-01-01', sentenceLength: '1 year', judgmentFinalAt: '2024-12-01' },
    { sentenceStart: '2025-01-01', sentenceLength: '-P1Y', judgmentFinalAt: '2024-12-01' },
    { sentenceStart: '2025-01-01', sentenceLength: 'P1Y', judgmentFinalAt: 'last year' },
  ])('throws a ZodError on malformed input %j', (input) => {
    expect(() => estimateConditionalRelease(input, defaultReleaseRules)).toThrow(ZodError);
  });
});

describe('estimateConditionalRelease with custom rules', () => {
  it('returns no_regime when no rule covers the judgment date', () => {
    const rules: ReleaseRules = [{ ...defaultReleaseRules[1]! }];
    expect(estimateConditionalRelease({ sentenceStart: '2025-01-01', sentenceLength: 'P1Y', judgmentFinalAt: '2025-12-31T12:00:00Z' }, rules)).toEqual({
      kind: 'no_regime',
      judgmentFinalDate: '2025-12-31',
    });
  });

  it('finds a regime bounded on both sides, and open-ended ones', () => {
    const rules: ReleaseRules = [
      { judgmentFinalBefore: '2000-01-01', fraction: { numerator: 1, denominator: 2 }, minimumServed: 'P1M', minimumProbation: 'P1Y' },
      { judgmentFinalFrom: '2000-01-01', judgmentFinalBefore: '2010-01-01', fraction: { numerator: 2, denominator: 3 }, minimumServed: 'P1M', minimumProbation: 'P1Y' },
      { judgmentFinalFrom: '2010-01-01', fraction: { numerator: 3, denominator: 4 }, minimumServed: 'P1M', minimumProbation: 'P1Y' },
    ];
    const regime = (judgmentFinalAt: string) =>
      estimate(estimateConditionalRelease({ sentenceStart: '2025-01-01', sentenceLength: 'P1Y', judgmentFinalAt }, rules)).regimeIndex;
    expect(regime('1999-12-31')).toBe(0);
    expect(regime('2000-01-01')).toBe(1);
    expect(regime('2009-12-31')).toBe(1);
    expect(regime('2010-01-01')).toBe(2);
  });

  // Compressed time for simulations: seconds instead of days.
  const compressed: ReleaseRules = [
    { fraction: { numerator: 2, denominator: 3 }, minimumServed: 'PT10S', minimumProbation: 'PT60S' },
  ];

  it.each([
    ['PT90S', '2025-01-01T00:01:00.000Z', '2025-01-01T00:02:00.000Z'],
    // 100 s × 2/3 = 66.7 → 67 s; 33 s left, so the 60 s minimum probation applies.
    ['PT100S', '2025-01-01T00:01:07.000Z', '2025-01-01T00:02:07.000Z'],
    // 12 s × 2/3 = 8 s, below the 10 s minimum.
    ['PT12S', '2025-01-01T00:00:10.000Z', '2025-01-01T00:01:10.000Z'],
    // 1000 s × 2/3 → 667 s; 333 s left outlasts the minimum probation.
    ['PT1000S', '2025-01-01T00:11:07.000Z', '2025-01-01T00:16:40.000Z'],
  ])('compressed %s', (length, release, probation) => {
    const e = estimate(estimateConditionalRelease({ sentenceStart: '2025-01-01T00:00:00Z', sentenceLength: length, judgmentFinalAt: '2025-01-01' }, compressed));
    expect(e.estimatedReleaseAt).toBe(release);
    expect(e.probationEndsAt).toBe(probation);
  });

  it('never releases after the sentence end, even when rounding up sub-second lengths', () => {
    const rules: ReleaseRules = [{ fraction: { numerator: 1, denominator: 1 }, minimumServed: 'PT0S', minimumProbation: 'PT0S' }];
    const e = estimate(estimateConditionalRelease({ sentenceStart: '2025-01-01T00:00:00Z', sentenceLength: 'PT0.5S', judgmentFinalAt: '2025-01-01' }, rules));
    expect(e.estimatedReleaseAt).toBe('2025-01-01T00:00:00.500Z');
    expect(e.probationEndsAt).toBe('2025-01-01T00:00:00.500Z');
  });

  it('throws a ZodError for invalid rules', () => {
    expect(() =>
      estimateConditionalRelease({ sentenceStart: '2025-01-01', sentenceLength: 'P1Y', judgmentFinalAt: '2025-01-01' }, [] as ReleaseRules),
    ).toThrow(ZodError);
  });
});

describe('releaseRulesSchema', () => {
  const regime = { fraction: { numerator: 2, denominator: 3 }, minimumServed: 'P1M', minimumProbation: 'P1Y' };

  it('accepts the default rules', () => {
    expect(releaseRulesSchema.parse(defaultReleaseRules)).toEqual(defaultReleaseRules);
  });

  it('accepts adjoining regimes', () => {
    expect(
      releaseRulesSchema.safeParse([
        { ...regime, judgmentFinalBefore: '2026-01-01' },
        { ...regime, judgmentFinalFrom: '2026-01-01', judgmentFinalBefore: '2030-01-01' },
        { ...regime, judgmentFinalFrom: '2030-01-01' },
      ]).success,
    ).toBe(true);
  });

  it.each<[string, unknown]>([
    ['empty', []],
    ['not an array', regime],
    ['two open-ended regimes', [regime, regime]],
    ['overlapping ranges', [
      { ...regime, judgmentFinalBefore: '2026-01-02' },
      { ...regime, judgmentFinalFrom: '2026-01-01' },
    ]],
    ['range inside another', [
      { ...regime, judgmentFinalFrom: '2020-01-01', judgmentFinalBefore: '2030-01-01' },
      { ...regime, judgmentFinalFrom: '2025-01-01', judgmentFinalBefore: '2026-01-01' },
    ]],
    ['empty range', [{ ...regime, judgmentFinalFrom: '2026-01-01', judgmentFinalBefore: '2026-01-01' }]],
    ['reversed range', [{ ...regime, judgmentFinalFrom: '2027-01-01', judgmentFinalBefore: '2026-01-01' }]],
    ['invalid date', [{ ...regime, judgmentFinalFrom: '2026-02-30' }]],
    ['date-time instead of date', [{ ...regime, judgmentFinalFrom: '2026-01-01T00:00:00Z' }]],
    ['fraction above one', [{ ...regime, fraction: { numerator: 4, denominator: 3 } }]],
    ['zero numerator', [{ ...regime, fraction: { numerator: 0, denominator: 3 } }]],
    ['zero denominator', [{ ...regime, fraction: { numerator: 1, denominator: 0 } }]],
    ['non-integer fraction', [{ ...regime, fraction: { numerator: 0.5, denominator: 1 } }]],
    ['bad minimum served', [{ ...regime, minimumServed: 'one month' }]],
    ['bad minimum probation', [{ ...regime, minimumProbation: 'P' }]],
    ['missing fraction', [{ minimumServed: 'P1M', minimumProbation: 'P1Y' }]],
  ])('rejects %s', (_label, rules) => {
    expect(releaseRulesSchema.safeParse(rules).success).toBe(false);
  });
});

describe('properties', () => {
  const startDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });
  const length = fc.oneof(
    fc.integer({ min: 1, max: 20_000 }).map((d) => `P${d}D`),
    fc.integer({ min: 1, max: 240 }).map((m) => `P${m}M`),
    fc.integer({ min: 1, max: 30 }).map((y) => `P${y}Y`),
  );
  const judgment = fc.constantFrom('2020-06-01', '2025-12-31', '2026-01-01', '2030-06-01');

  it('release lies between the minimum served and the sentence end; probation covers the rest', () => {
    fc.assert(
      fc.property(startDate, length, judgment, (start, sentenceLength, judgmentFinalAt) => {
        const sentenceStart = start.toISOString();
        const e = estimate(estimateConditionalRelease({ sentenceStart, sentenceLength, judgmentFinalAt }, defaultReleaseRules));
        const regime = defaultReleaseRules[e.regimeIndex]!;
        const release = Date.parse(e.estimatedReleaseAt);
        const end = Date.parse(e.sentenceEndsAt);
        expect(end).toBe(addDuration(sentenceStart, sentenceLength));
        expect(release).toBeLessThanOrEqual(end);
        if (e.conditionalRelease) {
          expect(release).toBeGreaterThanOrEqual(addDuration(sentenceStart, regime.minimumServed));
          const probationEnd = Date.parse(e.probationEndsAt!);
          expect(probationEnd).toBeGreaterThanOrEqual(end);
          expect(probationEnd).toBeGreaterThanOrEqual(addDuration(release, regime.minimumProbation));
          expect(probationEnd === end || probationEnd === addDuration(release, regime.minimumProbation)).toBe(true);
        } else {
          expect(release).toBe(end);
          expect(e.probationEndsAt).toBeNull();
        }
      }),
    );
  });

  it('served share is the fraction of the days, rounded up, unless the minimum applies', () => {
    fc.assert(
      fc.property(startDate, fc.integer({ min: 32, max: 20_000 }), judgment, (start, days, judgmentFinalAt) => {
        const sentenceStart = start.toISOString();
        const e = estimate(estimateConditionalRelease({ sentenceStart, sentenceLength: `P${days}D`, judgmentFinalAt }, defaultReleaseRules));
        const { numerator, denominator } = defaultReleaseRules[e.regimeIndex]!.fraction;
        const served = Math.round((Date.parse(e.estimatedReleaseAt) - start.getTime()) / 86_400_000);
        const expected = Math.ceil((numerator * days) / denominator - 1e-9);
        const minimum = Math.round((addDuration(sentenceStart, 'P1M') - start.getTime()) / 86_400_000);
        expect(served).toBe(Math.max(expected, minimum));
      }),
    );
  });

  it('the reform never releases earlier than the old rules for the same sentence', () => {
    fc.assert(
      fc.property(startDate, length, (start, sentenceLength) => {
        const input = { sentenceStart: start.toISOString(), sentenceLength };
        const before = estimate(estimateConditionalRelease({ ...input, judgmentFinalAt: '2025-12-31' }, defaultReleaseRules));
        const after = estimate(estimateConditionalRelease({ ...input, judgmentFinalAt: '2026-01-01' }, defaultReleaseRules));
        expect(Date.parse(after.estimatedReleaseAt)).toBeGreaterThanOrEqual(Date.parse(before.estimatedReleaseAt));
        if (after.probationEndsAt && before.probationEndsAt) {
          expect(Date.parse(after.probationEndsAt)).toBeGreaterThanOrEqual(Date.parse(before.probationEndsAt));
        }
      }),
    );
  });
});
