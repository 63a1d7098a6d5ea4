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
// The schedule (deadlines, in the workflow) and the retention rule (erasure, at the edge) act on their own.
export const actorSchema = z.union([personSchema, z.object({ system: z.enum(['schedule', 'retention']) })]);
export type Actor = z.infer<typeof actorSchema>;
