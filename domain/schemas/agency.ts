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

/**
 * How a partner reaches the agency itself (its switchboard, a functional mailbox), never a
 * person's own number. Kept beside the directory entry, not in it: a case's decisions and its
 * workflow history get the directory, and contact details have no business there.
 */
export const agencyContactSchema = z.object({
  phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{4,24}$/, 'a phone number is digits, spaces or "-", optionally after "+"').optional(),
  email: z.email('an e-mail address, e.g. registrator@example.se').max(200).optional(),
});
export type AgencyContact = z.infer<typeof agencyContactSchema>;

/** The directory entry as administered and shown: the agency and how to reach it. */
export const agencyEntryBodySchema = agencyBodySchema.extend({ contact: agencyContactSchema.optional() });
export const agencyEntrySchema = agencyEntryBodySchema.extend({ agencyId: agencyIdSchema });
export type AgencyEntry = z.infer<typeof agencyEntrySchema>;

