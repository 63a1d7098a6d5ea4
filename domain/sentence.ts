import type { CaseState, Sentence, SentenceEstimate } from './case-state';
import type { PolicyBody } from './schemas/policy';
import { DEFAULT_RELEASE_RULES, estimateRelease, probationAfterRelease, type Regime, type SentenceFacts } from './release-arithmetic';
import { reject, type Rejection } from './rejection';

/*
 * The sentence (strafftid, verkställighetens början, dom laga kraft) and what follows from it
 * under the regime the case's pinned policy names for the judgment date. Kriminalvården's own
 * release date is authoritative: the estimate stands in for it only while there is none.
 */

// Same bound as instantSchema: a date the database and JavaScript can both hold.
const LATEST_INSTANT = Date.UTC(2200, 0, 1);

/** Policies pinned before release rules existed get the defaults, as schemas/policy.ts would have given them. */
const rulesOf = (policy: Pick<PolicyBody, 'releaseRules'>): readonly Regime[] => policy.releaseRules ?? DEFAULT_RELEASE_RULES;

const facts = (s: Sentence): SentenceFacts => ({ sentenceStart: s.startsAt, sentenceLength: s.length, judgmentFinalAt: s.judgmentAt });

export const sameSentence = (a: Sentence, b: Sentence) =>
  a.length === b.length && a.startsAt === b.startsAt && a.judgmentAt === b.judgmentAt;

export interface SentenceContext {
  admittedAt: string;
  /** Kriminalvården's own date, when there is one: the estimate then only stands beside it. */
  releaseDate: string | undefined;
  /** Where the sentence sits in the request body, for the problem's field (`sentence.` or ``). */
  path: string;
}

/** The estimate for a sentence, or why the sentence cannot be this case's. */
export function estimateSentence(sentence: Sentence, policy: Pick<PolicyBody, 'releaseRules'>, c: SentenceContext): SentenceEstimate | Rejection {
  const e = estimateRelease(facts(sentence), rulesOf(policy));
  if (e.kind === 'no_regime') {
    return reject('invalid_input', "no release regime of the case's policy covers a judgment final on this date", `${c.path}judgmentAt`);
  }
  if (Date.parse(e.probationEndsAt ?? e.sentenceEndsAt) >= LATEST_INSTANT) {
    return reject('invalid_input', 'the sentence would run past 2199', `${c.path}length`);
  }
  if (c.releaseDate) {
    // A sentence that begins after the client is to be released is not the one being served.
    if (Date.parse(sentence.startsAt) >= Date.parse(c.releaseDate)) {
      return reject('invalid_input', 'must be before the expected release date', `${c.path}startsAt`);
    }
  } else if (Date.parse(e.estimatedReleaseAt) <= Date.parse(c.admittedAt)) {
    // The same rule as for a release date given outright.
    return reject('invalid_input', 'the estimated release would not be after admittedAt', `${c.path}startsAt`);
  }
  return {
    estimatedReleaseAt: e.estimatedReleaseAt,
    sentenceEndsAt: e.sentenceEndsAt,
    probationEndsAt: e.probationEndsAt,
    conditionalRelease: e.conditionalRelease,
  };
}

export const refused = (r: SentenceEstimate | Rejection): r is Rejection => 'kind' in r;

/** What a release records about probation: only for a case with a sentence, so older cases replay as before. */
export function probationOnRelease(s: CaseState, releasedAt: string): { probationEndsAt?: string } {
  if (!s.sentence) return {};
  const end = probationAfterRelease(facts(s.sentence), releasedAt, rulesOf(s.policy.body));
  return end ? { probationEndsAt: end } : {};
}

/** A new remand starts a new custody: the sentence of the old one no longer sets its release. */
export function forgetSentence(s: CaseState): void {
  delete s.sentence;
  delete s.releaseEstimate;
  delete s.releaseDateSource;
}
