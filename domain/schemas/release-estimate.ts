import { z } from 'zod';
import { DEFAULT_RELEASE_RULES, estimateRelease, regimeBefore as upper, regimeFrom as lower, type ReleaseEstimate } from '../release-arithmetic';
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

export const defaultReleaseRules: ReleaseRules = DEFAULT_RELEASE_RULES;

export const releaseEstimateInputSchema = z.object({
  sentenceStart: isoDateOrDateTime,
  sentenceLength: durationSchema,
  /** Compared by the calendar date as written (first ten characters), since finality is a date. */
  judgmentFinalAt: isoDateOrDateTime,
});

export type ReleaseEstimateInput = z.infer<typeof releaseEstimateInputSchema>;

export type { ReleaseEstimate };

/** Throws (ZodError) on malformed input or rules; returns `no_regime` when no rule covers the judgment. */
export function estimateConditionalRelease(
  input: ReleaseEstimateInput,
  rules: ReleaseRules = defaultReleaseRules,
): ReleaseEstimate {
  const { sentenceStart, sentenceLength, judgmentFinalAt } = releaseEstimateInputSchema.parse(input);
  const regimes = releaseRulesSchema.parse(rules);

  return estimateRelease({ sentenceStart, sentenceLength, judgmentFinalAt }, regimes);
}
