import { z } from 'zod';
import { agencyIdSchema, agencyTypeSchema, municipalityCodeSchema } from './vocabulary';

export const agencyBodySchema = z.object({
  type: agencyTypeSchema,
  name: z.string().trim().min(1).max(200),
  /** `["*"]` serves the whole country, `[]` none (a retired unit). */
  municipalities: z.array(z.union([municipalityCodeSchema, z.literal('*')])).max(400),
});
export const agencySchema = agencyBodySchema.extend({ agencyId: agencyIdSchema });
export type Agency = z.infer<typeof agencySchema>;

export { resolveAgency, type Resolution } from './agency-resolution';
