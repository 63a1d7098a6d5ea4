import { z } from 'zod';
import { roleSchema } from './vocabulary';

/** Who did something: a signed-in person, or the case's own schedule. */
export const personSchema = z.object({
  sub: z.string().min(1),
  role: roleSchema,
  agencyId: z.string().nullable(),
  name: z.string().optional(),
});
export type Person = z.infer<typeof personSchema>;
// The schedule (deadlines, in the workflow), the retention rule (erasure, at the edge) and the
// forecast (predicted gaps, from the measured lead times) act on their own.
export const actorSchema = z.union([personSchema, z.object({ system: z.enum(['schedule', 'retention', 'forecast']) })]);
export type Actor = z.infer<typeof actorSchema>;
