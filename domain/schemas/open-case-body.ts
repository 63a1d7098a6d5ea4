import { z } from 'zod';
import { birthDateOf } from '../personal-identity-number';
import { openCaseFieldsSchema } from './commands';
import { personalIdentityNumberSchema } from './personal-identity-number';
import { municipalityCodeSchema } from './vocabulary';

/**
 * The body of `POST /v1/cases`. One schema for the API, which validates and documents with it,
 * and for the open-case form, which checks with it before sending (ui/src/open-case-rules.ts):
 * whatever the form lets through, the API's schema lets through too, with the same field paths.
 */
export const openCaseBodySchema = openCaseFieldsSchema.extend({
  client: z.object({
    name: z.string().trim().min(1).max(200),
    municipality: municipalityCodeSchema,
    personalIdentityNumber: personalIdentityNumberSchema
      // Checked here, at the edge, because it depends on today: nobody in custody is born tomorrow.
      .refine((pin) => (birthDateOf(pin) ?? '') <= new Date().toISOString().slice(0, 10), 'personal identity number has a date of birth in the future')
      .optional(),
  }),
  policyId: z.string().min(1).max(100).default('default'),
  allowSecondCase: z.boolean().optional()
    .meta({ description: 'Open the case although the person already has an open case (a genuine second case); refused with 409 otherwise' }),
});
