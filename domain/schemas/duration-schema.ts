import { z } from 'zod';
import { isValidDuration } from '../duration';

/** A policy duration as it arrives in data (kept apart from duration.ts, which must not load zod). */
export const durationSchema = z
  .string()
  .refine(isValidDuration, { message: 'must be an ISO 8601 duration such as P30D, P1M or PT20S' });
