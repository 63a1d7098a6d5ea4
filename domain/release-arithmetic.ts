import { addDuration, DAY_MS, toEpochMs } from './duration';

/*
 * The arithmetic of schemas/release-estimate.ts without zod, for `decide`: it runs in the case's
 * workflow, which must not load zod (workflows/legacy-command-schema.ts says why). Inputs here
 * are already valid: the edge parsed the command, and the pinned policy was parsed on publishing.
 */

export interface Regime {
  judgmentFinalFrom?: string;
  judgmentFinalBefore?: string;
  fraction: { numerator: number; denominator: number };
  minimumServed: string;
  minimumProbation: string;
}

export interface SentenceFacts {
  sentenceStart: string;
  sentenceLength: string;
  judgmentFinalAt: string;
}

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

/** The rules a policy without `releaseRules` of its own gets (schemas/policy.ts fills them in). */
export const DEFAULT_RELEASE_RULES: Regime[] = [
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

// ISO dates compare correctly as strings; open ends become sentinels outside any real date.
export const regimeFrom = (r: Regime) => r.judgmentFinalFrom ?? '';
export const regimeBefore = (r: Regime) => r.judgmentFinalBefore ?? '\uffff';

const iso = (ms: number) => new Date(ms).toISOString();

/** The regime for a judgment, by the calendar date as written (finality is a date). */
export function regimeFor(judgmentFinalAt: string, rules: readonly Regime[]): { index: number; regime: Regime } | null {
  const date = judgmentFinalAt.slice(0, 10);
  const index = rules.findIndex((r) => regimeFrom(r) <= date && date < regimeBefore(r));
  return index >= 0 ? { index, regime: rules[index]! } : null;
}

export function estimateRelease(input: SentenceFacts, rules: readonly Regime[]): ReleaseEstimate {
  const found = regimeFor(input.judgmentFinalAt, rules);
  if (!found) return { kind: 'no_regime', judgmentFinalDate: input.judgmentFinalAt.slice(0, 10) };
  const { regime, index: regimeIndex } = found;

  const start = toEpochMs(input.sentenceStart);
  const end = addDuration(start, input.sentenceLength);
  const minimumServedAt = addDuration(start, regime.minimumServed);

  if (end <= minimumServedAt) {
    return {
      kind: 'estimate', conditionalRelease: false, estimatedReleaseAt: iso(end), sentenceEndsAt: iso(end),
      probationEndsAt: null, regimeIndex,
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

  return {
    kind: 'estimate',
    conditionalRelease: true,
    estimatedReleaseAt: iso(release),
    sentenceEndsAt: iso(end),
    probationEndsAt: iso(probationEnd(end, release, regime)),
    regimeIndex,
  };
}

/** The probation period is the rest of the sentence, but never shorter than the regime's minimum. */
function probationEnd(sentenceEnd: number, release: number, regime: Regime): number {
  return Math.max(sentenceEnd, addDuration(release, regime.minimumProbation));
}

/**
 * The end of probation for an actual release. Null where none runs: no regime covers the
 * judgment, the sentence is too short for conditional release, or it was served to its end.
 */
export function probationAfterRelease(input: SentenceFacts, releasedAt: string, rules: readonly Regime[]): string | null {
  const found = regimeFor(input.judgmentFinalAt, rules);
  if (!found) return null;
  const start = toEpochMs(input.sentenceStart);
  const end = addDuration(start, input.sentenceLength);
  const released = toEpochMs(releasedAt);
  if (end <= addDuration(start, found.regime.minimumServed) || released >= end) return null;
  return iso(probationEnd(end, released, found.regime));
}
