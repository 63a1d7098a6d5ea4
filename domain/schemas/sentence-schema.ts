import { z } from 'zod';
import { durationSchema } from './duration-schema';
import { durationToMs, isValidDuration } from '../duration';
import { instantSchema } from './vocabulary';

/** A calendar date in the same years as instantSchema allows. */
const dateSchema = z.iso.date({ message: 'a date (2025-03-01) or an ISO 8601 time with offset' })
  // Guarded: zod runs this check even when the format check has failed.
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || (d >= '1900-01-01' && d < '2200-01-01'), 'a date between 1900 and 2199');
const dateOrInstant = z.union([dateSchema, instantSchema], { message: 'a date (2025-03-01) or an ISO 8601 time with offset' });

// No Swedish time-limited sentence exceeds 18 years (life excepted, and a life sentence is
// converted to a time before release can be computed); 50 years only keeps dates in range.
const MAX_SENTENCE_MS = durationToMs('P50Y');

/** The sentence, as the judgment and Kriminalvården's record state it. */
export const sentenceSchema = z.object({
  length: durationSchema
    // Guarded: zod runs this check even when the one before has failed.
    .refine((d) => !isValidDuration(d) || (durationToMs(d) > 0 && durationToMs(d) <= MAX_SENTENCE_MS), 'longer than nothing, at most 50 years')
    .meta({ description: 'Strafftid as an ISO 8601 duration, e.g. P2Y6M' }),
  startsAt: dateOrInstant.meta({ description: 'Verkställigheten påbörjad: a date or a time with offset' }),
  judgmentAt: dateOrInstant.meta({ description: 'Domen vann laga kraft: its calendar date picks the release regime' }),
});
