import { z } from 'zod';
import { addDuration, DAY_MS, toEpochMs } from './duration';
import { durationSchema } from './duration-schema';

/**
 * Suggests a conditional release date (villkorlig frigivning, 26 kap. 6 § BrB) and the end of the
 * probation period (prövotid) from the sentence.
 *
 * It only suggests. Kriminalvården's own calculation is authoritative (it accounts for time in
 * custody credited, several sentences, absconding and more), so an entered `expectedReleaseAt`
 * or `probationEndsAt` is never overridden by this estimate; callers may at most offer it as a
 * default where nothing has been entered.
 *
 * The fractions are policy data, not constants, because the law changes (prop. 2025/26:34).
 */

const isoDateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const fractionSchema = z
  .object({
    numerator: z.number().int().positive(),
    denominator: z.number().int().positive(),
  })
  // Above 1 would release after the sentence has ended.
  .refine((f) => f.numerator <= f.denominator, { message: 'fraction must not exceed 1' });

export const releaseRegimeSchema = z
  .object({
    /** Inclusive: judgments that became final on or after this date. */
    judgmentFinalFrom: z.iso.date().optional(),
    /** Exclusive: judgments that became final before this date. */
    judgmentFinalBefore: z.iso.date().optional(),
    fraction: fractionSchema,
    minimumServed: durationSchema,
    minimumProbation: durationSchema,
  })
  .refine((r) => !r.judgmentFinalFrom || !r.judgmentFinalBefore || r.judgmentFinalFrom < r.judgmentFinalBefore, {
    message: 'judgmentFinalFrom must be before judgmentFinalBefore',
  });

export type ReleaseRegime = z.infer<typeof releaseRegimeSchema>;

// ISO dates compare correctly as strings; open ends become sentinels outside any real date.
const lower = (r: ReleaseRegime) => r.judgmentFinalFrom ?? '';
const upper = (r: ReleaseRegime) => r.judgmentFinalBefore ?? '\uffff';

export const releaseRulesSchema = z
  .array(releaseRegimeSchema)
  .min(1)
  // Overlapping regimes would make the outcome depend on list order, which nobody reviewing
  // the policy would see.
  .refine(
    (rules) =>
      rules.every((a, i) =>
        rules.every((b, j) => j <= i || !(lower(a) < upper(b) && lower(b) < upper(a))),
      ),
    { message: 'release regimes must not overlap in judgment dates' },
  );

export type ReleaseRules = z.infer<typeof releaseRulesSchema>;

export const defaultReleaseRules: ReleaseRules = [
  {
    judgmentFinalBefore: '2026-01-01',
    fraction: { numerator: 2, denominator: 3 },
    minimumServed: 'P1M',
    minimumProbation: 'P1Y',
  },
  {
    // Prop. 2025/26:34: three quarters, and a probation period of at least two years.
    judgmentFinalFrom: '2026-01-01',
    fraction: { numerator: 3, denominator: 4 },
    minimumServed: 'P1M',
    minimumProbation: 'P2Y',
  },
];

export const releaseEstimateInputSchema = z.object({
  sentenceStart: isoDateOrDateTime,
  sentenceLength: durationSchema,
  /** Compared by the calendar date as written (first ten characters), since finality is a date. */
  judgmentFinalAt: isoDateOrDateTime,
});

export type ReleaseEstimateInput = z.infer<typeof releaseEstimateInputSchema>;

export type ReleaseEstimate =
  | {
      kind: 'estimate';
      /** False when the sentence is not longer than the minimum served: release at sentence end. */
      conditionalRelease: boolean;
      estimatedReleaseAt: string;
      sentenceEndsAt: string;
      /** Null when there is no conditional release, and so no probation period. */
      probationEndsAt: string | null;
      regimeIndex: number;
    }
  | { kind: 'no_regime'; judgmentFinalDate: string };

/** Throws (ZodError) on malformed input or rules; returns `no_regime` when no rule covers the judgment. */
export function estimateConditionalRelease(
  input: ReleaseEstimateInput,
  rules: ReleaseRules = defaultReleaseRules,
): ReleaseEstimate {
  const { sentenceStart, sentenceLength, judgmentFinalAt } = releaseEstimateInputSchema.parse(input);
  const regimes = releaseRulesSchema.parse(rules);

  const judgmentFinalDate = judgmentFinalAt.slice(0, 10);
  const regimeIndex = regimes.findIndex(
    (r) => lower(r) <= judgmentFinalDate && judgmentFinalDate < upper(r),
  );
  const regime = regimes[regimeIndex];
  if (!regime) return { kind: 'no_regime', judgmentFinalDate };

  const start = toEpochMs(sentenceStart);
  const end = addDuration(start, sentenceLength);
  const minimumServedAt = addDuration(start, regime.minimumServed);
  const iso = (ms: number) => new Date(ms).toISOString();

  if (end <= minimumServedAt) {
    return {
      kind: 'estimate',
      conditionalRelease: false,
      estimatedReleaseAt: iso(end),
      sentenceEndsAt: iso(end),
      probationEndsAt: null,
      regimeIndex,
    };
  }

  // The law counts served time in whole days, rounded up. Lengths that are not whole days exist
  // only in compressed simulations (`PT90S`); those round up to whole seconds instead, so that
  // day rounding does not swamp them.
  const length = end - start;
  const unit = length % DAY_MS === 0 ? DAY_MS : 1000;
  const units = Math.ceil(length / unit);
  const { numerator, denominator } = regime.fraction;
  // Integer ceiling, because 2/3 as a float would make exact thirds round up by a day.
  const servedUnits = Math.floor((numerator * units + denominator - 1) / denominator);
  // Rounding up a sub-second remainder must not push the release past the sentence end.
  const release = Math.min(Math.max(start + servedUnits * unit, minimumServedAt), end);
  const probationEnd = Math.max(end, addDuration(release, regime.minimumProbation));

  return {
    kind: 'estimate',
    conditionalRelease: true,
    estimatedReleaseAt: iso(release),
    sentenceEndsAt: iso(end),
    probationEndsAt: iso(probationEnd),
    regimeIndex,
  };
}
