import { z } from 'zod';
import { accessLogEntrySchema, alertSchema, caseViewSchema, eventViewSchema } from './views';

/** Everything held about one client (GDPR art. 15): the one place the full identity number is shown. */
export const caseExportSchema = z
  .object({
    exportedAt: z.string(),
    caseId: z.string(),
    identity: z.object({ name: z.string(), personalIdentityNumber: z.string().nullable() }),
    case: caseViewSchema,
    trail: z.array(eventViewSchema),
    alerts: z.array(alertSchema),
    deliveries: z.array(z.object({
      deliveryId: z.string(), agencyId: z.string(), channel: z.string(), eventType: z.string(), subject: z.string(),
      caseId: z.string().nullable(), payload: z.unknown(), status: z.string(), attempts: z.number().int(),
      lastError: z.string().nullable(), createdAt: z.string(), lastAttemptAt: z.string().nullable(), deliveredAt: z.string().nullable(),
    })),
    accessLog: z.array(accessLogEntrySchema),
    storage: z.array(z.object({ what: z.string(), where: z.string(), protection: z.string() }))
      .meta({ description: 'Where each part is kept and how it is protected, in Swedish, for the client' }),
  })
  .meta({ id: 'CaseExport' });

export const eraseCaseBodySchema = z.object({
  reason: z.enum(['opened_in_error', 'duplicate', 'wrong_client'])
    .meta({ description: 'Why the case goes: opened in error, a duplicate of another case, or opened for the wrong person' }),
});
